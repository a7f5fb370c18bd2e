"""The working-day calendar with the admin's overrides loaded from the database."""

import datetime as dt

from .domain.workdays import WorkdayCalendar, known_years
from .models import WorkdayOverride


def china_calendar(around: tuple[dt.date, dt.date] | None = None) -> WorkdayCalendar:
    qs = WorkdayOverride.objects.all()
    if around:
        lo, hi = around
        qs = qs.filter(date__gte=lo - dt.timedelta(days=400), date__lte=hi + dt.timedelta(days=400))
    return WorkdayCalendar(overrides=dict(qs.values_list("date", "is_workday")))


def unknown_year_warning(calendar: WorkdayCalendar) -> str | None:
    """A warning when working days were guessed for years the holiday data does not cover."""
    if not calendar.guessed:
        return None
    from django.utils.translation import gettext as _

    years = sorted({d.year for d in calendar.guessed})
    first, last = known_years()
    return _(
        "China's holiday calendar for %(years)s is not known yet (known: %(first)s–%(last)s); "
        "working days there were counted as Monday–Friday. An administrator can add the official "
        "holidays under working-day overrides."
    ) % {"years": ", ".join(map(str, years)), "first": first, "last": last}
