"""Review a finished campaign (evaluation + retrospective), archive it, find it in the case library by a
Chinese query, and start a new campaign from it."""

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from e2e.conftest import login, new_campaign, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reviewing(owner):
    from campaignflow.campaigns.models import Campaign
    from campaignflow.goals.models import Channel, Kpi
    from campaignflow.tracking import rollups
    from campaignflow.tracking.models import MetricRow

    description = "抖音官方账号直播3场，场均GMV20万元"
    campaign = new_campaign(
        owner,
        "618直播带货专场",
        "2025-06-01",
        "2025-06-18",
        "300000",
        description=description,
        playbook_key="online-event",
    )
    Kpi.objects.create(campaign=campaign, name="直播GMV", metric="GMV", unit="元", target=Decimal("200000"))
    Channel.objects.create(campaign=campaign, name="抖音", content_form="直播")
    for day, value in ((10, 80000), (11, 70000)):
        MetricRow.objects.create(
            campaign=campaign, date=dt.date(2025, 6, day), channel="抖音", metric="GMV", value=value
        )
    rollups.refresh(campaign.pk)  # rows written outside the ingestion service
    Campaign.objects.filter(pk=campaign.pk).update(status="reviewing")
    return campaign


def test_archive_find_and_start_from_a_case(page, reviewing):
    login(page, "wangjl", PASSWORD)
    page.goto(f"{page.base}/campaigns/{reviewing.pk}/review/")
    row = page.locator("[data-testid=evaluation-row]").first
    expect(row.locator("[data-testid=achievement]")).to_contain_text("75%")
    row.locator("[data-testid=analysis]").fill("活动话术未突出新品核心卖点，福袋吸引力不足")
    row.locator("[data-testid=improvement]").fill("优化直播脚本，增加“限时限量”话术，升级福袋奖品")
    row.locator("[data-testid=save-row]").click()
    expect(page.locator(".msg-success")).to_be_visible()
    page.fill("[data-testid=retro-worked]", "福袋引流有效，直播间停留时长提升")
    page.fill("[data-testid=retro-improve]", "直播脚本需提前彩排")
    page.fill("[data-testid=retro-assets]", "直播脚本模板 | https://example.com/script.docx")
    page.click("[data-testid=retro-complete]")
    expect(page.locator("[data-testid=retro-due]")).to_contain_text("2025-06-23")
    shot(page, "review-01-tab")

    page.goto(f"{page.base}/campaigns/{reviewing.pk}/")
    page.click("[data-testid=move-archived]")
    expect(page.locator("[data-testid=campaign-status]")).to_have_text("已归档")

    page.click("[data-testid=nav-cases]")
    page.fill("[data-testid=case-q]", "直播")
    page.click("[data-testid=case-submit]")
    card = page.locator("[data-testid=case-card]")
    expect(card).to_have_count(1)
    expect(card).to_contain_text("618直播带货专场")
    expect(card).to_contain_text("75%")
    shot(page, "review-02-cases")
    page.fill("[data-testid=case-q]", "团购")
    page.click("[data-testid=case-submit]")
    expect(page.locator("[data-testid=case-card]")).to_have_count(0)

    page.goto(f"{page.base}/campaigns/{reviewing.pk}/review/")
    page.fill("[data-testid=case-new-name]", "双11直播带货专场")
    page.fill("[data-testid=case-new-start]", "2025-11-01")
    page.click("[data-testid=case-start]")
    expect(page.locator("[data-testid=campaign-name]")).to_contain_text("双11直播带货专场")
    expect(page.locator("[data-testid=campaign-status]")).to_have_text("筹备中")
    shot(page, "review-03-new-from-case")
    assert not page.console_errors, page.console_errors
