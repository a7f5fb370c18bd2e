"""A whole campaign in Chinese, as its team runs it in the browser: create it from the enterprise playbook,
set goals and channels, plan, get the budget approved by finance, assign the plan, execute (daily data,
an alert, a stand-up, a weekly report), review, archive, and find it in the case library."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD, make_user
from e2e.conftest import htmx_ready, log_out, login, shot, start_budget, upload_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAME = "2025年夏季新品促销"


@pytest.fixture
def team(transactional_db):
    from django.utils import timezone

    from campaignflow.accounts.models import Role
    from campaignflow.campaigns.playbook_sync import sync_builtin_playbooks

    sync_builtin_playbooks()
    make_user("wangjl", display_name="王经理")
    make_user("lixm", display_name="李晓明")
    make_user("zhaocw", Role.FINANCE, display_name="赵财务")
    # The server's "today" (Asia/Shanghai), which the stage gates and alert rules use.
    return {"today": timezone.localdate()}


def logout(page):
    page.click("form[action='/logout/'] button")
    page.wait_for_url("**/login/**")


def open_campaign(page):
    page.goto(page.base + "/campaigns/")
    page.get_by_role("link", name=NAME).click()
    expect(page.locator("[data-testid=campaign-name]")).to_contain_text(NAME)


def move(page, to: str, label: str):
    page.click("[data-testid=tab-overview]")
    page.click(f"[data-testid=move-{to}]")
    expect(page.locator("[data-testid=campaign-status]")).to_have_text(label)


def shows(locator, *texts: str) -> None:
    """The element shows each of `texts`."""
    for text in texts:
        expect(locator).to_contain_text(text)


def approve_materials(page, tmp_path) -> None:
    """Each material of the list: a PNG uploaded as its file, submitted for review, approved."""
    from PIL import Image

    design = tmp_path / "设计稿.png"
    Image.new("RGB", (300, 200), (200, 30, 40)).save(design, "PNG")
    page.click("[data-testid=tab-materials]")
    codes = page.locator("[data-testid^=material-M]").evaluate_all("els => els.map(e => e.dataset.testid)")
    assert len(codes) >= 7, codes  # 宣传海报, 活动H5, 邀请函, 宣传视频, 展架, 礼品, 设备
    for testid in codes:
        page.click("[data-testid=tab-materials]")
        page.locator(f"[data-testid={testid}] [data-testid=material-link]").click()
        page.set_input_files("[data-testid=upload-file]", str(design))
        page.click("[data-testid=upload-submit]")
        expect(page.locator("[data-testid=no-file]")).to_have_count(0)
        page.click("[data-testid=submit-review]")
        status = page.locator("[data-testid=material-name] [data-testid=material-status]")
        expect(status).to_have_text("审核中")
        page.click("[data-testid=approve]")
        expect(status).to_have_text("已批准")


def test_campaign_lifecycle_in_chinese(page, team, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"  # the materials' files
    today = team["today"]
    start, end = today - dt.timedelta(days=10), today + dt.timedelta(days=20)

    # 1. The owner creates the campaign from the enterprise playbook.
    login(page, "wangjl", PASSWORD)
    page.click("[data-testid=new-campaign]")
    page.fill("#id_name", NAME)
    page.select_option("#id_playbook", "enterprise-campaign")
    page.fill("#id_start_date", start.isoformat())
    page.fill("#id_end_date", end.isoformat())
    page.locator("#id_end_date").dispatch_event("change")
    expect(page.locator("[data-testid=preview-table]")).to_contain_text("需求发起与目标确认")
    page.fill("#id_budget_total", "50万")
    page.fill("#id_description", "活动期间销售额达到30万元，新增会员3000人")
    page.click("[data-testid=create-campaign]")
    expect(page.locator("[data-testid=campaign-name]")).to_contain_text(NAME)
    expect(page.locator("[data-testid=campaign-status]")).to_have_text("筹备中")
    expect(page.locator("[data-testid=task-T001]")).to_contain_text("需求发起与目标确认")
    expect(page.locator("[data-testid=move-planning]")).to_be_disabled()
    # The team: a planner who owns tasks, finance (view only) who approves the budget.
    for username, role in (("lixm", "member"), ("zhaocw", "viewer")):
        form = page.locator("[data-testid=add-member]")
        form.locator("select[name=username]").select_option(username)
        form.locator("select[name=role]").select_option(role)
        form.locator("button[type=submit]").click()
        expect(page.locator("[data-testid=members]")).to_contain_text(username)
    shot(page, "lifecycle-01-created")

    # 2. Goals: a core and an auxiliary KPI, a channel with a benchmark.
    page.click("[data-testid=tab-goals]")
    for name, target, unit, priority in (("销售额", "30万", "元", "core"), ("新增会员", "3000", "人", "auxiliary")):
        page.locator("details.add-box:has([data-testid=kpi-form]) > summary").click()
        form = page.locator("[data-testid=kpi-form]")
        form.locator("input[name=name]").fill(name)
        form.locator("input[name=metric]").fill(name)
        form.locator("input[name=target]").fill(target)
        form.locator("input[name=unit]").fill(unit)
        form.locator("select[name=priority]").select_option(priority)
        form.locator("button[type=submit]").click()
        expect(page.locator("[data-testid=kpi-table]")).to_contain_text(name)
    kpis = page.locator("[data-testid=kpi-table]")
    expect(kpis.locator("tr", has_text="销售额")).to_contain_text("核心")
    expect(kpis.locator("tr", has_text="新增会员")).to_contain_text("3,000")
    page.locator("details.add-box:has([data-testid=channel-form]) > summary").click()
    form = page.locator("[data-testid=channel-form]")
    form.locator("input[name=name]").fill("抖音")
    form.locator("input[name=content_form]").fill("短视频+直播")
    form.locator("input[name=targets]").fill("销售额=30万")
    form.locator("input[name=benchmarks]").fill("转化率=3%")
    form.locator("button[type=submit]").click()
    channel = page.locator("[data-testid=channel-table] tr", has_text="抖音")
    expect(channel).to_contain_text("转化率")
    shot(page, "lifecycle-02-goals")

    # 3. The preparing → planning gate now holds.
    page.click("[data-testid=tab-overview]")
    expect(page.locator("[data-testid=gate-planning] .unmet")).to_have_count(0)
    move(page, "planning", "策划中")
    gate = page.locator("[data-testid=gate-executing]")
    shows(gate, "尚未指定负责人", "预算尚未审批通过")
    shot(page, "lifecycle-03-planning")

    # 4. Budget: the owner adds lines and submits; finance approves.
    start_budget(
        page,
        (
            ("channel", "抖音信息流投放", "30万"),
            ("channel", "渠道推广", "8万"),
            ("materials", "物料与赠品", "7万"),
            ("contingency", "应急预备金", "5万"),
        ),
    )
    expect(page.locator("[data-testid=planned-total]")).to_have_text("¥50万")
    expect(page.locator("[data-testid=contingency]")).to_contain_text("10.0%")
    page.fill("input[name=comment]", "按预算分配表提交")
    page.click("[data-testid=submit-budget]")
    expect(page.locator("[data-testid=budget-status]")).to_have_attribute("data-status", "submitted")
    shot(page, "lifecycle-04-budget-submitted")
    log_out(page)

    login(page, "zhaocw", PASSWORD)
    open_campaign(page)
    page.click("[data-testid=tab-budget]")
    page.fill("[data-testid=approval-comment]", "同意，注意控制投放节奏")
    page.click("[data-testid=approve-budget]")
    expect(page.locator("[data-testid=budget-status]")).to_have_attribute("data-status", "approved")
    expect(page.locator("[data-testid=budget-history]")).to_contain_text("同意，注意控制投放节奏")
    shot(page, "lifecycle-05-budget-approved")
    log_out(page)
    login(page, "wangjl", PASSWORD)
    open_campaign(page)

    # 5. The plan: every task gets an owner (WBS) and one accountable person (RACI); tasks already past
    # their due date are marked done in one bulk edit.
    page.click("[data-testid=tab-plan]")
    owners = page.locator("[data-testid^=owner-T]")
    codes = [testid.removeprefix("owner-") for testid in owners.evaluate_all("els => els.map(e => e.dataset.testid)")]
    assert len(codes) >= 10, codes
    for i, code in enumerate(codes):
        who = "lixm" if i % 2 else "wangjl"
        version = page.locator(f"[data-testid=wbs-{code}] input[name=version]").first
        before = version.input_value()
        page.select_option(f"[data-testid=owner-{code}]", who)
        expect(version).not_to_have_value(before)  # htmx swapped in the saved row
        expect(page.locator(f"[data-testid=owner-{code}]")).to_have_value(who)
    past = [
        code
        for code in codes
        if (value := page.locator(f"[data-testid=end-{code}]").input_value()) and value < today.isoformat()
    ]
    assert past, "the playbook's preparation tasks end before today"
    for code in past:
        page.locator(f"[data-testid=wbs-{code}] input[name=task]").check()
    page.select_option("[data-testid=bulk-status]", "done")
    page.click("[data-testid=bulk-apply]")
    for code in past:
        expect(page.locator(f"[data-testid=status-{code}]")).to_have_value("done")
    shot(page, "lifecycle-06-wbs")

    page.click("[data-testid=tab-raci]")
    for code in codes:
        htmx_ready(page.locator(f"[data-testid=raci-{code}-wangjl]"))  # the swapped-in grid is wired up
        page.select_option(f"[data-testid=raci-{code}-wangjl]", "A")
        # The grid is swapped in by htmx (with the next version): the row no longer lacks an A.
        expect(page.locator(f"tr:has([data-testid=raci-{code}-wangjl])")).not_to_have_class(re.compile("no-a"))
        expect(page.locator(f"[data-testid=raci-{code}-wangjl]")).to_have_value("A")
    expect(page.locator("[data-testid=raci-missing]")).to_have_count(0)
    expect(page.locator("[data-testid=raci-error]")).to_have_count(0)
    shot(page, "lifecycle-07-raci")

    # 5b. The materials the playbook listed (seed 001 物料清单): the gate lists them until they are approved;
    # the designer's file of each is uploaded, submitted for review and approved by the owner.
    page.click("[data-testid=tab-overview]")
    expect(page.locator("[data-testid=gate-executing]")).to_contain_text("宣传海报")
    approve_materials(page, tmp_path)

    page.click("[data-testid=tab-overview]")
    expect(page.locator("[data-testid=gate-executing] .unmet")).to_have_count(0)
    move(page, "executing", "执行中")
    shot(page, "lifecycle-08-executing")

    # 6. Daily data: a CSV with Chinese headers, previewed then imported; the board shows the KPIs.
    days = [start + dt.timedelta(days=i) for i in range(10)]  # start … yesterday
    lines = ["日期,渠道,指标,数值"]
    for i, day in enumerate(days):
        last = i == len(days) - 1
        lines += [
            f"{day.isoformat()},抖音,销售额,2万",
            f"{day.isoformat()},抖音,新增会员,250",
            f"{day.isoformat()},抖音,点击,10000",
            f"{day.isoformat()},抖音,转化,{200 if last else 400}",  # 4% → 2% on the last day
        ]
    csv_path = tmp_path / "抖音每日数据.csv"
    csv_path.write_text("\n".join(lines), encoding="utf-8")
    page.click("[data-testid=tab-data]")
    upload_file(page, csv_path)
    preview = page.locator("[data-testid=preview]")
    shows(preview, "40", "转化")
    shot(page, "lifecycle-09-preview")
    page.click("[data-testid=confirm-import]")
    batches = page.locator("[data-testid=batches]")
    expect(batches).to_contain_text("抖音每日数据.csv")
    expect(batches.locator("tbody tr").first).to_contain_text("40")

    page.click("[data-testid=tab-board]")
    sales = page.locator("[data-testid=kpi-card]", has_text="销售额")
    expect(sales.locator("[data-testid=kpi-actual]")).to_contain_text("20万")
    expect(sales.locator("[data-testid=kpi-rate]")).to_have_text("67%")
    members = page.locator("[data-testid=kpi-card]", has_text="新增会员")
    expect(members.locator("[data-testid=kpi-actual]")).to_contain_text("2,500")
    expect(members.locator("[data-testid=kpi-rate]")).to_have_text("83%")
    expect(page.locator("[data-testid=funnel-table]")).to_contain_text("3.80%")  # 3,800 / 100,000 clicks
    page.locator("[data-chart] canvas").nth(1).wait_for()  # a string wait_for_function is eval: the CSP refuses it
    shot(page, "lifecycle-10-board")

    # 7. The conversion drop on 抖音 raised an alert; the owner resolves it with an evaluation.
    page.click("[data-testid=tab-alerts]")
    alert = page.locator("[data-testid=alert-conversion_drop]")
    # The rules run when the import is committed; "立即检查" only if the alert is not there yet.
    if alert.count() == 0:
        page.get_by_role("button", name="立即检查").click()
    expect(alert).to_have_count(1)
    expect(alert).to_contain_text("抖音")
    shot(page, "lifecycle-11-alerts")
    alert.locator("details.resolve summary").click()
    alert.locator("textarea[name=evaluation]").fill("落地页改版后加载变慢导致转化率下降，已回滚并优化首屏")
    alert.locator("select[name=decision]").select_option("adjust")
    alert.locator("button[type=submit]", has_text="解决").click()
    expect(page.locator("[data-testid=alert-conversion_drop]")).to_have_count(0)
    page.get_by_role("link", name="已解决").click()
    resolved = page.locator("[data-testid=alert-conversion_drop]")
    shows(resolved, "落地页改版后加载变慢", "已解决")
    shot(page, "lifecycle-12-alert-resolved")

    # 8. Execution: a stand-up, then the weekly report drafted from the data and published.
    page.click("[data-testid=tab-execution]")
    standup = page.locator("[data-testid=standup-form]")
    standup.locator("textarea[name=done]").fill("抖音落地页回滚完成，新一批短视频素材上线")
    standup.locator("textarea[name=need_support]").fill("需要设计支持两张直播预告海报")
    standup.locator("button[type=submit]").click()
    mine = page.locator("[data-testid=standup-wangjl]")
    shows(mine, "新一批短视频素材上线", "直播预告海报")
    shot(page, "lifecycle-13-standup")
    page.locator("[data-testid=execution-nav] a[href$='/execution/reports/']").click()
    page.click("[data-testid=generate-report]")
    expect(page.locator("[data-testid=report-status]")).to_have_text("草稿")
    expect(page.locator("#id_key_results")).to_have_value(re.compile("销售额：本周 .*累计达成率 67%（目标 ¥30万）"))
    expect(page.locator("#id_resources")).to_have_value(re.compile("直播预告海报"))
    shot(page, "lifecycle-14-weekly-draft")
    page.click("[data-testid=publish-report]")
    expect(page.locator("[data-testid=report-status]")).to_have_text("已发布")
    expect(page.locator("section.card p.pre").first).to_contain_text("累计达成率 67%（目标 ¥30万）")
    shot(page, "lifecycle-15-weekly-published")

    # 9. Review: the campaign has started; evaluation rows and the retrospective; then archive.
    move(page, "reviewing", "复盘中")
    page.click("[data-testid=tab-review]")
    rows = page.locator("[data-testid=evaluation-row]")
    expect(rows).to_have_count(2)
    expect(page.locator("[data-review-chart=achievement] canvas")).to_have_count(1)  # drawn by app.js's cfCharts
    notes = {
        "销售额": ("抖音短视频带货贡献主要销售额，后期转化率下滑拖累达成", "提前准备备用落地页，转化率下降当天切换"),
        "新增会员": ("入会礼吸引力不错，但直播间引导入会话术不足", "直播脚本中固定加入入会引导环节"),
    }
    for kpi, (analysis, improvement) in notes.items():
        row = page.locator("[data-testid=evaluation-row]", has_text=kpi)
        row.locator("[data-testid=analysis]").fill(analysis)
        row.locator("[data-testid=improvement]").fill(improvement)
        row.locator("[data-testid=save-row]").click()
        expect(page.locator(".msg-success")).to_be_visible()
        expect(
            page.locator("[data-testid=evaluation-row]", has_text=kpi).locator("[data-testid=analysis]")
        ).to_have_value(analysis)
    expect(page.locator("[data-testid=evaluation-missing]")).to_have_count(0)
    expect(rows.filter(has_text="销售额").locator("[data-testid=achievement]")).to_contain_text("67%")
    page.fill("[data-testid=retro-worked]", "夏季新品短视频种草+直播转化组合有效")
    page.fill("[data-testid=retro-improve]", "落地页改版需灰度发布并监控转化率")
    page.fill("[data-testid=retro-lessons]", "预警响应及时，当天完成回滚")
    page.click("[data-testid=retro-complete]")
    expect(page.locator("[data-testid=retro-due]")).to_contain_text("已完成")
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, "lifecycle-16-review")

    # The campaign ended early (yesterday): the owner corrects the end date, then archives.
    page.click("[data-testid=tab-overview]")
    expect(page.locator("[data-testid=move-archived]")).to_be_disabled()
    expect(page.locator("[data-testid=gate-archived]")).to_contain_text(end.isoformat())
    page.click("[data-testid=edit-campaign]")
    yesterday = today - dt.timedelta(days=1)
    page.fill("#id_end_date", yesterday.isoformat())
    page.get_by_role("button", name="保存").click()
    expect(page.locator("[data-testid=campaign-name]")).to_contain_text(NAME)
    expect(page.locator(".page-head .muted").first).to_contain_text(f"{start.isoformat()} ~ {yesterday.isoformat()}")
    expect(page.locator("[data-testid=gate-archived] .unmet")).to_have_count(0)
    move(page, "archived", "已归档")
    shot(page, "lifecycle-17-archived")

    # 10. The case library finds it by a Chinese query.
    page.click("[data-testid=nav-cases]")
    page.fill("[data-testid=case-q]", "夏季")
    page.click("[data-testid=case-submit]")
    card = page.locator("[data-testid=case-card]")
    expect(card).to_have_count(1)
    shows(card, NAME, "67%", "抖音")
    shot(page, "lifecycle-18-cases")
    assert page.console_errors == [], page.console_errors
