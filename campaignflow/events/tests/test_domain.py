"""The registration rules as plain values."""

from __future__ import annotations

import datetime as dt

import pytest

from campaignflow.events.domain import registration as rules


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("13800138000", "13800138000"),
        ("138 0013 8000", "13800138000"),
        ("+86 138-0013-8000", "13800138000"),
        ("0086 13800138000", "13800138000"),
        ("（138）00138000", "13800138000"),
    ],
)
def test_mainland_mobiles_normalise_to_11_digits(text, expected):
    assert rules.normalize_phone(text) == expected


@pytest.mark.parametrize("text", ["", "12345", "12800138000", "1380013800", "138001380001", "abc", "+86 10 8888 8888"])
def test_not_a_mainland_mobile_is_refused(text):
    with pytest.raises(rules.PhoneError) as exc:
        rules.normalize_phone(text)
    assert exc.value.code == "invalid"


def test_international_numbers_only_when_the_event_allows():
    with pytest.raises(rules.PhoneError) as exc:
        rules.normalize_phone("+44 20 7946 0958")
    assert exc.value.code == "international_not_allowed"
    assert rules.normalize_phone("+44 20 7946 0958", allow_international=True) == "+442079460958"


def test_mask_keeps_three_and_four_digits():
    assert rules.mask_phone("13800138000") == "138****8000"
    assert rules.mask_phone("+442079460958") == "+44******0958"
    assert rules.mask_phone("") == ""


def test_ticket_codes_are_long_random_and_typeable():
    codes = {rules.new_ticket_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(len(c) == rules.TICKET_LENGTH and set(c) <= set(rules.TICKET_ALPHABET) for c in codes)
    assert len(rules.TICKET_ALPHABET) ** rules.TICKET_LENGTH >= 2**64


def test_ticket_code_from_typed_text_or_scanned_link():
    assert rules.normalize_ticket_code(" abcd-efgh ") == "ABCDEFGH"
    assert rules.normalize_ticket_code("https://x.example/e/slug/t/ABCD2345EFGH67") == "ABCD2345EFGH67"


def test_channel_from_ch_then_utm_then_direct():
    assert rules.channel_from("抖音", "weibo") == "抖音"
    assert rules.channel_from("", "weibo") == "weibo"
    assert rules.channel_from(None, None) == rules.DIRECT_CHANNEL == "直接访问"
    assert len(rules.channel_from("x" * 300)) == rules.CHANNEL_MAX


def test_window_and_placement():
    at = dt.datetime(2026, 12, 1, 10, 0)
    window = rules.Window(at, at + dt.timedelta(days=1))
    assert rules.window_state(window, at - dt.timedelta(seconds=1)) == "not_open"
    assert rules.window_state(window, at) == "open"
    assert rules.window_state(window, at + dt.timedelta(days=1)) == "closed"
    assert rules.window_state(rules.Window(None, None), at) == "open"
    assert rules.placement(capacity=None, taken=10**6, waitlist=False) == "registered"
    assert rules.placement(capacity=2, taken=1, waitlist=False) == "registered"
    assert rules.placement(capacity=2, taken=2, waitlist=True) == "waitlisted"
    assert rules.placement(capacity=2, taken=2, waitlist=False) == "full"


def test_bots_fill_the_honeypot_or_send_at_once():
    assert rules.looks_automated(honeypot="http://spam", started_at=None, now=100.0)
    assert rules.looks_automated(honeypot="", started_at=99.5, now=100.0)
    assert not rules.looks_automated(honeypot="", started_at=90.0, now=100.0)
    assert not rules.looks_automated(honeypot="", started_at=None, now=100.0)
