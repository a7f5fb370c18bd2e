"""Plan endpoints (schedule, Gantt, RACI, periods, baselines, links, import/export) in the access matrix."""

from django.core.files.uploadedfile import SimpleUploadedFile

from campaignflow.planning.models import Baseline, TaskDependency

# fmt: off
# operation            method    path                                                           admin owner mgr  member viewer partner outsider anon
ROWS = [
    ("schedule",           "get",    "/campaigns/{campaign_id}/schedule",                           200,  200,  200, 200,   200,   200,    404,     401),
    ("gantt data",         "get",    "/campaigns/{campaign_id}/gantt",                              200,  200,  200, 200,   200,   200,    404,     401),
    ("plan xlsx",          "get",    "/campaigns/{campaign_id}/plan.xlsx",                          200,  200,  200, 200,   200,   200,    404,     401),
    ("calendar ics",       "get",    "/campaigns/{campaign_id}/calendar.ics",                       200,  200,  200, 200,   200,   200,    404,     401),
    ("get plan settings",  "get",    "/campaigns/{campaign_id}/plan-settings",                      200,  200,  200, 200,   200,   200,    404,     401),
    ("patch plan settings", "patch", "/campaigns/{campaign_id}/plan-settings",                      200,  200,  200, 403,   403,   403,    404,     401),
    ("get raci",           "get",    "/campaigns/{campaign_id}/raci",                               200,  200,  200, 200,   200,   200,    404,     401),
    ("put raci",           "put",    "/campaigns/{campaign_id}/raci",                               200,  200,  200, 200,   403,   403,    404,     401),
    ("get periods",        "get",    "/campaigns/{campaign_id}/periods",                            200,  200,  200, 200,   200,   200,    404,     401),
    ("put periods",        "put",    "/campaigns/{campaign_id}/periods",                            200,  200,  200, 200,   403,   403,    404,     401),
    ("list baselines",     "get",    "/campaigns/{campaign_id}/baselines",                          200,  200,  200, 200,   200,   200,    404,     401),
    ("save baseline",      "post",   "/campaigns/{campaign_id}/baselines",                          201,  201,  201, 201,   403,   403,    404,     401),
    ("baseline variance",  "get",    "/campaigns/{campaign_id}/baselines/{baseline_id}/variance",   200,  200,  200, 200,   200,   200,    404,     401),
    ("add dependency",     "post",   "/campaigns/{campaign_id}/dependencies",                       201,  201,  201, 201,   403,   403,    404,     401),
    ("delete dependency",  "delete", "/dependencies/{link_id}",                                     204,  204,  204, 204,   403,   403,    404,     401),
    ("bulk edit tasks",    "post",   "/campaigns/{campaign_id}/tasks/bulk",                         200,  200,  200, 200,   403,   403,    404,     401),
    ("import tasks",       "post",   "/campaigns/{campaign_id}/tasks/import",                       200,  200,  200, 200,   403,   403,    404,     401),
    ("reorder tasks",      "post",   "/campaigns/{campaign_id}/tasks/reorder",                      200,  200,  200, 200,   403,   403,    404,     401),
]
# fmt: on


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
