"""Dates and date-times people type or send, pure: one reading of "2025-06-01" for every form and API."""

from __future__ import annotations

import datetime as dt

# The years a date people type or send may fall in (issue #19): a campaign's plan, spend and data are in them, and
# a far-off date (0001, 9999) would overflow the date arithmetic built on it. core.parsing.date_input and
# datetime_input enforce it with one message; the metric file parser (pure) checks it here too.
FIRST_YEAR = 2000
LAST_YEAR = 2100
FIRST_DAY = dt.date(FIRST_YEAR, 1, 1)
LAST_DAY = dt.date(LAST_YEAR, 12, 31)


def in_range(value: dt.date) -> bool:
    """Whether a date (or a date-time) falls in FIRST_YEAR–LAST_YEAR."""
    return FIRST_YEAR <= value.year <= LAST_YEAR


def parse_date(value) -> dt.date | None:
    """A date from a `date` (kept as is; a `datetime` gives its day) or ISO text ("2025-06-01", whitespace
    around ignored); None when empty. ValueError for anything else ("2025-13-01", "2025/06/01", 7)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return _from_text(value, "a date", dt.date.fromisoformat)


def parse_datetime(value) -> dt.datetime | None:
    """A date-time from a `datetime`, a `date` (its midnight) or ISO text ("2025-06-01T09:30", with or
    without an offset); None when empty. Naive stays naive: the time zone is the caller's business.
    ValueError for anything else."""
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    return _from_text(value, "a date and time", dt.datetime.fromisoformat)


def _from_text(value, what: str, from_iso):
    """ISO text (spaces around ignored) through `from_iso`; None for None or blank; ValueError for a non-text."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"not {what}: {value!r}")
    text = value.strip()
    return from_iso(text) if text else None
