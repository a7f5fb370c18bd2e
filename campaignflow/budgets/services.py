"""Every write of the budgets app: atomic, version-checked, one audit entry each."""

from __future__ import annotations

import contextlib
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from campaignflow.accounts.models import Role, User
from campaignflow.accounts.selectors import user_input
from campaignflow.alerts.tasks import after_data_changed
from campaignflow.campaigns.access import EDIT, MANAGE, can, is_partner_user, require_writer, role_in
from campaignflow.campaigns.models import Campaign, MemberRole
from campaignflow.core import blobs
from campaignflow.core.api_types import MAX_ID
from campaignflow.core.audit import audit_record, delete_versioned, snapshot
from campaignflow.core.domain.numbers import CENT, MAX_MONEY, parse_money
from campaignflow.core.domain.text import clean_text
from campaignflow.core.errors import Conflict, DomainError, Forbidden, InvalidInput
from campaignflow.core.field_errors import valid
from campaignflow.core.locking import changed_only, refuse_if_stale, update_versioned
from campaignflow.core.parsing import date_input
from campaignflow.core.shown_numbers import money_shown
from campaignflow.core.unique_rows import create_unique

from . import approval_requests, selectors
from .domain import budget as bd
from .models import (
    Budget,
    BudgetEvent,
    BudgetLine,
    BudgetStatus,
    CampaignPartner,
    CostShare,
    Expense,
    ExpenseStatus,
    Partner,
    PartnerContact,
    Responsibility,
    SettlementSignoff,
)

APPROVER_ROLES = selectors.APPROVER_ROLES
OVERRUN_ROLES = {Role.DIRECTOR, Role.ADMIN}
RECEIPT_MAX_BYTES = 5 * 1024 * 1024
RECEIPT_TYPES = {  # extension → magic bytes
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
}
SCORE_FIELDS = ("industry_relevance", "audience_overlap", "resource_strength", "brand_fit")


class TooLarge(DomainError):
    status = 413


# --- helpers -----------------------------------------------------------------------------


def _snap(obj) -> dict:
    """Audit snapshot; a receipt file is recorded by its stored name."""
    data = snapshot(obj, exclude=("created_at", "updated_at", "receipt"))
    if isinstance(obj, Expense):
        data["receipt"] = obj.receipt.name or ""
    return data


def _id(value) -> int | None:
    """A database id from client input, or None (never an overflowing query)."""
    if isinstance(value, bool):
        return None
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= MAX_ID else None


def _money(errors: dict, field: str, value, *, allow_zero: bool = True) -> Decimal | None:
    try:
        return parse_money(value, allow_zero=allow_zero)
    except bd.MoneyError as exc:
        messages = {
            "required": _("An amount is required."),
            "not a number": _("“%(value)s” is not an amount; type e.g. 12000, 1.2万 or 12,000.00.") % {"value": value},
            "must not be negative": _("The amount must not be negative."),
            "must be greater than zero": _("The amount must be greater than zero."),
            "at most 2 decimal places": _("At most 2 decimal places (fen)."),
            "too large": _("The amount is too large: it must be less than %(limit)s.")
            % {"limit": money_shown(MAX_MONEY + CENT)},
        }
        errors[field] = messages.get(str(exc), str(exc))
        return None


def _text(errors: dict, field: str, value, *, max_length: int, required: bool = False) -> str:
    text = clean_text(value)
    if required and not text:
        errors[field] = _("This field is required.")
    elif len(text) > max_length:
        errors[field] = _("At most %(n)d characters.") % {"n": max_length}
    return text


def _required_text(errors: dict, out: dict, data: dict, field: str, *, max_length: int, partial: bool) -> None:
    """A text every row has: read on a create, and on an update when `data` gives it."""
    if not partial or field in data:
        out[field] = _text(errors, field, data.get(field), max_length=max_length, required=True)


def budget_for(campaign: Campaign, *, lock: bool = False) -> Budget:
    """The campaign's budget (created on first use), optionally locked for this transaction."""
    budget, _created = Budget.objects.get_or_create(campaign=campaign)
    if lock:
        budget = Budget.objects.select_for_update().get(pk=budget.pk)
    return budget


def lines_snapshot(campaign: Campaign) -> list[dict]:
    return bd.line_snapshot(BudgetLine.objects.filter(campaign=campaign).values("id", "category", "item", "planned"))


def _line_changed(actor: User, campaign: Campaign) -> Budget:
    """Lines may change unless the budget waits for approval; an approved budget becomes a revision."""
    budget = budget_for(campaign, lock=True)
    if budget.status == BudgetStatus.SUBMITTED:
        raise Conflict(_("The budget is waiting for approval; it cannot change until it is approved or rejected."))
    if budget.status == BudgetStatus.APPROVED:
        Budget.objects.filter(pk=budget.pk).update(
            status=BudgetStatus.DRAFT, version=F("version") + 1, updated_at=timezone.now()
        )
        BudgetEvent.objects.create(
            budget=budget, action="revise", actor=actor, comment=_("Changed after approval: needs approval again.")
        )
        budget.refresh_from_db()
    return budget


# --- budget settings and lines ----------------------------------------------------------------


@transaction.atomic
def budget_update_settings(*, actor: User, campaign: Campaign, version: int, data: dict) -> Budget:
    budget = budget_for(campaign, lock=True)
    errors: dict = {}
    changes = {}
    for field in ("contingency_min", "contingency_max"):
        if data.get(field) is not None:
            try:
                changes[field] = bd.parse_ratio(data[field])
            except bd.MoneyError:
                errors[field] = _("Give a percentage between 0 and 100%, e.g. 10%.")
    low = changes.get("contingency_min", budget.contingency_min)
    high = changes.get("contingency_max", budget.contingency_max)
    if not errors and low > high:
        errors["contingency_max"] = _("The maximum must not be below the minimum.")
    if data.get("partner_weights") is not None:
        weights = data["partner_weights"]
        clean = {}
        if not isinstance(weights, dict) or set(weights) - set(SCORE_FIELDS):
            errors["partner_weights"] = _("Weights are given for %(fields)s.") % {"fields": ", ".join(SCORE_FIELDS)}
        else:
            for key in SCORE_FIELDS:
                try:
                    clean[key] = str(bd.parse_ratio(weights.get(key, budget.partner_weights.get(key, 0)) or 0))
                except bd.MoneyError:
                    errors[f"partner_weights.{key}"] = _("Give a weight between 0 and 100%.")
            if not errors and sum(Decimal(v) for v in clean.values()) != 1:
                errors["partner_weights"] = _("The weights must add up to 100%.")
            changes["partner_weights"] = clean
    if errors:
        raise InvalidInput(errors)
    before = _snap(budget)
    update_versioned(budget, expected_version=version, changes=changes)
    audit_record(actor=actor, action="update", obj=budget, campaign=campaign, before=before, after=_snap(budget))
    return budget


def _clean_line(data: dict, *, partial: bool) -> dict:
    errors: dict = {}
    out: dict = {}
    if not partial or "category" in data:
        out["category"] = bd.normalize_category(
            _text(errors, "category", data.get("category"), max_length=50, required=True)
        )
    _required_text(errors, out, data, "item", max_length=200, partial=partial)
    if not partial or "planned" in data:
        out["planned"] = _money(errors, "planned", data.get("planned"))
    if "owner" in data:
        out["owner"] = user_input(data.get("owner"), "owner", errors)
    if "note" in data:
        out["note"] = _text(errors, "note", data.get("note"), max_length=5000)
    if "channel" in data:
        out["channel"] = _text(errors, "channel", data.get("channel"), max_length=100)
    if "shared_with_partners" in data and data["shared_with_partners"] is not None:
        out["shared_with_partners"] = bool(data["shared_with_partners"])
    return valid(out, errors)


@transaction.atomic
def line_create(*, actor: User, campaign: Campaign, data: dict) -> BudgetLine:
    fields = _clean_line(data, partial=False)
    _line_changed(actor, campaign)
    line = BudgetLine.objects.create(campaign=campaign, **fields)
    audit_record(actor=actor, action="create", obj=line, campaign=campaign, after=_snap(line))
    return line


@transaction.atomic
def line_update(*, actor: User, line: BudgetLine, version: int, data: dict) -> BudgetLine:
    fields = _clean_line(data, partial=True)
    _line_changed(actor, line.campaign)
    before = _snap(line)
    update_versioned(line, expected_version=version, changes=fields)
    audit_record(actor=actor, action="update", obj=line, campaign=line.campaign, before=before, after=_snap(line))
    return line


@transaction.atomic
def line_delete(*, actor: User, line: BudgetLine, version: int) -> None:
    if line.expenses.exists():
        raise Conflict(_("This line has expenses; delete or move them first."))
    _line_changed(actor, line.campaign)
    delete_versioned(actor=actor, obj=line, version=version, before=_snap(line))


# --- approval workflow --------------------------------------------------------------------------


def _record_event(budget: Budget, action: str, actor: User, comment: str, diff=None) -> BudgetEvent:
    return BudgetEvent.objects.create(budget=budget, action=action, actor=actor, comment=comment, diff=diff)


def may_decide(user, roles) -> bool:
    """Whether `user`'s global role (or superuser) is one that decides these approvals: the one rule the pages,
    Today and the refusals below apply (selectors.deciders is its query over a campaign's members)."""
    return user.is_superuser or getattr(user, "role", "") in roles


def budget_submit_refusal(*, actor: User, campaign: Campaign) -> str | None:
    """Why the budget cannot be submitted by `actor` for want of someone to approve it, or None. A submitted
    budget waits for a finance, director or admin member of the campaign other than the submitter (only members
    see the campaign and are told): the budget page shows this before the click, the submit refuses with it."""
    if selectors.deciders(campaign, APPROVER_ROLES, except_user_id=actor.pk):
        return None
    if may_decide(actor, APPROVER_ROLES):
        return _(
            "No finance, director or administrator other than you is a member of this campaign: add one to the team "
            "before submitting the budget."
        )
    return _(
        "No finance, director or administrator is a member of this campaign: add one to the team before submitting "
        "the budget."
    )


def _refuse_without_expense_deciders(*, actor: User, campaign: Campaign, status: str, corrected: bool) -> None:
    """An expense that will wait for a decision (held over the plan: a director's; a correction: finance's) needs
    a member of the campaign who may take it; the person who corrected it may not (`expense_decide`)."""
    if status not in (ExpenseStatus.HELD, ExpenseStatus.PENDING):
        return
    roles = OVERRUN_ROLES if status == ExpenseStatus.HELD else APPROVER_ROLES
    if selectors.deciders(campaign, roles, except_user_id=actor.pk if corrected else None):
        return
    but_you = corrected and may_decide(actor, roles)
    if status == ExpenseStatus.HELD and but_you:
        message = _(
            "This expense goes over the plan and needs a director's approval, but no director or administrator "
            "other than you is a member of this campaign: add one to the team first."
        )
    elif status == ExpenseStatus.HELD:
        message = _(
            "This expense goes over the plan and needs a director's approval, but no director or administrator is "
            "a member of this campaign: add one to the team first."
        )
    elif but_you:
        message = _(
            "A corrected expense needs approval, but no finance, director or administrator other than you is a "
            "member of this campaign: add one to the team first."
        )
    else:
        message = _(
            "A corrected expense needs approval, but no finance, director or administrator is a member of this "
            "campaign: add one to the team first."
        )
    raise Conflict(message)


@transaction.atomic
def budget_submit(*, actor: User, campaign: Campaign, comment: str = "") -> Budget:
    errors: dict = {}
    comment = _text(errors, "comment", comment, max_length=2000)
    if errors:
        raise InvalidInput(errors)
    budget = budget_for(campaign, lock=True)
    if budget.status not in (BudgetStatus.DRAFT, BudgetStatus.REJECTED):
        raise Conflict(_("Only a draft or rejected budget can be submitted (it is %(s)s).") % {"s": budget.status})
    current = lines_snapshot(campaign)
    if not current:
        raise InvalidInput({"lines": _("Add at least one budget line before submitting.")})
    refusal = budget_submit_refusal(actor=actor, campaign=campaign)
    if refusal:
        raise Conflict(refusal)
    before = _snap(budget)
    rows = Budget.objects.filter(pk=budget.pk, status=budget.status).update(
        status=BudgetStatus.SUBMITTED,
        submitted_by=actor,
        submitted_at=timezone.now(),
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    if rows != 1:
        raise Conflict(_("The budget changed meanwhile; reload."))
    budget.refresh_from_db()
    _record_event(budget, "submit", actor, comment, diff=bd.revision_diff(budget.approved_lines, current))
    audit_record(actor=actor, action="submit", obj=budget, campaign=campaign, before=before, after=_snap(budget))
    approval_requests.ask_for_budget_decision(budget, asked_by=actor, roles=APPROVER_ROLES)
    return budget


def _check_approver(actor: User, budget: Budget) -> None:
    if actor.role not in APPROVER_ROLES and not actor.is_superuser:
        raise Forbidden(_("Approving a budget needs the finance, director or admin role."))
    if budget.submitted_by_id == actor.pk:
        raise Forbidden(_("You submitted this budget; someone else must approve it."))


@transaction.atomic
def budget_decide(*, actor: User, campaign: Campaign, approve: bool, comment: str = "") -> Budget:
    errors: dict = {}
    comment = _text(errors, "comment", comment, max_length=2000, required=not approve)
    if errors:
        raise InvalidInput(errors)
    budget = budget_for(campaign)
    _check_approver(actor, budget)
    if budget.status != BudgetStatus.SUBMITTED:
        raise Conflict(_("Only a submitted budget can be approved or rejected (it is %(s)s).") % {"s": budget.status})
    before = _snap(budget)
    current = lines_snapshot(campaign)
    changes = {"status": BudgetStatus.APPROVED if approve else BudgetStatus.REJECTED}
    if approve:
        changes.update(approved_lines=current, revision=F("revision") + 1)
    # One conditional UPDATE: of two approvers at once exactly one changes the row, the other gets 409.
    rows = Budget.objects.filter(pk=budget.pk, status=BudgetStatus.SUBMITTED, version=budget.version).update(
        **changes, version=F("version") + 1, updated_at=timezone.now()
    )
    if rows != 1:
        raise Conflict(_("Someone else decided on this budget meanwhile; reload."))
    budget.refresh_from_db()
    _record_event(
        budget,
        "approve" if approve else "reject",
        actor,
        comment,
        diff=bd.revision_diff(before.get("approved_lines"), current) if before.get("approved_lines") else None,
    )
    audit_record(
        actor=actor,
        action="approve" if approve else "reject",
        obj=budget,
        campaign=campaign,
        before=before,
        after=_snap(budget),
    )
    approval_requests.close_budget_request(budget)
    return budget


# --- expenses ------------------------------------------------------------------------------------


def _approved_sum(qs) -> Decimal:
    return qs.filter(status=ExpenseStatus.APPROVED).aggregate(s=Sum("amount"))["s"] or Decimal(0)


def _party(errors: dict, campaign: Campaign, value) -> CampaignPartner | None:
    if value in (None, "", "host", 0):
        return None
    try:
        party = CampaignPartner.objects.filter(
            campaign=campaign, pk=_id(value), state=CampaignPartner.State.PARTICIPATING
        ).first()
    except (TypeError, ValueError, OverflowError):
        party = None
    if party is None:
        errors["paid_by"] = _("Choose “host” or a participating partner of this campaign.")
    return party


@transaction.atomic
def expense_create(*, actor: User, campaign: Campaign, data: dict) -> Expense:
    errors: dict = {}
    line = None
    raw_line = data.get("budget_line")
    with contextlib.suppress(TypeError, ValueError, OverflowError):
        line = BudgetLine.objects.select_for_update().filter(campaign=campaign, pk=_id(raw_line)).first()
    if line is None:
        errors["budget_line"] = _("Choose a budget line of this campaign.")
    amount = _money(errors, "amount", data.get("amount"), allow_zero=False)
    date = date_input(data.get("date"), "date", errors, required=True)  # within 2000–2100 (core.domain.dates)
    payee = _text(errors, "payee", data.get("payee"), max_length=200)
    note = _text(errors, "note", data.get("note"), max_length=5000)
    paid_by = _party(errors, campaign, data.get("paid_by"))
    if errors:
        raise InvalidInput(errors)
    budget_for(campaign, lock=True)  # serialise spend checks of one campaign
    lines = BudgetLine.objects.filter(campaign=campaign)
    reason = bd.would_overrun(
        line_planned=line.planned,
        line_actual=_approved_sum(line.expenses),
        total_planned=lines.aggregate(s=Sum("planned"))["s"] or Decimal(0),
        total_actual=_approved_sum(Expense.objects.filter(campaign=campaign)),
        amount=amount,
    )
    status = ExpenseStatus.HELD if reason else ExpenseStatus.APPROVED
    _refuse_without_expense_deciders(actor=actor, campaign=campaign, status=status, corrected=False)
    expense = Expense.objects.create(
        campaign=campaign,
        line=line,
        amount=amount,
        date=date,
        payee=payee,
        note=note,
        paid_by=paid_by,
        status=status,
        over_reason=reason or "",
        created_by=actor,
    )
    audit_record(actor=actor, action="create", obj=expense, campaign=campaign, after=_snap(expense))
    after_data_changed(expense.campaign)  # alert rules (budget over plan) run once this commits
    approval_requests.ask_for_expense_decision(expense, asked_by=actor, roles=OVERRUN_ROLES)
    return expense


@transaction.atomic
def expense_decide(*, actor: User, expense: Expense, approve: bool, comment: str = "") -> Expense:
    """A held overrun is a director's decision; a corrected expense (pending) a finance approver's, and never
    the decision of the person who corrected it."""
    waiting = ExpenseStatus.PENDING if expense.status == ExpenseStatus.PENDING else ExpenseStatus.HELD
    roles = APPROVER_ROLES if waiting == ExpenseStatus.PENDING else OVERRUN_ROLES
    if actor.role not in roles and not actor.is_superuser:
        if waiting == ExpenseStatus.PENDING:
            raise Forbidden(_("A corrected expense needs the finance, director or admin role to approve it."))
        raise Forbidden(_("An overrun needs a director's approval."))
    if expense.corrected_by_id == actor.pk:
        raise Forbidden(_("You corrected this expense; someone else must approve it."))
    errors: dict = {}
    comment = _text(errors, "comment", comment, max_length=2000, required=not approve)
    if errors:
        raise InvalidInput(errors)
    before = _snap(expense)
    rows = Expense.objects.filter(pk=expense.pk, status=waiting).update(
        status=ExpenseStatus.APPROVED if approve else ExpenseStatus.REJECTED,
        decided_by=actor,
        decided_at=timezone.now(),
        decision_comment=comment,
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    if rows != 1:
        raise Conflict(_("This expense is not waiting for a decision."))
    expense.refresh_from_db()
    kind = "correction" if waiting == ExpenseStatus.PENDING else "overrun"
    audit_record(
        actor=actor,
        action=f"approve_{kind}" if approve else f"reject_{kind}",
        obj=expense,
        campaign=expense.campaign,
        before=before,
        after=_snap(expense),
    )
    approval_requests.close_expense_request(expense)
    after_data_changed(expense.campaign)  # alert rules (budget over plan) run once this commits
    return expense


CORRECTABLE = ("budget_line", "amount", "date", "payee", "note", "paid_by")


@transaction.atomic
def expense_correct(
    *, actor: User, expense: Expense, version: int, data: dict, upload=None, upload_field: str = "receipt"
) -> Expense:
    """Correct an expense (amount, date, line, payee, payer, note, receipt). The person who recorded it or an
    owner/manager may; the overrun check runs again on the new figures, and the expense waits for approval
    again: a director's when it now goes over the plan (held), else a finance approver's (pending)."""
    campaign = expense.campaign
    if expense.created_by_id != actor.pk and not can(actor, campaign, MANAGE):
        raise Forbidden(_("Only the person who recorded an expense, or an owner or manager, may correct it."))
    errors: dict = {}
    changes: dict = {}
    if "budget_line" in data:
        line = None
        with contextlib.suppress(TypeError, ValueError, OverflowError):
            line = BudgetLine.objects.filter(campaign=campaign, pk=_id(data["budget_line"])).first()
        if line is None:
            errors["budget_line"] = _("Choose a budget line of this campaign.")
        changes["line"] = line
    if "amount" in data:
        changes["amount"] = _money(errors, "amount", data["amount"], allow_zero=False)
    if "date" in data:
        date = date_input(data["date"], "date", errors, required=True)  # within 2000–2100 (core.domain.dates)
        changes["date"] = date
    if "payee" in data:
        changes["payee"] = _text(errors, "payee", data["payee"], max_length=200)
    if "note" in data:
        changes["note"] = _text(errors, "note", data["note"], max_length=5000)
    if "paid_by" in data:
        changes["paid_by"] = _party(errors, campaign, data["paid_by"])
    name = None
    if upload is not None:
        try:
            name = _checked_receipt(upload, upload_field)
        except InvalidInput as exc:
            errors.update(exc.as_field_dict())
    if errors:
        raise InvalidInput(errors)
    changes = changed_only(expense, changes)
    if not changes and name is None:
        refuse_if_stale(expense, version)
        return expense  # nothing changed: no new version, no new approval round
    budget_for(campaign, lock=True)  # serialise spend checks of one campaign
    before = _snap(expense)
    line = changes.get("line", expense.line)
    others = Expense.objects.filter(campaign=campaign).exclude(pk=expense.pk)
    reason = bd.would_overrun(
        line_planned=line.planned,
        line_actual=_approved_sum(others.filter(line=line)),
        total_planned=BudgetLine.objects.filter(campaign=campaign).aggregate(s=Sum("planned"))["s"] or Decimal(0),
        total_actual=_approved_sum(others),
        amount=changes.get("amount", expense.amount),
    )
    status = ExpenseStatus.HELD if reason else ExpenseStatus.PENDING
    _refuse_without_expense_deciders(actor=actor, campaign=campaign, status=status, corrected=True)
    changes.update(
        status=status,
        over_reason=reason or "",
        corrected_by=actor,
        corrected_at=timezone.now(),
        decided_by=None,
        decided_at=None,
        decision_comment="",
    )
    update_versioned(expense, expected_version=version, changes=changes)
    if name is not None:
        _store_receipt(expense, upload, name)
        expense.refresh_from_db()
    audit_record(actor=actor, action="correct", obj=expense, campaign=campaign, before=before, after=_snap(expense))
    after_data_changed(campaign)  # alert rules (budget over plan, contingency) run once this commits
    deciders = OVERRUN_ROLES if expense.status == ExpenseStatus.HELD else APPROVER_ROLES
    approval_requests.close_expense_request(expense)  # an earlier request is about figures no longer there
    approval_requests.ask_for_expense_decision(expense, asked_by=actor, roles=deciders)
    return expense


@transaction.atomic
def expense_delete(*, actor: User, expense: Expense, version: int) -> None:
    delete_versioned(actor=actor, obj=expense, version=version, before=_snap(expense))
    approval_requests.close_expense_request(expense)
    if expense.receipt:
        expense.receipt.delete(save=False)


def _receipt_kind(name: str, head: bytes) -> str | None:
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    magics = RECEIPT_TYPES.get(ext)
    if magics and any(head.startswith(m) for m in magics):
        return ext
    return None


def _checked_receipt(upload, field: str = "file") -> str:
    """The upload's name once it is a PDF, PNG or JPEG of at most 5 MB (413 / 422 otherwise)."""
    if upload is None:
        raise InvalidInput({field: _("Choose a file.")})
    if upload.size > RECEIPT_MAX_BYTES:
        raise TooLarge(_("The receipt is larger than 5 MB."))
    head = upload.read(16)
    upload.seek(0)
    name = (upload.name or "receipt").replace("\x00", "")[-150:]
    if not _receipt_kind(name, head):
        raise InvalidInput({field: _("A receipt must be a PDF, PNG or JPEG file.")})
    blobs.check(upload, field)  # whole, and an image's pixels within bounds, as a material's file
    return name


def _store_receipt(expense: Expense, upload, name: str) -> None:
    old = expense.receipt.name if expense.receipt else None
    expense.receipt.save(f"{expense.pk}.{name.rsplit('.', 1)[-1].lower()}", upload, save=False)
    Expense.objects.filter(pk=expense.pk).update(receipt=expense.receipt.name, receipt_name=name)
    if old and old != expense.receipt.name:
        # the old file goes only once the transaction holds (a failed correction keeps it)
        transaction.on_commit(lambda: expense.receipt.storage.delete(old))


@transaction.atomic
def expense_attach_receipt(*, actor: User, expense: Expense, upload) -> Expense:
    if expense.receipt and upload is not None:
        # Replacing the receipt corrects the expense: it waits for approval again.
        return expense_correct(
            actor=actor, expense=expense, version=expense.version, data={}, upload=upload, upload_field="file"
        )
    name = _checked_receipt(upload)
    before = _snap(expense)
    _store_receipt(expense, upload, name)
    Expense.objects.filter(pk=expense.pk).update(version=F("version") + 1, updated_at=timezone.now())
    expense.refresh_from_db()
    audit_record(
        actor=actor, action="receipt", obj=expense, campaign=expense.campaign, before=before, after=_snap(expense)
    )
    return expense


# --- partners -------------------------------------------------------------------------------------


def _clean_partner(data: dict, *, partial: bool) -> dict:
    errors: dict = {}
    out = {}
    _required_text(errors, out, data, "name", max_length=200, partial=partial)
    for field, limit in (("industry", 100), ("contacts", 2000), ("note", 5000)):
        if field in data and data[field] is not None:
            out[field] = _text(errors, field, data.get(field), max_length=limit)
    return valid(out, errors)


@transaction.atomic
def partner_create(*, actor: User, data: dict) -> Partner:
    if is_partner_user(actor):
        raise Forbidden(_("Partner contacts cannot create partner companies."))
    require_writer(actor)
    fields = _clean_partner(data, partial=False)
    exists = InvalidInput({"name": _("A partner company with this name exists already.")})
    partner = create_unique(Partner, ("name",), exists, created_by=actor, **fields)
    audit_record(actor=actor, action="create", obj=partner, after=_snap(partner))
    return partner


@transaction.atomic
def partner_update(*, actor: User, partner: Partner, version: int, data: dict) -> Partner:
    if is_partner_user(actor):
        raise Forbidden(_("Partner contacts cannot edit partner companies."))
    require_writer(actor)
    if not selectors.can_edit_company(actor, partner):
        raise Forbidden(
            _("Only its creator, an administrator or an owner/manager of a campaign with this company can edit it.")
        )
    fields = _clean_partner(data, partial=True)
    if "name" in fields and Partner.objects.filter(name=fields["name"]).exclude(pk=partner.pk).exists():
        raise InvalidInput({"name": _("A partner company with this name exists already.")})
    before = _snap(partner)
    update_versioned(partner, expected_version=version, changes=fields)
    audit_record(actor=actor, action="update", obj=partner, before=before, after=_snap(partner))
    return partner


@transaction.atomic
def partner_contact_link(*, actor: User, partner: Partner, username: str) -> PartnerContact:
    require_writer(actor)
    if not selectors.can_link_contacts(actor, partner):
        raise Forbidden(_("Only the company's creator or an administrator can link its contacts."))
    errors: dict = {}
    user = user_input(username, "username", errors)
    if user is None and not errors:
        errors["username"] = _("This field is required.")
    if errors:
        raise InvalidInput(errors)
    contact, _created = PartnerContact.objects.update_or_create(user=user, defaults={"partner": partner})
    audit_record(actor=actor, action="link_contact", obj=partner, after={"user": user.username, "partner": partner.pk})
    return contact


def _clean_campaign_partner(errors: dict, data: dict) -> dict:
    out = {}
    for field in SCORE_FIELDS:
        if data.get(field) is not None:
            try:
                value = Decimal(str(data[field])) if not isinstance(data[field], bool) else None
            except ArithmeticError:
                value = None
            if (
                value is None
                or not value.is_finite()
                or not (0 <= value <= 10)
                or value != value.quantize(Decimal("0.1"))
            ):
                errors[field] = _("A score from 0 to 10 (one decimal).")
            else:
                out[field] = value
    if data.get("state") is not None:
        if data["state"] not in CampaignPartner.State.values:
            errors["state"] = _("Use candidate or participating.")
        else:
            out["state"] = data["state"]
    for field, limit in (("resources", 5000), ("role_note", 200)):
        if data.get(field) is not None:
            out[field] = _text(errors, field, data[field], max_length=limit)
    return out


@transaction.atomic
def campaign_partner_add(*, actor: User, campaign: Campaign, data: dict) -> CampaignPartner:
    errors: dict = {}
    partner = None
    with contextlib.suppress(TypeError, ValueError, OverflowError):
        # a partner user can add only their own company (another one's contacts would show on the campaign)
        partner = selectors.companies_for(actor).filter(pk=_id(data.get("partner"))).first()
    if partner is None:
        errors["partner"] = _("Choose a partner company.")
    fields = _clean_campaign_partner(errors, data)
    if errors:
        raise InvalidInput(errors)
    exists = Conflict(_("This partner is already in the campaign."))
    cp = create_unique(CampaignPartner, ("campaign", "partner"), exists, campaign=campaign, partner=partner, **fields)
    audit_record(actor=actor, action="create", obj=cp, campaign=campaign, after=_snap(cp))
    return cp


@transaction.atomic
def campaign_partner_update(*, actor: User, cp: CampaignPartner, version: int, data: dict) -> CampaignPartner:
    errors: dict = {}
    fields = _clean_campaign_partner(errors, data)
    if errors:
        raise InvalidInput(errors)
    if fields.get("state") == CampaignPartner.State.CANDIDATE and (
        cp.payments.exists() or CostShare.objects.filter(party=cp).exists()
    ):
        raise Conflict(_("This partner has payments or cost shares; it stays participating."))
    before = _snap(cp)
    update_versioned(cp, expected_version=version, changes=fields)
    audit_record(actor=actor, action="update", obj=cp, campaign=cp.campaign, before=before, after=_snap(cp))
    return cp


def responsibility_clean(data: dict, *, partial: bool) -> dict:
    errors: dict = {}
    out = {}
    _required_text(errors, out, data, "text", max_length=300, partial=partial)
    if data.get("due_date") not in (None, ""):
        out["due_date"] = date_input(data["due_date"], "due_date", errors, required=True)
    if data.get("done") is not None:
        out["done"] = bool(data["done"])
    return valid(out, errors)


@transaction.atomic
def responsibility_create(*, actor: User, cp: CampaignPartner, data: dict) -> Responsibility:
    fields = responsibility_clean(data, partial=False)
    item = Responsibility.objects.create(campaign_partner=cp, **fields)
    audit_record(actor=actor, action="create", obj=item, campaign=cp.campaign, after=_snap(item))
    return item


@transaction.atomic
def responsibility_update(*, actor: User, item: Responsibility, version: int, data: dict) -> Responsibility:
    campaign = item.campaign_partner.campaign
    fields = responsibility_clean(data, partial=True)
    if not can(actor, campaign, EDIT):
        # A partner contact may tick off their own company's items, nothing else.
        own = (
            role_in(actor, campaign) == MemberRole.PARTNER
            and PartnerContact.objects.filter(user=actor, partner_id=item.campaign_partner.partner_id).exists()
        )
        if not own or set(fields) - {"done"}:
            raise Forbidden(_("You can only tick off your own company's items."))
    before = _snap(item)
    update_versioned(item, expected_version=version, changes=fields)
    audit_record(actor=actor, action="update", obj=item, campaign=campaign, before=before, after=_snap(item))
    return item


@transaction.atomic
def cost_shares_set(*, actor: User, campaign: Campaign, line_id=None, shares: list[dict]) -> list[CostShare]:
    """Replace the campaign-wide (or one line's) shares; they must add up to exactly 100%."""
    errors: dict = {}
    line = None
    if line_id not in (None, ""):
        try:
            line = BudgetLine.objects.filter(campaign=campaign, pk=_id(line_id)).first()
        except (TypeError, ValueError, OverflowError):
            line = None
        if line is None:
            errors["budget_line"] = _("Choose a budget line of this campaign.")
    rows = []
    seen = set()
    if not isinstance(shares, list) or not shares:
        errors["shares"] = _("Give at least one party's share.")
        shares = []
    for i, row in enumerate(shares):
        row = row if isinstance(row, dict) else {}
        party = _party(errors, campaign, row.get("party"))
        if "paid_by" in errors:
            errors[f"shares[{i}].party"] = errors.pop("paid_by")
            continue
        key = party.pk if party else None
        if key in seen:
            errors[f"shares[{i}].party"] = _("This party is listed twice.")
        seen.add(key)
        try:
            ratio = bd.parse_ratio(row.get("ratio"))
        except bd.MoneyError:
            errors[f"shares[{i}].ratio"] = _("Give a share between 0 and 100%, e.g. 60%.")
            continue
        rows.append((party, ratio))
    if not errors and sum(r for _p, r in rows) != 1:
        errors["shares"] = _("The shares add up to %(sum)s%%, not 100%%.") % {
            "sum": f"{sum(r for _p, r in rows) * 100:.2f}".rstrip("0").rstrip(".")
        }
    if errors:
        raise InvalidInput(errors)
    budget_for(campaign, lock=True)
    existing = CostShare.objects.filter(campaign=campaign, line=line)
    before = [{"party": s.party_id, "ratio": str(s.ratio)} for s in existing]
    existing.delete()
    created = [CostShare.objects.create(campaign=campaign, line=line, party=p, ratio=r) for p, r in rows]
    audit_record(
        actor=actor,
        action="cost_shares",
        obj=line or campaign,
        campaign=campaign,
        before={"shares": before},
        after={"shares": [{"party": s.party_id, "ratio": str(s.ratio)} for s in created]},
    )
    return created


# --- settlement ---------------------------------------------------------------------------------


@transaction.atomic
def settlement_sign(*, actor: User, campaign: Campaign, statement_digest: str) -> SettlementSignoff:
    from .selectors import party_of, settlement_statement

    # who may sign first: someone who may not gets 403 whatever the statement's state
    role = role_in(actor, campaign)
    if role == MemberRole.PARTNER:
        party = party_of(actor, campaign)
        if party is None:
            raise Forbidden(_("Your company does not take part in this campaign's settlement."))
    elif can(actor, campaign, MANAGE):
        party = None
    else:
        raise Forbidden(_("Only the campaign's managers or a partner contact can sign the statement."))
    statement = settlement_statement(campaign)
    if statement["error"]:
        raise Conflict(statement["error"])
    if not statement["lines"]:  # a signature on nothing binds no one, and reads as a settled campaign
        raise Conflict(_("There is nothing to settle yet: the campaign has no approved cost."))
    if statement_digest and statement_digest != statement["digest"]:
        raise Conflict(_("The statement changed since you opened it; reload and check it again."))
    if SettlementSignoff.objects.filter(campaign=campaign, party=party, digest=statement["digest"]).exists():
        raise Conflict(_("Your side has already signed this statement."))
    signoff = SettlementSignoff.objects.create(campaign=campaign, party=party, user=actor, digest=statement["digest"])
    audit_record(
        actor=actor,
        action="settlement_sign",
        obj=signoff,
        campaign=campaign,
        after={"party": party.pk if party else "host", "digest": statement["digest"]},
    )
    return signoff
