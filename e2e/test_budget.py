"""Budget in the browser: the owner adds lines (typing 万) and submits, the finance user approves."""

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD, make_user
from e2e.conftest import add_budget_lines, log_out, login, new_campaign, shot, start_budget

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def setup(transactional_db):
    from campaignflow.accounts.models import Role
    from campaignflow.campaigns.models import Membership

    owner = make_user("wangjl", display_name="王经理")
    finance = make_user("zhaocw", Role.FINANCE, display_name="赵财务")
    campaign = new_campaign(owner, "冬季新品焕新季促销", "2026-11-10", "2026-12-10", "50万")
    Membership.objects.create(campaign=campaign, user=finance, role="viewer")
    return campaign


def test_owner_submits_and_finance_approves(page, setup):
    campaign = setup
    login(page, "wangjl", PASSWORD)
    page.goto(f"{page.base}/campaigns/{campaign.id}/")
    # Status values, not labels: the zh-Hans translations of this app's strings come later.
    start_budget(
        page,
        (
            ("channel", "小红书KOC合作", "8万"),
            ("materials", "直播场景搭建", "20,000"),
            ("contingency", "应急预备金", "1.2万"),
        ),
    )
    expect(page.locator("[data-testid=planned-total]")).to_have_text("¥11.2万")
    expect(page.locator("[data-testid=contingency]")).to_contain_text("10.7%")
    expect(page.locator("[data-testid=budget-chart] canvas")).to_have_count(1)
    # A bad amount is refused with the field's message and nothing is written.
    page.select_option("#id_budget_line", index=1)
    page.fill("#id_amount", "-5")
    page.fill("#id_date", "2026-11-12")
    page.click("[data-testid=add-expense]")
    expect(page.locator("[data-testid=expense-form] .field-error")).to_be_visible()
    shot(page, "budget-01-owner-draft")
    page.fill("input[name=comment]", "按预算分配表提交")
    page.click("[data-testid=submit-budget]")
    expect(page.locator("[data-testid=budget-status]")).to_have_attribute("data-status", "submitted")
    expect(page.locator("[data-testid=approve-budget]")).to_have_count(0)
    log_out(page)

    login(page, "zhaocw", PASSWORD)
    page.goto(f"{page.base}/campaigns/{campaign.id}/budget/")
    page.fill("[data-testid=approval-comment]", "同意")
    shot(page, "budget-02-finance-approves")
    page.click("[data-testid=approve-budget]")
    expect(page.locator("[data-testid=budget-status]")).to_have_attribute("data-status", "approved")
    expect(page.locator("[data-testid=budget-history]")).to_contain_text("同意")
    shot(page, "budget-03-approved")
    assert page.console_errors == []


def test_owner_corrects_an_expense_and_finance_approves_it_again(page, setup):
    """An approved expense corrected in the form is 已更正 and waits for finance again (issue 19)."""
    from campaignflow.budgets.models import Expense

    campaign = setup
    login(page, "wangjl", PASSWORD)
    page.goto(f"{page.base}/campaigns/{campaign.id}/budget/")
    add_budget_lines(page, (("channel", "小红书KOC合作", "8万"), ("contingency", "应急预备金", "1万")))
    page.select_option("#id_budget_line", index=1)
    page.fill("#id_amount", "3000")
    page.fill("#id_date", "2026-11-12")
    page.click("[data-testid=add-expense]")
    expense = Expense.objects.get()
    page.click(f"[data-testid=edit-expense-{expense.pk}]")
    page.fill("#id_amount", "-1")
    page.click("[data-testid=save-expense]")
    expect(page.locator("[data-testid=expense-edit-form] .field-error")).to_be_visible()
    page.fill("#id_amount", "2,800")
    page.fill("#id_note", "发票金额更正")
    page.click("[data-testid=save-expense]")
    expect(page.locator(f"[data-testid=corrected-{expense.pk}]")).to_be_visible()
    expect(page.locator("[data-testid=actual-total]")).to_have_text("¥0")
    shot(page, "budget-04-expense-corrected")
    page.click(f"[data-testid=corrected-{expense.pk}]")
    expect(page.locator("[data-testid=expense-history]")).to_contain_text(
        "¥3,000 → ¥2,800"
    )  # the history in words: money as the page writes it
    shot(page, "budget-05-expense-history")
    log_out(page)

    login(page, "zhaocw", PASSWORD)
    page.goto(f"{page.base}/campaigns/{campaign.id}/budget/")
    page.click(f"[data-testid=approve-correction-{expense.pk}]")
    expect(page.locator("[data-testid=actual-total]")).to_have_text("¥2,800")
    assert page.console_errors == []
