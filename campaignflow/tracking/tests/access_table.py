"""Tracking endpoints (metrics, imports, undo, board) in the access matrix."""

from django.core.files.uploadedfile import SimpleUploadedFile

from campaignflow.tracking import services
from campaignflow.tracking.domain.parsers import parse_json_rows
from campaignflow.tracking.models import BatchSource, ImportJob

# fmt: off
# operation             method    path                                             admin owner mgr  member viewer partner outsider anon
ROWS = [
    ("list metrics",        "get",    "/campaigns/{campaign_id}/metrics",              200,  200,  200, 200,   200,   200,    404,     401),
    ("post metrics",        "post",   "/campaigns/{campaign_id}/metrics",              200,  200,  200, 200,   403,   403,    404,     401),
    ("import metrics",      "post",   "/campaigns/{campaign_id}/metrics/import",       200,  200,  200, 200,   403,   403,    404,     401),
    ("list import batches", "get",    "/campaigns/{campaign_id}/import-batches",       200,  200,  200, 200,   200,   200,    404,     401),
    ("undo import batch",   "delete", "/import-batches/{batch_id}",                    200,  200,  200, 200,   403,   403,    404,     401),
    ("board",               "get",    "/campaigns/{campaign_id}/board",                200,  200,  200, 200,   200,   200,    404,     401),
    ("get import job",      "get",    "/import-jobs/{job_id}",                         200,  200,  200, 200,   200,   200,    404,     401),
]
# fmt: on

MULTIPART = {
    "import metrics": lambda ctx: {
        "file": SimpleUploadedFile(
            "metrics.csv", "日期,渠道,指标,数值\n2025-06-12,抖音,销售额,1.2万\n".encode(), "text/csv"
        )
    }
}
BODIES = {
    "post metrics": lambda ctx: {
        "rows": [{"date": "2025-06-10", "channel": "抖音", "metric": "销售额", "value": "3.8万"}]
    }
}


def setup(ctx):
    parsed = parse_json_rows([{"date": "2025-06-11", "channel": "抖音", "metric": "销售额", "value": 42000}])
    ctx["batch_id"] = services.metrics_ingest(
        actor=ctx["users"]["owner"], campaign=ctx["campaign"], parsed=parsed, source=BatchSource.API
    ).pk
    ctx["job_id"] = ImportJob.objects.create(
        campaign=ctx["campaign"], actor=ctx["users"]["member"], filename="big.csv", status="done", rows_total=1
    ).pk
