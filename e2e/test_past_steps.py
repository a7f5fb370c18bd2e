"""A campaign from a playbook starting in 3 days: the preview warns that steps' dates are past and offers
the choice (rescheduled dates by default), and the choice made is the one the campaign is created with."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from e2e.conftest import fill_new_campaign, login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_preview_warns_of_past_steps_and_offers_the_choice(page, owner):
    from django.utils import timezone

    today = timezone.localdate()
    login(page, "wangjl", PASSWORD)
    page.click("[data-testid=new-campaign]")
    start, end = today + dt.timedelta(days=3), today + dt.timedelta(days=30)
    fill_new_campaign(page, "三天后开幕的发布会", "enterprise-campaign", start, end)

    warning = page.locator("[data-testid=past-steps]")
    expect(warning).to_contain_text("活动准备期不足")
    expect(warning).to_contain_text("需求发起与目标确认")
    expect(page.locator("[data-testid=past-reschedule]")).to_be_checked()
    first = page.locator("[data-testid=preview-table] tr", has_text="需求发起与目标确认")
    expect(first).to_have_class("row-past")
    expect(first.locator("del")).to_have_count(1)  # the playbook's date, struck through
    shot(page, "past-steps-01-rescheduled")

    page.locator("[data-testid=past-keep]").check()
    expect(page.locator("[data-testid=past-keep]")).to_be_checked()
    first = page.locator("[data-testid=preview-table] tr", has_text="需求发起与目标确认")
    expect(first).to_contain_text("日期已过")
    expect(first.locator("del")).to_have_count(0)
    shot(page, "past-steps-02-kept")

    page.locator("[data-testid=past-reschedule]").check()
    expect(page.locator("[data-testid=preview-table] tr", has_text="需求发起与目标确认").locator("del")).to_have_count(
        1
    )
    # The radios sit beside the form (form="campaign-form"): the choice made last is what is submitted.
    page.locator("[data-testid=past-keep]").check()
    expect(page.locator("[data-testid=preview-table] tr", has_text="需求发起与目标确认")).to_contain_text("日期已过")
    page.click("[data-testid=create-campaign]")
    expect(page.locator("[data-testid=campaign-name]")).to_contain_text("三天后开幕的发布会")
    due = page.locator("[data-testid=due-T001]").inner_text().strip()
    assert due < today.isoformat(), due  # kept as the playbook gives it
    assert page.console_errors == []
