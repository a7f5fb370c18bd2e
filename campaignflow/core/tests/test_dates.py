"""core.domain.dates: the one reading of dates and date-times typed by people or sent to the API."""

import datetime as dt

import pytest

from campaignflow.core.domain.dates import parse_date, parse_datetime


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-06-01", dt.date(2025, 6, 1)),
        ("  2025-06-01\n", dt.date(2025, 6, 1)),
        (dt.date(2025, 6, 1), dt.date(2025, 6, 1)),
        (dt.datetime(2025, 6, 1, 23, 59), dt.date(2025, 6, 1)),
        ("", None),
        ("   ", None),
        (None, None),
    ],
)
def test_parse_date_reads_iso_dates_and_empty(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["2025-13-01", "2025/06/01", "2025-02-30", "tomorrow", "2025-06-01T09:00", 20250601])
def test_parse_date_refuses_what_is_not_a_date(value):
    with pytest.raises(ValueError):
        parse_date(value)


def test_parse_datetime_keeps_the_offset_or_its_absence():
    aware = parse_datetime("2025-06-01T09:30+08:00")
    assert aware == dt.datetime(2025, 6, 1, 1, 30, tzinfo=dt.UTC)
    assert aware.utcoffset() == dt.timedelta(hours=8)
    naive = parse_datetime(" 2025-06-01T09:30 ")
    assert naive == dt.datetime(2025, 6, 1, 9, 30) and naive.tzinfo is None


def test_parse_datetime_reads_a_date_as_its_midnight_and_empty_as_none():
    assert parse_datetime(dt.date(2025, 6, 1)) == dt.datetime(2025, 6, 1)
    assert parse_datetime("2025-06-01") == dt.datetime(2025, 6, 1)
    assert parse_datetime("") is None and parse_datetime(None) is None


@pytest.mark.parametrize("value", ["2025-13-01T09:00", "2025/06/01 09:00", "09:30", 1717200000])
def test_parse_datetime_refuses_what_is_not_a_date_and_time(value):
    with pytest.raises(ValueError):
        parse_datetime(value)
