"""The pure rules: which device is a phone, which numbers a channel still misses."""

import datetime as dt

import pytest

from campaignflow.core.domain.devices import is_phone
from campaignflow.today.domain.numbers_due import daily_metrics, missing, runs_on


@pytest.mark.parametrize(
    ("agent", "phone"),
    [
        ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148", True),
        ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/120.0 Mobile Safari/537.36", True),
        ("Mozilla/5.0 (iPad; CPU OS 17_0) AppleWebKit/605.1.15 DingTalk/7.5.0", True),
        ("Mozilla/5.0 (Macintosh) AppleWebKit/605.1.15 Lark/7.1 LarkLocale/zh_CN", True),
        ("Mozilla/5.0 (Windows NT 10.0) wxwork/4.1.0 MicroMessenger/7.0.1", True),
        ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36", False),
        ("", False),
        (None, False),
    ],
)
def test_phones_and_chat_apps_are_told_from_desktops(agent, phone):
    assert is_phone(agent) is phone


def test_a_channel_reports_its_targets_then_the_kpi_metrics_once_each():
    assert daily_metrics(["曝光", "点击"], ["销售额", "点击", ""]) == ["曝光", "点击", "销售额"]
    assert daily_metrics([], []) == []


def test_missing_keeps_the_metrics_order():
    assert missing(["曝光", "点击", "销售额"], {"点击"}) == ["曝光", "销售额"]
    assert missing(["曝光"], {"曝光"}) == []


def test_a_channel_runs_between_its_optional_dates():
    day = dt.date(2026, 12, 5)
    assert runs_on(day, None, None)
    assert runs_on(day, day, day)
    assert not runs_on(day, day + dt.timedelta(days=1), None)
    assert not runs_on(day, None, day - dt.timedelta(days=1))
