"""The signed action page (/chat/act/<token>/): DingTalk's ActionCard buttons and every platform's fallback. Opening it
inside DingTalk while signed out signs the person in through the in-app 免登 (the local DingTalk server's code) and
comes back; the page shows one confirm button; the POST acts as the signed-in person, once."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.test import Client

from campaignflow.budgets.models import Expense, ExpenseStatus
from campaignflow.chatcards.links import numbers_link
from campaignflow.core.models import AuditEntry
from conftest import logged_in

from .conftest import overrun

pytestmark = pytest.mark.django_db
DINGTALK_UA = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Mobile/15E148 AliApp(DingTalk/7.6.0) com.laiwang.DingTalk/38260231 Channel/201200 language/zh-Hans-CN"
)


@pytest.fixture
def card(dingtalk, team, users, send_cards):
    expense = send_cards(lambda: overrun(team, users["member"]))
    return expense, next(m for m in dingtalk.server.messages if m.userid == "zhangwei")


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def in_dingtalk_sign_in(client: Client, server, userid: str, target: str):
    """Open `target` signed out inside DingTalk: login → the in-app page → the JSAPI's code posted → back."""
    first = client.get(target)
    assert first.status_code == 302 and first["Location"].startswith("/login/?next=")
    login = client.get(first["Location"])
    assert login.status_code == 302 and login["Location"].startswith("/signin/app/?next=")
    page = client.get(login["Location"])
    assert page.status_code == 200 and b"in-app-form" in page.content
    code = server.issue_code(userid, kind="in_app")
    done = client.post(
        "/signin/dingtalk/app/", {"code": code, "csrfmiddlewaretoken": client.cookies["csrftoken"].value}
    )
    assert done.status_code == 302, done
    return done


def test_the_dingtalk_button_signs_in_inside_dingtalk_and_approves_once(card, dingtalk, users):
    expense, sent = card
    target = path_of(sent.button_url("批准"))
    client = Client(HTTP_USER_AGENT=DINGTALK_UA, HTTP_ACCEPT_LANGUAGE="zh-hans", enforce_csrf_checks=True)
    back = in_dingtalk_sign_in(client, dingtalk.server, "zhangwei", target)
    assert back["Location"] == target
    page = client.get(target)
    assert page.status_code == 200 and 'data-testid="act-confirm"' in page.content.decode()
    assert Expense.objects.get(pk=expense.pk).status == ExpenseStatus.HELD  # opening it does nothing
    token = client.cookies["csrftoken"].value
    done = client.post(target, {"csrfmiddlewaretoken": token})
    assert 'data-status="done"' in done.content.decode()
    assert Expense.objects.get(pk=expense.pk).decided_by == users["director"]
    assert AuditEntry.objects.get(action="approve_overrun").actor == users["director"]
    again = client.post(target, {"csrfmiddlewaretoken": token})
    assert 'data-status="already"' in again.content.decode() and "已处理" in again.content.decode()
    assert AuditEntry.objects.filter(action="approve_overrun").count() == 1


def test_reject_asks_for_a_reason_like_the_budget_page(card, users):
    expense, sent = card
    target = path_of(sent.button_url("驳回"))
    client = logged_in(users["director"])
    assert 'name="comment"' in client.get(target).content.decode()
    empty = client.post(target, {"comment": ""})
    assert empty.status_code == 403 and Expense.objects.get(pk=expense.pk).status == ExpenseStatus.HELD
    done = client.post(target, {"comment": "超出年度框架，暂缓"})
    assert 'data-status="done"' in done.content.decode()
    rejected = Expense.objects.get(pk=expense.pk)
    assert rejected.status == ExpenseStatus.REJECTED and rejected.decision_comment == "超出年度框架，暂缓"


def test_someone_else_signed_in_is_refused(card, users):
    expense, sent = card
    answer = logged_in(users["finance"]).post(path_of(sent.button_url("批准")))
    assert answer.status_code == 403 and Expense.objects.get(pk=expense.pk).status == ExpenseStatus.HELD


def test_an_unknown_token_is_not_found_and_signed_out_goes_to_the_login(users):
    assert logged_in(users["director"]).get("/chat/act/not-a-token/").status_code == 404
    answer = Client().get("/chat/act/not-a-token/")
    assert answer.status_code == 302 and answer["Location"].startswith("/login/?next=")


def _deep_links(campaign_id: int) -> list[str]:
    """The daily reminder's numbers form (with its channel filter) and a desktop page."""
    return [numbers_link(campaign_id, ["抖音", "小红书"]), f"/campaigns/{campaign_id}/budget/"]


def test_a_deep_link_opened_in_dingtalk_signed_out_ends_signed_in_on_that_page(dingtalk, team, users):
    for link in _deep_links(team.pk):
        client = Client(HTTP_USER_AGENT=DINGTALK_UA, HTTP_ACCEPT_LANGUAGE="zh-hans", enforce_csrf_checks=True)
        back = in_dingtalk_sign_in(client, dingtalk.server, "wangfang", link)
        assert back["Location"] == link  # the channel filter kept
        assert int(client.session["_auth_user_id"]) == users["member"].pk
        assert client.get(link).status_code == 200
