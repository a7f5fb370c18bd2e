"""Which of a channel's daily numbers are still missing on a day, pure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable


def daily_metrics(targets: Iterable[str], kpi_metrics: Iterable[str]) -> list[str]:
    """The metrics a channel reports every day: those it has targets for (the reach matrix), then the
    campaign's KPI metrics, each once, in that order."""
    return list(dict.fromkeys(m for m in [*targets, *kpi_metrics] if m))


def runs_on(day: dt.date, start: dt.date | None, end: dt.date | None) -> bool:
    """Whether a channel with these (optional) dates is live on `day`."""
    return (start is None or start <= day) and (end is None or day <= end)


def missing(metrics: Iterable[str], entered: set[str]) -> list[str]:
    """The metrics of `metrics` without a value yet, in their order."""
    return [m for m in metrics if m not in entered]
