"""Tracking endpoints (metrics, imports, undo, board) in the access matrix."""

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from campaignflow.tracking import services
from campaignflow.tracking.domain.parsers import parse_json_rows
from campaignflow.tracking.models import BatchSource, ImportJob
from tests.support.tables import read_table

ROWS = read_table(Path(__file__).with_name("access_table.txt"), columns=11)

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
