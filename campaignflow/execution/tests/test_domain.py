import datetime as dt

from campaignflow.execution.domain import risk, sla, weekly

T0 = dt.datetime(2024, 6, 12, 9, 0, tzinfo=dt.UTC)


def _evaluate(checked_after: dt.timedelta, *, responded_after: int | None = None, resolved_after: int | None = None):
    """The SLA of an issue found at T0 (response within 24 h, resolution within 48 h), checked `checked_after`
    later; first response and resolution `…_after` hours after T0, or not yet."""
    return sla.evaluate(
        found_at=T0,
        first_response_at=None if responded_after is None else T0 + dt.timedelta(hours=responded_after),
        resolved_at=None if resolved_after is None else T0 + dt.timedelta(hours=resolved_after),
        response_hours=24,
        resolution_hours=48,
        now=T0 + checked_after,
    )


def test_sla_open_issue_counts_down_to_the_24h_response():
    state = _evaluate(dt.timedelta(hours=20))
    assert state.response_due == T0 + dt.timedelta(hours=24)
    assert not state.breached
    assert state.seconds_left == 4 * 3600
    assert sla.countdown(state.seconds_left) == sla.Countdown(overdue=False, days=0, hours=4, minutes=0)


def test_sla_breaches_response_after_24h_and_solution_after_48h():
    late = _evaluate(dt.timedelta(hours=25))
    assert late.response_breached and not late.resolution_breached
    assert sla.countdown(late.seconds_left) == sla.Countdown(overdue=True, days=0, hours=1, minutes=0)
    responded = _evaluate(dt.timedelta(hours=49), responded_after=2)
    assert not responded.response_breached and responded.resolution_breached


def test_sla_met_when_resolved_in_time_even_if_checked_later():
    done = _evaluate(dt.timedelta(days=10), responded_after=1, resolved_after=30)
    assert not done.breached and done.seconds_left is None


def test_risk_levels_and_heat_map():
    assert [risk.level(s) for s in (25, 15, 12, 8, 4, 1)] == ["high", "high", "medium", "medium", "low", "low"]
    grid = risk.heat_map([(5, 5), (1, 1), (1, 1), (3, 4), (9, 9)])
    assert grid[0][4] == 1 and grid[4][0] == 2 and grid[1][2] == 1
    assert sum(map(sum, grid)) == 4  # out-of-range pairs are ignored


def test_weekly_draft_sections_from_data():
    text = weekly.draft(
        kpis=[weekly.KpiLine("销售额", "30万", "35万", 1.1667)],
        done=[weekly.TaskLine("T001", "预热海报设计", "陈设计", dt.date(2024, 6, 5))],
        delayed=[weekly.TaskLine("T002", "KOL内容对接", "张专员", dt.date(2024, 6, 8), "KOL档期调整")],
        upcoming=[weekly.TaskLine("T003", "线下物料准备", "李助理", dt.date(2024, 6, 20))],
        support=[weekly.SupportLine("王经理", dt.date(2024, 6, 10), "增加1名地推人员")],
    )
    assert "销售额：目标 30万，实际 35万，达成率 117%" in text["key_results"]
    assert "T001 预热海报设计" in text["key_results"]
    assert "KOL档期调整" in text["delayed_tasks"]
    assert "T003" in text["next_week_plan"]
    assert "增加1名地推人员" in text["resources"]
    empty = weekly.draft(kpis=[], done=[], delayed=[], upcoming=[], support=[], zh=False)
    assert empty["delayed_tasks"] == "None"


def test_a_request_asked_again_each_day_is_one_line_with_its_days():
    asked = [
        weekly.SupportLine("孙总监", dt.date(2026, 12, 4), "追加5万元抖音投放预算"),
        weekly.SupportLine("李策划", dt.date(2026, 12, 4), "门店物料需加急"),
        weekly.SupportLine("孙总监", dt.date(2026, 12, 5), "追加5万元抖音投放预算"),
        weekly.SupportLine("孙总监", dt.date(2026, 12, 6), "追加5万元抖音投放预算"),
    ]
    zh = weekly.draft(kpis=[], done=[], delayed=[], upcoming=[], support=asked)["resources"]
    assert zh.splitlines() == [
        "• 孙总监（12-04、12-05、12-06）：追加5万元抖音投放预算",
        "• 李策划（12-04）：门店物料需加急",
    ]
    en = weekly.draft(kpis=[], done=[], delayed=[], upcoming=[], support=asked, zh=False)["resources"]
    assert en.splitlines()[0] == "• 孙总监 (12-04, 12-05, 12-06): 追加5万元抖音投放预算"


def test_a_countdown_counts_days_from_two_days_on():
    assert sla.countdown(None) is None
    assert sla.countdown(47 * 3600 + 59 * 60 + 30) == sla.Countdown(False, 0, 47, 59)
    assert sla.countdown(48 * 3600) == sla.Countdown(False, 2, 0, 0)
    assert sla.countdown(-(355 * 3600 + 52 * 60)) == sla.Countdown(True, 14, 19, 0)  # the demo's Q001
