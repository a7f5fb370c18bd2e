"""Goals and daily tracking in the browser: add a KPI, upload a GBK CSV (preview, then confirm), see the
board update, undo the import."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from e2e.conftest import import_file, login, new_campaign, shot, upload_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def campaign(owner):
    from campaignflow.goals.models import Channel, Kpi

    c = new_campaign(
        owner,
        "2024年夏季新品促销",
        "2024-06-01",
        "2024-06-30",
        "500000",
        description="销售额30万",
        playbook_key="enterprise-campaign",
    )
    Kpi.objects.create(campaign=c, name="新增会员", metric="新增会员", target=Decimal(3000), priority="auxiliary")
    for name in ("抖音", "小红书"):
        Channel.objects.create(campaign=c, name=name, benchmarks={"点击率": "0.03"})
    return c


def test_kpi_upload_gbk_csv_board_and_undo(page, campaign, tmp_path):
    login(page, "wangjl", PASSWORD)
    page.goto(f"{page.base}/campaigns/{campaign.id}/goals/")
    page.click("text=添加 KPI") if page.locator("text=添加 KPI").count() else page.locator(
        ".add-box summary"
    ).first.click()
    form = page.locator("[data-testid=kpi-form]")
    form.locator("input[name=name]").fill("销售额")
    form.locator("input[name=metric]").fill("销售额")
    form.locator("input[name=target]").fill("30万")
    form.locator("button[type=submit]").click()
    expect(page.locator("[data-testid=kpi-table]")).to_contain_text("销售额")
    shot(page, "tracking-01-goals")

    csv_path = tmp_path / "每日数据.csv"
    lines = ["日期,渠道,指标,数值"]
    for day in range(1, 11):
        lines.append(f"2024年6月{day}日,抖音,销售额,2万")
        lines.append(f'2024/6/{day},小红书,销售额,"15,000"')
        lines.append(f"2024-06-{day:02d},抖音,曝光,10万")
        lines.append(f"2024-06-{day:02d},抖音,点击,1万")
        lines.append(f"2024-06-{day:02d},抖音,转化,1000")
        lines.append(f"2024-06-{day:02d},抖音,购买,500")
    csv_path.write_bytes("\n".join(lines).encode("gbk"))

    page.goto(f"{page.base}/campaigns/{campaign.id}/data/")
    import_file(page, csv_path, ("60", "小红书"), "tracking-02-preview")

    page.goto(f"{page.base}/campaigns/{campaign.id}/board/")
    card = page.locator("[data-testid=kpi-card]", has_text="销售额")
    expect(card.locator("[data-testid=kpi-actual]")).to_contain_text("35万")
    expect(card.locator("[data-testid=kpi-rate]")).to_have_text("117%")
    expect(page.locator("[data-testid=funnel-table]")).to_contain_text("50.00%")
    page.locator("[data-chart] canvas").nth(3).wait_for()
    shot(page, "tracking-03-board")

    page.goto(f"{page.base}/campaigns/{campaign.id}/data/")
    page.once("dialog", lambda d: d.accept())
    page.locator("[data-testid^=undo-]").first.click()
    expect(page.locator("[data-testid=batches] [data-status=undone]")).to_have_count(1)
    page.goto(f"{page.base}/campaigns/{campaign.id}/board/")
    expect(
        page.locator("[data-testid=kpi-card]", has_text="销售额").locator("[data-testid=kpi-actual]")
    ).to_contain_text("0")
    assert page.console_errors == []


def test_grid_paste_block(page, campaign):
    login(page, "wangjl", PASSWORD)
    page.goto(f"{page.base}/campaigns/{campaign.id}/data/grid/?channel=抖音&add=曝光,点击")
    first = page.locator("input[data-r='0'][data-c='0']")
    first.focus()
    page.evaluate(
        """() => {
            const dt = new DataTransfer();
            dt.setData('text/plain', '100\\t10\\n200\\t20\\n');
            const el = document.querySelector("input[data-r='0'][data-c='0']");
            el.dispatchEvent(new ClipboardEvent('paste', {clipboardData: dt, bubbles: true, cancelable: true}));
        }"""
    )
    expect(page.locator("input[data-r='1'][data-c='1']")).to_have_value("20")
    shot(page, "tracking-04-grid")
    page.click("[data-testid=grid-save]")
    expect(page.locator(".msg-success")).to_be_visible()
    from campaignflow.tracking.models import MetricRow

    assert MetricRow.objects.filter(campaign_id=campaign.id, channel="抖音").count() == 4


def test_large_upload_runs_in_the_background_with_a_progress_bar(page, campaign, tmp_path, settings):
    """A file above the background threshold skips the preview: the page shows the job's progress bar
    (polled every second), then the result; the inbox gets a notification."""
    settings.METRIC_IMPORT_BACKGROUND_ROWS = 100
    login(page, "wangjl", PASSWORD)
    csv_path = tmp_path / "大批量数据.csv"
    lines = ["日期,渠道,指标,数值"]
    for i in range(600):
        lines.append(f"2024-06-{(i % 30) + 1:02d},抖音,指标{i // 30},{1000 + i}")
    csv_path.write_bytes("\n".join(lines).encode("utf-8"))
    page.goto(f"{page.base}/campaigns/{campaign.id}/data/")
    upload_file(page, csv_path)
    job = page.locator("[data-testid=import-job]")
    expect(job).to_be_visible()
    expect(job).to_have_attribute("data-status", "done")
    expect(page.locator("[data-testid=job-progress]")).to_have_attribute("value", "100")
    expect(page.locator("[data-testid=job-result]")).to_contain_text("600")
    shot(page, "tracking-05-background-import")
    from campaignflow.notifications.models import Notification
    from campaignflow.tracking.models import MetricRow

    assert MetricRow.objects.filter(campaign=campaign).count() == 600
    assert Notification.objects.filter(title__contains="大批量数据.csv").exists()

    # a bad row: the job fails, names the row, writes nothing
    lines[250] = "2024-06-05,抖音,指标99,很多"
    csv_path.write_bytes("\n".join(lines).encode("utf-8"))
    page.goto(f"{page.base}/campaigns/{campaign.id}/data/")
    upload_file(page, csv_path)
    expect(page.locator("[data-testid=import-job]")).to_have_attribute("data-status", "failed")
    expect(page.locator("[data-testid=job-errors]")).to_contain_text("251")
    assert MetricRow.objects.filter(campaign=campaign, metric="指标99").count() == 0


def test_progress_bar_polls_until_the_job_ends(page, campaign):
    """A job still running: the bar is polled (htmx every 1s) and moves on to the result by itself."""
    from campaignflow.accounts.models import User
    from campaignflow.tracking.models import ImportJob

    owner = User.objects.get(username="wangjl")
    job = ImportJob.objects.create(campaign=campaign, actor=owner, filename="慢.csv", status="parsing", rows_total=1000)
    ImportJob.objects.filter(pk=job.pk).update(rows_done=500)
    login(page, "wangjl", PASSWORD)
    page.goto(f"{page.base}/campaigns/{campaign.id}/data/?job={job.pk}")
    expect(page.locator("[data-testid=job-progress]")).to_have_attribute("value", "30")
    ImportJob.objects.filter(pk=job.pk).update(status="done", rows_done=1000, message="Imported 1000 rows")
    expect(page.locator("[data-testid=import-job]")).to_have_attribute("data-status", "done", timeout=5000)
    expect(page.locator("[data-testid=job-result]")).to_contain_text("1000")
