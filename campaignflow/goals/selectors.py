"""Reads of the goals app: KPIs with their actuals (aggregated in the database), channels."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Sum

from campaignflow.core.domain.numbers import without_trailing_zeros

from .domain.decompose import plan_gap
from .domain.kpi import achievement_rate, kpi_actual, metrics_of
from .models import Channel, Kpi


def metric_totals(campaign, metrics) -> dict[str, Decimal]:
    """Sum of each metric over the campaign's rows: one GROUP BY query over the per-channel totals
    (a few rows per metric, whatever the number of metric rows)."""
    from campaignflow.tracking.models import MetricChannelTotal

    metrics = sorted(set(metrics))
    if not metrics:
        return {}
    rows = (
        MetricChannelTotal.objects.filter(campaign_id=campaign.pk, metric__in=metrics)
        .values("metric")
        .annotate(total=Sum("total"))
        .order_by()
    )
    return {r["metric"]: Decimal(r["total"]) for r in rows}


def _partner_view(user, campaign) -> bool:
    from campaignflow.campaigns.access import is_partner

    return user is not None and is_partner(user, campaign)


def kpis(campaign, user=None):
    """The campaign's KPIs; for a partner only those shared with partners."""
    qs = Kpi.objects.filter(campaign=campaign).select_related("owner")
    return qs.filter(shared_with_partners=True) if _partner_view(user, campaign) else qs


def _with_actuals(items: list[Kpi], totals: dict[str, Decimal]) -> list[Kpi]:
    for k in items:
        actual = kpi_actual(metric=k.metric, numerator=k.numerator, denominator=k.denominator, totals=totals)
        k.actual = without_trailing_zeros(actual)
        k.achievement_rate = achievement_rate(target=k.target, actual=k.actual, direction=k.direction)
    return items


def kpis_with_actuals(campaign, user=None) -> list[Kpi]:
    """The campaign's KPIs (visible to `user`), each with `.actual` and `.achievement_rate`: two queries.
    A shared KPI shows the campaign's whole actual, also to partners (that is what was shared)."""
    items = list(kpis(campaign, user))
    totals = metric_totals(campaign, metrics_of((k.metric, k.numerator, k.denominator) for k in items))
    return _with_actuals(items, totals)


def kpi_with_actual(kpi: Kpi) -> Kpi:
    """One KPI with `.actual` and `.achievement_rate`, as `kpis_with_actuals` gives them (one query)."""
    totals = metric_totals(kpi.campaign, metrics_of([(kpi.metric, kpi.numerator, kpi.denominator)]))
    return _with_actuals([kpi], totals)[0]


def kpi_plan(kpi: Kpi, granularity: str) -> dict:
    """The KPI's plan at one granularity: its values (period start or channel → value), their total and
    the gap to the target (sum minus target)."""
    values = list(kpi.plans.filter(granularity=granularity))
    return {
        "granularity": granularity,
        "target": kpi.target,
        "total": sum((p.value for p in values), Decimal(0)),
        "gap": plan_gap(kpi.target, [p.value for p in values]),
        "values": values,
    }


def kpis_with_actuals_by_campaign(campaign_ids) -> dict[int, list[Kpi]]:
    """`kpis_with_actuals` (the team's view) of several campaigns: {campaign id: KPIs}, in two queries
    whatever the number of campaigns (the case library's cards; one call per campaign was 2 queries each)."""
    from campaignflow.tracking.models import MetricChannelTotal

    ids = list(campaign_ids)
    items = list(Kpi.objects.filter(campaign_id__in=ids).select_related("owner")) if ids else []
    metrics = sorted(metrics_of((k.metric, k.numerator, k.denominator) for k in items))
    totals: dict[int, dict[str, Decimal]] = defaultdict(dict)
    if metrics:
        rows = (
            MetricChannelTotal.objects.filter(campaign_id__in=ids, metric__in=metrics)
            .values("campaign_id", "metric")
            .annotate(total=Sum("total"))
            .order_by()
        )
        for r in rows:
            totals[r["campaign_id"]][r["metric"]] = Decimal(r["total"])
    by_campaign: dict[int, list[Kpi]] = defaultdict(list)
    for k in items:  # in the model's order (campaign, position, id), as kpis() lists them
        by_campaign[k.campaign_id].append(k)
    return {cid: _with_actuals(ks, totals.get(cid, {})) for cid, ks in by_campaign.items()}


def channels(campaign, user=None):
    """The campaign's channels; for a partner only those shared with partners."""
    qs = Channel.objects.filter(campaign=campaign).select_related("owner")
    return qs.filter(shared_with_partners=True) if _partner_view(user, campaign) else qs


def shared_channel_names(campaign, user) -> list[str] | None:
    """None when `user` sees every channel's data; else the names of the channels shared with partners."""
    if not _partner_view(user, campaign):
        return None
    return list(Channel.objects.filter(campaign=campaign, shared_with_partners=True).values_list("name", flat=True))


def kpi_for_campaign(campaign, kpi_id: int, user=None) -> Kpi:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(kpis(campaign, user).select_related("campaign"), pk=kpi_id)


def channel_for_campaign(campaign, channel_id: int, user=None) -> Channel:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(channels(campaign, user).select_related("campaign"), pk=channel_id)
