"""The evaluation table (seed 002 table 5 / seed 004 table 3), pure: rows and completeness."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

SUCCESS, SHORTFALL = "success", "shortfall"


def cause(rate: Decimal | None) -> str | None:
    """成功 when the target is reached (rate ≥ 1), 未达标 below; None without an actual."""
    if rate is None:
        return None
    return SUCCESS if rate >= 1 else SHORTFALL


@dataclass(frozen=True)
class RowState:
    analysis: str
    improvement: str


def missing_rows(rows: list[RowState]) -> int:
    """How many rows still lack the cause analysis or the improvement."""
    return sum(1 for r in rows if not r.analysis.strip() or not r.improvement.strip())


def retro_due(end: dt.date, calendar) -> dt.date:
    """Due 3 China working days after the end date (seed 000: 活动结束后3个工作日内)."""
    return calendar.add_workdays(end, 3)


def days_late(due: dt.date, done_on: dt.date | None, today: dt.date) -> int:
    """Calendar days past the due date (0 when on time); done items count to their completion day."""
    reference = done_on or today
    return max(0, (reference - due).days)
