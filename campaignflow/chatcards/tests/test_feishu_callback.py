"""Feishu's card callback (card.action.trigger) against the local Feishu server: the card the product sent, a click on
it signed and encrypted as Feishu documents (Encrypt Key made by the test server), and what the product answers —
done once as the person who clicked, refused for a wrong signature, a replay, an expired or stale card, someone
without the right, and an operator nobody is linked to."""

from __future__ import annotations

import datetime as dt
import json
import time

import pytest
from django.test import Client
from django.utils import timezone

from campaignflow.budgets.models import Expense, ExpenseStatus
from campaignflow.chatcards.models import ActionToken
from campaignflow.core.models import AuditEntry

from .conftest import overrun

pytestmark = pytest.mark.django_db
URL = "/chat/feishu/card/"


def post(request) -> object:
    extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in request.headers.items() if k != "Content-Type"}
    return Client().post(URL, request.body, content_type="application/json", **extra)


@pytest.fixture
def sent(feishu, team, users, send_cards):
    """The overrun's card as the director received it in Feishu."""
    expense = send_cards(lambda: overrun(team, users["member"]))
    card = next(m for m in feishu.server.messages if m.union_id == feishu.subject("zhangwei"))
    return expense, card


def decided(expense) -> Expense:
    return Expense.objects.get(pk=expense.pk)


def test_a_click_approves_once_as_the_director_and_answers_in_the_card(feishu, sent, users):
    expense, card = sent
    answer = post(feishu.server.card_click(card, "批准"))
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["toast"]["type"] == "success" and body["toast"]["content"] == "已批准"
    assert body["card"]["type"] == "raw" and body["card"]["data"]["header"]["template"] == "green"
    assert not any(e.get("tag") == "action" for e in body["card"]["data"]["elements"])  # no buttons left
    now = decided(expense)
    assert now.status == ExpenseStatus.APPROVED and now.decided_by == users["director"]
    entry = AuditEntry.objects.get(action="approve_overrun", object_id=str(expense.pk))
    assert entry.actor == users["director"]  # the person who clicked, never a bot
    card_buttons = ActionToken.objects.filter(target_id=expense.pk, action__startswith="expense.")
    assert set(card_buttons.values_list("used_by", flat=True)) == {users["director"].pk}  # reject is used up too


def test_a_replayed_click_is_already_handled_and_writes_nothing_twice(feishu, sent):
    expense, card = sent
    click = feishu.server.card_click(card, "批准")
    assert post(click).json()["toast"]["type"] == "success"
    entries = AuditEntry.objects.count()
    again = post(click)  # the same signed request once more
    assert again.status_code == 200 and again.json()["toast"]["content"] == "已处理。"
    fresh = post(feishu.server.card_click(card, "批准"))  # a new click on the same button
    assert fresh.json()["toast"]["type"] == "info"
    assert AuditEntry.objects.count() == entries and decided(expense).version == expense.version + 1


@pytest.mark.parametrize(
    "falsify",
    [
        {"signature": "0" * 64},
        {"encrypt_key": "another-key-of-someone-else"},
        {"timestamp": int(time.time()) - 301},  # older than five minutes
        {"sign": False},  # a click without the signature headers
        {"token": "wrong-verification-token"},
    ],
    ids=["wrong signature", "wrong key", "too old", "unsigned", "wrong token"],
)
def test_a_badly_signed_click_is_401_and_nothing_is_written(feishu, sent, falsify):
    expense, card = sent
    click = feishu.server.card_click(card, "批准", **{k: v for k, v in falsify.items() if k == "token"},
                                     **{k: v for k, v in falsify.items() if k != "token"})  # fmt: skip
    before = AuditEntry.objects.count()
    answer = post(click)
    assert answer.status_code == 401
    assert decided(expense).status == ExpenseStatus.HELD and AuditEntry.objects.count() == before
    assert not ActionToken.objects.filter(used_at__isnull=False).exists()


def test_an_expired_card_is_refused(feishu, sent):
    expense, card = sent
    ActionToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    body = post(feishu.server.card_click(card, "批准")).json()
    assert body["toast"]["type"] == "warning" and "已过期" in body["toast"]["content"]
    assert decided(expense).status == ExpenseStatus.HELD


def test_a_card_about_an_expense_changed_since_is_stale_with_a_link(feishu, sent, users):
    expense, card = sent
    Expense.objects.filter(pk=expense.pk).update(note="改过了", version=expense.version + 1)
    body = post(feishu.server.card_click(card, "批准")).json()
    assert body["toast"]["type"] == "warning" and "内容已变更，请打开查看" in body["toast"]["content"]
    link = body["card"]["data"]["elements"][-2]["actions"][0]
    assert link["url"] == f"http://testserver/campaigns/{expense.campaign_id}/budget/#expenses"
    assert decided(expense).status == ExpenseStatus.HELD and decided(expense).decided_by is None


def test_a_clicker_without_the_right_is_refused(feishu, sent, users):
    expense, card = sent
    users["director"].role = "member"  # no longer a director since the card was sent
    users["director"].save()
    body = post(feishu.server.card_click(card, "批准")).json()
    assert body["toast"]["type"] == "error" and "总监" in body["toast"]["content"]
    assert decided(expense).status == ExpenseStatus.HELD
    assert not ActionToken.objects.filter(used_at__isnull=False).exists()


def test_someone_else_clicking_the_directors_card_is_refused(feishu, sent, users):
    expense, card = sent
    body = post(feishu.server.card_click(card, "批准", userid="liuyang")).json()  # finance, a forwarded card
    assert body["toast"]["type"] == "error"
    assert decided(expense).status == ExpenseStatus.HELD


def test_an_operator_linked_to_nobody_is_refused(feishu, sent):
    expense, card = sent
    body = post(feishu.server.card_click(card, "批准", union_id="on_somebody_unknown")).json()
    assert body["toast"]["type"] == "error" and "飞书" in body["toast"]["content"]
    assert decided(expense).status == ExpenseStatus.HELD


def test_the_url_verification_challenge_is_answered(feishu):
    answer = post(feishu.server.url_verification("challenge-123"))
    assert answer.status_code == 200 and answer.json() == {"challenge": "challenge-123"}
    assert post(feishu.server.url_verification("x", token="not-ours")).status_code == 401


def test_the_callback_is_not_found_until_its_keys_are_set(feishu, settings):
    settings.FEISHU_ENCRYPT_KEY = ""
    assert Client().post(URL, json.dumps({"encrypt": "x"}), content_type="application/json").status_code == 404
    settings.FEISHU_ENCRYPT_KEY = "k"
    assert Client().get(URL).status_code == 405


def test_garbage_is_401_never_500(feishu):
    for body in (b"", b"{", b'{"encrypt": 5}', b'{"encrypt": "!!!"}', json.dumps({"encrypt": "QUJD" * 8}).encode()):
        assert Client().post(URL, body, content_type="application/json").status_code == 401, body
