"""Notification API: inbox, preferences, webhook endpoints and their validation."""

import pytest

from campaignflow.notifications import services
from campaignflow.notifications.models import Notification, WebhookEndpoint


def test_inbox_and_mark_read(api_for, users, campaign):
    services.notify(kind="task_overdue", title="T002 已逾期", campaign=campaign, recipients=[users["member"]])
    api = api_for(users["member"])
    items = api.get("/me/notifications", {"unread": True}).json()
    assert [i["title"] for i in items] == ["T002 已逾期"]
    assert api.post("/me/notifications/read", {}).json() == {"marked": 1}
    assert api.get("/me/notifications", {"unread": True}).json() == []


def test_preferences_and_mutes_are_honoured(api_for, users, campaign):
    api = api_for(users["member"])
    assert (
        api.put(
            "/me/notification-preferences", {"preferences": {"alert": {"inapp": False, "email": False}}}
        ).status_code
        == 200
    )
    services.notify(kind="alert", title="预警", campaign=campaign, recipients=[users["member"]])
    services.notify(kind="approval", title="审批", campaign=campaign, recipients=[users["member"]])
    assert list(Notification.objects.values_list("title", flat=True)) == ["审批"]
    services.mute(user=users["member"], campaign=campaign, muted=True)
    services.notify(kind="approval", title="再次审批", campaign=campaign, recipients=[users["member"]])
    assert Notification.objects.count() == 1


@pytest.mark.parametrize(
    ("url", "message_part"),
    [
        ("ftp://oapi.dingtalk.com/robot/send", "https://"),
        ("https://evil.example.com/hook", "oapi.dingtalk.com"),
        ("https://10.0.0.1/hook", "oapi.dingtalk.com"),
        ("javascript:alert(1)", "https://"),
    ],
)
def test_webhook_url_must_be_http_to_an_allowed_host(api_for, users, campaign, url, message_part):
    response = api_for(users["owner"]).post(
        f"/campaigns/{campaign.id}/webhooks", {"name": "群机器人", "kind": "dingtalk", "url": url}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "url"
    assert message_part in response.json()["detail"]
    assert WebhookEndpoint.objects.count() == 0


def test_webhook_crud_and_access(api_for, users, campaign):
    owner = api_for(users["owner"])
    robot = {"name": "市场部钉钉群", "kind": "dingtalk", "url": "https://oapi.dingtalk.com/robot/send?access_token=abc"}
    made = owner.post(
        f"/campaigns/{campaign.id}/webhooks", {**robot, "secret": "SEC1", "events": ["alert", "sla_breach"]}
    )
    assert made.status_code == 201 and made.json()["has_secret"] is True and "secret" not in made.json()
    assert api_for(users["member"]).get(f"/campaigns/{campaign.id}/webhooks").status_code == 403
    assert api_for(users["outsider"]).patch(f"/webhooks/{made.json()['id']}", {"version": 1}).status_code == 404
    bad_event = owner.patch(f"/webhooks/{made.json()['id']}", {"version": 1, "events": ["nonsense"]})
    assert bad_event.status_code == 422
    paused = owner.patch(f"/webhooks/{made.json()['id']}", {"version": 1, "active": False})
    assert paused.json()["active"] is False
    assert owner.delete(f"/webhooks/{made.json()['id']}?version=1").status_code == 409  # paused since: version 2
    assert owner.delete(f"/webhooks/{made.json()['id']}").status_code == 204
    from campaignflow.core.models import AuditEntry

    deleted = AuditEntry.objects.get(action="delete", object_type="notifications.webhookendpoint")
    assert deleted.before["secret"] == "***" and deleted.before["name"] == "市场部钉钉群"  # the secret is not kept
