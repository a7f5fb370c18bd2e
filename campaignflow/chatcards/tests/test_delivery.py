"""Notifications to a person's chat app: queued beside inbox and e-mail for the people linked at a configured app
(their per-kind switch respected), sent through the platform's documented messaging API as an interactive card —
asserted on the calls the local platform server received."""

from __future__ import annotations

import json

import pytest

from campaignflow.chatcards.models import ActionToken
from campaignflow.notifications.models import Delivery, DeliveryStatus, Preference

from .conftest import overrun

pytestmark = pytest.mark.django_db

SEND_PATHS = {
    "dingtalk": "/topapi/message/corpconversation/asyncsend_v2",
    "feishu": "/open-apis/im/v1/messages",
    "wecom": "/cgi-bin/message/send",
}


def test_an_overrun_reaches_the_director_as_a_card_with_approve_and_reject(platform, team, users, send_cards):
    expense = send_cards(lambda: overrun(team, users["member"]))
    chat = Delivery.objects.get(channel="chatapp", kind="approval")
    assert chat.recipient == users["director"] and chat.status == DeliveryStatus.SENT
    assert chat.target == expense
    (call,) = [c for c in platform.server.calls_to(SEND_PATHS[platform.id]) if _to_director(platform, c)]
    tokens = ActionToken.objects.filter(recipient=users["director"], target_id=expense.pk)
    assert sorted(tokens.values_list("action", flat=True)) == ["expense.approve", "expense.reject"]
    assert {t.target_version for t in tokens} == {expense.version} and {t.platform for t in tokens} == {platform.id}
    body = call.body
    if platform.id == "dingtalk":  # the documented work notification: an ActionCard of links
        assert body["agent_id"] == int(platform.server.agent_id) and body["userid_list"] == "zhangwei"
        card = body["msg"]["action_card"]
        assert body["msg"]["msgtype"] == "action_card" and card["btn_orientation"] == "1"
        titles = [b["title"] for b in card["btn_json_list"]]
        assert titles[:2] == ["批准", "驳回"]
        assert all(b["action_url"].startswith("http://testserver/chat/act/") for b in card["btn_json_list"][:2])
        assert "超支" in card["title"] and "星图代理" in card["markdown"]
    elif platform.id == "feishu":  # an interactive message to the union_id; approve calls back with our token
        assert call.query == {"receive_id_type": "union_id"}
        assert body["receive_id"] == platform.subject("zhangwei") and body["msg_type"] == "interactive"
        card = json.loads(body["content"])
        buttons = card["elements"][-1]["actions"]
        assert buttons[0]["text"]["content"] == "批准" and set(buttons[0]["value"]) == {"cf_token"}
        assert buttons[1]["text"]["content"] == "驳回" and buttons[1]["url"].startswith("http://testserver/chat/act/")
        assert "超支" in card["header"]["title"]["content"]
    else:  # a button_interaction template card; approve's key is our token
        assert body["touser"] == "zhangwei" and body["msgtype"] == "template_card"
        assert body["agentid"] == int(platform.server.agent_id)
        card = body["template_card"]
        assert card["card_type"] == "button_interaction" and card["task_id"].startswith("cf-")
        approve, reject = card["button_list"]
        assert approve["text"] == "批准" and approve["type"] == 0 and len(approve["key"]) >= 32
        assert reject["type"] == 1 and reject["url"].startswith("http://testserver/chat/act/")
    # the raw token is in the card only: the database keeps its SHA-256
    assert not ActionToken.objects.filter(token_hash__in=[json.dumps(body)]).exists()


def test_only_people_linked_at_a_configured_app_get_chat_messages(platform, team, users, send_cards):
    users["director"].external_identities.all().delete()
    send_cards(lambda: overrun(team, users["member"]))
    assert not Delivery.objects.filter(channel="chatapp", kind="approval").exists()
    assert Delivery.objects.filter(channel="email", recipient=users["director"]).count() == 0  # no address set
    assert not [c for c in platform.server.calls_to(SEND_PATHS[platform.id]) if _to_director(platform, c)]


def test_the_chat_app_switch_of_a_kind_is_respected(feishu, team, users, send_cards):
    Preference.objects.create(user=users["director"], kind="approval", inapp=True, email=True, chatapp=False)
    send_cards(lambda: overrun(team, users["member"]))
    assert not Delivery.objects.filter(channel="chatapp", kind="approval").exists()


def test_no_chat_message_without_a_configured_app(settings, team, users, django_capture_on_commit_callbacks):
    from campaignflow.signin.models import ExternalIdentity

    ExternalIdentity.objects.create(user=users["director"], method="feishu", subject="on_x")
    settings.FEISHU_APP_ID = ""
    with django_capture_on_commit_callbacks(execute=True):
        overrun(team, users["member"])
    assert not Delivery.objects.filter(channel="chatapp", kind="approval").exists()


def test_a_refused_send_is_retried_like_any_delivery(feishu, team, users, send_cards):
    feishu.server.fail_next("/open-apis/im/v1/messages", "im_message_invalid_receive_id")
    send_cards(lambda: overrun(team, users["member"]))
    chat = Delivery.objects.get(channel="chatapp", kind="approval")
    assert chat.status == DeliveryStatus.FAILED and chat.attempts == 1 and "230013" in chat.last_error


def test_an_alert_card_offers_acknowledge(wecom, team, users, send_cards):
    from campaignflow.alerts.engine import _notify
    from campaignflow.alerts.models import Alert

    alert = Alert.objects.create(campaign=team, rule="budget_over_plan", subject="total", message="预算超支 12%")
    send_cards(lambda: _notify(team, [alert]))
    (sent,) = [m for m in wecom.server.messages if m.userid == "lina"]  # the manager
    assert [b["text"] for b in sent.card["button_list"]] == ["确认"]


def _to_director(platform, call) -> bool:
    body = call.body
    to = body.get("userid_list") or body.get("receive_id") or body.get("touser")
    return to == platform.subject("zhangwei") or to == "zhangwei"


def test_a_card_speaks_its_recipients_language(feishu, team, users, send_cards):
    """The director reads English: the card's title and its buttons are English (the text and the buttons
    are said for the recipient when it is sent, notifications.texts)."""
    users["director"].language = "en"
    users["director"].save(update_fields=["language"])
    send_cards(lambda: overrun(team, users["member"]))
    (call,) = [c for c in feishu.server.calls_to(SEND_PATHS["feishu"]) if _to_director(feishu, c)]
    card = json.loads(call.body["content"])
    buttons = [b["text"]["content"] for b in card["elements"][-1]["actions"]]
    assert buttons[:2] == ["Approve", "Reject"]
    assert "Overrun" in card["header"]["title"]["content"]
