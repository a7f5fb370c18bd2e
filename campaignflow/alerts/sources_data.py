"""Alert sources that read KPIs, daily metrics and the budget (goals, tracking and budgets apps)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from campaignflow.budgets.domain import budget as budget_domain
from campaignflow.budgets.models import Budget
from campaignflow.budgets.selectors import annotated_lines, line_figures
from campaignflow.core.domain.numbers import is_rate_metric
from campaignflow.goals.domain.decompose import daily_plan
from campaignflow.goals.models import Channel, KpiPlan
from campaignflow.goals.selectors import kpis_with_actuals
from campaignflow.tracking.domain.charts import FUNNEL_STEPS
from campaignflow.tracking.models import MetricRow

from .domain import conditions as c
from .domain.conditions import Finding
from .models import Alert, AlertStatus
from .sources import check

STEP_NAMES = dict(FUNNEL_STEPS)
# Rates teams set benchmarks on, as (numerator step, denominator step).
RATES = {
    "点击率": ("click", "exposure"),
    "ctr": ("click", "exposure"),
    "CTR": ("click", "exposure"),
    "转化率": ("conversion", "click"),
    "conversion rate": ("conversion", "click"),
    "购买率": ("purchase", "conversion"),
}
LOOKBACK_DAYS = 90


def _series(campaign, today: dt.date, ctx: dict) -> dict[tuple[str, str], dict[dt.date, float]]:
    """(channel, metric) → {date: value} for the recent window, in one query per evaluation run
    (the metric rules share it through `ctx`)."""
    if "series" in ctx:
        return ctx["series"]
    since = today - dt.timedelta(days=LOOKBACK_DAYS)
    out: dict[tuple[str, str], dict[dt.date, float]] = defaultdict(dict)
    rows = MetricRow.objects.filter(campaign_id=campaign.pk, date__gte=since, date__lte=today).values_list(
        "channel", "metric", "date", "value"
    )
    for channel, metric, day, value in rows:
        out[(channel, metric)][day] = float(value)
    ctx["series"] = out
    return out


def _step_series(series, channel: str, step: str) -> dict[dt.date, float]:
    for name in STEP_NAMES[step]:
        if (channel, name) in series:
            return series[(channel, name)]
    return {}


def _metric_series(series, channel: str, metric: str) -> list[tuple[dt.date, float]]:
    """A raw metric, or a rate computed per day from its funnel steps (e.g. 转化率 = 转化 / 点击)."""
    if (channel, metric) in series:
        values = series[(channel, metric)]
        # Rates typed as percentages (8 for 8%) compare with benchmarks stored as fractions (0.08).
        return sorted(values.items())
    if metric in RATES:
        top, bottom = RATES[metric]
        num, den = _step_series(series, channel, top), _step_series(series, channel, bottom)
        return sorted((d, num[d] / den[d]) for d in num.keys() & den.keys() if den[d])
    return []


@check("conversion_drop")
def conversion_drop(campaign, params, today, ctx):
    series = _series(campaign, today, ctx)
    channels = {ch for ch, _m in series}
    findings = []
    for channel in sorted(channels):
        rates = _metric_series(series, channel, "转化率")
        hit = c.conversion_drop(rates, params["threshold"])
        if hit:
            day = rates[-1][0]
            findings.append(
                Finding(
                    f"channel:{channel}:{day}",
                    {"channel": channel or "—", "before": hit[0], "after": hit[1], "date": day.isoformat()},
                )
            )
    return findings


@check("below_benchmark")
def below_benchmark(campaign, params, today, ctx):
    series = _series(campaign, today, ctx)
    findings = []
    for channel in Channel.objects.filter(campaign=campaign).exclude(benchmarks={}):
        for metric, benchmark in (channel.benchmarks or {}).items():
            values = _metric_series(series, channel.name, metric)
            streak = c.below_benchmark_streak(
                values, float(Decimal(str(benchmark))), params["threshold"], int(params["days"])
            )
            if streak:
                findings.append(
                    Finding(
                        f"benchmark:{channel.name}:{metric}",
                        {"channel": channel.name, "metric": metric, "threshold": params["threshold"], "days": streak},
                    )
                )
    return findings


@check("anomaly")
def anomaly(campaign, params, today, ctx):
    """Each series' latest day against its own recent history; the unusual ones grouped by day
    (c.group_unusual): one odd day is one alert naming its channels and metrics, and is not raised again."""
    series = _series(campaign, today, ctx)
    window = int(params["history_days"])
    hits, found = [], {}
    channels_by_day: dict[dt.date, set[str]] = defaultdict(set)
    for (channel, metric), values in series.items():
        for day in values:
            channels_by_day[day].add(channel)
        if len(values) < 8:
            continue
        latest_day = max(values)
        history = [v for d, v in values.items() if latest_day - dt.timedelta(days=window) <= d < latest_day]
        hit = c.unusual(history, values[latest_day], params["z"])
        if hit is not None:
            hits.append((channel, metric, latest_day))
            found[(channel, metric)] = (values[latest_day], hit)
    groups = c.group_unusual(hits, channels_by_day)
    if not groups:
        return []
    # A day's channels in a resolved alert were reported: the next runs (every few minutes) and later
    # imports of that day raise only channels not reported yet; an open alert of the day is refreshed.
    reported: dict[str, set[str]] = defaultdict(set)
    resolved = Alert.objects.filter(
        campaign=campaign,
        rule="anomaly",
        status=AlertStatus.RESOLVED,
        subject__in=[_anomaly_subject(g[0]) for g in groups],
    )
    for subject, data in resolved.values_list("subject", "data"):
        reported[subject].update((data or {}).get("channels", []))
    findings = []
    for day, channels, pairs, whole_day in groups:
        fresh = tuple(ch for ch in channels if ch not in reported[_anomaly_subject(day)])
        if not fresh:
            continue
        metrics = []
        for channel, metric in pairs:
            if channel not in fresh:
                continue
            value, hit = found[(channel, metric)]
            metrics.append(
                {
                    "channel": channel,
                    "metric": metric,
                    "value": value,
                    "typical": hit.typical,
                    "ratio": hit.ratio,
                    "band": hit.band,
                    "z": round(max(min(hit.z, 99.0), -99.0), 2),  # ± inf (a flat history) is not JSON
                    "percent": is_rate_metric(metric),
                }
            )
        whole_day = whole_day and len(fresh) == len(channels)
        data = {"date": day.isoformat(), "channels": list(fresh), "whole_day": whole_day, "window": window}
        findings.append(Finding(_anomaly_subject(day), {**data, "metrics": metrics}))
    return findings


def _anomaly_subject(day: dt.date) -> str:
    return f"anomaly:{day.isoformat()}"


def _kpi_progress(campaign, today, ctx) -> list[tuple]:
    """(kpi, plan to date, actual) of the KPIs with a target and data, shared by the two KPI rules of a run:
    actual to date against the plan to date (the decomposed plan, or the target spread evenly)."""
    if "kpi_progress" in ctx:
        return ctx["kpi_progress"]
    out = []
    if today >= campaign.start_date:
        last_day = min(today, campaign.end_date)
        plans: dict[int, dict[str, dict[str, Decimal]]] = defaultdict(lambda: defaultdict(dict))
        for p in KpiPlan.objects.filter(kpi__campaign=campaign).exclude(granularity="channel"):
            plans[p.kpi_id][p.granularity][p.key] = p.value
        for kpi in kpis_with_actuals(campaign):
            if kpi.actual is None or not kpi.target:
                continue
            if kpi.metric:
                per_day = daily_plan(
                    start=campaign.start_date, end=campaign.end_date, target=kpi.target, plans=plans.get(kpi.pk, {})
                )
                plan = float(sum(v for d, v in per_day.items() if d <= last_day))
            else:  # a ratio KPI: its rate against the target rate
                plan = float(kpi.target)
            out.append((kpi, plan, float(kpi.actual)))
    ctx["kpi_progress"] = out
    return out


def _kpi_findings(campaign, params, today, ctx, standing: str) -> list[Finding]:
    findings = []
    for kpi, plan, actual in _kpi_progress(campaign, today, ctx):
        hit = c.kpi_standing(plan, actual, params["threshold"], kpi.direction)
        if hit is None or hit[0] != standing:
            continue
        findings.append(
            Finding(
                f"kpi:{kpi.pk}",
                {
                    "kpi": kpi.name,
                    "direction": kpi.direction,
                    "deviation": hit[1],  # (actual - plan) / plan: positive above plan, whichever is better
                    "plan": plan,
                    "actual": actual,
                    "percent": kpi.shows_percent,
                },
            )
        )
    return findings


@check("kpi_deviation")
def kpi_deviation(campaign, params, today, ctx):
    """Behind plan in the KPI's direction (below for sales, above for cost per lead): evaluate (seed 004)."""
    return _kpi_findings(campaign, params, today, ctx, "behind")


@check("kpi_ahead")
def kpi_ahead(campaign, params, today, ctx):
    """Ahead of plan in the KPI's direction: good news (seed 004's 超额完成), no evaluation."""
    return _kpi_findings(campaign, params, today, ctx, "ahead")


def _line_figures(campaign):
    return line_figures(annotated_lines(campaign))


@check("budget_over")
def budget_over(campaign, params, today, ctx):
    findings = []
    for line in _line_figures(campaign):
        over = c.over_plan(float(line.planned) * (1 + params["threshold"]), float(line.actual))
        if over is not None:
            findings.append(
                Finding(
                    f"budget_line:{line.id}",
                    {  # amounts as numbers: the message writes them in the reader's money format
                        "item": line.item,
                        "over": round(float(line.actual) - float(line.planned), 2),
                        "planned": float(line.planned),
                        "actual": float(line.actual),
                    },
                )
            )
    return findings


@check("contingency_low")
def contingency_low(campaign, params, today, ctx):
    figures = _line_figures(campaign)
    if not figures:
        return []
    ratio = budget_domain.contingency_ratio(figures)
    budget = Budget.objects.filter(campaign=campaign).first()
    minimum = float(budget.contingency_min) if budget else params["minimum"]
    if ratio is not None and c.contingency_below(float(ratio), minimum):
        return [Finding("contingency", {"ratio": float(ratio), "minimum": minimum})]
    return []
