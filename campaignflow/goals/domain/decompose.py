"""Decomposing a KPI's target by period (month/week/day) or by channel, pure."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

Q4 = Decimal("0.0001")
MAX_BUCKETS = 1000


@dataclass(frozen=True)
class Bucket:
    key: str  # ISO date of the period's first day inside the campaign, or the channel name
    label: str
    days: int  # campaign days the period covers (1 for channels)
    start: dt.date | None = None
    end: dt.date | None = None


def periods(start: dt.date, end: dt.date, granularity: str) -> list[Bucket]:
    """The campaign's periods, clipped to [start, end]: days, ISO weeks (Mon–Sun) or calendar months."""
    if end < start:
        return []
    out: list[Bucket] = []
    day = start
    while day <= end and len(out) < MAX_BUCKETS:
        if granularity == "day":
            last = day
            label = day.strftime("%m-%d")
        elif granularity == "week":
            last = min(end, day + dt.timedelta(days=6 - day.weekday()))
            label = f"{day:%m-%d}~{last:%m-%d}"
        elif granularity == "month":
            nxt = (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
            last = min(end, nxt - dt.timedelta(days=1))
            label = f"{day:%Y-%m}"
        else:
            raise ValueError(granularity)
        last = min(last, end)
        out.append(Bucket(key=day.isoformat(), label=label, days=(last - day).days + 1, start=day, end=last))
        day = last + dt.timedelta(days=1)
    return out


def distribute(target: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """Split `target` proportionally to `weights` (4 decimals); the parts sum exactly to the target."""
    if not weights:
        return []
    total = sum((Decimal(w) for w in weights), Decimal(0))
    if total <= 0:
        weights = [Decimal(1)] * len(weights)
        total = Decimal(len(weights))
    parts = [(Decimal(target) * Decimal(w) / total).quantize(Q4, rounding=ROUND_HALF_UP) for w in weights]
    parts[-1] += Decimal(target) - sum(parts, Decimal(0))
    return parts


def plan_gap(target: Decimal, values) -> Decimal:
    """How much the plan's sum differs from the target (positive: the plan exceeds it)."""
    return sum((Decimal(v) for v in values), Decimal(0)) - Decimal(target)


def daily_plan(
    *, start: dt.date, end: dt.date, target: Decimal, plans: dict[str, dict[str, Decimal]]
) -> dict[dt.date, Decimal]:
    """A planned value per campaign day: the day plan if there is one, else the week or month plan spread
    evenly over its days, else the target spread evenly over the campaign."""
    days = (end - start).days + 1
    if days <= 0:
        return {}
    for granularity in ("day", "week", "month"):
        values = plans.get(granularity)
        if not values:
            continue
        out: dict[dt.date, Decimal] = {}
        for bucket in periods(start, end, granularity):
            value = values.get(bucket.key)
            if value is None:
                continue
            share = Decimal(value) / bucket.days
            for i in range(bucket.days):
                out[bucket.start + dt.timedelta(days=i)] = share
        if out:
            return out
    share = Decimal(target) / days
    return {start + dt.timedelta(days=i): share for i in range(days)}
