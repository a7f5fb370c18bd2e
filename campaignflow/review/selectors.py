"""Reads of the review: evaluation table, attribution (funnel, ROI, cost per result), retrospective
status, the case library (search, cards, similar cases)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from campaignflow.campaigns.access import visible_campaigns
from campaignflow.campaigns.models import Campaign, MemberRole, Status
from campaignflow.core.workdays import china_calendar
from campaignflow.goals.models import Channel
from campaignflow.goals.selectors import kpis_with_actuals, kpis_with_actuals_by_campaign
from campaignflow.tracking.selectors import step_labels

from .domain import attribution as at
from .domain import evaluation as ev
from .domain.similarity import CaseFacts, most_similar
from .models import EvaluationNote, Retrospective


def _today() -> dt.date:
    return timezone.localdate()


# --- evaluation ---------------------------------------------------------------------------


def evaluation_rows(campaign) -> list[dict]:
    """One row per KPI: target/actual/achievement from the metric data, analysis/improvement from people."""
    kpis = kpis_with_actuals(campaign)
    notes = {n.kpi_id: n for n in EvaluationNote.objects.filter(campaign=campaign)}
    rows = []
    for k in kpis:
        note = notes.get(k.id)
        rows.append(
            {
                "id": k.id,
                "kpi": k.name,
                "metric": k.metric or f"{k.numerator}/{k.denominator}",
                "unit": k.unit,
                "priority": k.priority,
                "direction": k.direction,
                "percent": k.shows_percent,
                "target": k.target,
                "actual": k.actual,
                "achievement_rate": k.achievement_rate,
                "cause": ev.cause(k.achievement_rate),
                "dimension": note.dimension if note else "",
                "analysis": note.analysis if note else "",
                "improvement": note.improvement if note else "",
                "version": note.version if note else 0,
            }
        )
    return rows


def evaluation_missing(rows: list[dict]) -> int:
    return ev.missing_rows([ev.RowState(r["analysis"], r["improvement"]) for r in rows])


def evaluation(campaign) -> dict:
    rows = evaluation_rows(campaign)
    missing = evaluation_missing(rows)
    return {
        "campaign": campaign.pk,
        "rows": rows,
        "complete": bool(rows) and missing == 0,
        "missing": missing,
    }


# --- attribution --------------------------------------------------------------------------


def _funnel_step_names():
    from campaignflow.tracking.domain.charts import FUNNEL_STEPS

    return FUNNEL_STEPS


def attribution(campaign) -> dict:
    """Funnel per channel with contributions, ROI/CPA/CPC/CPM per channel, marginal-ROI ranking: 4 queries."""
    from campaignflow.budgets.models import BudgetLine, Expense, ExpenseStatus
    from campaignflow.tracking.models import MetricChannelTotal, MetricRow

    steps = _funnel_step_names()
    names = {n for _k, ns in steps for n in ns} | set(at.REVENUE_METRICS)
    per_channel: dict[str, dict[str, Decimal]] = defaultdict(dict)
    for r in MetricChannelTotal.objects.filter(campaign_id=campaign.pk, metric__in=names).values(
        "channel", "metric", "total"
    ):
        per_channel[r["channel"]][r["metric"]] = Decimal(r["total"])
    funnel = at.funnel_by_channel({ch: v for ch, v in per_channel.items()}, steps)

    # daily exposure and revenue per channel, for the elasticity estimate
    exposure_names = dict(steps)["exposure"]
    daily: dict[str, dict[dt.date, list]] = defaultdict(lambda: defaultdict(lambda: [0.0, 0.0]))
    for r in (
        MetricRow.objects.filter(campaign_id=campaign.pk, metric__in=set(exposure_names) | set(at.REVENUE_METRICS))
        .values("channel", "date", "metric")
        .annotate(total=Sum("value"))
        .order_by()
    ):
        slot = 0 if r["metric"] in exposure_names else 1
        daily[r["channel"]][r["date"]][slot] += float(r["total"])

    # A budget line belongs to a channel by its `channel` field, or else when the channel's name appears
    # in the line's item (e.g. "小红书KOC合作" → 小红书).
    known = sorted(set(per_channel) | set(Channel.objects.filter(campaign=campaign).values_list("name", flat=True)))
    known = [k for k in known if k]

    def channel_of(channel: str, item: str) -> str:
        if channel:
            return channel
        return next((k for k in sorted(known, key=len, reverse=True) if k in (item or "")), "")

    planned: dict[str, Decimal] = defaultdict(Decimal)
    spent: dict[str, Decimal] = defaultdict(Decimal)
    for channel, item, amount in BudgetLine.objects.filter(campaign=campaign).values_list("channel", "item", "planned"):
        if ch := channel_of(channel, item):
            planned[ch] += amount or 0
    for channel, item, amount in (
        Expense.objects.filter(campaign=campaign, status=ExpenseStatus.APPROVED)
        .values("line__channel", "line__item")
        .annotate(s=Sum("amount"))
        .values_list("line__channel", "line__item", "s")
    ):
        if ch := channel_of(channel, item):
            spent[ch] += amount or 0

    channel_names = sorted(set(per_channel) | set(planned) | set(spent))
    items = []
    for ch in channel_names:
        values = per_channel.get(ch, {})
        cost = spent.get(ch) or planned.get(ch) or None
        items.append(
            at.ChannelMoney(
                channel=ch,
                revenue=at.step_value(values, at.REVENUE_METRICS),
                cost=cost,
                exposure=at.step_value(values, dict(steps)["exposure"]),
                clicks=at.step_value(values, dict(steps)["click"]),
                conversions=at.step_value(values, dict(steps)["conversion"])
                or at.step_value(values, dict(steps)["purchase"]),
                elasticity=at.elasticity(list(daily.get(ch, {}).values())),
            )
        )
    economics = at.channel_economics(items)
    for row in economics:
        row["cost_basis"] = (
            "actual" if spent.get(row["channel"]) else ("planned" if planned.get(row["channel"]) else None)
        )
    labels = step_labels()
    return {
        "funnel": funnel,
        "channels": economics,
        "suggestion": at.budget_suggestion(economics),
        "charts": {
            "funnel": at.funnel_stack_option(funnel, labels) if funnel["steps"] else None,
            "roi": at.roi_option(economics, {"roi": _("ROI"), "marginal": _("Marginal ROI")})
            if any(r["roi"] is not None for r in economics)
            else None,
        },
    }


# --- retrospective ------------------------------------------------------------------------


def retrospective_of(campaign) -> Retrospective | None:
    return Retrospective.objects.filter(campaign=campaign).select_related("completed_by").first()


def retro_status(campaign, retro: Retrospective | None = None, *, today: dt.date | None = None) -> dict:
    today = today or _today()
    due = ev.retro_due(campaign.end_date, china_calendar(around=(campaign.end_date, campaign.end_date)))
    done_on = timezone.localtime(retro.completed_at).date() if retro and retro.completed_at else None
    late = ev.days_late(due, done_on, today) if (done_on or campaign.end_date < today) else 0
    return {"due_date": due, "completed": done_on is not None, "completed_on": done_on, "days_late": late}


def retrospective(campaign) -> dict:
    retro = retrospective_of(campaign)
    status = retro_status(campaign, retro)
    return {
        "campaign": campaign.pk,
        "worked": retro.worked if retro else "",
        "improve": retro.improve if retro else "",
        "lessons": retro.lessons if retro else "",
        "assets": retro.assets if retro else [],
        "completed_at": retro.completed_at if retro else None,
        "completed_by": retro.completed_by.username if retro and retro.completed_by else None,
        "version": retro.version if retro else 0,
        **status,
    }


def settlement_status(campaign) -> dict:
    """Whether every party signed the settlement (only asked when partners take part)."""
    from campaignflow.budgets.models import CampaignPartner
    from campaignflow.budgets.selectors import settlement_statement

    if not CampaignPartner.objects.filter(campaign=campaign, state=CampaignPartner.State.PARTICIPATING).exists():
        return {"needed": False, "all_signed": True, "error": None, "signoffs": []}
    st = settlement_statement(campaign)
    return {
        "needed": True,
        "all_signed": bool(st.get("all_signed")) and not st["error"],
        "error": st["error"],
        "signoffs": st.get("signoffs", []),
        "rows": st.get("rows", []),
    }


# --- case library -------------------------------------------------------------------------


def case_queryset(user):
    """Archived campaigns the user sees, without those where the user is only a partner."""
    qs = visible_campaigns(user).filter(status=Status.ARCHIVED)
    if getattr(user, "is_authenticated", False) and not (user.is_superuser or user.role == "admin"):
        qs = qs.exclude(memberships__user=user, memberships__role=MemberRole.PARTNER)
    return qs


def search_cases(
    user,
    *,
    q: str = "",
    type: str = "",
    industry: str = "",
    channel: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    achieved: bool | None = None,
    limit: int = 50,
) -> list[dict]:
    """Substring search (Chinese works at any length: LIKE/ILIKE, see the README of this app) + filters."""
    qs = case_queryset(user)
    for word in (q or "").split()[:5]:
        word = word[:100]
        qs = qs.filter(
            Q(name__icontains=word)
            | Q(description__icontains=word)
            | Q(industry__icontains=word)
            | Q(channels__name__icontains=word)
            | Q(retrospective__worked__icontains=word)
            | Q(retrospective__lessons__icontains=word)
            | Q(kpis__name__icontains=word)
        )
    if type:
        qs = qs.filter(type=type)
    if industry:
        qs = qs.filter(industry__icontains=industry[:100])
    if channel:
        qs = qs.filter(channels__name=channel[:100])
    if date_from:
        qs = qs.filter(end_date__gte=date_from)
    if date_to:
        qs = qs.filter(start_date__lte=date_to)
    ids = list(qs.values_list("id", flat=True).distinct()[: max(1, min(limit, 200)) * 2])
    campaigns = list(Campaign.objects.filter(id__in=ids).select_related("owner").order_by("-end_date", "-id"))
    cards = case_cards(campaigns)
    if achieved is not None:
        cards = [c for c in cards if (c["core_rate"] is not None and c["core_rate"] >= 1) == achieved]
    return cards[:limit]


def case_cards(campaigns: list[Campaign]) -> list[dict]:
    """A card per campaign with its key numbers (core KPI, budget, spend, channels): six queries, however
    many campaigns."""
    from campaignflow.budgets.models import Expense, ExpenseStatus

    ids = [c.pk for c in campaigns]
    channels: dict[int, list[str]] = defaultdict(list)
    for cid, name in Channel.objects.filter(campaign_id__in=ids).values_list("campaign_id", "name"):
        channels[cid].append(name)
    spend = dict(
        Expense.objects.filter(campaign_id__in=ids, status=ExpenseStatus.APPROVED)
        .values("campaign_id")
        .annotate(s=Sum("amount"))
        .values_list("campaign_id", "s")
    )
    retros = {r.campaign_id: r for r in Retrospective.objects.filter(campaign_id__in=ids)}
    kpis_of = kpis_with_actuals_by_campaign(ids)  # 2 queries for all the cards
    cards = []
    for c in campaigns:
        kpis = kpis_of.get(c.pk, [])
        core = next((k for k in kpis if k.priority == "core"), None) or (kpis[0] if kpis else None)
        retro = retros.get(c.pk)
        cards.append(
            {
                "id": c.pk,
                "name": c.name,
                "type": c.type,
                "type_label": c.get_type_display(),
                "industry": c.industry,
                "tags": c.tags or [],
                "start_date": c.start_date,
                "end_date": c.end_date,
                "budget_total": c.budget_total,
                "spent": spend.get(c.pk),
                "channels": channels.get(c.pk, []),
                "core_kpi": core.name if core else None,
                "core_target": core.target if core else None,
                "core_actual": core.actual if core else None,
                "core_unit": core.unit if core else "",
                "core_rate": core.achievement_rate if core else None,
                "kpis": [{"kpi": k.name, "achievement_rate": k.achievement_rate} for k in kpis if k.priority != "core"][
                    :3
                ],
                "worked": (retro.worked if retro else "")[:200],
            }
        )
    return cards


def _facts(campaigns) -> list[CaseFacts]:
    ids = [c.pk for c in campaigns]
    channels: dict[int, set] = defaultdict(set)
    for cid, name in Channel.objects.filter(campaign_id__in=ids).values_list("campaign_id", "name"):
        channels[cid].add(name)
    return [
        CaseFacts(
            id=c.pk,
            name=c.name,
            type=c.type,
            industry=c.industry,
            tags=frozenset(c.tags or []),
            channels=frozenset(channels.get(c.pk, set())),
            days=(c.end_date - c.start_date).days + 1,
            budget=float(c.budget_total or 0),
        )
        for c in campaigns
    ]


def similar_cases(user, campaign, limit: int = 5) -> list[dict]:
    candidates = list(case_queryset(user).exclude(pk=campaign.pk).distinct()[:500])
    facts = _facts([campaign, *candidates])
    ranked = most_similar(facts[0], facts[1:], limit=limit)
    by_id = {c.pk: c for c in candidates}
    cards = {c["id"]: c for c in case_cards([by_id[f.id] for f, _s in ranked])}
    return [{**cards[f.id], "similarity": score} for f, score in ranked]
