"""Plan in the browser: WBS tab, RACI, and the Gantt — drag a bar and the new dates persist."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from e2e.conftest import change, login, new_campaign, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def plan(owner):
    from campaignflow.planning import services
    from campaignflow.planning.models import Task

    start = dt.date.today() + dt.timedelta(days=3)

    def on(days: int) -> dt.date:
        return start + dt.timedelta(days=days)

    campaign = new_campaign(owner, "冬季新品焕新季促销", start, on(20), "500000", description="销售额30万", owner=owner)

    def add(**data):
        return services.task_create(actor=owner, campaign=campaign, data=data)

    def after(task, lag_days: int) -> list[dict]:
        return [{"task": task.pk, "type": "FS", "lag_days": lag_days}]

    a = add(name="预热海报设计", phase="预热期", owner=owner, start_date=start, end_date=on(2))
    b = add(name="KOL内容对接", phase="预热期", start_date=on(3), end_date=on(6), depends_on=after(a, 0))
    add(name="活动上线", phase="爆发期", end_date=on(8), milestone=True, depends_on=after(b, 1))
    services.periods_replace(
        actor=owner,
        campaign=campaign,
        version=services.plan_settings(campaign).version,
        periods=[
            {"kind": "warmup", "start_date": start, "end_date": on(6)},
            {"kind": "burst", "start_date": on(7), "end_date": on(14)},
        ],
    )
    services.baseline_create(actor=owner, campaign=campaign, name="V1.0")
    return {"campaign": campaign, "a": a, "b": b, "Task": Task}


def test_drag_a_gantt_bar_and_the_dates_persist(page, plan):
    campaign, a = plan["campaign"], plan["a"]
    login(page, "wangjl", PASSWORD)
    page.goto(f"{page.base}/campaigns/{campaign.id}/gantt/")
    bar = page.locator(f".gantt_task_line[data-task-id='{a.pk}']")
    expect(bar).to_be_visible()
    expect(page.locator(".gantt_task_line.cf-critical").first).to_be_attached()
    expect(page.locator(".cf-baseline").first).to_be_attached()
    shot(page, "plan-01-gantt")

    box = bar.bounding_box()
    column = page.locator(".gantt_scale_line").last.locator(".gantt_scale_cell").first.bounding_box()["width"]
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] / 2, y)
    page.mouse.down()
    for step in range(1, 11):
        page.mouse.move(box["x"] + box["width"] / 2 + column * 2 * step / 10, y)
    page.mouse.up()
    expect(page.locator("[data-testid=gantt-status]")).to_contain_text("T001")

    Task = plan["Task"]
    moved = Task.objects.get(pk=a.pk)
    assert (moved.start_date - a.start_date).days == 2
    assert (moved.end_date - a.end_date).days == 2
    assert moved.version == a.version + 1
    # The new dates persist: a reload draws the bar where it was dropped, and the plan shows the slip.
    page.reload()
    expect(page.locator(f".gantt_task_line[data-task-id='{a.pk}']")).to_be_visible()
    page.locator("#gantt-app[data-loaded]").wait_for(state="attached")
    drawn = page.evaluate(f"gantt.date.date_to_str('%Y-%m-%d')(gantt.getTask({a.pk}).start_date)")
    assert drawn == moved.start_date.isoformat()
    shot(page, "plan-02-gantt-after-drag")

    # A stale version (someone else edited meanwhile) is refused with 409 and the chart reloads.
    Task.objects.filter(pk=a.pk).update(version=moved.version + 5)
    page.once("dialog", lambda d: d.accept())
    bar = page.locator(f".gantt_task_line[data-task-id='{a.pk}']")
    box = bar.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    for step in range(1, 11):
        page.mouse.move(box["x"] + box["width"] / 2 + column * step / 10, box["y"] + box["height"] / 2)
    page.mouse.up()
    page.wait_for_timeout(800)
    assert Task.objects.get(pk=a.pk).start_date == moved.start_date

    page.click("[data-testid=zoom-week]")
    page.click("[data-testid=zoom-month]")
    # The only console error is the deliberate 409 above.
    assert [e for e in page.console_errors if "409" not in e] == []


def test_plan_tab_wbs_raci_and_my_tasks(page, plan):
    campaign = plan["campaign"]
    login(page, "wangjl", PASSWORD)
    page.goto(f"{page.base}/campaigns/{campaign.id}/")
    page.click("[data-testid=tab-plan]")
    wbs = page.locator("[data-testid=wbs]")
    expect(wbs).to_contain_text("预热海报设计")
    expect(wbs.locator("tr.phase-row").first).to_contain_text("预热期")
    # Inline edit through htmx: move T001's due date two days later → the milestone becomes at risk.
    end = page.locator("[data-testid=end-T001]")
    new_end = (plan["a"].end_date + dt.timedelta(days=4)).isoformat()
    end.fill(new_end)
    change(end)
    expect(page.locator("[data-testid=end-T001]")).to_have_value(new_end)
    page.wait_for_timeout(300)
    page.reload()
    expect(page.locator("[data-testid=milestones-at-risk]")).to_contain_text("T003")
    expect(page.locator("[data-testid=wbs-T002]")).to_contain_text("4")
    shot(page, "plan-03-wbs")

    page.click("[data-testid=tab-raci]")
    page.select_option("[data-testid=raci-T001-wangjl]", "A")
    expect(page.locator("[data-testid=raci-missing]")).not_to_contain_text("T001")
    shot(page, "plan-04-raci")

    page.click("[data-testid=nav-my-tasks]")
    expect(page.locator("[data-testid=bucket-later]")).to_contain_text("预热海报设计")
    shot(page, "plan-05-my-tasks")
    assert page.console_errors == []


def saved(page) -> None:
    expect(page.locator("[data-testid=wbs-status]")).to_have_attribute("data-state", "saved")


def _wbs_order(page) -> list[str]:
    return page.eval_on_selector_all("[data-testid=wbs] tr.task-row", "rows => rows.map(r => r.dataset.code)")


def test_reorder_wbs_rows_and_edit_wbs_fields_inline(page, plan):
    campaign, Task = plan["campaign"], plan["Task"]

    def stored() -> list[str]:
        return list(Task.objects.filter(campaign=campaign).order_by("sort_order", "id").values_list("code", flat=True))

    login(page, "wangjl", PASSWORD)
    page.goto(f"{page.base}/campaigns/{campaign.id}/plan/")
    assert _wbs_order(page) == ["T001", "T002", "T003"]

    # Keyboard: focus T001's "move down" button and press Enter → saved; the order persists.
    page.focus("[data-testid=down-T001]")
    page.keyboard.press("Enter")
    saved(page)
    expect(page.locator("[data-testid=wbs-status]")).to_contain_text("T001")
    assert _wbs_order(page) == ["T002", "T001", "T003"]
    assert stored() == ["T002", "T001", "T003"]
    # The first task of a group cannot move up; a task never leaves its phase by moving.
    page.click("[data-testid=up-T002]")
    expect(page.locator("[data-testid=wbs-status]")).to_have_attribute("data-state", "info")
    expect(page.locator("[data-testid=wbs-status]")).to_contain_text("T002")
    page.click("[data-testid=down-T001]")
    page.wait_for_timeout(300)
    assert stored() == ["T002", "T001", "T003"]
    page.reload()
    assert _wbs_order(page) == ["T002", "T001", "T003"]

    # Drag T001's handle onto the upper half of T002's row: T001 goes first again.
    target = page.locator("[data-testid=wbs-T002]")
    box = target.bounding_box()
    page.locator("[data-testid=drag-T001]").drag_to(target, target_position={"x": box["width"] / 2, "y": 3})
    saved(page)
    assert _wbs_order(page) == ["T001", "T002", "T003"]
    assert stored() == ["T001", "T002", "T003"]
    page.reload()
    assert _wbs_order(page) == ["T001", "T002", "T003"]
    shot(page, "plan-06-wbs-reordered")

    # The Gantt draws the tasks in the same order.
    page.click("[data-testid=down-T001]")
    saved(page)
    page.goto(f"{page.base}/campaigns/{campaign.id}/gantt/")
    expect(page.locator("#gantt-app")).to_have_attribute("data-loaded", re.compile(r"^\d+$"))
    ids = {t.code: t.pk for t in Task.objects.filter(campaign=campaign)}
    drawn = page.evaluate("ids => ids.map(id => gantt.getGlobalTaskIndex(id))", [ids["T002"], ids["T001"], ids["T003"]])
    assert drawn == sorted(drawn), drawn

    # Inline edit of the WBS fields: deliverable and acceptance criterion in place …
    page.goto(f"{page.base}/campaigns/{campaign.id}/plan/")
    page.click("[data-testid=details-T002]")
    deliverable = page.locator("[data-testid=edit-deliverable-T002]")
    deliverable.fill("2篇KOL种草稿件")
    change(deliverable)
    expect(page.locator("[data-testid=deliverable-T002]")).to_contain_text("2篇KOL种草稿件")
    acceptance = page.locator("[data-testid=edit-acceptance-T002]")
    expect(acceptance).to_be_visible()  # the panel stays open after the edit
    acceptance.fill("品牌方确认")
    change(acceptance)
    expect(page.locator("[data-testid=acceptance-T002]")).to_contain_text("品牌方确认")
    task = Task.objects.get(campaign=campaign, code="T002")
    assert (task.deliverable, task.acceptance) == ("2篇KOL种草稿件", "品牌方确认")

    # … a new phase moves the task to the end of that phase (the page redraws its groups) …
    phase = page.locator("[data-testid=edit-phase-T002]")
    phase.fill("爆发期")
    change(phase)
    expect(page.locator("tbody:has(tr.phase-row:has-text('爆发期')) [data-testid=wbs-T002]")).to_be_visible()
    assert _wbs_order(page) == ["T001", "T003", "T002"]
    assert stored() == ["T001", "T003", "T002"]

    # … and a stale form (someone else changed the task meanwhile) shows the conflict, writing nothing.
    task = Task.objects.get(campaign=campaign, code="T002")
    Task.objects.filter(pk=task.pk).update(version=task.version + 1)
    page.click("[data-testid=details-T002]")
    module = page.locator("[data-testid=edit-module-T002]")
    module.fill("直播")
    change(module)
    expect(page.locator("[data-testid=row-error-T002]")).to_be_visible()
    assert Task.objects.get(pk=task.pk).module == ""
    shot(page, "plan-07-wbs-inline-conflict")
    assert page.console_errors == []
