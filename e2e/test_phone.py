"""The daily loops on a phone (390×844, touch, zh-CN) on the demo: Today → stand-up → today's numbers (1.2万)
→ approve a budget request → resolve an alert. After each step no page is wider than the screen and the
main actions are thumb-sized."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "CampaignFlow2025"
PHONE_UA = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36"
)
OVERFLOW = "() => document.documentElement.scrollWidth <= window.innerWidth"
HEIGHTS = "els => els.filter(e => e.offsetParent).map(e => [e.textContent.trim(), e.getBoundingClientRect().height])"


@pytest.fixture
def demo(transactional_db):
    """The demo, with what a phone morning looks like: 线下门店 (王经理's channel) has no numbers yet today
    and the campaign's budget revision waits for finance."""
    call_command("load_demo", stdout=io.StringIO())
    from campaignflow.accounts.models import User
    from campaignflow.budgets.models import Budget
    from campaignflow.campaigns.models import Campaign
    from campaignflow.tracking.models import MetricRow

    campaign = Campaign.objects.get(name="冬季新品焕新季促销")
    MetricRow.objects.filter(campaign_id=campaign.pk, date=timezone.localdate(), channel="线下门店").delete()
    Budget.objects.filter(campaign=campaign).update(
        status="submitted", submitted_by=User.objects.get(username="wangjl")
    )
    return campaign


def _phone(browser, live_server, username: str):
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
        user_agent=PHONE_UA,
        device_scale_factor=2,
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    page.base = live_server.url
    page.goto(page.base + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    page.goto(page.base + "/")  # a phone starts at Today
    expect(page).to_have_url(page.base + "/today/")
    return page


def _fits(page, name: str, actions: str) -> None:
    """No sideways scrolling of the page, the main actions (`actions`, a selector) at least 40 px tall."""
    page.wait_for_load_state("networkidle")
    shot(page, f"phone-{name}")
    assert page.evaluate(OVERFLOW), f"{name}: the page is wider than the screen"
    heights = page.eval_on_selector_all(actions, HEIGHTS)
    assert heights, f"{name}: no action matches {actions}"
    small = [(text, h) for text, h in heights if h < 40]
    assert not small, f"{name}: tap targets under 40 px: {small}"


def test_the_daily_loops_on_a_phone(browser, live_server, demo, settings):
    from campaignflow.alerts.models import Alert
    from campaignflow.budgets.models import Budget
    from campaignflow.execution.models import Standup
    from campaignflow.tracking.models import MetricRow

    settings.AXES_ENABLED = False
    page = _phone(browser, live_server, "wangjl")
    _fits(page, "today", ".today-act, .today-open, .tabbar a")
    expect(page.locator("[data-testid=today-numbers]")).to_contain_text("线下门店")

    # the stand-up: not done needs its reason (the desktop's rule), then it is saved
    page.locator(f"[data-testid=standup-{demo.pk}] .today-act").click()
    _fits(page, "standup", ".today-submit, .today-back")
    page.fill("#id_done", "门店物料已到位，直播脚本定稿")
    page.fill("#id_not_done", "抖音达人档期")
    page.click("[data-testid=standup-save]")
    expect(page.locator(".field-error")).to_contain_text("原因")
    page.fill("#id_not_done_reason", "达人临时改期到周二")
    page.click("[data-testid=standup-save]")
    expect(page).to_have_url(page.base + "/today/")
    expect(page.locator(f"[data-testid=standup-{demo.pk}]")).to_contain_text("已写")
    assert Standup.objects.get(campaign=demo, date=timezone.localdate(), user__username="wangjl").not_done_reason

    # today's numbers of 线下门店, the first typed as people write it
    page.locator("[data-testid='numbers-线下门店'] .today-act").click()
    _fits(page, "numbers", ".today-submit, input[inputmode=decimal]")
    card = page.locator("[data-testid='card-线下门店']")
    inputs = card.locator("input[inputmode=decimal]")
    inputs.nth(0).fill("1.2万")
    for i in range(1, inputs.count()):
        inputs.nth(i).fill(str(100 * i))
    shot(page, "phone-numbers-typed")
    page.click("[data-testid=numbers-save]")
    expect(page).to_have_url(page.base + "/today/")
    expect(page.locator("[data-testid=today-numbers]")).not_to_contain_text("线下门店")
    row = MetricRow.objects.get(campaign_id=demo.pk, date=timezone.localdate(), channel="线下门店", metric="曝光")
    assert row.value == Decimal(12000)
    alert = Alert.objects.filter(campaign=demo).exclude(status="resolved").exclude(severity="info").first()
    page.context.close()

    # finance approves the budget request from Today
    page = _phone(browser, live_server, "zhaocw")
    budget = Budget.objects.get(campaign=demo)
    expect(page.locator(f"[data-testid=approval-budget-{budget.pk}]")).to_be_visible()
    page.locator(f"[data-testid=approval-budget-{budget.pk}] .today-act").click()
    _fits(page, "approvals", ".today-buttons .btn, .today-back")
    page.locator(f"#approval-budget-{budget.pk} [data-testid=approve]").click()
    expect(page.locator(".msg-success")).to_contain_text("预算已批准")
    assert Budget.objects.get(pk=budget.pk).status == "approved"
    page.context.close()

    # the campaign owner resolves an alert with its evaluation
    page = _phone(browser, live_server, "wangjl")
    page.locator(f"[data-testid=alert-{alert.pk}]").click()
    form = page.locator(f"#resolve-form-{alert.pk}")
    expect(form).to_be_visible()
    _fits(page, "alert", f"#alert-{alert.pk} .alert-resolve, #alert-{alert.pk} summary")
    form.locator("textarea[name=evaluation]").fill("站会提醒已发到群里，明天起每天 10 点前提交")
    form.locator("select[name=decision]").select_option("continue")
    form.locator(".alert-resolve").click()
    expect(page.locator(".msg-success")).to_be_visible()
    assert page.evaluate(OVERFLOW)
    shot(page, "phone-alert-resolved")
    assert Alert.objects.get(pk=alert.pk).status == "resolved"

    # the board: the core KPIs' gauges first, readable at the phone's width; turned sideways, they redraw
    page.goto(f"{page.base}/campaigns/{demo.pk}/board/")
    gauge = page.locator(".kpi-core .gauge canvas").first
    expect(gauge).to_be_visible()
    _fits(page, "board", ".tabbar a")
    assert page.locator(".kpi-card").first.evaluate("el => el.classList.contains('kpi-core')")
    page.set_viewport_size({"width": 844, "height": 390})
    page.wait_for_function(
        "() => document.querySelector('.kpi-core .gauge canvas').getBoundingClientRect().width > 200"
    )
    shot(page, "phone-board-sideways")
    assert page.evaluate(OVERFLOW)
    page.context.close()


def test_today_on_a_desktop_keeps_the_campaign_list_as_start(page, demo):
    from e2e.conftest import login

    login(page, "wangjl", PASSWORD)
    page.goto(page.base + "/")
    expect(page).to_have_url(page.base + "/campaigns/")
    page.click("[data-testid=nav-today]")
    expect(page.locator("[data-testid=today-numbers]")).to_contain_text("线下门店")
    expect(page.locator("[data-testid=tabbar]")).to_be_hidden()
    shot(page, "desktop-today")
    assert page.evaluate(OVERFLOW)
    assert page.console_errors == []
