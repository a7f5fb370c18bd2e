"""Reads of the goals app: KPIs with their actuals (aggregated in the database), channels."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum

from .domain.kpi import achievement_rate, kpi_actual, metrics_of
from .models import Channel, Kpi


def metric_totals(campaign, metrics) -> dict[str, Decimal]:
    """Sum of each metric over the campaign's rows: one GROUP BY query."""
    from campaignflow.tracking.models import MetricRow

    metrics = sorted(set(metrics))
    if not metrics:
        return {}
    rows = (
        MetricRow.objects.filter(campaign_id=campaign.pk, metric__in=metrics)
        .values("metric")
        .annotate(total=Sum("value"))
        .order_by()
    )
    return {r["metric"]: Decimal(r["total"]) for r in rows}


def kpis(campaign):
    return Kpi.objects.filter(campaign=campaign).select_related("owner")


def kpis_with_actuals(campaign) -> list[Kpi]:
    """The campaign's KPIs, each with `.actual` and `.achievement_rate`: two queries in all."""
    items = list(kpis(campaign))
    totals = metric_totals(campaign, metrics_of((k.metric, k.numerator, k.denominator) for k in items))
    for k in items:
        k.actual = kpi_actual(metric=k.metric, numerator=k.numerator, denominator=k.denominator, totals=totals)
        k.achievement_rate = achievement_rate(target=k.target, actual=k.actual, direction=k.direction)
    return items


def channels(campaign):
    return Channel.objects.filter(campaign=campaign).select_related("owner")


def kpi_for_campaign(campaign, kpi_id: int) -> Kpi:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(Kpi.objects.select_related("campaign", "owner"), pk=kpi_id, campaign=campaign)


def channel_for_campaign(campaign, channel_id: int) -> Channel:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(Channel.objects.select_related("campaign", "owner"), pk=channel_id, campaign=campaign)
