"""Reads of the goals app: KPIs with their actuals (aggregated in the database), channels."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Case, CharField, F, Sum, Value, When

from campaignflow.core.domain.numbers import without_trailing_zeros

from .domain.decompose import plan_gap
from .domain.kpi import achievement_rate, kpi_actual, metrics_of
from .models import Channel, Kpi

# Actuals by scope: {None: {metric: sum over the whole campaign}, channel name: {metric: sum in that channel}}
Totals = dict[str | None, dict[str, Decimal]]


def scope_of(kpi: Kpi) -> str | None:
    """The channel whose rows the KPI sums (its name), or None for the whole campaign."""
    return kpi.channel_name


def _scoped_rows(qs, metrics, channels, *by):
    """`qs` (MetricChannelTotal rows) summed per metric, the `channels` apart and the others together as
    scope "" (a channel of the reach matrix always has a name): rows of metrics × (channels + 1) at most."""
    qs = qs.filter(metric__in=sorted(metrics))
    if not channels:
        return qs.values(*by, "metric").annotate(total=Sum("total")).order_by()
    scope = Case(When(channel__in=sorted(channels), then=F("channel")), default=Value(""), output_field=CharField())
    return qs.annotate(scope=scope).values(*by, "metric", "scope").annotate(total=Sum("total")).order_by()


def _add(totals: Totals, row) -> None:
    total = Decimal(row["total"])
    whole = totals.setdefault(None, {})
    whole[row["metric"]] = whole.get(row["metric"], Decimal(0)) + total
    if row.get("scope"):
        totals.setdefault(row["scope"], {})[row["metric"]] = total


def metric_totals(campaign, metrics, channels=()) -> Totals:
    """Sum of each metric over the campaign's rows (key None) and, apart, in each of `channels` (key: the
    channel's name): one GROUP BY query over the per-channel totals, a few rows per metric whatever the
    number of metric rows."""
    from campaignflow.tracking.models import MetricChannelTotal

    totals: Totals = {None: {}}
    if metrics:
        for row in _scoped_rows(MetricChannelTotal.objects.filter(campaign_id=campaign.pk), metrics, set(channels)):
            _add(totals, row)
    return totals


def kpi_actual_in(kpi: Kpi, totals: Totals) -> Decimal | None:
    """The KPI's actual from `totals` by scope: its channel's sums, or the whole campaign's."""
    return kpi_actual(
        metric=kpi.metric,
        numerator=kpi.numerator,
        denominator=kpi.denominator,
        totals=totals.get(scope_of(kpi)) or {},
    )


def _specs(items) -> tuple[set[str], set[str]]:
    """The metrics and the channels the KPIs `items` read."""
    return (
        metrics_of((k.metric, k.numerator, k.denominator) for k in items),
        {scope for k in items if (scope := scope_of(k))},
    )


def day_totals(campaign, items, *, date_from=None, date_to=None, whole=()) -> dict[dt.date, Totals]:
    """{day: totals by scope} of what the KPIs `items` read (plus the whole campaign's `whole` metrics):
    the whole campaign's daily sums (MetricDayTotal) and, for the KPIs scoped to a channel, that channel's
    daily values (MetricRow: one row per day × channel × metric). At most two queries whatever the number
    of KPIs."""
    from campaignflow.tracking.models import MetricDayTotal, MetricRow

    dates = {}
    if date_from:
        dates["date__gte"] = date_from
    if date_to:
        dates["date__lte"] = date_to
    wanted = {(scope_of(k), m) for k in items for m in (k.metric, k.numerator, k.denominator) if m}
    whole_metrics = {m for scope, m in wanted if scope is None} | set(whole)
    out: dict[dt.date, Totals] = defaultdict(dict)
    if whole_metrics:
        for metric, date, total in MetricDayTotal.objects.filter(
            campaign_id=campaign.pk, metric__in=sorted(whole_metrics), **dates
        ).values_list("metric", "date", "total"):
            out[date].setdefault(None, {})[metric] = total
    scoped = {(scope, m) for scope, m in wanted if scope is not None}
    if scoped:
        for channel, metric, date, value in MetricRow.objects.filter(
            campaign_id=campaign.pk,
            channel__in=sorted({c for c, _m in scoped}),
            metric__in=sorted({m for _c, m in scoped}),
            **dates,
        ).values_list("channel", "metric", "date", "value"):
            if (channel, metric) in scoped:
                out[date].setdefault(channel, {})[metric] = value
    return out


def _partner_view(user, campaign) -> bool:
    from campaignflow.campaigns.access import is_partner

    return user is not None and is_partner(user, campaign)


def kpis(campaign, user=None):
    """The campaign's KPIs; for a partner only those shared with partners."""
    qs = Kpi.objects.filter(campaign=campaign).select_related("owner", "channel")
    return qs.filter(shared_with_partners=True) if _partner_view(user, campaign) else qs


def _with_actuals(items: list[Kpi], totals: Totals) -> list[Kpi]:
    for k in items:
        actual = kpi_actual_in(k, totals)
        k.actual = without_trailing_zeros(actual)
        k.achievement_rate = achievement_rate(target=k.target, actual=k.actual, direction=k.direction)
    return items


def kpis_with_actuals(campaign, user=None) -> list[Kpi]:
    """The campaign's KPIs (visible to `user`), each with `.actual` and `.achievement_rate`: two queries.
    A KPI scoped to a channel sums that channel's rows only, the others the whole campaign's. A shared KPI
    shows its whole actual, also to partners (that is what was shared), whichever channels are shared."""
    items = list(kpis(campaign, user))
    return _with_actuals(items, metric_totals(campaign, *_specs(items)))


def kpi_with_actual(kpi: Kpi) -> Kpi:
    """One KPI with `.actual` and `.achievement_rate`, as `kpis_with_actuals` gives them (one query; one
    more when its channel is not loaded yet)."""
    return _with_actuals([kpi], metric_totals(kpi.campaign, *_specs([kpi])))[0]


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
    items = list(Kpi.objects.filter(campaign_id__in=ids).select_related("owner", "channel")) if ids else []
    metrics, channels = _specs(items)
    totals: dict[int, Totals] = defaultdict(lambda: {None: {}})
    if metrics:
        rows = _scoped_rows(MetricChannelTotal.objects.filter(campaign_id__in=ids), metrics, channels, "campaign_id")
        for row in rows:
            _add(totals[row["campaign_id"]], row)
    by_campaign: dict[int, list[Kpi]] = defaultdict(list)
    for k in items:  # in the model's order (campaign, position, id), as kpis() lists them
        by_campaign[k.campaign_id].append(k)
    return {cid: _with_actuals(ks, totals.get(cid, {None: {}})) for cid, ks in by_campaign.items()}


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


def data_naming_channel(channel: Channel) -> str:
    """What in the campaign names `channel` by its text, in the reader's words ("" : nothing yet): metric rows,
    budget lines, an event's registration links or registrations. A new name would leave them behind (the board,
    a channel KPI's actual, the budget by channel), so the name may change only while this is empty."""
    from django.utils.translation import gettext as _
    from django.utils.translation import pgettext

    from campaignflow.budgets.models import BudgetLine
    from campaignflow.events.models import Event, Registration
    from campaignflow.tracking.models import MetricChannelTotal

    campaign_id, name = channel.campaign_id, channel.name
    found = []
    # a channel's rows have their totals: a look at a few rows of them, not at millions of metric rows
    if MetricChannelTotal.objects.filter(campaign_id=campaign_id, channel=name).exists():
        found.append(_("metric rows"))
    if BudgetLine.objects.filter(campaign_id=campaign_id, channel=name).exists():
        found.append(_("budget lines"))
    links = Event.objects.filter(campaign_id=campaign_id).values_list("channels", flat=True)
    if (
        any(name in (names or []) for names in links)
        or Registration.objects.filter(event__campaign_id=campaign_id, channel=name).exists()
    ):
        found.append(_("event registration links"))
    if len(found) < 2:
        return "".join(found)
    return _("%(some)s and %(last)s") % {"some": pgettext("list of words", ", ").join(found[:-1]), "last": found[-1]}
