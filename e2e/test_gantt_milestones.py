"""Milestones on the Gantt: a diamond in the middle of its day's column, its date shown once in the grid, at risk
when the alert says so (planning.domain.milestones), and a dragged diamond saved on the day it is dropped on."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from e2e.conftest import login, new_campaign, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# the diamond's centre and its day's column, in the timeline's coordinates
GEOMETRY = """([id, iso]) => {
  const bar = document.querySelector(`.gantt_task_line[data-task-id="${id}"]`);
  const day = gantt.date.parseDate(iso, "xml_date");
  return {
    centre: bar.offsetLeft + bar.offsetWidth / 2,
    from: gantt.posFromDate(day),
    to: gantt.posFromDate(gantt.date.add(day, 1, "day")),
  };
}"""


@pytest.fixture
def plan(owner):
    from campaignflow.planning import services

    today = dt.date.today()

    def on(days: int) -> dt.date:
        return today + dt.timedelta(days=days)

    campaign = new_campaign(owner, "冬季新品焕新季促销", on(-10), on(20), "500000", owner=owner)

    def add(**data):
        return services.task_create(actor=owner, campaign=campaign, data=data)

    poster = add(name="预热海报设计", owner=owner, start_date=on(-8), end_date=on(-6), status="done")
    # a milestone with a range, as playbooks make them: due in two days and not started, so at risk
    review = add(name="方案评审", start_date=on(-5), end_date=on(2), milestone=True, depends_on=[{"task": poster.pk}])
    launch = add(name="活动上线", end_date=on(8), milestone=True, status="in_progress")
    services.baseline_create(actor=owner, campaign=campaign, name="V1.0")
    return {"campaign": campaign, "review": review, "launch": launch}


def test_a_milestone_is_a_diamond_on_its_date(page, plan):
    from campaignflow.alerts.engine import evaluate_campaign
    from campaignflow.alerts.models import Alert
    from campaignflow.planning.models import Task

    campaign, review, launch = plan["campaign"], plan["review"], plan["launch"]
    evaluate_campaign(campaign, notify=False)
    assert set(Alert.objects.filter(rule="milestone_at_risk").values_list("subject", flat=True)) == {
        f"milestone:{review.pk}"
    }
    login(page, "wangjl", PASSWORD)
    page.goto(f"{page.base}/campaigns/{campaign.id}/gantt/")
    page.locator("#gantt-app[data-loaded]").wait_for(state="attached")

    # the grid: 方案评审 spans days (its window): its first day in the Start column and its date in the End column;
    # the chart draws the window as a line up to the diamond on its date
    assert review.start_date < review.end_date
    row = page.locator(f".gantt_grid_data .gantt_row[data-task-id='{review.pk}']")
    first, day = review.start_date, review.end_date
    expect(row.locator("[data-column-name=start_date]")).to_have_text(f"{first.month}月{first.day}日")
    expect(row.locator("[data-column-name=end_date]")).to_have_text(f"{day.month}月{day.day}日")
    window = page.locator(".cf-milestone-window").first
    expect(window).to_have_attribute("title", f"{first.month}月{first.day}日 ~ {day.month}月{day.day}日")
    expect(page.locator(".cf-milestone-window")).to_have_count(1)
    # 活动上线 is one day: that date once, in the Start column (the one a phone keeps), and no window
    one = page.locator(f".gantt_grid_data .gantt_row[data-task-id='{launch.pk}']")
    expect(one.locator("[data-column-name=start_date]")).to_have_text(
        f"{launch.end_date.month}月{launch.end_date.day}日"
    )
    expect(one.locator("[data-column-name=end_date]")).to_have_text("")
    # the chart: in the middle of its day's column, at risk as the alert says, the other one not
    for task in (review, launch):
        where = page.evaluate(GEOMETRY, [task.pk, task.end_date.isoformat()])
        assert where["from"] < where["centre"] < where["to"], where
        assert abs(where["centre"] - (where["from"] + where["to"]) / 2) <= 2, where
    expect(page.locator(f".gantt_task_line.cf-at-risk[data-task-id='{review.pk}']")).to_have_count(1)
    expect(page.locator(".gantt_side_content").filter(has_text="方案评审 ⚠ 有风险")).to_have_count(1)
    expect(page.locator(".gantt_task_line.cf-at-risk")).to_have_count(1)
    expect(page.locator("#gantt-legend")).to_contain_text("里程碑")
    shot(page, "gantt-milestones-01")

    # dropped two columns later: saved two days later (dhtmlx alone rounds the diamond's noon to the next midnight)
    diamond = page.locator(f".gantt_task_line[data-task-id='{launch.pk}']")
    diamond.scroll_into_view_if_needed()
    box = diamond.bounding_box()
    column = page.locator(".gantt_scale_line").last.locator(".gantt_scale_cell").first.bounding_box()["width"]
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    loaded = page.get_attribute("#gantt-app", "data-loaded")
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 11):
        page.mouse.move(x + column * 2 * step / 10, y)
    page.mouse.up()
    expect(page.locator("[data-testid=gantt-status]")).to_contain_text("T003")
    moved = launch.end_date + dt.timedelta(days=2)
    assert Task.objects.get(pk=launch.pk).end_date == moved
    # drawn again from the server's data (the chart reloads after a save)
    page.wait_for_function("was => document.getElementById('gantt-app').dataset.loaded !== was", arg=loaded)
    where = page.evaluate(GEOMETRY, [launch.pk, moved.isoformat()])
    assert where["from"] < where["centre"] < where["to"], where
    assert page.console_errors == [], page.console_errors


def test_a_milestone_on_a_phone(browser, live_server, settings, plan):
    settings.AXES_ENABLED = False
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", has_touch=True)
    try:
        page = context.new_page()
        page.base = live_server.url
        login(page, "wangjl", PASSWORD)
        review = plan["review"]
        page.goto(f"{page.base}/campaigns/{plan['campaign'].id}/gantt/")
        page.locator("#gantt-app[data-loaded]").wait_for(state="attached")
        row = page.locator(f".gantt_grid_data .gantt_row[data-task-id='{review.pk}']")
        day = review.end_date
        expect(row.locator("[data-column-name=start_date]")).to_have_text(f"{day.month}月{day.day}日")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        shot(page, "gantt-milestones-02-phone")
    finally:
        context.close()
