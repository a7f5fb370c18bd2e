"""The weekly report page in a browser (issue #18): the week's figures, the trend chart with 万 on its
axis, the PDF and copy-link actions; and the board's chart axes read 万 like the page."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from e2e.conftest import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Each drawn chart's value-axis labels, as ECharts formats them.
AXIS_LABELS = """sel => Array.from(document.querySelectorAll(sel)).map(el => {
  const out = [];
  echarts.getInstanceByDom(el).getModel().eachComponent('yAxis', a => out.push(...a.axis.getViewLabels().map(l => l.formattedLabel)));
  return out; })"""


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", stdout=io.StringIO())
    from campaignflow.campaigns.models import Campaign

    return Campaign.objects.get(name="冬季新品焕新季促销")


def test_weekly_report_shows_the_week_a_trend_and_share_actions(page, demo):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    login(page, "wangjl", "CampaignFlow2025")
    page.goto(f"{page.base}/campaigns/{demo.pk}/execution/reports/")
    page.click("[data-testid=generate-report]")
    figures = page.locator("[data-testid=week-figures]")
    expect(figures).to_contain_text("销售额")
    expect(figures.locator("thead")).to_contain_text("累计达成率")
    expect(figures.locator("[data-testid=this-week]").first).to_contain_text("¥")
    page.locator(
        "[data-testid=trend-chart] canvas"
    ).wait_for()  # wait_for_function evaluates a string: the CSP refuses it
    labels = page.evaluate(AXIS_LABELS, "[data-testid=trend-chart]")[0]
    assert any(label.endswith("万") for label in labels), labels
    assert page.get_attribute("[data-testid=weekly-pdf]", "href").startswith(
        f"/api/v1/campaigns/{demo.pk}/report.pdf?kind=weekly&week_start="
    )
    page.click("[data-testid=copy-link]")
    expect(page.locator("[data-testid=copy-link]")).to_have_text("链接已复制")
    assert page.evaluate("navigator.clipboard.readText()") == page.url
    shot(page, "weekly-report")
    assert page.console_errors == [], page.console_errors


def test_board_chart_axes_read_wan(page, demo):
    login(page, "wangjl", "CampaignFlow2025")
    page.goto(f"{page.base}/campaigns/{demo.pk}/board/")
    page.locator("[data-chart=cumulative] canvas").wait_for()
    labels = page.evaluate(AXIS_LABELS, "[data-chart=cumulative]")[0]
    assert any(label.endswith("万") for label in labels) and not any("," in label for label in labels), labels
