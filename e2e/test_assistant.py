"""The assistant in a browser (issue #24), against the fake OpenAI-compatible server on 127.0.0.1: the weekly
report editor's 生成草稿 fills the form as the draft streams in, with the model and the cited links; the plan
from a brief shows the draft's diff, applies it, and its KPIs are on the goals page. Screenshots at 1280 and
390 px."""

import datetime as dt
import json
import re

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from e2e.conftest import login, new_campaign, shot
from tests.support.openai_server import FakeOpenAI, Reply

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def fake_ai(settings):
    server = FakeOpenAI().start()
    settings.AI_BASE_URL = server.base_url
    settings.AI_API_KEY = "sk-e2e"
    settings.AI_MODEL = "fake-gpt"
    settings.AI_TIMEOUT = 10.0
    settings.AI_DAILY_TOKENS_PER_USER = settings.AI_DAILY_TOKENS_PER_CAMPAIGN = 100000
    yield server
    server.stop()


@pytest.fixture
def campaign(owner):
    from campaignflow.goals.services import kpi_create

    campaign = new_campaign(
        owner, "2025夏季新品促销", "2025-06-01", "2025-06-30", "500000", playbook_key="enterprise-campaign"
    )
    kpi = kpi_create(actor=owner, campaign=campaign, data={"name": "销售额", "metric": "销售额", "unit": "元",
                                                           "target": "300000"})  # fmt: skip
    campaign.sales_kpi = kpi
    return campaign


def _weekly(kpi_id: int) -> dict:
    return {
        "key_results": "本周销售额达成 12 万元，抖音渠道贡献最大，整体进度符合计划。",
        "delayed_tasks": "物料设计延后两天，已协调设计组加班。",
        "next_week_plan": "加大小红书种草投放，跟进会员拉新活动。",
        "resources": "需要市场部追加 2 万元投放预算。",
        "citations": [{"ref": f"kpi:{kpi_id}", "figure": "销售额 12 万元"}],
    }


def _plan(task_code: str, kpi_id: int) -> dict:
    return {
        "kpis": [
            {"name": "新增会员", "metric": "新增会员", "unit": "人", "target": 3000, "specific": "一线城市年轻女性新会员",
             "deadline": "2025-06-30"},
            {"name": "小红书曝光", "metric": "曝光", "unit": "次", "target": 2000000},
        ],
        "channels": [{"name": "抖音", "content_form": "短视频", "share": 0.6},
                     {"name": "小红书", "content_form": "图文种草", "share": 0.4}],
        "budget": [
            {"category": "channel", "item": "抖音信息流投放", "planned": 255000, "channel": "抖音"},
            {"category": "materials", "item": "物料制作", "planned": 170000},
            {"category": "contingency", "item": "应急预备金", "planned": 75000},
        ],
        "task_adjustments": [{"code": task_code, "start_date": "2025-05-20", "end_date": "2025-05-25",
                              "remark": "提前启动以配合618"}],
        "rationale": "按简报：年轻女性、预算50万、以会员拉新为核心目标。",
        "citations": [{"ref": f"kpi:{kpi_id}", "figure": "销售额目标 30 万元"}],
    }  # fmt: skip


def _screens(page, name: str) -> None:
    for label, size in WIDTHS.items():
        page.set_viewport_size(size)
        page.evaluate("window.scrollTo(0, 0)")
        shot(page, f"assistant-{name}-{label}")
    page.set_viewport_size(WIDTHS["desktop"])


def test_weekly_draft_streams_into_the_report_form(page, owner, campaign, fake_ai):
    from campaignflow.execution.models import WeeklyReport

    report = WeeklyReport.objects.create(campaign=campaign, week_start=dt.date(2025, 6, 9))
    fake_ai.answer(Reply(content=json.dumps(_weekly(campaign.sales_kpi.pk), ensure_ascii=False), chunk_delay=0.15))
    page.set_viewport_size(WIDTHS["desktop"])
    login(page, owner.username, PASSWORD)
    page.goto(f"{page.base}/campaigns/{campaign.pk}/execution/reports/{report.pk}/")
    page.click("[data-testid=assist-run]")
    key_results = page.locator("#report-form [name=key_results]")
    status = page.locator("[data-assist-status]")
    # while the stream is still coming: the first field is filling, the status says it is writing
    expect(key_results).to_have_value(re.compile("本周销售额"))
    assert page.locator("#report-form [name=resources]").input_value() == ""
    expect(status).to_have_text("AI 助手正在根据本活动数据起草…")
    expect(page.locator("[data-testid=assist-preview]")).to_contain_text("key_results")
    expect(page.locator("[data-testid=assist-model]")).to_contain_text("fake-gpt")
    expect(key_results).to_have_value(_weekly(0)["key_results"])
    expect(page.locator("#report-form [name=resources]")).to_have_value(_weekly(0)["resources"])
    link = page.locator("[data-testid=assist-citations] a")
    expect(link).to_have_text("销售额")
    assert link.get_attribute("href") == f"/campaigns/{campaign.pk}/goals/#kpi-{campaign.sales_kpi.pk}"
    assert fake_ai.chat_requests()[-1]["json"]["stream"] is True
    _screens(page, "weekly")
    assert page.console_errors == [], page.console_errors


def test_plan_from_brief_diff_apply_and_goals(page, owner, campaign, fake_ai):
    from campaignflow.planning.models import Task

    task = Task.objects.filter(campaign=campaign).order_by("sort_order").first()
    fake_ai.answer(Reply(content=json.dumps(_plan(task.code, campaign.sales_kpi.pk), ensure_ascii=False),
                         chunk_delay=0.02))  # fmt: skip
    page.set_viewport_size(WIDTHS["desktop"])
    login(page, owner.username, PASSWORD)
    page.goto(f"{page.base}/campaigns/{campaign.pk}/plan/")
    page.click("[data-testid=plan-from-brief-link]")
    expect(page.locator("[data-testid=plan-playbook]")).to_contain_text("企业营销活动通用流程")
    page.fill("[data-testid=plan-brief-text]", "夏季新品促销，面向一线城市年轻女性，预算50万元，目标新增会员3000人。")
    _screens(page, "plan-brief")
    page.click("[data-testid=plan-generate]")
    page.wait_for_url(re.compile(r"\?draft=\d+"))
    assert fake_ai.chat_requests()[-1]["json"]["stream"] is True  # the page's script asked for the streamed draft
    kpis = page.locator("[data-testid=plan-diff-kpi]")
    expect(kpis).to_contain_text("新增会员")
    expect(kpis).to_contain_text("3,000 人")
    expect(page.locator("[data-testid=plan-diff-channel]")).to_contain_text("60%")
    expect(page.locator("[data-testid=plan-diff-budget]")).to_contain_text("¥50万")
    expect(page.locator("[data-testid=plan-diff-task]")).to_contain_text("2025-05-20 → 2025-05-25")
    expect(page.locator("[data-testid=plan-model]")).to_contain_text("fake-gpt")
    expect(page.locator("[data-testid=plan-citations] a")).to_have_text("销售额")
    assert "按简报" in fake_ai.prompt_text() or "年轻女性" in fake_ai.prompt_text()
    _screens(page, "plan-diff")
    page.click("[data-testid=plan-apply]")
    expect(page.locator("[data-testid=plan-applied]")).to_be_visible()
    _screens(page, "plan-applied")
    page.click("[data-testid=plan-applied] >> text=查看KPI")
    table = page.locator("[data-testid=kpi-table]")
    expect(table).to_contain_text("新增会员")
    expect(table).to_contain_text("小红书曝光")
    _screens(page, "goals")
    assert page.console_errors == [], page.console_errors
