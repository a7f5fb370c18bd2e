"""Reads of the budgets app, with partner visibility applied."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from campaignflow.accounts.models import Role
from campaignflow.campaigns.access import is_admin, is_partner, is_partner_user
from campaignflow.campaigns.models import MemberRole, Membership
from campaignflow.core.errors import Forbidden

from .domain import budget as bd
from .domain import settlement as st
from .models import (
    Budget,
    BudgetLine,
    CampaignPartner,
    Category,
    CostShare,
    Expense,
    ExpenseStatus,
    Partner,
    PartnerContact,
    SettlementSignoff,
)

ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=14, decimal_places=2))
HOST = "host"
SCORE_FIELDS = ("industry_relevance", "audience_overlap", "resource_strength", "brand_fit")


# the global roles that approve budgets and expenses (and link a partner company's accounts)
APPROVER_ROLES = {Role.FINANCE, Role.DIRECTOR, Role.ADMIN}


def category_label(key: str) -> str:
    try:
        return str(Category(key).label)
    except ValueError:
        return key


def party_of(user, campaign) -> CampaignPartner | None:
    """The participating CampaignPartner a partner contact acts for in this campaign."""
    contact = PartnerContact.objects.filter(user=user).first()
    if contact is None:
        return None
    return CampaignPartner.objects.filter(
        campaign=campaign, partner_id=contact.partner_id, state=CampaignPartner.State.PARTICIPATING
    ).first()


def budget_or_default(campaign) -> Budget:
    """The stored budget, or an unsaved draft with the default rule (reads never write)."""
    return Budget.objects.filter(campaign=campaign).select_related("submitted_by").first() or Budget(campaign=campaign)


def annotated_lines(campaign):
    """The campaign's budget lines with `actual` (approved spend) and `held` (waiting for approval)."""
    return (
        BudgetLine.objects.filter(campaign=campaign)
        .select_related("owner")
        .annotate(
            actual=Coalesce(Sum("expenses__amount", filter=Q(expenses__status=ExpenseStatus.APPROVED)), ZERO),
            # waiting: held overruns and corrections waiting for approval
            held=Coalesce(
                Sum("expenses__amount", filter=Q(expenses__status__in=[ExpenseStatus.HELD, ExpenseStatus.PENDING])),
                ZERO,
            ),
        )
        .order_by("id")
    )


def line_figures(lines) -> list[bd.LineFigures]:
    return [bd.LineFigures(ln.id, ln.category, ln.item, ln.planned, ln.actual, ln.held) for ln in lines]


def lines_for(user, campaign):
    qs = annotated_lines(campaign)
    if is_partner(user, campaign):
        qs = qs.filter(shared_with_partners=True)
    return qs


def budget_overview(user, campaign) -> dict:
    """Everything GET /budget and the budget page show."""
    budget = budget_or_default(campaign)
    lines = list(lines_for(user, campaign))
    figures = line_figures(lines)
    planned_total = sum((f.planned for f in figures), Decimal("0.00"))
    actual_total = sum((f.actual for f in figures), Decimal("0.00"))
    held_total = sum((f.held for f in figures), Decimal("0.00"))
    ratio = bd.contingency_ratio(figures)
    state = bd.contingency_state(ratio, budget.contingency_min, budget.contingency_max)
    warnings = []
    if state == "low":
        warnings.append(
            _("The contingency reserve is %(ratio)s of the total, below the rule of %(low)s–%(high)s.")
            % {"ratio": _pct(ratio), "low": _pct(budget.contingency_min), "high": _pct(budget.contingency_max)}
        )
    elif state == "high":
        warnings.append(
            _("The contingency reserve is %(ratio)s of the total, above the rule of %(low)s–%(high)s.")
            % {"ratio": _pct(ratio), "low": _pct(budget.contingency_min), "high": _pct(budget.contingency_max)}
        )
    if campaign.budget_total and planned_total > campaign.budget_total and not is_partner(user, campaign):
        warnings.append(
            _("The lines add up to %(planned)s, more than the campaign's budget total %(total)s.")
            % {"planned": planned_total, "total": campaign.budget_total}
        )
    total_dev = bd.deviation(planned_total, actual_total)
    rows = []
    for ln, f in zip(lines, figures, strict=True):
        rows.append(
            {
                "id": ln.id,
                "category": ln.category,
                "category_label": category_label(ln.category),
                "item": ln.item,
                "planned": f.planned,
                "actual": f.actual,
                "held": f.held,
                "over": f.over,
                "deviation": f.deviation,
                "deviation_alert": bd.deviation_alert(f.planned, f.actual),
                "owner": ln.owner.username if ln.owner else None,
                "owner_label": ln.owner.label if ln.owner else "",
                "note": ln.note,
                "channel": ln.channel,
                "shared_with_partners": ln.shared_with_partners,
                "version": ln.version,
            }
        )
    groups = bd.by_category(figures)
    return {
        "budget": budget,
        "status": budget.status,
        "version": budget.version,
        "revision": budget.revision,
        "planned_total": planned_total,
        "actual_total": actual_total,
        "held_total": held_total,
        "over_total": max(actual_total - planned_total, Decimal("0.00")),
        "deviation": total_dev,
        "deviation_alert": bd.deviation_alert(planned_total, actual_total) if figures else False,
        "contingency_ratio": ratio,
        "contingency_min": budget.contingency_min,
        "contingency_max": budget.contingency_max,
        "contingency_state": state,
        "warnings": warnings,
        "lines": rows,
        "categories": [
            {
                "category": key,
                "label": category_label(key),
                "planned": g["planned"],
                "actual": g["actual"],
                "held": g["held"],
                "over": g["over"],
                "lines": [r for r in rows if r["category"] == key],
            }
            for key, g in groups.items()
        ],
        "groups": groups,
        "submitted_by": budget.submitted_by.username if budget.submitted_by_id else None,
        "submitted_at": budget.submitted_at,
        "diff": pending_diff(campaign, budget) if not is_partner(user, campaign) else [],
    }


def _pct(value) -> str:
    return f"{Decimal(value) * 100:.1f}%".replace(".0%", "%")


def pending_diff(campaign, budget: Budget) -> list[dict]:
    """Line-level before/after of a revision against the last approved lines."""
    if not budget.pk or budget.approved_lines is None:
        return []
    current = bd.line_snapshot(BudgetLine.objects.filter(campaign=campaign).values("id", "category", "item", "planned"))
    return bd.revision_diff(budget.approved_lines, current)


def history(campaign) -> list:
    budget = Budget.objects.filter(campaign=campaign).first()
    if budget is None:
        return []
    return list(budget.events.select_related("actor"))


def expenses_for(user, campaign):
    qs = Expense.objects.filter(campaign=campaign).select_related(
        "line", "paid_by__partner", "created_by", "decided_by"
    )
    if is_partner(user, campaign):
        party = party_of(user, campaign)
        qs = qs.filter(
            Q(line__shared_with_partners=True) | Q(paid_by=party) if party else Q(line__shared_with_partners=True)
        )
    return qs


def expense_history(expense) -> list:
    """The expense's audit entries, newest first, each with the fields it changed (label, before, after)
    in the reader's words (`core.audit_display`): line names, status labels, money, the payer."""
    from campaignflow.core.audit_display import describe
    from campaignflow.core.models import AuditEntry

    entries = AuditEntry.objects.filter(object_type="budgets.expense", object_id=str(expense.pk)).select_related(
        "actor"
    )
    return describe(
        entries,
        fields=("amount", "date", "line_id", "payee", "paid_by_id", "note", "receipt_name", "status"),
        labels={"receipt_name": _("Receipt")},
        empty={"paid_by_id": _("Our company (host)")},
        actions={"create": _("Recorded"), "correct": _("Corrected")},
    )


def held_expenses(campaign):
    return Expense.objects.filter(campaign=campaign, status=ExpenseStatus.HELD).select_related("line", "created_by")


def campaign_partners(user, campaign):
    qs = (
        CampaignPartner.objects.filter(campaign=campaign).select_related("partner").prefetch_related("responsibilities")
    )
    if is_partner(user, campaign):
        party = party_of(user, campaign)
        qs = qs.filter(pk=party.pk) if party else qs.none()
    return qs


def weighted_score(cp: CampaignPartner, weights: dict) -> Decimal:
    total = sum(
        (Decimal(str(weights.get(f, 0))) * getattr(cp, f) for f in SCORE_FIELDS),
        Decimal(0),
    )
    return total.quantize(Decimal("0.01"))


def ranking(user, campaign) -> list[dict]:
    """Partners ranked by weighted evaluation score (highest first)."""
    weights = budget_or_default(campaign).partner_weights
    rows = [{"cp": cp, "score": weighted_score(cp, weights)} for cp in campaign_partners(user, campaign)]
    rows.sort(key=lambda r: (-r["score"], r["cp"].partner.name))
    for i, row in enumerate(rows, 1):
        row["rank"] = i
    return rows


def shares_for(user, campaign) -> dict:
    """{"default": [...], "lines": {line_id: [...]}} — partners see only rows about their company."""
    qs = CostShare.objects.filter(campaign=campaign).select_related("party__partner", "line")
    if is_partner(user, campaign):
        party = party_of(user, campaign)
        qs = qs.filter(party=party) if party else qs.none()
    out: dict = {"default": [], "lines": defaultdict(list)}
    for s in qs:
        row = {
            "party": s.party_id or HOST,
            "party_name": s.party.partner.name if s.party_id else _("Our company (host)"),
            "ratio": s.ratio,
        }
        if s.line_id:
            out["lines"][s.line_id].append(row)
        else:
            out["default"].append(row)
    out["lines"] = dict(out["lines"])
    return out


def party_key(cp_id) -> str:
    return f"p{cp_id}" if cp_id else HOST


def settlement_statement(campaign) -> dict:
    """The settlement: each party's share of approved costs, what it paid, transfers, sign-offs."""
    parties = list(
        CampaignPartner.objects.filter(campaign=campaign, state=CampaignPartner.State.PARTICIPATING)
        .select_related("partner")
        .order_by("id")
    )
    names = {HOST: _("Our company (host)"), **{party_key(p.pk): p.partner.name for p in parties}}
    order = list(names)
    shares: dict = defaultdict(dict)
    for s in CostShare.objects.filter(campaign=campaign):
        shares[s.line_id][party_key(s.party_id)] = s.ratio
    default = shares.pop(None, None) or {HOST: Decimal(1)}
    costs_by_line: dict = defaultdict(lambda: Decimal("0.00"))
    paid: dict = defaultdict(lambda: Decimal("0.00"))
    approved = Expense.objects.filter(campaign=campaign, status=ExpenseStatus.APPROVED)
    for row in approved.values("line_id", "paid_by_id").annotate(s=Sum("amount")):
        costs_by_line[row["line_id"]] += row["s"]
        paid[party_key(row["paid_by_id"])] += row["s"]
    lines = {ln.id: ln for ln in BudgetLine.objects.filter(campaign=campaign, id__in=list(costs_by_line))}
    costs = [st.Cost(key=lid, amount=amount, shares=shares.get(lid)) for lid, amount in sorted(costs_by_line.items())]
    result = {"names": names, "order": order, "error": None, "statement": None, "digest": "", "signoffs": []}
    try:
        statement = st.settle(parties=order, default_shares=default, costs=costs, paid=dict(paid))
    except st.SettlementError:
        result["error"] = _("The cost shares name a party that no longer takes part; set the shares again.")
        return result
    result["statement"] = statement
    result["digest"] = st.digest(statement)
    result["rows"] = [
        {
            "party": p,
            "name": names[p],
            "share": default.get(p, Decimal(0)),
            "owed": statement.owed[p],
            "paid": statement.paid[p],
            "balance": statement.balance[p],
        }
        for p in order
    ]
    result["lines"] = [
        {"line": lines[key], "category_label": category_label(lines[key].category), "parts": parts}
        for key, parts in statement.per_cost
    ]
    result["transfers"] = [
        {"payer": names[t.payer], "payee": names[t.payee], "amount": t.amount} for t in statement.transfers
    ]
    signoffs = SettlementSignoff.objects.filter(campaign=campaign).select_related("user", "party__partner")
    result["signoffs"] = [
        {
            "party": party_key(s.party_id),
            "name": names.get(party_key(s.party_id), s.party.partner.name if s.party_id else names[HOST]),
            "user": s.user.label if s.user else "",
            "username": s.user.username if s.user else "",
            "at": s.at,
            "digest": s.digest,
            "current": s.digest == result["digest"],
        }
        for s in signoffs
    ]
    signed_now = {s["party"] for s in result["signoffs"] if s["current"]}
    result["all_signed"] = set(order) <= signed_now
    result["signed_now"] = signed_now
    return result


def statement_party(user, campaign) -> str | None:
    """Whose statement the user may read: None for the team (every party); for a partner, their own
    company's party key (the other companies' figures are not theirs to see), Forbidden when their company
    does not take part in the settlement."""
    if not is_partner(user, campaign):
        return None
    own = party_of(user, campaign)
    if own is None:
        raise Forbidden(_("Your company does not take part in this campaign's settlement."))
    return party_key(own.pk)


def settlement_contacts(campaign) -> dict[str, str]:
    """Each party's contact for the statement: the campaign's owner for our side; for a partner company
    its contacts as typed, else the people who act for it."""
    parties = CampaignPartner.objects.filter(campaign=campaign, state=CampaignPartner.State.PARTICIPATING)
    contacts = {HOST: campaign.owner.label if campaign.owner else ""}
    for cp in parties.select_related("partner").prefetch_related("partner__contact_users__user"):
        people = [c.user.label for c in cp.partner.contact_users.all()]
        contacts[party_key(cp.pk)] = cp.partner.contacts.strip() or pgettext("list separator", ", ").join(people)
    return contacts


def deciders(campaign, roles, *, except_user_id: int | None = None) -> list:
    """Who can decide an approval of the campaign: its active members whose global role is one of `roles` (or a
    superuser), on a team role (a partner member sees only the shared lines, not the budget to decide), not
    `except_user_id` (the person who asked, when the rules keep them from deciding their own request). Admins who
    are not members see the campaign too, but are not counted on: a request must reach the campaign's own team."""
    members = (
        Membership.objects.filter(campaign=campaign, user__is_active=True)
        .exclude(role=MemberRole.PARTNER)
        .filter(Q(user__role__in=list(roles)) | Q(user__is_superuser=True))
        .select_related("user")
        .order_by("user__username")
    )
    if except_user_id is not None:
        members = members.exclude(user_id=except_user_id)
    return [m.user for m in members]


def overrun_queue(user):
    """Held overruns of every campaign the user sees (the director's queue)."""
    from campaignflow.campaigns.access import visible_campaigns

    return (
        Expense.objects.filter(status=ExpenseStatus.HELD, campaign__in=visible_campaigns(user))
        .select_related("campaign", "line", "created_by")
        .order_by("date", "id")
    )


# --- partner companies ----------------------------------------------------------------------------


def companies_for(user):
    """The partner companies a caller sees: every one for the team (the names to pick one for a campaign),
    only their own company for a partner user (the others do not exist for them: 404)."""
    if is_partner_user(user):
        return Partner.objects.filter(contact_users__user=user)
    return Partner.objects.all()


def _used_in_campaigns_of(user, roles=None) -> Q:
    """Companies taking part in (or candidates of) a not deleted campaign the user is a member of."""
    memberships = Membership.objects.filter(user=user, campaign__deleted_at__isnull=True)
    if roles:
        memberships = memberships.filter(role__in=roles)
    used = CampaignPartner.objects.filter(campaign_id__in=memberships.values("campaign_id"))
    return Q(pk__in=used.values("partner_id"))


def companies_with_details(user):
    """The companies whose contacts and note the caller may read: those they see in a campaign of theirs,
    created, or act for; admins read every one."""
    if is_admin(user):
        return Partner.objects.all()
    if is_partner_user(user):
        return companies_for(user)
    return Partner.objects.filter(Q(created_by=user) | _used_in_campaigns_of(user))


def can_edit_company(user, partner: Partner) -> bool:
    """A right over the company: an admin, its creator, or an owner/manager of a campaign that uses it
    (it shows on every campaign and settlement that uses it, so a stranger must not rename it)."""
    if is_admin(user):
        return True
    if is_partner_user(user):
        return False
    if partner.created_by_id == user.pk:
        return True
    managed = _used_in_campaigns_of(user, roles=(MemberRole.OWNER, MemberRole.MANAGER))
    return Partner.objects.filter(managed, pk=partner.pk).exists()


def can_link_contacts(user, partner: Partner) -> bool:
    """Who may make an account act for the company (see what it is shared): an administrator, an approver (finance,
    director) or the company's creator."""
    return is_admin(user) or getattr(user, "role", "") in APPROVER_ROLES or partner.created_by_id == user.pk
