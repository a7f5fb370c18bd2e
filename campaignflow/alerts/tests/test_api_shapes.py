"""The alerts API's JSON, field by field and in order: the list, acknowledge, resolve and evaluate answers."""

import datetime as dt

from django.utils import timezone

from campaignflow.alerts.models import Alert
from campaignflow.planning.models import Task
from tests.support.api_shapes import call, same

CLOCK = {"created_at", "last_seen_at", "resolved_at", "follow_up_task"}

ALERT = {
    "id": "<int>",
    "rule": "kpi_deviation",
    "severity": "high",
    "message": "销售额落后计划12%",
    "status": "open",
    "created_at": "<str>",
    "subject": "kpi:销售额",
    "data": {"deviation": -0.12},
    "last_seen_at": "<str>",
    "acknowledged_by": None,
    "resolved_by": None,
    "resolved_at": None,
    "evaluation": "",
    "decision": "",
    "follow_up_task": None,
    "version": 1,
}


def _alert(campaign, **extra) -> Alert:
    fields = {"rule": "kpi_deviation", "subject": "kpi:销售额", "severity": "high", "message": "销售额落后计划12%"}
    return Alert.objects.create(campaign=campaign, data={"deviation": -0.12}, **fields | extra)


def test_list_acknowledge_resolve_json(api, campaign):
    alert = _alert(campaign)
    same(call(api, "get", f"/campaigns/{campaign.id}/alerts", clock=CLOCK), (200, [ALERT]))
    acknowledged = ALERT | {"status": "acknowledged", "acknowledged_by": "owner1", "version": 2}
    same(call(api, "post", f"/alerts/{alert.id}/acknowledge", clock=CLOCK), (200, acknowledged))
    resolve = {"evaluation": "投放素材疲劳", "decision": "adjust", "follow_up": "更换素材", "version": 2}
    resolved = acknowledged | {
        "resolved_by": "owner1",
        "resolved_at": "<str>",
        "evaluation": "投放素材疲劳",
        "decision": "adjust",
        "follow_up_task": "<int>",
        "status": "resolved",
        "version": 3,
    }
    same(call(api, "post", f"/alerts/{alert.id}/resolve", resolve, clock=CLOCK), (200, resolved))
    same(call(api, "get", f"/campaigns/{campaign.id}/alerts", {"status": "resolved"}, clock=CLOCK), (200, [resolved]))
    alert.refresh_from_db()
    assert alert.follow_up_task.name == "更换素材"


def test_evaluate_answers_the_new_alerts(api, campaign):
    Task.objects.filter(campaign=campaign).update(end_date=timezone.localdate() + dt.timedelta(days=30))
    Task.objects.filter(campaign=campaign, code="T001").update(end_date=timezone.localdate() - dt.timedelta(days=2))
    status, body = call(api, "post", f"/campaigns/{campaign.id}/alerts/evaluate", clock=CLOCK | {"message", "data"})
    overdue = ALERT | {
        "rule": "task_overdue",
        "severity": "medium",
        "message": "<str>",
        "subject": "<str>",
        "data": "<dict>",
    }
    same((status, body), (200, [overdue | {"subject": body[0]["subject"]}]))
