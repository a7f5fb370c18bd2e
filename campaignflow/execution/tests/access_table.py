"""Execution endpoints in the access matrix (see campaigns/tests/test_access_matrix.py).
Execution records are internal: partners get 403 even on reads."""

import datetime as dt

from django.utils import timezone

from campaignflow.execution.models import ExecutionLogEntry, Issue, Risk, RunOfShowItem, WeeklyReport

# fmt: off
# operation              method   path                                                  admin owner mgr  member viewer partner outsider anon
ROWS = [
    ("list risks",           "get",   "/campaigns/{campaign_id}/risks",                    200,  200,  200, 200,   200,   403,    404,     401),
    ("create risk",          "post",  "/campaigns/{campaign_id}/risks",                    201,  201,  201, 201,   403,   403,    404,     401),
    ("patch risk",           "patch", "/risks/{risk_id}",                                  200,  200,  200, 200,   403,   403,    404,     401),
    ("list issues",          "get",   "/campaigns/{campaign_id}/issues",                   200,  200,  200, 200,   200,   403,    404,     401),
    ("create issue",         "post",  "/campaigns/{campaign_id}/issues",                   201,  201,  201, 201,   403,   403,    404,     401),
    ("patch issue",          "patch", "/issues/{issue_id}",                                200,  200,  200, 200,   403,   403,    404,     401),
    ("list logs",            "get",   "/campaigns/{campaign_id}/logs",                     200,  200,  200, 200,   200,   403,    404,     401),
    ("create log",           "post",  "/campaigns/{campaign_id}/logs",                     201,  201,  201, 201,   403,   403,    404,     401),
    ("patch log",            "patch", "/logs/{log_id}",                                    200,  200,  200, 200,   403,   403,    404,     401),
    ("list run-of-show",     "get",   "/campaigns/{campaign_id}/run-of-show",              200,  200,  200, 200,   200,   403,    404,     401),
    ("create segment",       "post",  "/campaigns/{campaign_id}/run-of-show",              201,  201,  201, 201,   403,   403,    404,     401),
    ("patch segment",        "patch", "/run-of-show/{segment_id}",                         200,  200,  200, 200,   403,   403,    404,     401),
    ("list standups",        "get",   "/campaigns/{campaign_id}/standups",                 200,  200,  200, 200,   200,   403,    404,     401),
    ("write standup",        "post",  "/campaigns/{campaign_id}/standups",                 201,  201,  201, 201,   403,   403,    404,     401),
    ("list weekly reports",  "get",   "/campaigns/{campaign_id}/weekly-reports",           200,  200,  200, 200,   200,   403,    404,     401),
    ("generate report",      "post",  "/campaigns/{campaign_id}/weekly-reports",           201,  201,  201, 201,   403,   403,    404,     401),
    ("patch report",         "patch", "/weekly-reports/{report_id}",                       200,  200,  200, 200,   403,   403,    404,     401),
    ("publish report",       "post",  "/weekly-reports/{report_id}/publish",               200,  200,  200, 403,   403,   403,    404,     401),
    ("report figures",       "get",   "/weekly-reports/{report_id}/figures",               200,  200,  200, 200,   200,   403,    404,     401),
    # The table's report is a draft: whoever may share it gets past access to the 409 "publish first".
    ("share report",         "post",  "/weekly-reports/{report_id}/share",                 409,  409,  409, 409,   403,   403,    404,     401),
    ("get exec settings",    "get",   "/campaigns/{campaign_id}/execution-settings",       200,  200,  200, 200,   200,   403,    404,     401),
    ("patch exec settings",  "patch", "/campaigns/{campaign_id}/execution-settings",       200,  200,  200, 403,   403,   403,    404,     401),
]
# fmt: on

BODIES = {
    "create risk": lambda ctx: {"title": "天气突变", "likelihood": 2, "impact": 4},
    "patch risk": lambda ctx: {"version": 1, "status": "monitoring"},
    "create issue": lambda ctx: {"description": "到场率低于预期"},
    "patch issue": lambda ctx: {"version": 1, "status": "in_progress"},
    "create log": lambda ctx: {"event": "签到开始"},
    "patch log": lambda ctx: {"version": 1, "result": "顺利"},
    "create segment": lambda ctx: {"segment": "开场", "starts_at": "2025-06-18T20:00:00+08:00"},
    "patch segment": lambda ctx: {"version": 1, "done": True},
    "write standup": lambda ctx: {"done": "完成海报设计"},
    "generate report": lambda ctx: {"week_start": "2025-06-09"},
    "patch report": lambda ctx: {"version": 1, "resources": "增加1名地推人员"},
    "publish report": lambda ctx: {"version": 1},
    "patch exec settings": lambda ctx: {"version": 1, "response_sla_hours": 12},
}


def setup(ctx):
    campaign = ctx["campaign"]
    now = timezone.now()
    ctx["risk_id"] = Risk.objects.create(campaign=campaign, code="R001", title="系统故障").pk
    ctx["issue_id"] = Issue.objects.create(campaign=campaign, code="Q001", description="到场率低", found_at=now).pk
    ctx["log_id"] = ExecutionLogEntry.objects.create(campaign=campaign, at=now, event="开场").pk
    ctx["segment_id"] = RunOfShowItem.objects.create(campaign=campaign, starts_at=now, segment="抽奖").pk
    ctx["report_id"] = WeeklyReport.objects.create(campaign=campaign, week_start=dt.date(2025, 6, 2)).pk
