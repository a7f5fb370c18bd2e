"""The default rules with the seeds' examples."""

import datetime as dt
import math

import pytest

from campaignflow.alerts.domain import conditions as c

D = dt.date(2024, 6, 10)


def days(values):
    return [(D + dt.timedelta(days=i), v) for i, v in enumerate(values)]


def test_conversion_drop_4_to_2_percent_fires_and_smaller_drop_does_not():
    assert c.conversion_drop(days([0.04, 0.02]), 0.5) == (0.04, 0.02)
    assert c.conversion_drop(days([0.04, 0.021]), 0.5) is None
    assert c.conversion_drop([(D, 0.04), (D + dt.timedelta(days=2), 0.01)], 0.5) is None  # not consecutive days
    assert c.conversion_drop(days([0.0, 0.0]), 0.5) is None


def test_three_days_21_percent_below_benchmark_fire_two_do_not():
    benchmark = 0.03  # industry-average CTR 3%
    low = benchmark * 0.79
    assert c.below_benchmark_streak(days([0.03, low, low, low]), benchmark, 0.2, 3) == 3
    assert c.below_benchmark_streak(days([0.03, 0.03, low, low]), benchmark, 0.2, 3) is None
    assert c.below_benchmark_streak(days([low, low, 0.03, low]), benchmark, 0.2, 3) is None
    gap = [(D, low), (D + dt.timedelta(days=1), low), (D + dt.timedelta(days=3), low)]
    assert c.below_benchmark_streak(gap, benchmark, 0.2, 3) is None


def test_deviation_over_ten_percent_either_way():
    assert c.deviation(100, 89, 0.10) == pytest.approx(-0.11)
    assert c.deviation(100, 111, 0.10) == pytest.approx(0.11)
    assert c.deviation(100, 110, 0.10) is None
    assert c.deviation(0, 5, 0.10) is None


def test_robust_z_catches_a_sudden_change_without_a_threshold():
    history = [100, 102, 98, 101, 99, 100, 103, 97, 100, 101]
    assert abs(c.robust_z(history, 100)) < 1
    assert c.robust_z(history, 160) > 3.5
    assert c.robust_z(history[:5], 160) is None


def test_overdue_over_plan_and_contingency():
    assert c.overdue(D, False, D + dt.timedelta(days=2)) == 2
    assert c.overdue(D, True, D + dt.timedelta(days=2)) is None
    assert c.overdue(D, False, D) is None
    assert c.over_plan(80000, 86000) == 6000
    assert c.over_plan(80000, 80000) is None
    assert c.contingency_below(0.08, 0.10) and not c.contingency_below(0.12, 0.10)


def test_threshold_validation_names_the_parameter():
    assert c.validate_params("conversion_drop", {"threshold": 0.3}) == {}
    assert "threshold" in c.validate_params("conversion_drop", {"threshold": 5})
    assert "days" in c.validate_params("below_benchmark", {"days": 0})
    assert c.validate_params("below_benchmark", {"bogus": 1}) == {"bogus": None}
    refused = c.validate_params("conversion_drop", {"threshold": True})["threshold"]
    assert (refused.name, refused.low, refused.high) == ("threshold", 0.05, 1)
    assert c.effective_params("below_benchmark", {"days": 5}) == {"threshold": 0.2, "days": 5}


def test_kpi_standing_depends_on_the_kpis_direction():
    # Seed 002: sales target 30万, actual 35万 → 117%: ahead of plan, good news, not a deviation to evaluate.
    assert c.kpi_standing(300000, 350000, 0.10, "up") == ("ahead", pytest.approx(1 / 6))
    assert c.kpi_standing(100000, 80000, 0.10, "up") == ("behind", pytest.approx(-0.2))
    # Less is better (cost per lead): over plan is the deviation, under plan the good news.
    assert c.kpi_standing(50, 60, 0.10, "down") == ("behind", pytest.approx(0.2))
    assert c.kpi_standing(50, 40, 0.10, "down") == ("ahead", pytest.approx(-0.2))
    assert c.kpi_standing(100, 105, 0.10, "up") is None
    assert c.kpi_standing(0, 5, 0.10, "down") is None


def test_unusual_gives_the_typical_value_the_multiple_and_a_band():
    history = [100, 102, 98, 101, 99, 100, 103, 97, 100, 101]
    assert c.unusual(history, 101, 3.5) is None
    high = c.unusual(history, 320, 3.5)
    assert high.typical == 100 and high.ratio == pytest.approx(3.2) and high.band == "far" and high.z > 3.5
    assert c.unusual(history, 135, 3.5).band == "slight"
    low = c.unusual(history, 60, 3.5)
    assert low.z < 0 and low.band == "clear" and low.ratio == pytest.approx(0.6)
    assert c.unusual(history, 30, 3.5).band == "far"
    assert c.unusual([5] * 10, 5, 3.5) is None  # a flat history: only a change is unusual
    assert c.unusual([5] * 10, 9, 3.5).band == "clear"


def test_a_small_move_is_not_unusual_however_steady_the_history():
    """A steady history makes the robust z of any move huge (MAD 0 gives infinity): 4 new members against
    a usual 5, or 106 against a steady 100, are no news for a marketer; a usual level of 0 says nothing."""
    history = [100, 102, 98, 101, 99, 100, 103, 97, 100, 101]
    assert abs(c.robust_z(history, 106)) > 3.5
    assert c.unusual(history, 106, 3.5) is None and c.unusual(history, 90, 3.5) is None
    assert c.robust_z([5] * 10, 4) == -math.inf
    assert c.unusual([5] * 10, 4, 3.5) is None
    assert c.unusual([5] * 10, 3, 3.5).band == "clear"
    assert c.unusual([0] * 10, 3, 3.5) is None
    assert c.unusual(history[:5], 320, 3.5) is None


def test_unusual_findings_group_by_day():
    day, next_day = D, D + dt.timedelta(days=1)
    hits = [("抖音", "曝光", day), ("抖音", "点击", day), ("抖音", "转化", day), ("小红书", "点击", day)]
    # One channel of two unusual that day → one group naming that channel and its metrics.
    groups = c.group_unusual(hits[:3], {day: {"抖音", "小红书"}})
    assert groups == [(day, ("抖音",), [("抖音", "曝光"), ("抖音", "点击"), ("抖音", "转化")], False)]
    # Every channel with data that day is unusual → still one group, marked as the whole day.
    [(on, channels, pairs, whole_day)] = c.group_unusual(hits, {day: {"抖音", "小红书"}})
    assert (on, channels, len(pairs), whole_day) == (day, ("小红书", "抖音"), 4, True)
    # Two of three channels: one group, not the whole day; another day is another group.
    groups = c.group_unusual([*hits, ("抖音", "曝光", next_day)], {day: {"抖音", "小红书", "微信"}})
    assert [(g[0], g[1], g[3]) for g in groups] == [(day, ("小红书", "抖音"), False), (next_day, ("抖音",), False)]
    # A single-channel campaign: its odd day is that channel's, not "every channel".
    assert c.group_unusual(hits[:2], {day: {"抖音"}})[0][3] is False
