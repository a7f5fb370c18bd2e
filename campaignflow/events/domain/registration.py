"""The rules of registering for an event, as plain values: who may register when, where they land
(registered, waiting list or refused), what a phone number is, how a ticket code looks and how a phone
shows to someone who may not see it. No Django here (tests/architecture/test_imports.py)."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime

DIRECT_CHANNEL = "直接访问"  # API.md: a registration without a channel counts under this name
CHANNEL_MAX = 100  # the metric row's channel column
TICKET_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud and typed at the door
TICKET_LENGTH = 14  # 31**14 ≈ 2**69 codes: not guessable, never enumerable
MIN_FILL_SECONDS = 2.0  # a person needs longer than this to fill the form; a script does not

_MAINLAND_MOBILE = re.compile(r"1[3-9]\d{9}")
_INTERNATIONAL = re.compile(r"\+[1-9]\d{6,14}")  # E.164
_SEPARATORS = re.compile(r"[\s\-()（）]")


class PhoneError(ValueError):
    """The text is not a phone number the event takes; `code` says which rule it broke."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def normalize_phone(text: str, *, allow_international: bool = False) -> str:
    """A mainland mobile as its 11 digits ("+86 138-0013-8000" → "13800138000"); with
    `allow_international`, another country's number as E.164 ("+44 20 7946 0958" → "+442079460958")."""
    compact = _SEPARATORS.sub("", text or "")
    if compact.startswith("0086"):
        compact = "+86" + compact[4:]
    if compact.startswith("+86"):
        compact = compact[3:]
    if _MAINLAND_MOBILE.fullmatch(compact):
        return compact
    if compact.startswith("+") and _INTERNATIONAL.fullmatch(compact):
        if allow_international:
            return compact
        raise PhoneError("international_not_allowed")
    raise PhoneError("invalid")


def mask_phone(phone: str) -> str:
    """138****8000: the first three and last four digits; shorter numbers keep only their last two."""
    if not phone:
        return ""
    if len(phone) >= 8:
        return f"{phone[:3]}{'*' * (len(phone) - 7)}{phone[-4:]}"
    return "*" * (len(phone) - 2) + phone[-2:]


_TICKET_CODES = len(TICKET_ALPHABET) ** TICKET_LENGTH


def new_ticket_code() -> str:
    """A uniformly random code: one draw below 31**14 written in the alphabet's 31 digits (one call to the
    system's randomness instead of fourteen)."""
    number, digits = secrets.randbelow(_TICKET_CODES), []
    for _ in range(TICKET_LENGTH):
        number, digit = divmod(number, len(TICKET_ALPHABET))
        digits.append(TICKET_ALPHABET[digit])
    return "".join(digits)


def normalize_ticket_code(text: str) -> str:
    """What staff type or a scanner reads: case, spaces and dashes don't matter; a ticket URL gives its
    code (the QR code holds the ticket's link, so a phone camera opens the e-ticket)."""
    text = (text or "").strip()
    if "/t/" in text:
        text = text.rstrip("/").rsplit("/t/", 1)[1]
    return re.sub(r"[\s\-]", "", text).upper()[:64]


def channel_from(ch: str | None = None, utm_source: str | None = None) -> str:
    """The registration's channel: `?ch=抖音`, else the UTM source, else 直接访问."""
    for value in (ch, utm_source):
        value = " ".join((value or "").split())[:CHANNEL_MAX]
        if value:
            return value
    return DIRECT_CHANNEL


@dataclass(frozen=True)
class Window:
    opens_at: datetime | None
    closes_at: datetime | None


def window_state(window: Window, now: datetime) -> str:
    """ "not_open", "closed" or "open"."""
    if window.opens_at and now < window.opens_at:
        return "not_open"
    if window.closes_at and now >= window.closes_at:
        return "closed"
    return "open"


def placement(*, capacity: int | None, taken: int, waitlist: bool) -> str:
    """Where a new registration lands: "registered" while seats remain (no capacity: always),
    "waitlisted" when full and the event keeps a waiting list, else "full"."""
    if capacity is None or taken < capacity:
        return "registered"
    return "waitlisted" if waitlist else "full"


def looks_automated(*, honeypot: str, started_at: float | None, now: float) -> bool:
    """A filled hidden field, or a form sent faster than a person can fill it, is a script.
    `started_at`: when the form was served (epoch seconds, from a signed field); None = not known."""
    if (honeypot or "").strip():
        return True
    return started_at is not None and now - started_at < MIN_FILL_SECONDS


def attendance_rate(registered: int, checked_in: int) -> float | None:
    return checked_in / registered if registered else None
