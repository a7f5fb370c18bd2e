"""Alert conditions: small pure functions over plain data, with the seeds' default thresholds.

Each returns the findings that fire (subject key + message data); the engine (alerts/engine.py)
feeds them data from the other apps, keeps one open alert per rule × subject, and notifies.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Finding:
    subject: str  # stable key of what fired, e.g. "kpi:12" or "channel:抖音"
    params: dict = field(default_factory=dict)  # numbers for the message


@dataclass(frozen=True)
class Param:
    name: str
    default: float
    low: float
    high: float


@dataclass(frozen=True)
class Rule:
    key: str
    severity: str  # high / medium / low, or info: good news, nothing to act on
    params: tuple[Param, ...] = ()
    requires_evaluation: bool = False  # resolving needs analysis + decision (seed 004: >10% deviation)


def _f(x) -> float:
    return float(x) if isinstance(x, Decimal) else x


# --- the conditions -------------------------------------------------------------------------


def deviation(plan: float, actual: float, threshold: float) -> float | None:
    """Relative deviation of actual from plan when it exceeds the threshold (either way), else None."""
    plan, actual = _f(plan), _f(actual)
    if not plan:
        return None
    ratio = (actual - plan) / plan
    return ratio if abs(ratio) > threshold else None


def kpi_standing(plan: float, actual: float, threshold: float, direction: str = "up") -> tuple[str, float] | None:
    """("behind" | "ahead", relative deviation) when actual is off plan by more than the threshold.
    Whether off plan is bad depends on the KPI's direction: more is better for "up" (sales, sign-ups),
    less for "down" (cost per lead); only "behind" is a deviation to evaluate (seed 004)."""
    ratio = deviation(plan, actual, threshold)
    if ratio is None:
        return None
    better = ratio < 0 if direction == "down" else ratio > 0
    return ("ahead" if better else "behind", ratio)


def conversion_drop(rates: Sequence[tuple[dt.date, float]], threshold: float) -> tuple[float, float] | None:
    """The latest day's rate fell by ≥ threshold against the previous day (4% → 2% is a 50% drop)."""
    points = sorted((d, _f(r)) for d, r in rates if r is not None)
    if len(points) < 2:
        return None
    (d0, before), (d1, after) = points[-2], points[-1]
    if (d1 - d0).days != 1 or before <= 0:
        return None
    drop = (before - after) / before
    return (before, after) if drop >= threshold - 1e-12 else None


def below_benchmark_streak(
    values: Sequence[tuple[dt.date, float]], benchmark: float, threshold: float, days: int
) -> int | None:
    """The last `days` consecutive days were each ≥ threshold below the benchmark; returns the streak length."""
    benchmark = _f(benchmark)
    if not benchmark or days < 1:
        return None
    points = sorted((d, _f(v)) for d, v in values if v is not None)
    streak, previous = 0, None
    for day, value in reversed(points):
        if previous is not None and (previous - day).days != 1:
            break
        if value <= benchmark * (1 - threshold) + 1e-12:
            streak += 1
            previous = day
        else:
            break
    return streak if streak >= days else None


def robust_z(history: Sequence[float], latest: float) -> float | None:
    """Robust z-score of the latest value against its own history (median and MAD)."""
    values = [_f(v) for v in history if v is not None]
    if len(values) < 7:
        return None
    median = statistics.median(values)
    mad = statistics.median(abs(v - median) for v in values)
    if mad == 0:
        return None if _f(latest) == median else float("inf") * (1 if _f(latest) > median else -1)
    return 0.6745 * (_f(latest) - median) / mad


@dataclass(frozen=True)
class Unusual:
    z: float  # robust z (± inf when the history is flat): kept for machines, never shown to people
    typical: float  # the history's median, the "usual level"
    ratio: float | None  # latest / typical
    band: str  # how far from the usual level, in words: "slight", "clear" or "far"


# How far from the usual level a day must be before anyone is told, as a factor either way (1.3: 30 % above
# or 23 % below). The robust z alone flags tiny moves: on a flat history (MAD 0) every change is infinitely
# unusual, so 4 new members against a usual 5 read as "far below".
MIN_FACTOR = 1.3
# The factor from which a change reads as clear / far from the usual level (below: slight).
BANDS = ((2.0, "far"), (1.5, "clear"))


def unusual(history: Sequence[float], latest: float, threshold: float) -> Unusual | None:
    """The latest value when it is at least `threshold` robust z away from its history and at least
    MIN_FACTOR above or below its usual level (the median), in readable terms. A history whose usual
    level is 0 gives no finding: "n times nothing" says nothing to a marketer."""
    z = robust_z(history, latest)
    if z is None or abs(z) < threshold:
        return None
    typical = statistics.median(_f(v) for v in history if v is not None)
    latest = _f(latest)
    if typical <= 0 or latest < 0:
        return None
    ratio = latest / typical
    factor = math.inf if ratio == 0 else max(ratio, 1 / ratio)
    if factor < MIN_FACTOR:
        return None
    band = next((name for limit, name in BANDS if factor >= limit), "slight")
    return Unusual(z, typical, ratio, band)


def group_unusual(
    hits: Sequence[tuple[str, str, dt.date]], channels_by_day: dict[dt.date, set[str]]
) -> list[tuple[dt.date, tuple[str, ...], list[tuple[str, str]], bool]]:
    """The unusual (channel, metric, day) hits as one group per day, so one odd day (a duplicated import
    moves every metric of a channel) is one alert, not one per metric and channel.
    Returns [(day, channels, [(channel, metric)], whole_day)]; whole_day: every channel with data that day
    (more than one) is unusual, more likely a data problem than a channel's."""
    by_day: dict[dt.date, dict[str, list[str]]] = {}
    for channel, metric, day in hits:
        by_day.setdefault(day, {}).setdefault(channel, []).append(metric)
    groups = []
    for day in sorted(by_day):
        channels = tuple(sorted(by_day[day]))
        pairs = [(ch, m) for ch in channels for m in by_day[day][ch]]
        whole_day = len(channels) > 1 and set(channels) >= channels_by_day.get(day, set())
        groups.append((day, channels, pairs, whole_day))
    return groups


def overdue(due: dt.date | None, done: bool, today: dt.date) -> int | None:
    """Days past the due date of an unfinished item."""
    if due is None or done or due >= today:
        return None
    return (today - due).days


def over_plan(planned: float, actual: float) -> float | None:
    planned, actual = _f(planned), _f(actual)
    return actual - planned if actual > planned else None


def contingency_below(ratio: float | None, minimum: float) -> bool:
    return ratio is not None and _f(ratio) < minimum


# --- the registry -----------------------------------------------------------------------------

RULES: dict[str, Rule] = {}


def register(rule: Rule) -> Rule:
    RULES[rule.key] = rule
    return rule


register(Rule("kpi_deviation", "high", (Param("threshold", 0.10, 0.01, 1.0),), requires_evaluation=True))
# Ahead of plan (seed 004's 超额完成): good news to note, not a deviation to evaluate.
register(Rule("kpi_ahead", "info", (Param("threshold", 0.10, 0.01, 1.0),)))
register(Rule("conversion_drop", "high", (Param("threshold", 0.50, 0.05, 1.0),)))
register(Rule("below_benchmark", "medium", (Param("threshold", 0.20, 0.01, 1.0), Param("days", 3, 1, 30))))
register(Rule("anomaly", "medium", (Param("z", 3.5, 2.0, 10.0), Param("history_days", 14, 7, 90))))
register(Rule("task_overdue", "medium"))
register(Rule("milestone_at_risk", "high"))
register(Rule("budget_over", "high", (Param("threshold", 0.0, 0.0, 1.0),), requires_evaluation=True))
register(Rule("contingency_low", "medium", (Param("minimum", 0.10, 0.0, 0.5),)))
register(Rule("issue_sla", "high"))
register(Rule("standup_missing", "low"))
register(Rule("retro_overdue", "medium"))
register(Rule("material_late", "high"))


def validate_params(key: str, params: dict) -> dict[str, Param | None]:
    """The parameters refused, by name: the Param whose range the value is outside (or not a number), or None
    for a name the rule does not have (the service words them in the reader's language). Empty when fine."""
    allowed = {p.name: p for p in RULES[key].params}
    errors: dict[str, Param | None] = {}
    for name, value in params.items():
        spec = allowed.get(name)
        if spec is None:
            errors[name] = None
        elif isinstance(value, bool) or not isinstance(value, (int, float)) or not spec.low <= value <= spec.high:
            errors[name] = spec
    return errors


def effective_params(key: str, overrides: dict | None) -> dict:
    rule = RULES[key]
    values = {p.name: p.default for p in rule.params}
    values.update(overrides or {})
    return values


Check = Callable[..., list[Finding]]
