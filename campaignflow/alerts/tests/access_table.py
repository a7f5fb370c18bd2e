"""Alert endpoints in the access matrix."""

import datetime as dt
from pathlib import Path

from django.utils import timezone

from campaignflow.alerts.domain.conditions import RULES
from campaignflow.alerts.models import Alert, RuleSetting
from tests.support.tables import read_table

ROWS = read_table(Path(__file__).with_name("access_table.txt"), columns=11)

BODIES = {
    "resolve alert": lambda ctx: {"evaluation": "已处理", "decision": "continue"},
    "put alert rules": lambda ctx: {"rules": {"standup_missing": {"enabled": False}}},
}


def _one_overdue_task(ctx):
    """Evaluating then raises exactly one alert (one audit entry): only the overdue-task rule is on."""
    campaign = ctx["campaign"]
    campaign.tasks.filter(code="T003").update(end_date=timezone.localdate() - dt.timedelta(days=2))
    for rule in RULES:
        RuleSetting.objects.update_or_create(campaign=campaign, rule=rule, defaults={"enabled": rule == "task_overdue"})


PREPARE = {"evaluate alerts": _one_overdue_task}


def setup(ctx):
    ctx["alert_id"] = Alert.objects.create(
        campaign=ctx["campaign"], rule="task_overdue", subject="task:x", message="T003 已逾期"
    ).pk
