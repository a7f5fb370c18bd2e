"""WeCom's app callback against the local WeCom server: the echostr check, and a click on a template card sent by the
product as the encrypted template_card_event WeCom POSTs (EncodingAESKey and token made by the test server); the
card is then updated through update_template_card with the click's ResponseCode."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.test import Client
from django.utils import timezone

from campaignflow.alerts.engine import _notify
from campaignflow.alerts.models import Alert, AlertStatus
from campaignflow.budgets.models import Expense, ExpenseStatus
from campaignflow.chatcards.models import ActionToken
from campaignflow.core.models import AuditEntry

from .conftest import overrun

pytestmark = pytest.mark.django_db
URL = "/chat/wecom/callback/"


def post(callback):
    return Client().post(f"{URL}?{_query(callback.query)}", callback.body, content_type="text/xml")


def _query(query: dict) -> str:
    from urllib.parse import urlencode

    return urlencode(query)


@pytest.fixture
def sent(wecom, team, users, send_cards):
    expense = send_cards(lambda: overrun(team, users["member"]))
    return expense, next(m for m in wecom.server.messages if m.userid == "zhangwei")


def test_the_url_check_answers_the_decrypted_echostr(wecom):
    callback, echo = wecom.server.echostr_check()
    answer = Client().get(URL, callback.query)
    assert answer.status_code == 200 and answer.content.decode() == echo


@pytest.mark.parametrize(
    "falsify",
    [{"signature": "0" * 40}, {"encoding_aes_key": "A" * 43}, {"timestamp": int(time.time()) - 600}],
    ids=["wrong signature", "wrong key", "too old"],
)
def test_a_badly_signed_url_check_is_401(wecom, falsify):
    callback, _echo = wecom.server.echostr_check(**falsify)
    assert Client().get(URL, callback.query).status_code == 401


def test_a_click_approves_once_as_the_clicker_and_updates_the_card(wecom, sent, users):
    expense, card = sent
    answer = post(wecom.server.template_card_click(card, "批准"))
    assert answer.status_code == 200 and answer.content == b""
    now = Expense.objects.get(pk=expense.pk)
    assert now.status == ExpenseStatus.APPROVED and now.decided_by == users["director"]
    assert AuditEntry.objects.get(action="approve_overrun").actor == users["director"]
    (update,) = card.updates
    assert update["userids"] == ["zhangwei"] and update["agentid"] == int(wecom.server.agent_id)
    assert update["button"] == {"replace_name": "已批准"}


def test_a_replayed_click_changes_nothing_and_says_already_handled(wecom, sent):
    expense, card = sent
    click = wecom.server.template_card_click(card, "批准")
    assert post(click).status_code == 200
    entries = AuditEntry.objects.count()
    assert post(wecom.server.template_card_click(card, "批准")).status_code == 200
    assert AuditEntry.objects.count() == entries
    assert card.updates[-1]["template_card"]["sub_title_text"] == "已处理。"
    assert Expense.objects.get(pk=expense.pk).version == expense.version + 1


@pytest.mark.parametrize(
    "falsify",
    [
        {"signature": "0" * 40},
        {"encoding_aes_key": "B" * 43},
        {"timestamp": int(time.time()) - 301},
        {"corp_id": "ww-another-company"},
    ],
    ids=["wrong signature", "wrong key", "too old", "another company"],
)
def test_a_badly_signed_click_is_401_and_nothing_is_written(wecom, sent, falsify):
    expense, card = sent
    before = AuditEntry.objects.count()
    assert post(wecom.server.template_card_click(card, "批准", **falsify)).status_code == 401
    assert Expense.objects.get(pk=expense.pk).status == ExpenseStatus.HELD and AuditEntry.objects.count() == before
    assert card.updates == []


def test_expired_stale_and_unknown_people_are_answered_in_the_card(wecom, sent, users):
    expense, card = sent
    ActionToken.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    post(wecom.server.template_card_click(card, "批准"))
    assert "已过期" in card.updates[-1]["template_card"]["sub_title_text"]
    ActionToken.objects.update(expires_at=timezone.now() + dt.timedelta(hours=1))
    Expense.objects.filter(pk=expense.pk).update(version=expense.version + 1)
    post(wecom.server.template_card_click(card, "批准"))
    stale = card.updates[-1]["template_card"]
    assert stale["sub_title_text"] == "内容已变更，请打开查看。"
    assert stale["card_action"]["url"].endswith(f"/campaigns/{expense.campaign_id}/budget/#expenses")
    wecom.server.add_user("stranger", name="路人")
    post(wecom.server.template_card_click(card, "批准", userid="stranger"))
    assert "企业微信" in card.updates[-1]["template_card"]["sub_title_text"]
    assert Expense.objects.get(pk=expense.pk).status == ExpenseStatus.HELD


def test_an_alert_is_acknowledged_from_its_card_with_the_managers_rights(wecom, team, users, send_cards):
    alert = Alert.objects.create(campaign=team, rule="budget_over_plan", subject="total", message="预算超支 12%")
    send_cards(lambda: _notify(team, [alert]))
    card = next(m for m in wecom.server.messages if m.userid == "lina")
    post(wecom.server.template_card_click(card, "确认"))
    alert.refresh_from_db()
    assert alert.status == AlertStatus.ACKNOWLEDGED and alert.acknowledged_by == users["manager"]
    entry = AuditEntry.objects.get(action="acknowledge")
    assert entry.actor == users["manager"] and entry.campaign_id == team.pk


def test_a_member_without_the_edit_right_cannot_acknowledge(wecom, team, users, send_cards):
    from campaignflow.campaigns.models import Membership

    alert = Alert.objects.create(campaign=team, rule="budget_over_plan", subject="total", message="预算超支 12%")
    send_cards(lambda: _notify(team, [alert]))
    Membership.objects.filter(campaign=team, user=users["manager"]).update(role="viewer")
    card = next(m for m in wecom.server.messages if m.userid == "lina")
    post(wecom.server.template_card_click(card, "确认"))
    alert.refresh_from_db()
    assert alert.status == AlertStatus.OPEN
    assert card.updates[-1]["template_card"]["sub_title_text"]
    assert not AuditEntry.objects.filter(action="acknowledge").exists()


def test_garbage_is_401_never_500(wecom):
    for body in (b"", b"<xml>", b"<xml><Encrypt>abc</Encrypt></xml>", b'<!DOCTYPE x [<!ENTITY a "b">]><xml>&a;</xml>'):
        answer = Client().post(
            f"{URL}?msg_signature=x&timestamp={int(time.time())}&nonce=1", body, content_type="text/xml"
        )
        assert answer.status_code == 401, body
