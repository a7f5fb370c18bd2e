"""Plan endpoints (schedule, Gantt, RACI, periods, baselines, links, import/export) in the access matrix."""

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from campaignflow.planning.models import Baseline, TaskDependency
from tests.support.tables import read_table

ROWS = read_table(Path(__file__).with_name("access_table.txt"), columns=11)


def _task(ctx, code):
    return ctx["campaign"].tasks.get(code=code)


BODIES = {
    "patch plan settings": lambda ctx: {"version": 1, "auto_schedule": True},
    "put raci": lambda ctx: {"version": 1, "assignments": [{"task": "T002", "user": "member1", "role": "A"}]},
    "put periods": lambda ctx: {
        "version": 1,
        "periods": [{"kind": "warmup", "start_date": "2025-06-01", "end_date": "2025-06-07"}],
    },
    "save baseline": lambda ctx: {"name": "评审后基线"},
    "add dependency": lambda ctx: {"predecessor": "T002", "successor": _task(ctx, "T003").pk, "type": "FS"},
    "bulk edit tasks": lambda ctx: {"tasks": [{"id": _task(ctx, "T003").pk, "version": 1}], "status": "in_progress"},
    "reorder tasks": lambda ctx: {"ids": [_task(ctx, code).pk for code in ("T003", "T001", "T002")]},
}
MULTIPART = {
    "import tasks": lambda ctx: {
        "confirm": "true",
        "file": SimpleUploadedFile(
            "wbs.csv", "任务ID,任务名称,所属阶段\nT010,预热海报设计,预热期\n".encode(), "text/csv"
        ),
    }
}


def setup(ctx):
    campaign = ctx["campaign"]
    ctx["baseline_id"] = Baseline.objects.create(campaign=campaign, name="初始基线").pk
    ctx["link_id"] = TaskDependency.objects.create(
        campaign=campaign, predecessor=_task(ctx, "T001"), successor=_task(ctx, "T002")
    ).pk
