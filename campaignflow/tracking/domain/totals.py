"""The board's totals of a batch of validated rows, pure: what tracking.rollups aggregates in SQL
(sum and count per metric × day and per metric × channel), computed from the rows in memory."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

Totals = dict[tuple[str, str], tuple[Decimal, int]]


def batch_totals(rows: Iterable) -> tuple[Totals, Totals]:
    """(by (metric, ISO date), by (metric, channel)) → (exact decimal sum, row count), for rows in the
    parser's layout (ISO date, channel, metric, decimal text or int)."""
    by_day: defaultdict[tuple, list] = defaultdict(list)
    by_channel: defaultdict[tuple, list] = defaultdict(list)
    for iso, channel, metric, text in rows:
        by_day[metric, iso].append(text)
        by_channel[metric, channel].append(text)
    return _summed(by_day), _summed(by_channel)


def _summed(groups: dict[tuple, list]) -> Totals:
    # one C-level pass per group: the values stay text until here
    return {key: (sum(map(Decimal, texts), Decimal(0)), len(texts)) for key, texts in groups.items()}
