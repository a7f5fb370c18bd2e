"""Alert endpoints in the access matrix."""

import datetime as dt

from django.utils import timezone

from campaignflow.alerts.domain.conditions import RULES
from campaignflow.alerts.models import Alert, RuleSetting

# fmt: off
# operation              method  path                                          admin owner mgr  member viewer partner outsider anon
ROWS = [
    ("list alerts",          "get",  "/campaigns/{campaign_id}/alerts",              200,  200,  200, 200,   200,   403,    404,     401),
    ("evaluate alerts",      "post", "/campaigns/{campaign_id}/alerts/evaluate",     200,  200,  200, 200,   403,   403,    404,     401),
    ("acknowledge alert",    "post", "/alerts/{alert_id}/acknowledge",               200,  200,  200, 200,   403,   403,    404,     401),
    ("resolve alert",        "post", "/alerts/{alert_id}/resolve",                   200,  200,  200, 200,   403,   403,    404,     401),
    ("get alert rules",      "get",  "/campaigns/{campaign_id}/alert-rules",         200,  200,  200, 200,   200,   200,    404,     401),
    ("put alert rules",      "put",  "/campaigns/{campaign_id}/alert-rules",         200,  200,  200, 403,   403,   403,    404,     401),
]
# fmt: on

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
