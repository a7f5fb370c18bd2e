"""When a milestone is at risk: the one rule that the plan (Gantt, schedule API, task list, plan page)
and the "milestone at risk" alert all read, so that they never disagree. Pure: plain values in, a bool out.

A milestone is a point in time: its date is its end date (its start date when it has only that one).
"""

from __future__ import annotations

import datetime as dt

DUE_SOON_DAYS = 3  # a milestone this close (or past) that is not under way is at risk
NOT_UNDER_WAY = frozenset({"not_started", "delayed", "blocked"})
DONE = "done"


def milestone_date(start: dt.date | None, end: dt.date | None) -> dt.date | None:
    """The one date of a milestone: its end date, else its start date (None when it has neither)."""
    return end or start


def at_risk(*, milestone: bool, status: str, date: dt.date | None, slip_days: int, today: dt.date) -> bool:
    """A milestone that is not done is at risk when
    - the plan forecasts it after its date (`slip_days` > 0: a predecessor runs late, or its own date has
      passed), or
    - its date is at most DUE_SOON_DAYS days away (or already past) while it is not started, delayed or blocked.
    A task that is not a milestone, a done milestone and a milestone without a date never are."""
    if not milestone or status == DONE or date is None:
        return False
    if slip_days > 0:
        return True
    return status in NOT_UNDER_WAY and (date - today).days <= DUE_SOON_DAYS
