"""Reads of the tracking app. The board aggregates in the database (GROUP BY) with a fixed number of
queries, whatever the number of rows."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from campaignflow.campaigns.access import is_partner
from campaignflow.core.json_out import dumps
from campaignflow.core.shown_numbers import number_shown
from campaignflow.goals.domain.decompose import daily_plan
from campaignflow.goals.domain.kpi import achievement_rate
from campaignflow.goals.models import KpiPlan, Priority
from campaignflow.goals.selectors import channels as goal_channels
from campaignflow.goals.selectors import day_totals, kpis_with_actuals, scope_of, shared_channel_names

from .domain import charts
from .models import ImportBatch, MetricChannelTotal, MetricRow


def step_labels() -> dict[str, str]:
    """The funnel steps' names in the reader's language: the one copy the board, the review and the PDFs read."""
    return {
        "exposure": _("Exposure"), "click": _("Click"), "visit": _("Visitors"), "registration": _("Registrations"),
        "check_in": _("Check-ins"), "conversion": _("Conversion"), "purchase": _("Purchase"),
    }  # fmt: skip


def metric_rows(campaign, *, metric=None, channel=None, date_from=None, date_to=None, user=None):
    """Metric rows, filtered; for a partner only the rows of channels shared with partners."""
    qs = MetricRow.objects.filter(campaign_id=campaign.pk)
    shared = shared_channel_names(campaign, user)
    if shared is not None:
        qs = qs.filter(channel__in=shared)
    if metric:
        qs = qs.filter(metric=metric)
    if channel is not None:
        qs = qs.filter(channel=channel)
    if date_from:
        qs = qs.filter(date__gte=date_from)
    if date_to:
        qs = qs.filter(date__lte=date_to)
    return qs.order_by("date", "channel", "metric")


def rows_as_json(rows) -> bytes:
    """A `values_list("d", "channel", "metric", "v")` of metric rows (dates and values already text, see
    models.DateText/DecimalText) as the API's JSON array of {date, channel, metric, value}.

    SQLite builds the JSON itself (json_group_array: 2,800 rows in 6.5 ms instead of 14 ms through
    Python objects); PostgreSQL's json_build_object is slower per row than Python's encoder (25 vs 15 ms),
    so there the rows are encoded here."""
    if connection.vendor != "sqlite":
        return dumps([{"date": d, "channel": c, "metric": m, "value": v} for d, c, m, v in rows])
    try:
        inner, params = rows.query.sql_with_params()
    except EmptyResultSet:  # e.g. a partner with no shared channel: `channel IN ()`
        return b"[]"
    # the rows are aggregated in the subquery's order (SQLite does not flatten an ordered, limited
    # subquery into an aggregate)
    sql = (
        "SELECT json_group_array(json_object('date', r.d, 'channel', r.channel, 'metric', r.metric, "
        f"'value', r.v)) FROM ({inner}) AS r"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0].encode()


def batches(campaign, user=None):
    """Import batches; a partner sees only their own (file names and counts are the team's business)."""
    qs = ImportBatch.objects.filter(campaign=campaign).select_related("actor", "undone_by")
    if user is not None and is_partner(user, campaign):
        qs = qs.filter(actor=user)
    return qs


def metric_names(campaign) -> list[str]:
    return list(
        MetricRow.objects.filter(campaign_id=campaign.pk).values_list("metric", flat=True).distinct().order_by("metric")
    )


def _today() -> dt.date:
    return timezone.localdate()


TREND_TOP_CHANNELS = 8  # the trend chart draws the biggest channels; the rest are one "other" line


def board(campaign, *, user=None, today: dt.date | None = None) -> dict:
    """Everything the data board shows, in a fixed number of queries whatever the data size: the daily
    and per-channel figures come from the pre-aggregated totals (tracking.rollups), and only the trend
    of the core metric reads metric rows, for its biggest channels.

    `user`: a partner sees the KPIs and channels shared with partners, nothing else."""
    today = today or _today()
    kpis = kpis_with_actuals(campaign, user)  # 2-3 queries
    channels = list(goal_channels(campaign, user))  # 1
    shared = None if user is None or not is_partner(user, campaign) else [c.name for c in channels]
    start, end = campaign.start_date, campaign.end_date
    days = charts.dates_between(start, end)
    total_days = len(days)
    last_day = min(end, today)
    elapsed = max(0, (last_day - start).days + 1)

    core = next((k for k in kpis if k.priority == Priority.CORE and k.metric), None) or next(
        (k for k in kpis if k.metric), None
    )
    plans: dict[int, dict[str, dict[str, Decimal]]] = defaultdict(lambda: defaultdict(dict))
    for p in KpiPlan.objects.filter(kpi__campaign=campaign, granularity__in=("day", "week", "month")):  # 1
        plans[p.kpi_id][p.granularity][p.key] = p.value

    # the core KPI's daily values (its channel's when it counts one channel: one more query) and the whole
    # campaign's day totals of its metric (the trend's "other channels")
    days_of = day_totals(campaign, [core] if core else [], whole=[core.metric] if core else [])  # 1-2

    # per-channel totals of the funnel metrics and the core metric (for the trend's biggest channels)
    wanted = set(charts.FUNNEL_METRICS) | ({core.metric} if core else set())
    channel_totals = MetricChannelTotal.objects.filter(campaign_id=campaign.pk, metric__in=wanted)
    if shared is not None:
        channel_totals = channel_totals.filter(channel__in=shared)
    per_channel: dict[str, dict[str, Decimal]] = defaultdict(dict)
    for metric, channel, total in channel_totals.values_list("metric", "channel", "total"):  # 1
        per_channel[channel][metric] = total

    kpi_cards = []
    for k in kpis:
        card = {
            "id": k.id,
            "name": k.name,
            "metric": k.metric or f"{k.numerator}/{k.denominator}",
            "channel": k.channel_name,  # the channel the KPI counts; None: the whole campaign
            "unit": k.unit,
            "percent": k.shows_percent,
            "priority": k.priority,
            "direction": k.direction,
            "target": k.target,
            "actual": k.actual,
            "achievement_rate": k.achievement_rate,
            "forecast": None,
            "gauge": charts.gauge_option(k.name, k.achievement_rate),
        }
        if k.metric:
            plan = daily_plan(start=start, end=end, target=k.target, plans=plans.get(k.id, {}))
            plan_to_date = sum((plan.get(d, 0) for d in days if d <= last_day), Decimal(0))
            card["forecast"] = charts.forecast_final(
                actual_to_date=k.actual or Decimal(0),
                elapsed_days=elapsed,
                total_days=total_days,
                plan_to_date=plan_to_date,
                plan_total=sum(plan.values(), Decimal(0)),
            )
            card["forecast_rate"] = achievement_rate(target=k.target, actual=card["forecast"], direction=k.direction)
            card["_plan"] = plan
        kpi_cards.append(card)

    result: dict = {
        "campaign": {"id": campaign.pk, "start_date": start, "end_date": end, "today": today, "elapsed_days": elapsed},
        "kpis": kpi_cards,
        "core_metric": core.metric if core else None,
        "core_unit": core.unit if core else "",
        "cumulative": None,
        "daily": [],
        "trend": None,
        "funnel": {"steps": [], "channels": []},
        "channels": [c.name for c in channels],
    }

    labels = {"plan": _("Plan (cumulative)"), "actual": _("Actual (cumulative)"), "forecast": _("Forecast")}
    if core is not None:
        card = next(c for c in kpi_cards if c["id"] == core.id)
        plan = card.pop("_plan")
        scope = scope_of(core)
        actual_by_day = {d: t[scope][core.metric] for d, t in days_of.items() if core.metric in t.get(scope, {})}
        whole_by_day = {d: t[None][core.metric] for d, t in days_of.items() if core.metric in t.get(None, {})}
        plan_values = [plan.get(d, Decimal(0)) for d in days]
        actual_values = [actual_by_day.get(d, Decimal(0)) if d <= last_day else None for d in days]
        cum_actual_all = charts.cumulative(actual_values)
        cum_actual = [v if d <= last_day else None for d, v in zip(days, cum_actual_all, strict=True)]
        cum_plan = charts.cumulative(plan_values)
        result["cumulative"] = {
            "metric": core.metric,
            "option": charts.cumulative_option(
                dates=days, actual=cum_actual, plan=cum_plan, forecast=card["forecast"], labels=labels
            ),
        }
        result["daily"] = [
            {
                "date": d,
                "target": plan_values[i],
                "actual": actual_by_day.get(d),
                "achievement_rate": achievement_rate(
                    target=plan_values[i], actual=actual_by_day.get(d), direction=core.direction
                ),
            }
            for i, d in enumerate(days)
            if d <= last_day
        ]
        result["trend"] = _trend(campaign, core.metric, per_channel, whole_by_day, days, last_day, shared)  # 1
    for card in kpi_cards:
        card.pop("_plan", None)

    totals: dict[str, Decimal] = defaultdict(Decimal)
    for values in per_channel.values():
        for metric, total in values.items():
            if metric in charts.FUNNEL_METRICS:
                totals[metric] += total
    steps = charts.funnel_steps(totals)
    labels = step_labels()
    funnel_channels = []
    for ch, values in sorted(per_channel.items()):
        ch_steps = charts.funnel_steps({m: v for m, v in values.items() if m in charts.FUNNEL_METRICS})
        if ch_steps:
            funnel_channels.append({"channel": ch, "steps": ch_steps})
    result["funnel"] = {
        "steps": steps,
        "option": charts.funnel_option(steps, labels, number=number_shown) if steps else None,
        "labels": labels,
        "channels": funnel_channels,
    }
    return result


def _trend(campaign, metric, per_channel, day_totals, days, last_day, shared) -> dict | None:
    """Daily values of `metric` for its biggest channels (one query on the covering index) and, for the
    team, one line for all other channels (day total minus the drawn channels)."""
    ranked = sorted(
        ((values[metric], ch) for ch, values in per_channel.items() if metric in values), key=lambda t: (-t[0], t[1])
    )
    top = [ch for _total, ch in ranked[:TREND_TOP_CHANNELS]]
    shown = [d for d in days if d <= last_day]
    shown_text = [d.isoformat() for d in shown]
    series: dict[str, dict[str, float]] = defaultdict(dict)  # channel → ISO day → value
    if top and shown:
        # One row per (date, channel, metric) by the unique key: no GROUP BY needed. One seek per channel
        # (UNION ALL of equalities) so the index range is used even when the planner's statistics have
        # not caught up with a bulk load (PostgreSQL with `channel IN (…)`: 31 ms instead of 2 ms).
        # Dates as ISO text and values as floats straight from the database: the chart needs nothing
        # more, and a date and a Decimal made per row were most of the board's Python time.
        if connection.vendor == "postgresql":
            columns = "channel, to_char(date, 'YYYY-MM-DD'), value::float8"
        else:
            columns = "channel, CAST(date AS TEXT), CAST(value AS REAL)"  # text: no date converter
        one = (
            f"SELECT {columns} FROM {MetricRow._meta.db_table} WHERE campaign_id = %s AND metric = %s "
            f"AND channel = %s AND date >= %s AND date <= %s"
        )
        params: list = []
        for channel in top:
            params += [campaign.pk, metric, channel, shown[0], last_day]
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join([one] * len(top)), params)
            for channel, date, value in cursor.fetchall():
                series[channel][date[:10]] = value
    lines = {ch: [series[ch].get(d) for d in shown_text] for ch in sorted(top)}
    if shared is None and len(ranked) > len(top):
        drawn = [series[ch] for ch in top]
        other = []
        for d, text in zip(shown, shown_text, strict=True):
            total = day_totals.get(d)
            other.append(None if total is None else float(total) - sum(s.get(text) or 0 for s in drawn))
        lines[_("Other channels (%(n)s)") % {"n": len(ranked) - len(top)}] = other
    if not shown or not lines:
        return None  # nothing to draw yet (the campaign has not started, or no channel has data)
    return {"metric": metric, "option": charts.trend_option(dates=shown, series=lines)}
