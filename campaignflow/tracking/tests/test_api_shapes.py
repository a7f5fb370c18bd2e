"""The tracking API's JSON, field by field and in order: ingest answers, import batches and jobs."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from campaignflow.tracking import services
from campaignflow.tracking.models import ImportJob, JobStatus
from tests.support.api_shapes import same, shape

CLOCK = {"created_at", "undone_at", "finished_at", "batch", "campaign", "job", "status_url"}

BATCH = {
    "id": "<int>",
    "source": "upload",
    "filename": "s.csv",
    "actor": "member1",
    "created_at": "<str>",
    "rows_total": 2,
    "created": 2,
    "updated": 0,
    "status": "applied",
    "undone_at": None,
}

CSV = "日期,渠道,指标,数值\n2025-06-01,抖音,曝光,1000\n2025-06-02,抖音,曝光,1200\n".encode()


def upload(api, campaign, name, content):
    response = api.client.post(
        f"/api/v1/campaigns/{campaign.id}/metrics/import", {"file": SimpleUploadedFile(name, content)}, **api.headers
    )
    return response.status_code, shape(response.json(), CLOCK)


def test_push_import_batches_undo_json(api_for, users, campaign):
    api = api_for(users["member"])
    rows = [{"date": "2025-06-01", "channel": "抖音", "metric": "点击", "value": "10"}]
    pushed = api.post(f"/campaigns/{campaign.id}/metrics", {"rows": rows})
    same((pushed.status_code, shape(pushed.json(), CLOCK)), (200, {"created": 1, "updated": 0, "batch": "<int>"}))
    same(
        upload(api, campaign, "s.csv", CSV),
        (200, {"created": 2, "updated": 0, "batch": "<int>", "ignored_columns": []}),
    )
    batches = api.get(f"/campaigns/{campaign.id}/import-batches")
    pushed_batch = BATCH | {"source": "api", "filename": "", "rows_total": 1, "created": 1}
    same((batches.status_code, shape(batches.json(), CLOCK)), (200, [BATCH, pushed_batch]))
    undone = api.delete(f"/import-batches/{batches.json()[0]['id']}")
    same((undone.status_code, shape(undone.json(), CLOCK)), (200, BATCH | {"status": "undone", "undone_at": "<str>"}))


def test_background_import_job_json(api_for, users, campaign, settings):
    settings.METRIC_IMPORT_BACKGROUND_ROWS = 1
    api = api_for(users["member"])
    same(upload(api, campaign, "big.csv", CSV), (202, {"job": "<int>", "status": "done", "status_url": "<str>"}))
    job = api.get(f"/import-jobs/{ImportJob.objects.get(campaign=campaign).pk}")
    expected = {
        "id": "<int>",
        "campaign": "<int>",
        "filename": "big.csv",
        "size": len(CSV),
        "status": "done",
        "rows_total": 2,
        "rows_done": 2,
        "percent": 100,
        "error_count": 0,
        "errors": [],
        "ignored_columns": [],
        "message": "已导入 2 行（新增 2 行，替换 0 行）。",
        "batch": "<int>",
        "created_at": "<str>",
        "finished_at": "<str>",
    }
    same((job.status_code, shape(job.json(), CLOCK)), (200, expected))


def test_a_failed_job_lists_its_bad_rows_in_the_readers_words(api_for, users, campaign, settings):
    settings.METRIC_IMPORT_BACKGROUND_ROWS = 1
    api = api_for(users["member"])
    bad = CSV + "2025-06-03,抖音,曝光,12元多\n".encode()
    upload(api, campaign, "bad.csv", bad)
    job = api.get(f"/import-jobs/{ImportJob.objects.get(campaign=campaign).pk}").json()
    error = {
        "row": 2,
        "field": "rows[2].value",
        "message": "第 4 行「数值」列：不是数字（“12元多”）",
        "line": 4,
        "column": "数值",
        "code": "not_number",
        "params": {"value": "12元多"},
        "problem": "不是数字（“12元多”）",
    }
    expected = {
        "id": "<int>",
        "campaign": "<int>",
        "filename": "bad.csv",
        "size": len(bad),
        "status": "failed",
        "rows_total": 3,
        "rows_done": 0,
        "percent": 0,
        "error_count": 1,
        "errors": [error],
        "ignored_columns": [],
        "message": "1 个数据行的值无效；未写入任何数据。",
        "batch": None,
        "created_at": "<str>",
        "finished_at": "<str>",
    }
    same(shape(job, CLOCK), expected)


@pytest.mark.parametrize(
    "status, written, percent",
    [
        (JobStatus.WRITING, "500", 80),  # read and checked (60 %), then half written
        (JobStatus.IMPORTING, "500", 50),  # read and written at once (ADR 0021): half of the estimate
        (JobStatus.IMPORTING, "1200", 99),  # more rows than estimated: not 100 % before it is done
    ],
)
def test_a_writing_job_answers_the_rows_the_worker_wrote_so_far(api_for, users, campaign, status, written, percent):
    job = ImportJob.objects.create(campaign=campaign, filename="p.csv", rows_total=1000, status=status)
    path = services._progress_file(job.pk)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(written)
    try:
        answer = api_for(users["member"]).get(f"/import-jobs/{job.pk}").json()
    finally:
        path.unlink()
    assert (answer["status"], answer["rows_done"], answer["percent"]) == (status.value, int(written), percent)
