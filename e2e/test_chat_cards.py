"""A chat card's button on a phone (#23): the director opens an overrun's approve link from the group robot's card,
confirms on the action page (one button, no page wider than the screen), and the page says it is done; the
campaign's numbers reminder setting at desktop and phone widths."""

from __future__ import annotations

import pytest

from campaignflow.budgets import services as budget_services
from campaignflow.campaigns.models import Membership
from campaignflow.chatcards import services as card_services
from campaignflow.chatcards.actions import ACTIONS
from conftest import PASSWORD, make_user

from .conftest import new_campaign, shot

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "locale": "zh-CN"}


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.fixture
def waiting(owner):
    director = make_user("zhaozj", role="director", display_name="赵总监")
    campaign = new_campaign(owner, "双11 直播", "2025-10-01", "2025-11-30", "300000")
    Membership.objects.create(campaign=campaign, user=director, role="viewer")
    line = budget_services.line_create(
        actor=owner, campaign=campaign, data={"category": "channel", "item": "抖音投放", "planned": 10000}
    )
    expense = budget_services.expense_create(
        actor=owner,
        campaign=campaign,
        data={"budget_line": line.pk, "amount": 12000, "date": "2025-10-05", "payee": "星图代理"},
    )
    token = card_services.issue(
        card=card_services.new_card_id(),
        action=ACTIONS["expense.approve"],
        target=expense,
        recipient=None,
        platform="robot",
        title="超支待你审批：星图代理 ¥1.2万",
    )
    return campaign, expense, token


def test_the_director_approves_from_a_card_link_on_a_phone(browser, live_server, waiting, settings):
    settings.AXES_ENABLED = False
    _campaign, expense, token = waiting
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/chat/act/{token}/")
    page.fill("#id_username", "zhaozj")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=act-confirm]")
    assert fits(page)
    box = page.locator("[data-testid=act-confirm]").bounding_box()
    assert box["height"] >= 40
    shot(page, "chat_act_phone")
    page.click("[data-testid=act-confirm]")
    page.wait_for_selector("[data-testid=act-outcome][data-status=done]")
    assert "已批准" in page.inner_text("[data-testid=act-outcome]") and fits(page)
    shot(page, "chat_act_done_phone")
    expense.refresh_from_db()
    assert expense.status == "approved" and expense.decided_by.username == "zhaozj"
    context.close()


def test_the_reminder_setting_at_both_widths(page, browser, live_server, waiting):
    campaign, _expense, _token = waiting
    from .conftest import login

    login(page, "wangjl", PASSWORD)
    page.goto(f"{page.base}/campaigns/{campaign.pk}/execution/numbers-reminder/")
    page.fill("#reminder-time", "17:30")
    page.click("[data-testid=reminder-save]")
    page.wait_for_selector("text=提醒已保存")
    assert page.input_value("#reminder-time") == "17:30"
    shot(page, "numbers_reminder_desktop")
    phone = browser.new_context(**PHONE)
    phone.add_cookies(page.context.cookies())
    mobile = phone.new_page()
    mobile.goto(f"{page.base}/campaigns/{campaign.pk}/execution/numbers-reminder/")
    assert mobile.input_value("#reminder-time") == "17:30"
    shot(mobile, "numbers_reminder_phone")
    phone.close()
