"""The notifications API's JSON, field by field and in order: the inbox, webhooks and the delivery log."""

from campaignflow.notifications import services
from tests.support.api_shapes import call, same

CLOCK = {"created_at", "read_at", "next_attempt_at", "campaign"}

WEBHOOK = {
    "id": "<int>",
    "name": "市场部钉钉群",
    "kind": "dingtalk",
    "url": "https://oapi.dingtalk.com/robot/send?access_token=abc",
    "has_secret": True,
    "events": ["alert", "sla_breach"],
    "active": True,
    "version": 1,
}

DELIVERY = {
    "id": "<int>",
    "channel": "webhook",
    "kind": "other",
    "title": "CampaignFlow 测试消息",
    "status": "pending",
    "attempts": 0,
    "last_error": "",
    "response_status": None,
    "created_at": "<str>",
    "sent_at": None,
    "next_attempt_at": "<str>",
}


def test_inbox_json(api_for, users, campaign):
    services.notify(
        kind="task_overdue", title="T002 已逾期", body="请跟进", campaign=campaign, recipients=[users["member"]]
    )
    api = api_for(users["member"])
    entry = {
        "id": "<int>",
        "kind": "task_overdue",
        "title": "T002 已逾期",
        "body": "请跟进",
        "url": "",
        "campaign": "<int>",
        "created_at": "<str>",
        "read_at": None,
        "count": 1,
    }
    same(call(api, "get", "/me/notifications", clock=CLOCK), (200, [entry]))
    same(call(api, "post", "/me/notifications/read", {}), (200, {"marked": 1}))
    same(call(api, "get", "/me/notifications", clock=CLOCK), (200, [entry | {"read_at": "<str>"}]))
    same(call(api, "get", "/me/notifications", {"unread": True}), (200, []))
    prefs = {"preferences": {"alert": {"inapp": False, "email": True}}}
    same(call(api, "put", "/me/notification-preferences", prefs), (200, {"saved": 1}))


def test_webhook_json(api_for, users, campaign):
    owner = api_for(users["owner"])
    base = f"/campaigns/{campaign.id}/webhooks"
    create = {
        "name": "市场部钉钉群",
        "kind": "dingtalk",
        "url": "https://oapi.dingtalk.com/robot/send?access_token=abc",
        "secret": "SEC1",
        "events": ["alert", "sla_breach"],
    }
    same(call(owner, "post", base, create), (201, WEBHOOK))
    same(call(owner, "get", base), (200, [WEBHOOK]))
    webhook_id = owner.get(base).json()[0]["id"]
    change = {"version": 1, "name": "钉钉群", "secret": "", "events": [], "active": False}
    patched = WEBHOOK | {"name": "钉钉群", "has_secret": False, "events": [], "active": False, "version": 2}
    same(call(owner, "patch", f"/webhooks/{webhook_id}", change), (200, patched))
    same(call(owner, "post", f"/webhooks/{webhook_id}/test", clock=CLOCK), (202, DELIVERY))
    same(call(owner, "get", f"/campaigns/{campaign.id}/deliveries", clock=CLOCK), (200, [DELIVERY]))
    same(call(owner, "delete", f"/webhooks/{webhook_id}"), (204, None))


def test_a_patch_keeps_the_webhook_kind_and_the_fields_not_sent(api_for, users, campaign):
    owner = api_for(users["owner"])
    made = owner.post(
        f"/campaigns/{campaign.id}/webhooks",
        {"name": "群", "kind": "dingtalk", "url": "https://oapi.dingtalk.com/robot/send?access_token=abc"},
    ).json()
    patched = owner.patch(f"/webhooks/{made['id']}", {"version": 1, "kind": "slack", "active": False}).json()
    assert patched == made | {"active": False, "version": 2}
    too_long = owner.patch(f"/webhooks/{made['id']}", {"version": 2, "name": "长" * 101})
    assert too_long.status_code == 422 and "name" in too_long.json()["detail"]
