"""Numbers as Chinese teams type and read them."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from campaignflow.core.domain.numbers import NotANumber, format_cn, format_money, parse_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.2万", Decimal("12000")),
        ("3亿", Decimal("300000000")),
        ("35%", Decimal("0.35")),
        ("1,200", Decimal("1200")),
        ("¥500,000.00", Decimal("500000.00")),
        ("５０万", Decimal("500000")),
        ("30万元", Decimal("300000")),
        (" -8 ", Decimal("-8")),
        (12000, Decimal("12000")),
        (Decimal("2.5"), Decimal("2.5")),
    ],
)
def test_parse_number(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["", "abc", "1.2.3", "万", "1e9", "NaN", None, "12 345"])
def test_parse_number_refuses_what_is_not_a_number(text):
    if text == "12 345":  # spaces inside a number are thousands separators people type
        assert parse_number(text) == Decimal("12345")
        return
    with pytest.raises(NotANumber):
        parse_number(text)


def test_percent_not_allowed_for_money():
    with pytest.raises(NotANumber):
        parse_number("35%", allow_percent=False)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (350000, "35万"),
        (120000000, "1.2亿"),
        (3800, "3,800"),
        (9677.42, "9,677"),
        (0.35, "0.35"),
        (12.5, "12.5"),
        (None, "—"),
        (-50000, "-5万"),
    ],
)
def test_format_cn(value, text):
    assert format_cn(value) == text


def test_format_money_by_language():
    assert format_money(Decimal("500000"), "zh-hans") == "¥50万"
    assert format_money(Decimal("500000"), "en") == "¥500,000.00"


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=2, allow_nan=False, allow_infinity=False))
def test_parse_reads_back_plain_numbers(value):
    assert parse_number(f"{value:,.2f}") == value


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("5000000.0000"), "5,000,000"),
        (Decimal("54347.826086956521739130434"), "54,348"),
        (Decimal("0.3512"), "0.35"),
        (Decimal("12.50"), "12.5"),
        (3, "3"),
        (None, "—"),
    ],
)
def test_format_en(value, text):
    from campaignflow.core.domain.numbers import format_en

    assert format_en(value) == text
