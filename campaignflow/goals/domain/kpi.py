"""KPI arithmetic, pure: actual values from metric totals and achievement rates (达成率)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

RATE_PLACES = Decimal("0.0001")


def kpi_actual(*, metric: str, numerator: str, denominator: str, totals: dict[str, Decimal]) -> Decimal | None:
    """A base KPI's actual is its metric's sum; a ratio KPI's is sum(numerator) / sum(denominator)."""
    if numerator and denominator:
        num, den = totals.get(numerator), totals.get(denominator)
        if num is None or not den:
            return None
        return num / den
    if not metric:
        return None
    return totals.get(metric, Decimal(0))


def achievement_rate(*, target: Decimal | None, actual: Decimal | None, direction: str = "up") -> Decimal | None:
    """actual/target as a fraction (35万 vs 30万 → 1.1667); for 'down' KPIs target/actual."""
    if target is None or actual is None:
        return None
    if direction == "down":
        if not actual:
            return None
        rate = Decimal(target) / Decimal(actual)
    else:
        if not target:
            return None
        rate = Decimal(actual) / Decimal(target)
    return rate.quantize(RATE_PLACES, rounding=ROUND_HALF_UP)


def metrics_of(kpi_specs) -> set[str]:
    """All metric names a list of (metric, numerator, denominator) tuples refers to."""
    names: set[str] = set()
    for metric, numerator, denominator in kpi_specs:
        names.update(n for n in (metric, numerator, denominator) if n)
    return names
