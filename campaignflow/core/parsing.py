"""Dates from user and API input for the services: core.domain.dates plus the field's error message
and the app's time zone. One message per mistake, so every form and endpoint says it the same way."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from campaignflow.core.domain.dates import FIRST_YEAR, LAST_YEAR, in_range, parse_date, parse_datetime
from campaignflow.core.domain.text import clean_text
from campaignflow.core.errors import InvalidInput


def date_message() -> str:
    return _("Not a valid date (use YYYY-MM-DD).")


def datetime_message() -> str:
    return _("Not a valid date and time (use YYYY-MM-DDTHH:MM).")


def range_message() -> str:
    """A date outside core.domain.dates' years (FIRST_YEAR–LAST_YEAR)."""
    return _("The date must be between %(first)s and %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR}


def _fail(errors: dict | None, field: str, message: str) -> None:
    if errors is None:
        raise InvalidInput({field: message})
    errors[field] = message


def _checked(value, field: str, errors: dict | None, *, parse, wrong: str, missing: str, required: bool):
    """What `parse` reads in `value` within core.domain.dates' years; None when empty, wrong or out of range (the
    message in `errors[field]`, or raised as InvalidInput without a dict)."""
    try:
        read = parse(value)
    except ValueError:
        _fail(errors, field, wrong)
        return None
    if read is None:
        if required:
            _fail(errors, field, missing)
        return None
    if not in_range(read):
        _fail(errors, field, range_message())
        return None
    return read


def date_input(value, field: str, errors: dict | None = None, *, required: bool = False) -> dt.date | None:
    """The date in `value`, or None when empty. A wrong date, one outside the years 2000–2100
    (core.domain.dates.in_range) or a missing required one goes into `errors[field]` when a dict is given (the
    caller collects all fields' errors), else raises InvalidInput."""
    missing = _("This date is required.")
    return _checked(value, field, errors, parse=parse_date, wrong=date_message(), missing=missing, required=required)


def datetime_input(value, field: str, errors: dict | None = None, *, required: bool = False) -> dt.datetime | None:
    """Like date_input for a date and time; a naive one is read in the app's time zone (TIME_ZONE)."""
    missing = _("This field is required.")
    wrong = datetime_message()
    moment = _checked(value, field, errors, parse=parse_datetime, wrong=wrong, missing=missing, required=required)
    if moment is None:
        return None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def date_or_today(value) -> dt.date:
    """The date in a page's query or form value; today (the app's time zone) when it is missing, no date or
    outside the years 2000–2100, so the page still shows."""
    try:
        day = parse_date(value)
    except ValueError:
        day = None
    return day if day is not None and in_range(day) else timezone.localdate()


def text_input(value, field: str, limit: int, errors: dict | None = None, *, required: bool = False) -> str:
    """Typed text, cleaned (`core.domain.text.clean_text`), within `limit` characters; a longer one (or a
    missing required one) goes into `errors[field]` like date_input's."""
    text = clean_text(value)
    if len(text) > limit:
        _fail(errors, field, _("At most %(n)d characters.") % {"n": limit})
    elif required and not text:
        _fail(errors, field, _("This field is required."))
    return text
