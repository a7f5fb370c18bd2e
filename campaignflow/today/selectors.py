"""What waits for one person today, across their campaigns: each section in a constant number of queries,
whatever the number of campaigns or items (tests/support/list_cases.txt, `me/today`).

Each item is a plain dict with the `url` that opens it, so the page and `GET /api/v1/me/today` say the same.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections import defaultdict
from decimal import Decimal
from functools import reduce

from django.db.models import Max, Q, Sum
from django.urls import reverse

from campaignflow.alerts.models import Alert, AlertStatus
from campaignflow.budgets.models import OVERRUN_REASONS, Budget, BudgetStatus, Expense, ExpenseStatus
from campaignflow.budgets.services import APPROVER_ROLES, OVERRUN_ROLES, may_decide
from campaignflow.campaigns.access import visible_campaigns
from campaignflow.campaigns.models import MemberRole, Membership, Status
from campaignflow.execution.models import Standup
from campaignflow.goals.models import Channel, Kpi
from campaignflow.materials import selectors as material_selectors
from campaignflow.materials.domain import workflow
from campaignflow.materials.models import Material, ReviewSide
from campaignflow.planning.selectors import my_tasks
from campaignflow.tracking.models import MetricRow

from .domain.numbers_due import daily_metrics, missing, runs_on

TEAM_ROLES = (MemberRole.OWNER, MemberRole.MANAGER, MemberRole.MEMBER)  # who writes stand-ups and enters numbers
MANAGING_ROLES = (MemberRole.OWNER, MemberRole.MANAGER)  # who answers for the campaign's alerts and reviews
ITEMS_MAX = 100  # per section: a phone screen is for what is due, not an archive


def memberships(user) -> list[Membership]:
    """The user's memberships of open campaigns (not deleted, archived or cancelled), with their campaigns."""
    return list(
        Membership.objects.filter(user=user, campaign__deleted_at__isnull=True)
        .exclude(campaign__status__in=(Status.ARCHIVED, Status.CANCELLED))
        .select_related("campaign")
        .order_by("campaign__start_date", "campaign_id")
    )


def _executing(rows: list[Membership]) -> list[Membership]:
    return [m for m in rows if m.campaign.status == Status.EXECUTING and m.role in TEAM_ROLES]


# --- tasks ----------------------------------------------------------------------------------------------


def task_items(user, day: dt.date) -> list[dict]:
    """My open tasks overdue and due today (the one overdue rule: `planning.selectors.overdue`)."""
    groups = my_tasks(user, day)
    return [
        {
            "id": t.pk,
            "code": t.code,
            "name": t.name,
            "campaign_id": t.campaign_id,
            "campaign": t.campaign.name,
            "end_date": t.end_date,
            "status": t.status,
            "overdue": bucket == "overdue",
            "version": t.version,
            "url": reverse("planning:plan", args=[t.campaign_id]) + f"#task-{t.pk}",
        }
        for bucket in ("overdue", "today")
        for t in groups[bucket][:ITEMS_MAX]
    ]


# --- stand-ups ------------------------------------------------------------------------------------------


def standup_items(user, day: dt.date, rows: list[Membership]) -> list[dict]:
    """My stand-up of the day in each campaign being executed: written or still to write."""
    campaigns = [m.campaign for m in _executing(rows)]
    written = set(
        Standup.objects.filter(user=user, date=day, campaign_id__in=[c.pk for c in campaigns]).values_list(
            "campaign_id", flat=True
        )
    )
    return [
        {
            "campaign_id": c.pk,
            "campaign": c.name,
            "written": c.pk in written,
            "url": reverse("today:standup", args=[c.pk]),
        }
        for c in campaigns
    ]


# --- today's numbers ------------------------------------------------------------------------------------


def _kpi_metrics(campaign_ids) -> dict[int, list[str]]:
    """Each campaign's KPI metrics (a rate's numerator and denominator too), in the KPIs' order."""
    found: dict[int, list[str]] = defaultdict(list)
    rows = Kpi.objects.filter(campaign_id__in=campaign_ids).order_by("campaign_id", "position", "id")
    for cid, *names in rows.values_list("campaign_id", "metric", "numerator", "denominator"):
        found[cid] += [n for n in names if n and n not in found[cid]]
    return found


def channel_metrics(channel: Channel, kpi_metrics: list[str]) -> list[str]:
    """The metrics a channel reports every day (see `domain.numbers_due.daily_metrics`)."""
    targets = channel.targets if isinstance(channel.targets, dict) else {}
    return daily_metrics(targets, kpi_metrics)


def entered(campaign_ids, day: dt.date, channels=None) -> set[tuple[int, str, str]]:
    """(campaign id, channel, metric) of the values stored for `day`."""
    rows = MetricRow.objects.filter(campaign_id__in=campaign_ids, date=day)
    if channels is not None:
        rows = rows.filter(channel__in=channels)
    return set(rows.values_list("campaign_id", "channel", "metric"))


def number_items(user, day: dt.date, rows: list[Membership]) -> list[dict]:
    """The channels still missing numbers for `day`: those I am responsible for in each campaign being
    executed, and for the campaign's owner and managers every channel of it."""
    roles = {m.campaign_id: m.role for m in _executing(rows)}
    names = {m.campaign_id: m.campaign.name for m in rows}
    channels = list(Channel.objects.filter(campaign_id__in=list(roles)).order_by("campaign_id", "id"))
    mine = [c for c in channels if c.owner_id == user.pk or roles[c.campaign_id] in MANAGING_ROLES]
    mine = [c for c in mine if runs_on(day, c.start_date, c.end_date)]
    if not mine:
        return []
    kpi_metrics = _kpi_metrics(roles)
    stored = entered({c.campaign_id for c in mine}, day)
    items = []
    for channel in mine:
        metrics = channel_metrics(channel, kpi_metrics.get(channel.campaign_id, []))
        have = {m for cid, ch, m in stored if cid == channel.campaign_id and ch == channel.name}
        lacking = missing(metrics, have)
        if lacking:
            url = reverse("today:numbers", args=[channel.campaign_id])
            items.append(
                {
                    "campaign_id": channel.campaign_id,
                    "campaign": names[channel.campaign_id],
                    "channel": channel.name,
                    "mine": channel.owner_id == user.pk,
                    "missing": lacking,
                    "url": f"{url}?channel={channel.name}",
                }
            )
    return items


# --- alerts ---------------------------------------------------------------------------------------------


def alert_items(user, rows: list[Membership]) -> list[dict]:
    """Open and acknowledged alerts (good news aside) of the campaigns I own or manage: the people the
    alert engine notifies are the ones who acknowledge and resolve them."""
    ids = [m.campaign_id for m in rows if m.role in MANAGING_ROLES or m.campaign.owner_id == user.pk]
    alerts = (
        Alert.objects.filter(campaign_id__in=ids)
        .exclude(status=AlertStatus.RESOLVED)
        .exclude(severity="info")
        .select_related("campaign")
        .order_by("status", "-created_at", "-id")[:ITEMS_MAX]
    )
    return [
        {
            "id": a.pk,
            "campaign_id": a.campaign_id,
            "campaign": a.campaign.name,
            "message": a.shown_message,  # in the reader's language
            "severity": a.severity,
            "status": a.status,
            "created_at": a.created_at,
            "version": a.version,
            "url": reverse("alerts:list", args=[a.campaign_id]) + f"?alert={a.pk}#alert-{a.pk}",
        }
        for a in alerts
    ]


# --- approvals ------------------------------------------------------------------------------------------


def _budget_items(user) -> list[dict]:
    if not may_decide(user, APPROVER_ROLES):
        return []
    budgets = (
        Budget.objects.filter(status=BudgetStatus.SUBMITTED, campaign__in=visible_campaigns(user))
        .exclude(submitted_by=user)
        .select_related("campaign", "submitted_by")
        .annotate(planned=Sum("campaign__budget_lines__planned"))
        .order_by("submitted_at", "id")[:ITEMS_MAX]
    )
    return [
        {
            "kind": "budget",
            "id": b.pk,
            "campaign_id": b.campaign_id,
            "campaign": b.campaign.name,
            "title": b.campaign.name,
            "amount": b.planned,
            "by": b.submitted_by.label if b.submitted_by else "",
            "version": b.version,
            "url": reverse("budgets:budget", args=[b.campaign_id]),
            "decide_url": reverse("today:budget-decide", args=[b.campaign_id]),
        }
        for b in budgets
    ]


# an overrun expense's `over_reason` is a code: the reader sees why in words (as on the budget page)


def _expense_items(user) -> list[dict]:
    waiting = []
    if may_decide(user, APPROVER_ROLES):  # a correction waits for finance, never for the one who made it
        waiting.append(Q(status=ExpenseStatus.PENDING) & ~Q(corrected_by=user))
    if may_decide(user, OVERRUN_ROLES):  # 超支需总监审批
        waiting.append(Q(status=ExpenseStatus.HELD))
    if not waiting:
        return []
    expenses = (
        Expense.objects.filter(reduce(operator.or_, waiting), campaign__in=visible_campaigns(user))
        .select_related("campaign", "line", "created_by")
        .order_by("date", "id")[:ITEMS_MAX]
    )
    return [
        {
            "kind": "overrun" if e.status == ExpenseStatus.HELD else "correction",
            "id": e.pk,
            "campaign_id": e.campaign_id,
            "campaign": e.campaign.name,
            "title": " · ".join(x for x in (e.line.item if e.line else "", e.payee) if x),
            "amount": e.amount,
            "by": e.created_by.label if e.created_by else "",
            "note": str(OVERRUN_REASONS.get(e.over_reason, e.over_reason)),
            "version": e.version,
            "url": reverse("budgets:budget", args=[e.campaign_id]) + f"#expense-{e.pk}",
            "decide_url": reverse("today:expense-decide", args=[e.pk]),
        }
        for e in expenses
    ]


def _material_items(user, rows: list[Membership]) -> list[dict]:
    """Materials in review whose approval still needs my side: ours for owners and managers, the partner's
    for a partner member when the material is co-branded."""
    host = [m.campaign_id for m in rows if m.role in MANAGING_ROLES]
    partner = [m.campaign_id for m in rows if m.role == MemberRole.PARTNER]
    materials = list(
        Material.objects.filter(status=workflow.IN_REVIEW)
        .filter(Q(campaign_id__in=host) | Q(campaign_id__in=partner, partner_approval=True))
        .select_related("campaign", "owner")
        .order_by("due_date", "id")[:ITEMS_MAX]
    )
    history = material_selectors.reviews_by_material(materials)
    items = []
    for m in materials:
        side = ReviewSide.HOST if m.campaign_id in host else ReviewSide.PARTNER
        if side not in material_selectors.waiting_for(m, history.get(m.pk, [])):
            continue
        items.append(
            {
                "kind": "material",
                "id": m.pk,
                "campaign_id": m.campaign_id,
                "campaign": m.campaign.name,
                "title": f"{m.code} {m.name}",
                "amount": None,
                "by": m.owner.label if m.owner else "",
                "version": m.version,
                "url": reverse("materials:detail", args=[m.campaign_id, m.pk]),
                "decide_url": reverse("today:material-decide", args=[m.pk]),
            }
        )
    return items


def approval_items(user, rows: list[Membership] | None = None) -> list[dict]:
    """What waits for my decision: submitted budgets and expenses (by the budget's approval rules) and
    materials to review."""
    rows = memberships(user) if rows is None else rows
    return _budget_items(user) + _expense_items(user) + _material_items(user, rows)


def today(user, day: dt.date) -> dict:
    """Every section of the Today screen."""
    rows = memberships(user)
    return {
        "date": day,
        "tasks": task_items(user, day),
        "standups": standup_items(user, day, rows),
        "numbers": number_items(user, day, rows),
        "alerts": alert_items(user, rows),
        "approvals": approval_items(user, rows),
    }


# --- the numbers form -----------------------------------------------------------------------------------


def entry_channels(user, campaign, day: dt.date, wanted: list[str], *, every: bool = False) -> list[Channel]:
    """The channels of the numbers form: those named in `wanted` (the reminder's link), else mine, else
    (responsible for none, or `every`) all the channels the user sees, live on `day`."""
    from campaignflow.goals.selectors import channels as visible_channels

    seen = [c for c in visible_channels(campaign, user).order_by("id") if runs_on(day, c.start_date, c.end_date)]
    if wanted:
        return [c for c in seen if c.name in wanted]
    mine = [c for c in seen if c.owner_id == user.pk]
    return seen if every or not mine else mine


def entry_cards(campaign, day: dt.date, channels: list[Channel]) -> list[dict]:
    """One card per channel: its daily metrics with the values stored for `day`."""
    kpi_metrics = _kpi_metrics([campaign.pk]).get(campaign.pk, [])
    stored = {
        (r.channel, r.metric): r.value
        for r in MetricRow.objects.filter(campaign_id=campaign.pk, date=day, channel__in=[c.name for c in channels])
    }
    cards = []
    for channel in channels:
        metrics = channel_metrics(channel, kpi_metrics) or sorted({m for ch, m in stored if ch == channel.name})
        values = [(m, stored.get((channel.name, m))) for m in metrics]
        cards.append(
            {
                "channel": channel.name,
                "metrics": [{"metric": m, "value": _plain(v)} for m, v in values],
                "missing": [m for m, v in values if v is None],
            }
        )
    return cards


def _plain(value: Decimal | None) -> str:
    return "" if value is None else format(value.normalize(), "f")


def entry_version(campaign, day: dt.date, channels: list[str]) -> int:
    """What the form's values were read at: the newest import that wrote one of them (0: none yet). A
    form sent later (queued while offline) with an older one would overwrite newer numbers: refused."""
    newest = (
        MetricRow.objects.filter(campaign_id=campaign.pk, date=day, channel__in=channels)
        .aggregate(newest=Max("batch_id"))
        .get("newest")
    )
    return newest or 0
