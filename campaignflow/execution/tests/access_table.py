"""Execution endpoints in the access matrix (see campaigns/tests/test_access_matrix.py).
Execution records are internal: partners get 403 even on reads."""

import datetime as dt
from pathlib import Path

from django.utils import timezone

from campaignflow.execution.models import ExecutionLogEntry, Issue, Risk, RunOfShowItem, WeeklyReport
from tests.support.tables import read_table

ROWS = read_table(Path(__file__).with_name("access_table.txt"), columns=11)

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

QUERY = {"delete log": lambda ctx: "?version=1", "delete segment": lambda ctx: "?version=1"}


def setup(ctx):
    campaign = ctx["campaign"]
    now = timezone.now()
    ctx["risk_id"] = Risk.objects.create(campaign=campaign, code="R001", title="系统故障").pk
    ctx["issue_id"] = Issue.objects.create(campaign=campaign, code="Q001", description="到场率低", found_at=now).pk
    ctx["log_id"] = ExecutionLogEntry.objects.create(campaign=campaign, at=now, event="开场").pk
    ctx["segment_id"] = RunOfShowItem.objects.create(campaign=campaign, starts_at=now, segment="抽奖").pk
    ctx["report_id"] = WeeklyReport.objects.create(campaign=campaign, week_start=dt.date(2025, 6, 2)).pk
