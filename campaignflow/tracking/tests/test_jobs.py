"""Large uploads run in the background (tests use the ImmediateBackend: the job runs at enqueue time)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from campaignflow.core.models import AuditEntry
from campaignflow.notifications.models import Notification
from campaignflow.tracking import services
from campaignflow.tracking.models import ImportBatch, ImportJob, JobStatus, MetricRow
from tests.support.uploads import upload_metrics, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _small_threshold(settings):
    settings.METRIC_IMPORT_BACKGROUND_ROWS = 100
    settings.METRIC_IMPORT_BACKGROUND_BYTES = 10 * 1024 * 1024


def big_csv(n=10_000, bad_at=None) -> bytes:
    lines = ["日期,渠道,指标,数值"]
    for i in range(n):
        value = "12元多" if i == bad_at else str(1000 + i)
        lines.append(f"2025-06-{(i % 28) + 1:02d},抖音,m{i // 28},{value}")
    return ("\n".join(lines) + "\n").encode()


def test_large_csv_answers_202_and_the_job_writes_every_row(campaign, users, api_for):
    api = api_for(users["member"])
    r = upload_metrics(api, campaign, "big.csv", big_csv())
    assert r.status_code == 202, r.content
    body = r.json()
    assert body["status_url"] == f"/api/v1/import-jobs/{body['job']}"
    status = api.get(body["status_url"].removeprefix("/api/v1"))
    assert status.status_code == 200
    job = status.json()
    assert job["status"] == "done" and job["percent"] == 100
    assert job["rows_total"] == job["rows_done"] == 10_000
    assert MetricRow.objects.filter(campaign=campaign).count() == 10_000
    batch = ImportBatch.objects.get(pk=job["batch"])
    assert batch.created == 10_000 and batch.filename == "big.csv"
    assert AuditEntry.objects.filter(action="metrics.import").count() == 1
    note = Notification.objects.get(recipient=users["member"])
    assert "big.csv" in note.title and f"job={job['id']}" in note.url
    assert ImportJob.objects.get(pk=job["id"]).data is None  # the file is not kept once imported


def test_small_file_keeps_the_synchronous_answer(campaign, users, api_for):
    r = upload_metrics(api_for(users["member"]), campaign, "s.csv", big_csv(50))
    assert r.status_code == 200 and r.json()["created"] == 50
    assert not ImportJob.objects.exists()


def test_one_bad_row_among_10000_fails_the_job_and_writes_nothing(campaign, users, api_for):
    api = api_for(users["member"])
    r = upload_metrics(api, campaign, "bad.csv", big_csv(bad_at=7345))
    assert r.status_code == 202
    job = api.get(f"/import-jobs/{r.json()['job']}").json()
    assert job["status"] == "failed" and job["error_count"] == 1
    assert job["errors"][0]["field"] == "rows[7345].value" and job["errors"][0]["line"] == 7347
    assert "nothing was written" in job["message"] or "未写入任何数据" in job["message"]
    assert MetricRow.objects.count() == 0 and ImportBatch.objects.count() == 0
    assert AuditEntry.objects.filter(action="metrics.import").count() == 0
    title = Notification.objects.get(recipient=users["member"]).title
    assert "failed" in title or "失败" in title


def test_a_failure_while_writing_rolls_everything_back(campaign, users, api_for, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "audit_record", boom)  # the last step of the write transaction
    r = upload_metrics(api_for(users["member"]), campaign, "big.csv", big_csv(500))
    job = ImportJob.objects.get(pk=r.json()["job"])
    assert job.status == JobStatus.FAILED and "RuntimeError" in job.message
    assert MetricRow.objects.count() == 0 and ImportBatch.objects.count() == 0


def test_corrupt_large_xlsx_is_refused_before_it_is_queued(campaign, users, api_for):
    r = upload_metrics(api_for(users["member"]), campaign, "x.xlsx", b"PK\x03\x04" + b"\0" * 5000)
    assert r.status_code == 422 and "XLSX" in str(r.json()["errors"]) and "file" in str(r.json()["errors"])
    assert not ImportJob.objects.exists()


def test_a_job_whose_file_turns_out_corrupt_fails_with_a_clear_message(campaign, users):
    from campaignflow.tracking.services import import_job_run

    job = ImportJob.objects.create(
        campaign=campaign, actor=users["member"], filename="x.xlsx", data=b"PK\x03\x04" + b"\0" * 5000
    )
    job = import_job_run(job.pk)
    assert job.status == JobStatus.FAILED and job.errors[0]["field"] == "file"
    assert "XLSX" in job.message and job.data is None


def test_large_xlsx_in_the_background(campaign, users, api_for, settings):
    settings.METRIC_IMPORT_BACKGROUND_BYTES = 1000
    rows = [[f"2025-06-{(i % 28) + 1:02d}", "小红书", f"m{i // 28}", i] for i in range(300)]
    r = upload_metrics(
        api_for(users["member"]), campaign, "m.xlsx", xlsx_bytes([["日期", "渠道", "指标", "数值"], *rows])
    )
    assert r.status_code == 202
    assert ImportJob.objects.get(pk=r.json()["job"]).status == JobStatus.DONE
    assert MetricRow.objects.filter(campaign=campaign).count() == 300


def test_a_job_names_the_columns_it_does_not_read(campaign, users, api_for, client):
    """A large file's extra columns (备注, a second 数值) are named on the job, as a small file's are in the
    preview: by the API's job status and on the page's progress card. The first file goes into an empty
    campaign (parsed while written), the second into one with rows (parsed, then written)."""
    api = api_for(users["member"])
    for name, first in (("first.csv", 0), ("second.csv", 5000)):
        lines = ["日期,渠道,指标,数值,备注,数值"] + [
            f"2025-06-{(i % 28) + 1:02d},抖音,m{i // 28},{1000 + i},第{i}行,7" for i in range(first, first + 300)
        ]
        r = upload_metrics(api, campaign, name, ("\n".join(lines) + "\n").encode())
        assert r.status_code == 202, r.content
        job = api.get(f"/import-jobs/{r.json()['job']}").json()
        assert job["status"] == "done" and job["rows_done"] == 300
        assert job["ignored_columns"] == ["备注", "数值"]
    assert MetricRow.objects.filter(campaign=campaign).count() == 600
    client.force_login(users["member"])
    page = client.get(f"/campaigns/{campaign.id}/data/jobs/{job['id']}/").content.decode()
    assert 'data-testid="import-ignored"' in page and "second.csv" in page and "备注" in page
    plain = upload_metrics(api, campaign, "plain.csv", big_csv(300))
    assert api.get(f"/import-jobs/{plain.json()['job']}").json()["ignored_columns"] == []
    page = client.get(f"/campaigns/{campaign.id}/data/jobs/{plain.json()['job']}/").content.decode()
    assert 'data-testid="import-ignored"' not in page


def test_a_failed_job_still_names_the_columns_it_would_not_read(campaign, users, api_for):
    lines = ["日期,渠道,指标,数值,备注"] + [f"2025-06-01,抖音,m{i},{'12元多' if i == 150 else i},x" for i in range(300)]
    r = upload_metrics(api_for(users["member"]), campaign, "bad.csv", ("\n".join(lines) + "\n").encode())
    job = api_for(users["member"]).get(f"/import-jobs/{r.json()['job']}").json()
    assert job["status"] == "failed" and job["ignored_columns"] == ["备注"]


def test_job_status_is_404_outside_the_campaign(campaign, users, api_for):
    r = upload_metrics(api_for(users["member"]), campaign, "big.csv", big_csv(200))
    job_id = r.json()["job"]
    assert api_for(users["outsider"]).get(f"/import-jobs/{job_id}").status_code == 404
    assert api_for(users["viewer"]).get(f"/import-jobs/{job_id}").status_code == 200
    assert api_for(users["member"]).get("/import-jobs/999999").status_code == 404


def test_upload_page_polls_a_progress_bar(campaign, users, client):
    client.force_login(users["member"])
    r = client.post(f"/campaigns/{campaign.id}/data/", {"file": SimpleUploadedFile("big.csv", big_csv(300))})
    assert r.status_code == 302 and "?job=" in r["Location"]
    page = client.get(r["Location"])
    assert page.status_code == 200
    assert b'data-testid="import-job"' in page.content and b'data-status="done"' in page.content
    assert MetricRow.objects.filter(campaign=campaign).count() == 300
    # a job still running: the partial polls every second and shows its progress
    queued = ImportJob.objects.create(campaign=campaign, actor=users["member"], filename="q.csv", rows_total=400)
    ImportJob.objects.filter(pk=queued.pk).update(status=JobStatus.PARSING, rows_done=200)
    part = client.get(f"/campaigns/{campaign.id}/data/jobs/{queued.pk}/")
    assert part.status_code == 200
    assert b'hx-trigger="every 1s"' in part.content and b'value="30"' in part.content
    ImportJob.objects.filter(pk=queued.pk).update(status=JobStatus.DONE, message="Imported 400 rows")
    part = client.get(f"/campaigns/{campaign.id}/data/jobs/{queued.pk}/")
    assert b"hx-trigger" not in part.content and b"Imported 400 rows" in part.content
    client.force_login(users["outsider"])
    assert client.get(f"/campaigns/{campaign.id}/data/jobs/{queued.pk}/").status_code == 404


def test_write_progress_is_read_from_the_worker_file(campaign, users):
    job = ImportJob.objects.create(campaign=campaign, filename="p.csv", rows_total=1000, status=JobStatus.WRITING)
    path = services._progress_file(job.pk)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("500")
    try:
        assert services.job_write_progress(job.pk) == 500
        job.rows_done = 500
        assert job.percent == 80
    finally:
        path.unlink()
    assert services.job_write_progress(job.pk) is None


@pytest.mark.parametrize(
    "language, done, failed",
    [
        ("en", "Imported 12,000 rows (12,000 new, 0 replaced).", "2 invalid row value(s); nothing was written."),
        ("zh-hans", "已导入 1.2万 行（新增 1.2万 行，替换 0 行）。", "2 个数据行的值无效；未写入任何数据。"),
    ],
)
def test_a_finished_job_is_worded_in_the_readers_language(campaign, users, language, done, failed):
    """The worker stores its message in its own language; the page words the outcome for whoever reads it."""
    from django.test import Client

    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(users["member"])
    batch = ImportBatch.objects.create(campaign=campaign, source="upload", rows_total=12_000, created=12_000)
    finished = ImportJob.objects.create(
        campaign=campaign, filename="a.csv", rows_total=12_000, status=JobStatus.DONE, batch=batch, message="已导入"
    )
    part = client.get(f"/campaigns/{campaign.id}/data/jobs/{finished.pk}/").content.decode()
    assert done in part and "已导入<" not in part
    errors = [{"row": 3, "field": "rows[3].value", "message": "not a number"}] * 2
    refused = ImportJob.objects.create(
        campaign=campaign, filename="b.csv", status=JobStatus.FAILED, error_count=2, errors=errors, message="2 个"
    )
    assert failed in client.get(f"/campaigns/{campaign.id}/data/jobs/{refused.pk}/").content.decode()
