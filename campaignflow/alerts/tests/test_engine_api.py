"""Alert engine and API: rules fire once per subject, resolve needs an evaluation, thresholds validated."""

import datetime as dt

from django.utils import timezone

from campaignflow.alerts import engine
from campaignflow.alerts.models import Alert
from campaignflow.execution.models import Issue
from campaignflow.notifications.models import Notification
from campaignflow.planning.models import Task


def _overdue_task(campaign):
    task = campaign.tasks.get(code="T001")
    task.end_date = timezone.localdate() - dt.timedelta(days=2)
    task.save()
    return task


def test_overdue_task_raises_exactly_one_alert_and_notifies_owners(campaign, users, django_capture_on_commit_callbacks):
    Task.objects.filter(campaign=campaign).update(end_date=timezone.localdate() + dt.timedelta(days=30))
    _overdue_task(campaign)
    with django_capture_on_commit_callbacks(execute=True):
        new = engine.evaluate_campaign(campaign)
    assert [a.rule for a in new] == ["task_overdue"]
    assert "T001" in new[0].message and "2" in new[0].message
    assert engine.evaluate_campaign(campaign) == []  # same subject: refreshed, not duplicated
    assert Alert.objects.filter(rule="task_overdue").count() == 1
    assert Notification.objects.filter(recipient=users["owner"], kind="alert").count() == 1


def test_issue_past_24h_without_response_raises_sla_alert(campaign):
    Task.objects.filter(campaign=campaign).update(end_date=timezone.localdate() + dt.timedelta(days=30))
    Issue.objects.create(
        campaign=campaign,
        code="Q001",
        description="优惠券核销率仅15%",
        found_at=timezone.now() - dt.timedelta(hours=25),
    )
    rules = [a.rule for a in engine.evaluate_campaign(campaign)]
    assert rules == ["issue_sla"]


def test_api_lists_and_resolves_with_evaluation(api_for, users, campaign):
    _overdue_task(campaign)
    engine.evaluate_campaign(campaign, notify=False)
    api = api_for(users["member"])
    listed = api.get(f"/campaigns/{campaign.id}/alerts").json()
    alert = next(a for a in listed if a["rule"] == "task_overdue")
    assert {"id", "rule", "severity", "message", "status", "created_at"} <= alert.keys()
    missing = api.post(f"/alerts/{alert['id']}/resolve", {"evaluation": "  "})
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "evaluation"
    assert Alert.objects.get(pk=alert["id"]).status == "open"
    assert api_for(users["viewer"]).post(f"/alerts/{alert['id']}/resolve", {"evaluation": "x"}).status_code == 403
    assert api_for(users["outsider"]).post(f"/alerts/{alert['id']}/resolve", {"evaluation": "x"}).status_code == 404
    done = api.post(
        f"/alerts/{alert['id']}/resolve",
        {"evaluation": "物料印刷延误，已更换供应商", "decision": "adjust", "follow_up": "确认备用供应商交期"},
    )
    assert done.status_code == 200, done.content
    body = done.json()
    assert body["status"] == "resolved" and body["resolved_by"] == "member1" and body["follow_up_task"]
    assert Task.objects.get(pk=body["follow_up_task"]).name == "确认备用供应商交期"
    assert api.post(f"/alerts/{alert['id']}/resolve", {"evaluation": "again"}).status_code == 409
    # Resolved: if the condition still holds, the next run raises a new alert for the same subject.
    assert [a.rule for a in engine.evaluate_campaign(campaign, notify=False)].count("task_overdue") >= 1


def test_rule_thresholds_validated_and_disabling_a_rule(api_for, users, campaign):
    api = api_for(users["owner"])
    bad = api.put(f"/campaigns/{campaign.id}/alert-rules", {"rules": {"conversion_drop": {"params": {"threshold": 3}}}})
    assert bad.status_code == 422 and "conversion_drop.threshold" in bad.json()["detail"]
    unknown = api.put(f"/campaigns/{campaign.id}/alert-rules", {"rules": {"nonsense": {}}})
    assert unknown.status_code == 422
    ok = api.put(f"/campaigns/{campaign.id}/alert-rules", {"rules": {"task_overdue": {"enabled": False}}})
    assert ok.status_code == 200 and ok.json()["task_overdue"]["enabled"] is False
    _overdue_task(campaign)
    assert "task_overdue" not in [a.rule for a in engine.evaluate_campaign(campaign, notify=False)]


def test_retrospective_late_after_three_working_days(campaign, users):
    from campaignflow.campaigns.models import Campaign

    today = timezone.localdate()
    Campaign.objects.filter(pk=campaign.pk).update(
        status="reviewing", start_date=today - dt.timedelta(days=40), end_date=today - dt.timedelta(days=20)
    )
    campaign.refresh_from_db()
    Task.objects.filter(campaign=campaign).update(status="done")
    rules = [a.rule for a in engine.evaluate_campaign(campaign, notify=False)]
    assert "retro_overdue" in rules
    alert = Alert.objects.get(rule="retro_overdue")
    assert "days late" in alert.message or "天" in alert.message
