"""Budget, partners and settlement pages. Thin: forms collect text, services decide."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from campaignflow.campaigns.access import (
    EDIT,
    MANAGE,
    VIEW,
    campaign_for_user,
    can,
    is_read_only,
    require,
    require_writer,
)
from campaignflow.campaigns.buttons import campaign_button
from campaignflow.campaigns.views import campaign_page_context
from campaignflow.core.errors import Forbidden
from campaignflow.core.form_views import act, posted_version, submit, submit_edit, submit_posted
from campaignflow.core.pages import Pages

from . import selectors, services
from .domain.budget import category_chart
from .forms import CATEGORY_CHOICES, EvaluationForm, ExpenseForm, LineForm, PartnerAddForm, PartnerCompanyForm
from .models import BudgetLine, BudgetStatus, CampaignPartner, Expense, Responsibility
from .statements import settlement_pdf_response, settlement_xlsx_response

page = Pages()


def _parties(campaign):
    return CampaignPartner.objects.filter(campaign=campaign, state=CampaignPartner.State.PARTICIPATING).select_related(
        "partner"
    )


def _named_categories(changes: list[dict]) -> list[dict]:
    """The revision's line changes with each category by its name in the reader's language (the API keeps keys)."""
    return [
        {**c} | {side: {**c[side], "category": selectors.category_label(c[side]["category"])}
                 for side in ("before", "after") if c[side] is not None}
        for c in changes
    ]  # fmt: skip


def _budget_context(request, campaign, expense_form=None) -> dict:
    user = request.user
    overview = selectors.budget_overview(user, campaign)
    partner_view = selectors.is_partner(user, campaign)
    chart = category_chart(
        overview["groups"],
        {c["category"]: c["label"] for c in overview["categories"]},
        {"planned": _("Planned"), "actual": _("Actual")},
    )
    budget = overview["budget"]
    submit_refusal = nobody_to_decide = None
    if not partner_view and budget.status in (BudgetStatus.DRAFT, BudgetStatus.REJECTED):
        submit_refusal = services.budget_submit_refusal(actor=user, campaign=campaign)  # said before the click
    elif not partner_view and budget.status == BudgetStatus.SUBMITTED:
        nobody_to_decide = not selectors.deciders(
            campaign, services.APPROVER_ROLES, except_user_id=budget.submitted_by_id
        )
    return campaign_page_context(
        request,
        campaign,
        "budget",
        o=overview,
        diff=_named_categories(overview["diff"]),
        partner_view=partner_view,
        chart=chart,
        expenses=list(selectors.expenses_for(user, campaign)[:200]),
        held=list(selectors.held_expenses(campaign)) if not partner_view else [],
        history=selectors.history(campaign) if not partner_view else [],
        expense_form=expense_form or ExpenseForm(lines=overview["lines"], parties=_parties(campaign)),
        can_approve=services.may_decide(user, services.APPROVER_ROLES) and budget.submitted_by_id != user.pk,
        is_approver_role=services.may_decide(user, services.APPROVER_ROLES),
        can_decide_overrun=services.may_decide(user, services.OVERRUN_ROLES),
        submit_refusal=submit_refusal,
        nobody_to_decide=nobody_to_decide,
    )


@page("campaigns/<int:pk>/budget/", "budget")
def budget_page(request, pk: int):
    campaign = campaign_for_user(request.user, pk, VIEW)
    return render(request, "budgets/budget.html", _budget_context(request, campaign))


def _line_form_page(request, campaign, line: BudgetLine | None):
    initial = {}
    if line is not None:
        initial = {
            "category": selectors.category_label(line.category),  # its name; the form reads it back
            "item": line.item,
            "planned": f"{line.planned:f}",
            "owner": line.owner.username if line.owner_id else "",
            "channel": line.channel,
            "note": line.note,
            "shared_with_partners": line.shared_with_partners,
            "version": line.version,
        }
    form = LineForm(request.POST or None, initial=initial)

    def save():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        if line is None:
            return services.line_create(actor=request.user, campaign=campaign, data=data)
        return services.line_update(
            actor=request.user, line=line, version=form.cleaned_data.get("version") or 0, data=data
        )

    result = submit_posted(request, form, save, _("Saved."))
    if result.saved:
        return redirect("budgets:budget", campaign.pk)
    return render(
        request,
        "budgets/line_form.html",
        campaign_page_context(
            request,
            campaign,
            "budget",
            form=form,
            line=line,
            conflict=result.conflict,
            categories=CATEGORY_CHOICES,
            # what the owner and channel fields suggest: the campaign's members and the channels of its reach matrix
            members=[m.user for m in campaign.memberships.select_related("user").order_by("user__username")],
            channel_names=list(campaign.channels.order_by("id").values_list("name", flat=True)),
        ),
    )


@page("campaigns/<int:pk>/budget/lines/new/", "line-new")
def line_new(request, pk: int):
    campaign = campaign_for_user(request.user, pk, EDIT)
    return _line_form_page(request, campaign, None)


@page("campaigns/<int:pk>/budget/lines/<int:line_id>/", "line-edit")
def line_edit(request, pk: int, line_id: int):
    campaign = campaign_for_user(request.user, pk, EDIT)
    line = get_object_or_404(BudgetLine.objects.select_related("owner"), campaign=campaign, pk=line_id)
    return _line_form_page(request, campaign, line)


@page("campaigns/<int:pk>/budget/lines/<int:line_id>/delete/", "line-delete", post=True)
@campaign_button(EDIT, "budgets:budget")
def line_delete(request, campaign, line_id: int):
    line = get_object_or_404(BudgetLine, campaign=campaign, pk=line_id)
    version = posted_version(request)
    act(request, lambda: services.line_delete(actor=request.user, line=line, version=version), _("Line deleted."))


def _expense_saved(request, expense: Expense, success: str) -> None:
    """The message after recording or correcting an expense: held over the plan, or `success`."""
    if expense.status == "held":
        messages.warning(request, _("The expense goes over the plan: it waits for a director's approval."))
    else:
        messages.success(request, success)


@page("campaigns/<int:pk>/budget/expenses/", "expense-add", post=True)
@campaign_button(EDIT, "budgets:budget")
def expense_add(request, campaign):
    overview = selectors.budget_overview(request.user, campaign)
    form = ExpenseForm(request.POST, request.FILES, lines=overview["lines"], parties=_parties(campaign))
    data = {k: request.POST.get(k, "") for k in ("budget_line", "amount", "date", "payee", "paid_by", "note")}
    upload = request.FILES.get("receipt")

    @transaction.atomic  # the expense and its receipt, or nothing
    def save():
        expense = services.expense_create(actor=request.user, campaign=campaign, data=data)
        if upload is not None:
            services.expense_attach_receipt(actor=request.user, expense=expense, upload=upload)
        return expense

    result = submit(form, save, service_parses=True, errors_on="receipt" if upload is not None else None)
    if not result.saved:
        return render(request, "budgets/budget.html", _budget_context(request, campaign, expense_form=form))
    _expense_saved(request, result.value, _("Expense recorded."))


@page("campaigns/<int:pk>/budget/expenses/<int:expense_id>/edit/", "expense-edit")
def expense_edit(request, pk: int, expense_id: int):
    """Correct an expense: it waits for approval again; the page shows its history (before → after)."""
    campaign = campaign_for_user(request.user, pk, VIEW)
    expense = get_object_or_404(selectors.expenses_for(request.user, campaign), pk=expense_id)
    campaign = campaign_for_user(request.user, pk, EDIT)
    if expense.created_by_id != request.user.pk and not can(request.user, campaign, MANAGE):
        raise Forbidden(_("Only the person who recorded an expense, or an owner or manager, may correct it."))
    overview = selectors.budget_overview(request.user, campaign)
    initial = {
        "budget_line": expense.line_id,
        "amount": f"{expense.amount:f}",
        "date": expense.date.isoformat(),
        "payee": expense.payee,
        "paid_by": expense.paid_by_id or "host",
        "note": expense.note,
        "version": expense.version,
    }
    posted = request.method == "POST"
    form = ExpenseForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        initial=initial,
        lines=overview["lines"],
        parties=_parties(campaign),
    )
    data = {k: request.POST.get(k, "") for k in services.CORRECTABLE}
    version = posted_version(request)
    upload = request.FILES.get("receipt")
    expense.campaign = campaign
    result = submit_posted(
        request,
        form,
        lambda: services.expense_correct(
            actor=request.user, expense=expense, version=version, data=data, upload=upload
        ),
        service_parses=True,
        errors_on="receipt" if upload else None,
    )
    if result.saved:
        _expense_saved(request, expense, _("Expense corrected: it waits for approval again."))
        return redirect("budgets:budget", campaign.pk)
    return render(
        request,
        "budgets/expense_form.html",
        campaign_page_context(
            request,
            campaign,
            "budget",
            form=form,
            expense=expense,
            conflict=result.conflict,
            history=selectors.expense_history(expense),
        ),
    )


@page("campaigns/<int:pk>/budget/expenses/<int:expense_id>/delete/", "expense-delete", post=True)
@campaign_button(EDIT, "budgets:budget")
def expense_delete(request, campaign, expense_id: int):
    expense = get_object_or_404(Expense, campaign=campaign, pk=expense_id)
    act(
        request,
        lambda: services.expense_delete(actor=request.user, expense=expense, version=posted_version(request)),
        _("Expense deleted."),
    )


@page("campaigns/<int:pk>/budget/expenses/<int:expense_id>/decide/", "expense-decide", post=True)
@campaign_button(VIEW, "budgets:budget")
def expense_decide(request, campaign, expense_id: int):
    expense = get_object_or_404(selectors.expenses_for(request.user, campaign), pk=expense_id)
    approve = request.POST.get("action") == "approve"

    def done(_answer) -> str:
        if expense.corrected_at and expense.over_reason == "":
            return _("Correction approved.") if approve else _("Correction rejected.")
        return _("Overrun approved.") if approve else _("Overrun rejected.")

    # an overrun is a director's decision: another role's attempt is a refusal (403), not a message
    comment = request.POST.get("comment", "")
    act(
        request,
        lambda: services.expense_decide(actor=request.user, expense=expense, approve=approve, comment=comment),
        done,
    )


@page("campaigns/<int:pk>/budget/expenses/<int:expense_id>/receipt/", "receipt")
def receipt(request, pk: int, expense_id: int):
    campaign = campaign_for_user(request.user, pk, VIEW)
    expense = selectors.expenses_for(request.user, campaign).filter(pk=expense_id).first()
    if expense is None or not expense.receipt:
        raise Http404
    return FileResponse(expense.receipt.open("rb"), as_attachment=True, filename=expense.receipt_name or "receipt")


@page("campaigns/<int:pk>/budget/action/", "action", post=True)
@campaign_button(VIEW, "budgets:budget")
def budget_action(request, campaign):
    action = request.POST.get("action", "")
    comment = request.POST.get("comment", "")
    if action == "submit":
        require(request.user, campaign, EDIT)
        act(
            request,
            lambda: services.budget_submit(actor=request.user, campaign=campaign, comment=comment),
            _("Budget submitted for approval."),
        )
    elif action in ("approve", "reject"):  # approving needs a finance/director/admin role, else 403
        approve = action == "approve"
        act(
            request,
            lambda: services.budget_decide(actor=request.user, campaign=campaign, approve=approve, comment=comment),
            _("Budget approved.") if approve else _("Budget rejected."),
        )
    else:
        messages.error(request, _("Unknown action."))


@page("campaigns/<int:pk>/budget/settings/", "settings", post=True)
@campaign_button(MANAGE, "budgets:budget")
def budget_settings(request, campaign):
    data = {k: request.POST.get(k) for k in ("contingency_min", "contingency_max")}
    act(
        request,
        lambda: services.budget_update_settings(
            actor=request.user, campaign=campaign, version=posted_version(request), data=data
        ),
        _("Saved."),
    )


# --- partners ---------------------------------------------------------------------------------


@page("campaigns/<int:pk>/partners/", "partners")
def partners_page(request, pk: int, add_form=None):
    campaign = campaign_for_user(request.user, pk, VIEW)
    rows = selectors.ranking(request.user, campaign)
    for row in rows:
        cp = row["cp"]
        row["form"] = EvaluationForm(
            initial={
                "version": cp.version,
                "state": cp.state,
                **{f: getattr(cp, f) for f in services.SCORE_FIELDS},
                "resources": cp.resources,
            },
            prefix=f"cp{cp.pk}",
        )
    shares = selectors.shares_for(request.user, campaign)
    partner_view = selectors.is_partner(request.user, campaign)
    overview = selectors.budget_overview(request.user, campaign)
    return render(
        request,
        "budgets/partners.html",
        campaign_page_context(
            request,
            campaign,
            "partners",
            rows=rows,
            shares=shares,
            parties=list(_parties(campaign)),
            lines=overview["lines"],
            weights=selectors.budget_or_default(campaign).partner_weights,
            add_form=add_form or PartnerAddForm(),
            partner_view=partner_view,
            own_party=selectors.party_of(request.user, campaign) if partner_view else None,
        ),
    )


@page("campaigns/<int:pk>/partners/add/", "partner-add", post=True)
@campaign_button(MANAGE, "budgets:partners")
def partner_add(request, campaign):
    form = PartnerAddForm(request.POST)

    @transaction.atomic
    def save():
        # only a company the caller sees (a partner user: their own); another name is a new company
        partner = selectors.companies_for(request.user).filter(name=form.cleaned_data["name"].strip()).first()
        if partner is None:
            partner = services.partner_create(actor=request.user, data=form.cleaned_data)
        return services.campaign_partner_add(actor=request.user, campaign=campaign, data={"partner": partner.pk})

    if not submit(form, save).saved:
        return partners_page(request, campaign.pk, add_form=form)
    messages.success(request, _("Partner added."))


@page("campaigns/<int:pk>/partners/<int:cp_id>/evaluate/", "partner-evaluate", post=True)
@campaign_button(MANAGE, "budgets:partners")
def partner_evaluate(request, campaign, cp_id: int):
    cp = get_object_or_404(CampaignPartner, campaign=campaign, pk=cp_id)
    form = EvaluationForm(request.POST, prefix=f"cp{cp.pk}")
    if not form.is_valid():
        messages.error(request, "; ".join(f"{form.fields[f].label}: {' '.join(e)}" for f, e in form.errors.items()))
        return redirect("budgets:partners", campaign.pk)
    data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
    version = form.cleaned_data["version"]
    act(
        request,
        lambda: services.campaign_partner_update(actor=request.user, cp=cp, version=version, data=data),
        _("Saved."),
    )


@page("campaigns/<int:pk>/partners/<int:cp_id>/company/", "partner-company")
def partner_company(request, pk: int, cp_id: int):
    """A partner company of the campaign: its name, industry, contacts and note, and the accounts that act for it.
    Everyone of the campaign who sees the company reads it (a partner: their own company only); its creator, an
    administrator or an owner/manager of a campaign using it edits it (`can_edit_company`), versioned and audited."""
    campaign = campaign_for_user(request.user, pk, VIEW)
    company = get_object_or_404(selectors.campaign_partners(request.user, campaign), pk=cp_id).partner
    may_edit = selectors.can_edit_company(request.user, company) and not is_read_only(request.user)
    if request.method == "POST":
        require_writer(request.user)  # management reads, never edits: its own refusal
        if not may_edit:
            raise Forbidden(
                _("Only its creator, an administrator or an owner/manager of a campaign with this company can edit it.")
            )
    form = PartnerCompanyForm(
        request.POST or None, initial={f: getattr(company, f) for f in PartnerCompanyForm.base_fields}
    )
    saved = _("Partner company “%(name)s” saved.") % {"name": company.name}
    result = submit_edit(request, form, services.partner_update, saved, partner=company)
    if result.saved:
        return redirect("budgets:partners", campaign.pk)
    detailed = selectors.companies_with_details(request.user).filter(pk=company.pk).exists()
    contacts = company.contact_users.select_related("user") if detailed else []
    context = campaign_page_context(
        request,
        campaign,
        "partners",
        cp_id=cp_id,
        company=company,
        form=form,
        conflict=result.conflict,
        may_edit=may_edit,
        may_link=selectors.can_link_contacts(request.user, company) and not is_read_only(request.user),
        detailed=detailed,
        contact_users=[c.user for c in contacts],
    )
    return render(request, "budgets/partner_company.html", context, status=422 if result.conflict else result.status)


@page("campaigns/<int:pk>/partners/<int:cp_id>/company/accounts/", "partner-account", post=True)
def partner_account(request, pk: int, cp_id: int):
    """Make an account act for the company (`services.partner_contact_link`: who may is its rule)."""
    campaign = campaign_for_user(request.user, pk, VIEW)
    company = get_object_or_404(selectors.campaign_partners(request.user, campaign), pk=cp_id).partner
    username = request.POST.get("username", "").strip()
    act(
        request,
        lambda: services.partner_contact_link(actor=request.user, partner=company, username=username),
        _("%(user)s now acts for %(company)s.") % {"user": username, "company": company.name},
    )
    return redirect("budgets:partner-company", campaign.pk, cp_id)


@page("campaigns/<int:pk>/partners/<int:cp_id>/duties/", "duty-add", post=True)
@campaign_button(EDIT, "budgets:partners")
def responsibility_add(request, campaign, cp_id: int):
    cp = get_object_or_404(CampaignPartner, campaign=campaign, pk=cp_id)
    data = {k: request.POST.get(k) for k in ("text", "due_date")}
    act(
        request,
        lambda: services.responsibility_create(actor=request.user, cp=cp, data=data),
        _("Responsibility added."),
    )


@page("campaigns/<int:pk>/duties/<int:item_id>/", "duty-toggle", post=True)
@campaign_button(VIEW, "budgets:partners")
def responsibility_toggle(request, campaign, item_id: int):
    visible = selectors.campaign_partners(request.user, campaign)
    item = get_object_or_404(Responsibility, campaign_partner__in=visible, pk=item_id)
    data = {"done": request.POST.get("done") == "1"}
    # neither the edit right nor the partner's own item: a refusal (403)
    act(
        request,
        lambda: services.responsibility_update(
            actor=request.user, item=item, version=posted_version(request), data=data
        ),
    )


@page("campaigns/<int:pk>/partners/shares/", "shares", post=True)
@campaign_button(MANAGE, "budgets:partners")
def shares_set(request, campaign):
    parties = request.POST.getlist("party")
    ratios = request.POST.getlist("ratio")
    shares = [{"party": p, "ratio": r} for p, r in zip(parties, ratios, strict=False) if (r or "").strip()]
    line_id = request.POST.get("budget_line") or None
    act(
        request,
        lambda: services.cost_shares_set(actor=request.user, campaign=campaign, line_id=line_id, shares=shares),
        _("Cost shares saved."),
    )


# --- settlement -------------------------------------------------------------------------------


@page("campaigns/<int:pk>/settlement/", "settlement")
def settlement_page(request, pk: int):
    campaign = campaign_for_user(request.user, pk, VIEW)
    data = selectors.settlement_statement(campaign)
    partner_view = selectors.is_partner(request.user, campaign)
    own = selectors.party_of(request.user, campaign) if partner_view else None
    my_party = selectors.party_key(own.pk) if own else ("host" if not partner_view else None)
    return render(
        request,
        "budgets/settlement.html",
        campaign_page_context(
            request,
            campaign,
            "settlement",
            s=data,
            my_party=my_party,
            can_sign=bool(my_party)
            and bool(data.get("lines"))
            and (partner_view or can(request.user, campaign, MANAGE))
            and my_party not in data.get("signed_now", set()),
        ),
    )


@page("campaigns/<int:pk>/settlement/sign/", "settlement-sign", post=True)
@campaign_button(VIEW, "budgets:settlement")
def settlement_sign(request, campaign):
    digest = request.POST.get("digest", "")
    # only the campaign's managers and partner contacts sign: a refusal (403)
    act(
        request,
        lambda: services.settlement_sign(actor=request.user, campaign=campaign, statement_digest=digest),
        _("Signed."),
    )


@page("campaigns/<int:pk>/settlement.xlsx", "settlement-xlsx")
def settlement_download(request, pk: int):
    campaign = campaign_for_user(request.user, pk, VIEW)
    return settlement_xlsx_response(campaign)


@page("campaigns/<int:pk>/settlement.pdf", "settlement-pdf")
def settlement_pdf(request, pk: int):
    """The statement as a PDF (a partner gets their own company's, as in the API)."""
    campaign = campaign_for_user(request.user, pk, VIEW)
    return settlement_pdf_response(request.user, campaign)


@page("budget/overruns/", "overruns")
def overrun_queue(request):
    """The director's queue: held overruns across the user's campaigns."""
    return render(
        request,
        "budgets/overruns.html",
        {
            "expenses": selectors.overrun_queue(request.user),
            "can_decide_overrun": services.may_decide(request.user, services.OVERRUN_ROLES),
            "nav": "campaigns",
        },
    )
