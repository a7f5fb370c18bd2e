"""Reads of the tracking app. The board aggregates in the database (GROUP BY) with a fixed number of
queries, whatever the number of rows."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from campaignflow.campaigns.access import campaign_for_user
from campaignflow.goals.domain.decompose import daily_plan
from campaignflow.goals.domain.kpi import achievement_rate
from campaignflow.goals.models import Channel, KpiPlan, Priority
from campaignflow.goals.selectors import kpis_with_actuals

from .domain import charts
from .models import ImportBatch, ImportJob, MetricRow


def metric_rows(campaign, *, metric=None, channel=None, date_from=None, date_to=None):
    qs = MetricRow.objects.filter(campaign_id=campaign.pk)
    if metric:
        qs = qs.filter(metric=metric)
    if channel is not None:
        qs = qs.filter(channel=channel)
    if date_from:
        qs = qs.filter(date__gte=date_from)
    if date_to:
        qs = qs.filter(date__lte=date_to)
    return qs.order_by("date", "channel", "metric")


def batches(campaign):
    return ImportBatch.objects.filter(campaign=campaign).select_related("actor", "undone_by")


def batch_for_user(user, batch_id: int, need: str) -> ImportBatch:
    batch = get_object_or_404(ImportBatch.objects.select_related("campaign"), pk=batch_id)
    campaign_for_user(user, batch.campaign_id, need)
    return batch


def job_for_user(user, job_id: int) -> ImportJob:
    """A background import job, for those who can see its campaign (404 otherwise)."""
    from campaignflow.campaigns.access import VIEW

    job = get_object_or_404(ImportJob.objects.defer("data"), pk=job_id)
    campaign_for_user(user, job.campaign_id, VIEW)
    return job


def metric_names(campaign) -> list[str]:
    return list(
        MetricRow.objects.filter(campaign_id=campaign.pk).values_list("metric", flat=True).distinct().order_by("metric")
    )


def _today() -> dt.date:
    return timezone.localdate()


def board(campaign, *, today: dt.date | None = None) -> dict:
    """Everything the data board shows: 7 queries, aggregated by the database."""
    today = today or _today()
    kpis = kpis_with_actuals(campaign)  # 2 queries
    channels = list(Channel.objects.filter(campaign=campaign))  # 1
    start, end = campaign.start_date, campaign.end_date
    days = charts.dates_between(start, end)
    total_days = len(days)
    last_day = min(end, today)
    elapsed = max(0, (last_day - start).days + 1)

    base_metrics = sorted({k.metric for k in kpis if k.metric})
    core = next((k for k in kpis if k.priority == Priority.CORE and k.metric), None) or next(
        (k for k in kpis if k.metric), None
    )
    plans: dict[int, dict[str, dict[str, Decimal]]] = defaultdict(lambda: defaultdict(dict))
    for p in KpiPlan.objects.filter(kpi__campaign=campaign, granularity__in=("day", "week", "month")):  # 1
        plans[p.kpi_id][p.granularity][p.key] = p.value

    by_day: dict[str, dict[dt.date, Decimal]] = defaultdict(dict)
    if base_metrics:
        for r in (
            MetricRow.objects.filter(campaign_id=campaign.pk, metric__in=base_metrics)
            .values("metric", "date")
            .annotate(total=Sum("value"))
            .order_by()
        ):  # 1
            by_day[r["metric"]][r["date"]] = Decimal(r["total"])

    kpi_cards = []
    for k in kpis:
        card = {
            "id": k.id,
            "name": k.name,
            "metric": k.metric or f"{k.numerator}/{k.denominator}",
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
        actual_by_day = by_day.get(core.metric, {})
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
        # per-channel daily trend of the core metric
        series: dict[str, dict[dt.date, Decimal]] = defaultdict(dict)
        for r in (
            MetricRow.objects.filter(campaign_id=campaign.pk, metric=core.metric, date__gte=start, date__lte=end)
            .values("channel", "date")
            .annotate(total=Sum("value"))
            .order_by()
        ):  # 1
            series[r["channel"]][r["date"]] = Decimal(r["total"])
        shown = [d for d in days if d <= last_day]
        result["trend"] = {
            "metric": core.metric,
            "option": charts.trend_option(
                dates=shown, series={ch: [vals.get(d) for d in shown] for ch, vals in sorted(series.items())}
            ),
        }
    for card in kpi_cards:
        card.pop("_plan", None)

    # funnel: totals per channel and step, one query
    per_channel: dict[str, dict[str, Decimal]] = defaultdict(dict)
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for r in (
        MetricRow.objects.filter(campaign_id=campaign.pk, metric__in=charts.FUNNEL_METRICS)
        .values("channel", "metric")
        .annotate(total=Sum("value"))
        .order_by()
    ):  # 1
        per_channel[r["channel"]][r["metric"]] = Decimal(r["total"])
        totals[r["metric"]] += Decimal(r["total"])
    steps = charts.funnel_steps(totals)
    step_labels = {
        "exposure": _("Exposure"),
        "click": _("Click"),
        "conversion": _("Conversion"),
        "purchase": _("Purchase"),
    }
    result["funnel"] = {
        "steps": steps,
        "option": charts.funnel_option(steps, step_labels) if steps else None,
        "labels": step_labels,
        "channels": [
            {"channel": ch, "steps": charts.funnel_steps(values)} for ch, values in sorted(per_channel.items())
        ],
    }
    return result
