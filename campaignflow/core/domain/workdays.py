"""China's working-day calendar (holidays and 调休 make-up workdays), pure.

`chinese_calendar` knows a fixed range of years; for dates beyond it we fall back to
"Monday–Friday" and report the date as a guess, so callers can warn instead of silently
trusting it. Overrides (admin-edited) win over both.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

import chinese_calendar


@dataclass
class WorkdayCalendar:
    overrides: Mapping[dt.date, bool] = field(default_factory=dict)
    guessed: set[dt.date] = field(default_factory=set)

    def is_workday(self, day: dt.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            self.guessed.add(day)
            return day.weekday() < 5

    def add_workdays(self, start: dt.date, days: int) -> dt.date:
        """The date `days` working days after (or before, if negative) `start`.

        Zero means `start` itself if it is a working day, else the next working day, the way
        a "due on day X" deadline that falls on a holiday moves to the next working day.
        """
        step = 1 if days >= 0 else -1
        current = start
        if days == 0:
            while not self.is_workday(current):
                current += dt.timedelta(days=1)
            return current
        remaining = abs(days)
        while remaining:
            current += dt.timedelta(days=step)
            if self.is_workday(current):
                remaining -= 1
        return current

    def workdays_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end], negative when end is before start."""
        if end == start:
            return 0
        sign = 1 if end > start else -1
        lo, hi = sorted((start, end))
        count = 0
        day = lo + dt.timedelta(days=1)
        while day <= hi:
            if self.is_workday(day):
                count += 1
            day += dt.timedelta(days=1)
        return sign * count


def known_years() -> tuple[int, int]:
    """First and last year the holiday package has data for."""
    years = sorted({d.year for d in chinese_calendar.holidays})
    return years[0], years[-1]
