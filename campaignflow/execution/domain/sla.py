"""Issue SLA (seed 002: respond within 24 hours, give a solution within 48 hours), pure."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class SlaState:
    response_due: dt.datetime
    resolution_due: dt.datetime
    response_breached: bool
    resolution_breached: bool
    # Seconds left until the next open deadline (negative when it has passed); None when all met.
    seconds_left: float | None

    @property
    def breached(self) -> bool:
        return self.response_breached or self.resolution_breached


def evaluate(
    *,
    found_at: dt.datetime,
    first_response_at: dt.datetime | None,
    resolved_at: dt.datetime | None,
    response_hours: int,
    resolution_hours: int,
    now: dt.datetime,
) -> SlaState:
    response_due = found_at + dt.timedelta(hours=response_hours)
    resolution_due = found_at + dt.timedelta(hours=resolution_hours)
    responded = first_response_at or resolved_at
    response_breached = (responded or now) > response_due
    resolution_breached = (resolved_at or now) > resolution_due
    if resolved_at:
        left = None
    elif responded is None:
        left = (response_due - now).total_seconds()
    else:
        left = (resolution_due - now).total_seconds()
    return SlaState(response_due, resolution_due, response_breached, resolution_breached, left)


@dataclass(frozen=True)
class Countdown:
    """The time to the next deadline, or past it (`overdue`), in whole days, hours and minutes; days only from two
    days on (an issue 355 hours overdue reads "14 days 19 hours", not "355h"), minutes only under that."""

    overdue: bool
    days: int
    hours: int
    minutes: int


def countdown(seconds: float | None) -> Countdown | None:
    """`SlaState.seconds_left` as a Countdown; None when nothing is due."""
    if seconds is None:
        return None
    minutes = int(abs(seconds) // 60)
    hours, minutes = divmod(minutes, 60)
    days = hours // 24 if hours >= 48 else 0
    return Countdown(seconds < 0, days, hours - 24 * days, 0 if days else minutes)
