"""How an alert reaches people: one notification per rule × subject, repeats counted on it, not new bell items."""

import datetime as dt

from django.test import Client
from django.utils import timezone

from campaignflow.notifications import services as notifications
from campaignflow.notifications.models import Delivery, Notification
from campaignflow.planning.models import Task


def _overdue_task(campaign):
    Task.objects.filter(campaign=campaign).update(end_date=timezone.localdate() + dt.timedelta(days=30))
    Task.objects.filter(campaign=campaign, code="T001").update(end_date=timezone.localdate() - dt.timedelta(days=2))


def test_a_persisting_alert_resolved_three_times_reaches_a_person_once(
    api_for, users, campaign, settings, django_capture_on_commit_callbacks
):
    """The scheduler re-evaluates every 5 minutes; an alert resolved while its condition still holds was
    raised again each time, each with a new bell item, e-mail and group-chat message (8 → 25 in minutes)."""
    settings.WEBHOOK_ALLOWED_HOSTS = ["oapi.dingtalk.com"]
    # Deliveries stay queued (the outbox is what is counted); nothing leaves the machine.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    notifications.endpoint_create(
        actor=users["owner"],
        campaign=campaign,
        data={"name": "群", "kind": "dingtalk", "url": "https://oapi.dingtalk.com/robot/send?access_token=x"},
    )
    _overdue_task(campaign)
    users["owner"].email = "owner@example.com"
    users["owner"].save(update_fields=["email"])
    member, owner = api_for(users["member"]), api_for(users["owner"])
    for _run in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            assert member.post(f"/campaigns/{campaign.id}/alerts/evaluate").status_code == 200
        alert = next(a for a in member.get(f"/campaigns/{campaign.id}/alerts?status=open").json())
        # Someone resolves it, the task is still overdue: the next run raises it again.
        done = member.post(f"/alerts/{alert['id']}/resolve", {"evaluation": "供应商延误", "decision": "continue"})
        assert done.status_code == 200, done.content
    bell = owner.get("/me/notifications?unread=true").json()
    overdue = [n for n in bell if n["kind"] == "alert" and "T001" in n["title"]]
    assert len(overdue) == 1, [n["title"] for n in bell]
    assert overdue[0]["count"] == 3
    assert Delivery.objects.filter(channel="webhook", kind="alert").count() == 1
    assert Delivery.objects.filter(channel="email", kind="alert", recipient=users["owner"]).count() == 1
    # Read, then repeated again: still one item, no new ping.
    assert owner.post("/me/notifications/read", {"ids": [overdue[0]["id"]]}).json() == {"marked": 1}
    with django_capture_on_commit_callbacks(execute=True):
        member.post(f"/campaigns/{campaign.id}/alerts/evaluate")
    assert owner.get("/me/notifications?unread=true").json() == []
    (again,) = [n for n in owner.get("/me/notifications").json() if n["kind"] == "alert" and "T001" in n["title"]]
    assert again["count"] == 4


def test_the_inbox_page_shows_one_entry_with_its_count_and_the_bell_counts_it_once(users, campaign):
    for days in (2, 3, 4):
        notifications.notify(
            kind="alert",
            title=f"任务 T001 已逾期 {days} 天。",
            campaign=campaign,
            recipients=[users["owner"]],
            group_key=f"alert:{campaign.pk}:task_overdue:task:1",
        )
    client = Client()
    client.force_login(users["owner"])
    page = client.get("/inbox/").content.decode()
    assert page.count("任务 T001 已逾期") == 1 and "已逾期 4 天" in page  # the newest text
    assert "同一预警 ×3" in page
    assert '<span class="count" data-testid="unread-count">1</span>' in page


def test_told_more_than_the_repeat_period_ago_and_read_a_new_entry_is_made(users, campaign, settings):
    settings.NOTIFICATION_REPEAT_HOURS = 24
    key = f"alert:{campaign.pk}:budget_over:budget_line:9"
    (first,) = notifications.notify(
        kind="alert", title="超支", campaign=campaign, recipients=[users["owner"]], group_key=key
    )
    Notification.objects.filter(pk=first.pk).update(
        read_at=timezone.now(), created_at=timezone.now() - dt.timedelta(hours=25)
    )
    (second,) = notifications.notify(
        kind="alert", title="超支", campaign=campaign, recipients=[users["owner"]], group_key=key
    )
    assert second.pk != first.pk
    # Another event (another subject) is never folded into it.
    other = notifications.notify(
        kind="alert", title="超支", campaign=campaign, recipients=[users["owner"]], group_key=key + "0"
    )
    assert len(other) == 1
    assert Notification.objects.get(pk=second.pk).count == 1
