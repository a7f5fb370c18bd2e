"""The weekly report's KPI lines read like the KPI tables: rates as percentages, 万 and the unit."""

import datetime as dt
from decimal import Decimal

import pytest

from campaignflow.execution.reporting import goals_kpi_lines, kpi_value, weekly_draft_for
from conftest import COST_PER_MEMBER, add_kpis_and_metrics

pytestmark = pytest.mark.django_db


@pytest.fixture
def kpis(campaign, api_for, users):
    kpis = [
        {"name": "销售额", "metric": "销售额", "unit": "元", "target": "30万", "priority": "core"},
        {"name": "新增会员", "metric": "新增会员", "unit": "人", "target": "3000", "priority": "auxiliary"},
        {"name": "点击率", "numerator": "点击", "denominator": "曝光", "target": "8%", "priority": "auxiliary"},
        {**COST_PER_MEMBER, "target": "50"},
    ]
    rows = [
        {"date": "2025-06-10", "channel": "抖音", "metric": metric, "value": value}
        for metric, value in (
            ("销售额", "209795"),
            ("新增会员", "1940"),
            ("曝光", "1000000"),
            ("点击", "76000"),
            ("推广费", "97756.6"),
        )
    ]
    add_kpis_and_metrics(campaign, api_for(users["owner"]), kpis, rows)
    return campaign


def test_kpi_lines_read_like_the_table_in_chinese(kpis):
    lines = {k.name: k for k in goals_kpi_lines(kpis)}
    assert (lines["点击率"].target, lines["点击率"].actual) == ("8.0%", "7.6%")
    assert lines["点击率"].rate == pytest.approx(0.95)
    assert (lines["销售额"].target, lines["销售额"].actual) == ("30万", "20.98万")
    assert (lines["新增会员"].target, lines["新增会员"].actual) == ("3,000人", "1,940人")
    assert (lines["获客成本"].target, lines["获客成本"].actual) == ("50元/人", "50.39元/人")


def test_weekly_draft_states_percent_kpis_as_percentages(kpis):
    """The week's figures (all the rows fall in the week of 2025-06-09; none the week before), rates as
    percentages, money as the pages show it, then the cumulative achievement."""
    week = dt.date(2025, 6, 9)
    zh = weekly_draft_for(kpis, week)["key_results"]
    assert "• 点击率：本周 7.6%，上周 —，环比 —；累计达成率 95%（目标 8.0%）" in zh
    assert "• 销售额：本周 ¥20.98万，上周 ¥0，环比 +¥20.98万；累计达成率 70%（目标 ¥30万）" in zh
    assert "0.08" not in zh
    en = weekly_draft_for(kpis, week, zh=False)["key_results"]
    assert "• 点击率: this week 7.6%, last week —, — week on week; 95% of the target 8.0% to date" in en
    assert "• 销售额: this week ¥209,795.00, last week ¥0.00, +¥209,795.00 week on week; 70% of the target" in en
    assert "• 新增会员: this week 1,940 人, last week 0 人, +1,940 人 week on week; 65% of the target 3,000 人" in en


@pytest.mark.parametrize(
    ("value", "percent", "unit", "zh", "shown"),
    [
        (Decimal("0.0763"), True, "", True, "7.6%"),
        (Decimal("0.0763"), True, "%", False, "7.6%"),
        (Decimal("123456789"), False, "次", True, "1.23亿次"),
        (Decimal("123456789"), False, "次", False, "123,456,789 次"),
        (Decimal("5000000.0000"), False, "", False, "5,000,000"),
        (Decimal("12.346"), False, "元/人", True, "12.35元/人"),
        (None, True, "", True, "—"),
        (None, False, "元", False, "—"),
    ],
)
def test_kpi_value(value, percent, unit, zh, shown):
    assert kpi_value(value, percent=percent, unit=unit, zh=zh) == shown


def test_next_weeks_plan_has_every_open_task_running_next_week(campaign):
    from campaignflow.planning.models import Task, TaskStatus

    week = dt.date(2025, 6, 9)  # Monday; next week 06-16 … 06-22
    Task.objects.filter(campaign=campaign).delete()
    for code, start, end, status in (
        ("N1", "2025-06-12", "2025-06-18", TaskStatus.IN_PROGRESS),  # ends next week
        ("N2", "2025-06-19", "2025-07-10", TaskStatus.NOT_STARTED),  # starts next week, ends later
        ("N3", "2025-06-23", "2025-06-30", TaskStatus.NOT_STARTED),  # the week after
        ("N4", "2025-06-01", "2025-06-30", TaskStatus.DONE),  # done
        ("N5", "2025-06-02", "2025-06-27", TaskStatus.IN_PROGRESS),  # runs through next week
    ):
        Task.objects.create(campaign=campaign, code=code, name=code, start_date=start, end_date=end, status=status)
    plan = weekly_draft_for(campaign, week)["next_week_plan"]
    assert [line.split()[1] for line in plan.splitlines()] == ["N1", "N5", "N2"]
