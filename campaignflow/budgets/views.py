"""Budget, partners and settlement pages. Thin: forms collect text, services decide."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaignflow.campaigns.access import EDIT, MANAGE, VIEW, campaign_for_user, can
from campaignflow.campaigns.views import campaign_page_context
from campaignflow.core.errors import DomainError, Forbidden, InvalidInput, StaleVersion

from . import selectors, services
from .domain.budget import category_chart
from .forms import CATEGORY_CHOICES, EvaluationForm, ExpenseForm, LineForm, PartnerAddForm
from .models import BudgetLine, CampaignPartner, Expense, Responsibility
from .statements import settlement_pdf_response
from .xlsx import settlement_xlsx


def _apply_errors(form, exc: InvalidInput) -> None:
    for field, message in exc.as_field_dict().items():
        form.add_error(field if field in form.fields else None, message)


def _can_approve(user) -> bool:
    return user.is_superuser or user.role in services.APPROVER_ROLES


def _can_decide_overrun(user) -> bool:
    return user.is_superuser or user.role in services.OVERRUN_ROLES


def _parties(campaign):
    return CampaignPartner.objects.filter(campaign=campaign, state=CampaignPartner.State.PARTICIPATING).select_related(
        "partner"
    )


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
    return campaign_page_context(
        request,
        campaign,
        "budget",
        o=overview,
        partner_view=partner_view,
        chart=chart,
        expenses=list(selectors.expenses_for(user, campaign)[:200]),
        held=list(selectors.held_expenses(campaign)) if not partner_view else [],
        history=selectors.history(campaign) if not partner_view else [],
        expense_form=expense_form or ExpenseForm(lines=overview["lines"], parties=_parties(campaign)),
        can_approve=_can_approve(user) and budget.submitted_by_id != user.pk,
        is_approver_role=_can_approve(user),
        can_decide_overrun=_can_decide_overrun(user),
    )


@login_required
def budget_page(request, pk: int):
    campaign = campaign_for_user(request.user, pk, VIEW)
    return render(request, "budgets/budget.html", _budget_context(request, campaign))


def _line_form_page(request, campaign, line: BudgetLine | None):
    initial = {}
    if line is not None:
        initial = {
            "category": line.category,
            "item": line.item,
            "planned": f"{line.planned:f}",
            "owner": line.owner.username if line.owner_id else "",
            "channel": line.channel,
            "note": line.note,
            "shared_with_partners": line.shared_with_partners,
            "version": line.version,
        }
    form = LineForm(request.POST or None, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            if line is None:
                services.line_create(actor=request.user, campaign=campaign, data=data)
            else:
                services.line_update(
                    actor=request.user, line=line, version=form.cleaned_data.get("version") or 0, data=data
                )
        except InvalidInput as exc:
            _apply_errors(form, exc)
        except StaleVersion as exc:
            conflict = exc.detail
        except DomainError as exc:
            form.add_error(None, exc.detail)
        else:
            messages.success(request, _("Saved."))
            return redirect("budgets:budget", campaign.pk)
    return render(
        request,
        "budgets/line_form.html",
        campaign_page_context(
            request, campaign, "budget", form=form, line=line, conflict=conflict, categories=CATEGORY_CHOICES
        ),
    )


@login_required
def line_new(request, pk: int):
    campaign = campaign_for_user(request.user, pk, EDIT)
    return _line_form_page(request, campaign, None)


@login_required
def line_edit(request, pk: int, line_id: int):
    campaign = campaign_for_user(request.user, pk, EDIT)
    line = BudgetLine.objects.filter(campaign=campaign, pk=line_id).select_related("owner").first()
    if line is None:
        raise Http404
    return _line_form_page(request, campaign, line)


@login_required
@require_POST
def line_delete(request, pk: int, line_id: int):
    campaign = campaign_for_user(request.user, pk, EDIT)
    line = BudgetLine.objects.filter(campaign=campaign, pk=line_id).first()
    if line is None:
        raise Http404
    try:
        services.line_delete(actor=request.user, line=line, version=int(request.POST.get("version") or 0))
        messages.success(request, _("Line deleted."))
    except DomainError as exc:
        messages.error(request, exc.detail)
    return redirect("budgets:budget", campaign.pk)


@login_required
@require_POST
def expense_add(request, pk: int):
    campaign = campaign_for_user(request.user, pk, EDIT)
    overview = selectors.budget_overview(request.user, campaign)
    form = ExpenseForm(request.POST, request.FILES, lines=overview["lines"], parties=_parties(campaign))
    data = {k: request.POST.get(k, "") for k in ("budget_line", "amount", "date", "payee", "paid_by", "note")}
    upload = request.FILES.get("receipt")
    try:
        with transaction.atomic():  # the expense and its receipt, or nothing
            expense = services.expense_create(actor=request.user, campaign=campaign, data=data)
            if upload is not None:
                services.expense_attach_receipt(actor=request.user, expense=expense, upload=upload)
    except InvalidInput as exc:
        form.is_valid()
        _apply_errors(form, exc)
    except DomainError as exc:
        form.is_valid()
        form.add_error("receipt" if upload is not None else None, exc.detail)
    else:
        if expense.status == "held":
            messages.warning(request, _("The expense goes over the plan: it waits for a director's approval."))
        else:
            messages.success(request, _("Expense recorded."))
        return redirect("budgets:budget", campaign.pk)
    return render(request, "budgets/budget.html", _budget_context(request, campaign, expense_form=form))


@login_required
def expense_edit(request, pk: int, expense_id: int):
    """Correct an expense: it waits for approval again; the page shows its history (before → after)."""
    campaign = campaign_for_user(request.user, pk, VIEW)
    expense = selectors.expenses_for(request.user, campaign).filter(pk=expense_id).first()
    if expense is None:
        raise Http404
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
    conflict = None
    if posted:
        form.is_valid()
        data = {k: request.POST.get(k, "") for k in services.CORRECTABLE}
        try:
            version = int(request.POST.get("version") or 0)
        except ValueError:
            version = -1
        try:
            expense.campaign = campaign
            services.expense_correct(
                actor=request.user, expense=expense, version=version, data=data, upload=request.FILES.get("receipt")
            )
        except InvalidInput as exc:
            _apply_errors(form, exc)
        except StaleVersion as exc:
            conflict = exc.detail
        except DomainError as exc:
            form.add_error("receipt" if request.FILES.get("receipt") else None, exc.detail)
        else:
            if expense.status == "held":
                messages.warning(request, _("The expense goes over the plan: it waits for a director's approval."))
            else:
                messages.success(request, _("Expense corrected: it waits for approval again."))
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
            conflict=conflict,
            history=selectors.expense_history(expense),
        ),
    )


@login_required
@require_POST
def expense_delete(request, pk: int, expense_id: int):
    campaign = campaign_for_user(request.user, pk, EDIT)
    expense = Expense.objects.filter(campaign=campaign, pk=expense_id).first()
    if expense is None:
        raise Http404
    try:
        services.expense_delete(actor=request.user, expense=expense, version=int(request.POST.get("version") or 0))
        messages.success(request, _("Expense deleted."))
    except DomainError as exc:
        messages.error(request, exc.detail)
    return redirect("budgets:budget", campaign.pk)


@login_required
@require_POST
def expense_decide(request, pk: int, expense_id: int):
    campaign = campaign_for_user(request.user, pk, VIEW)
    expense = selectors.expenses_for(request.user, campaign).filter(pk=expense_id).first()
    if expense is None:
        raise Http404
    approve = request.POST.get("action") == "approve"
    try:
        services.expense_decide(
            actor=request.user, expense=expense, approve=approve, comment=request.POST.get("comment", "")
        )
        if expense.corrected_at and expense.over_reason == "":
            messages.success(request, _("Correction approved.") if approve else _("Correction rejected."))
        else:
            messages.success(request, _("Overrun approved.") if approve else _("Overrun rejected."))
    except Forbidden:
        raise  # overruns are a director's decision: a refusal (403), not a message
    except DomainError as exc:
        messages.error(request, exc.detail)
    return redirect("budgets:budget", campaign.pk)


@login_required
def receipt(request, pk: int, expense_id: int):
    campaign = campaign_for_user(request.user, pk, VIEW)
    expense = selectors.expenses_for(request.user, campaign).filter(pk=expense_id).first()
    if expense is None or not expense.receipt:
        raise Http404
    return FileResponse(expense.receipt.open("rb"), as_attachment=True, filename=expense.receipt_name or "receipt")


@login_required
@require_POST
def budget_action(request, pk: int):
    action = request.POST.get("action", "")
    need = EDIT if action == "submit" else VIEW
    campaign = campaign_for_user(request.user, pk, need)
    comment = request.POST.get("comment", "")
    try:
        if action == "submit":
            services.budget_submit(actor=request.user, campaign=campaign, comment=comment)
            messages.success(request, _("Budget submitted for approval."))
        elif action in ("approve", "reject"):
            services.budget_decide(actor=request.user, campaign=campaign, approve=action == "approve", comment=comment)
            messages.success(request, _("Budget approved.") if action == "approve" else _("Budget rejected."))
        else:
            messages.error(request, _("Unknown action."))
    except Forbidden:
        raise  # approving needs a finance/director/admin role: a refusal (403), not a message
    except DomainError as exc:
        messages.error(request, exc.detail)
    return redirect("budgets:budget", campaign.pk)


@login_required
@require_POST
def budget_settings(request, pk: int):
    campaign = campaign_for_user(request.user, pk, MANAGE)
    try:
        services.budget_update_settings(
            actor=request.user,
            campaign=campaign,
            version=int(request.POST.get("version") or 0),
            data={
                "contingency_min": request.POST.get("contingency_min"),
                "contingency_max": request.POST.get("contingency_max"),
            },
        )
        messages.success(request, _("Saved."))
    except DomainError as exc:
        messages.error(request, exc.detail)
    return redirect("budgets:budget", campaign.pk)


# --- partners ---------------------------------------------------------------------------------


@login_required
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


@login_required
@require_POST
def partner_add(request, pk: int):
    campaign = campaign_for_user(request.user, pk, MANAGE)
    form = PartnerAddForm(request.POST)
    if form.is_valid():
        try:
            with transaction.atomic():
                # only a company the caller sees (a partner user: their own); another name is a new company
                partner = selectors.companies_for(request.user).filter(name=form.cleaned_data["name"].strip()).first()
                if partner is None:
                    partner = services.partner_create(actor=request.user, data=form.cleaned_data)
                services.campaign_partner_add(actor=request.user, campaign=campaign, data={"partner": partner.pk})
        except InvalidInput as exc:
            _apply_errors(form, exc)
        except DomainError as exc:
            form.add_error(None, exc.detail)
        else:
            messages.success(request, _("Partner added."))
            return redirect("budgets:partners", campaign.pk)
    return partners_page(request, pk, add_form=form)


@login_required
@require_POST
def partner_evaluate(request, pk: int, cp_id: int):
    campaign = campaign_for_user(request.user, pk, MANAGE)
    cp = CampaignPartner.objects.filter(campaign=campaign, pk=cp_id).first()
    if cp is None:
        raise Http404
    form = EvaluationForm(request.POST, prefix=f"cp{cp.pk}")
    if not form.is_valid():
        messages.error(request, "; ".join(f"{form.fields[f].label}: {' '.join(e)}" for f, e in form.errors.items()))
        return redirect("budgets:partners", campaign.pk)
    data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
    try:
        services.campaign_partner_update(actor=request.user, cp=cp, version=form.cleaned_data["version"], data=data)
        messages.success(request, _("Saved."))
    except DomainError as exc:
        messages.error(request, exc.detail)
    return redirect("budgets:partners", campaign.pk)


@login_required
@require_POST
def responsibility_add(request, pk: int, cp_id: int):
    campaign = campaign_for_user(request.user, pk, EDIT)
    cp = CampaignPartner.objects.filter(campaign=campaign, pk=cp_id).first()
    if cp is None:
        raise Http404
    try:
        services.responsibility_create(
            actor=request.user, cp=cp, data={"text": request.POST.get("text"), "due_date": request.POST.get("due_date")}
        )
        messages.success(request, _("Responsibility added."))
    except DomainError as exc:
        messages.error(request, exc.detail)
    return redirect("budgets:partners", campaign.pk)


@login_required
@require_POST
def responsibility_toggle(request, pk: int, item_id: int):
    campaign = campaign_for_user(request.user, pk, VIEW)
    visible = selectors.campaign_partners(request.user, campaign)
    item = Responsibility.objects.filter(campaign_partner__in=visible, pk=item_id).first()
    if item is None:
        raise Http404
    try:
        services.responsibility_update(
            actor=request.user,
            item=item,
            version=int(request.POST.get("version") or 0),
            data={"done": request.POST.get("done") == "1"},
        )
    except Forbidden:
        raise  # neither the edit right nor the partner's own item: a refusal (403)
    except DomainError as exc:
        messages.error(request, exc.detail)
    return redirect("budgets:partners", campaign.pk)


@login_required
@require_POST
def shares_set(request, pk: int):
    campaign = campaign_for_user(request.user, pk, MANAGE)
    parties = request.POST.getlist("party")
    ratios = request.POST.getlist("ratio")
    shares = [{"party": p, "ratio": r} for p, r in zip(parties, ratios, strict=False) if (r or "").strip()]
    try:
        services.cost_shares_set(
            actor=request.user, campaign=campaign, line_id=request.POST.get("budget_line") or None, shares=shares
        )
        messages.success(request, _("Cost shares saved."))
    except DomainError as exc:
        messages.error(request, exc.detail)
    return redirect("budgets:partners", campaign.pk)


# --- settlement -------------------------------------------------------------------------------


@login_required
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
            and (partner_view or can(request.user, campaign, MANAGE))
            and my_party not in data.get("signed_now", set()),
        ),
    )


@login_required
@require_POST
def settlement_sign(request, pk: int):
    campaign = campaign_for_user(request.user, pk, VIEW)
    try:
        services.settlement_sign(actor=request.user, campaign=campaign, statement_digest=request.POST.get("digest", ""))
        messages.success(request, _("Signed."))
    except Forbidden:
        raise  # only the campaign's managers and partner contacts sign: a refusal (403)
    except DomainError as exc:
        messages.error(request, exc.detail)
    return redirect("budgets:settlement", campaign.pk)


@login_required
def settlement_download(request, pk: int):
    campaign = campaign_for_user(request.user, pk, VIEW)
    content = settlement_xlsx(campaign, selectors.settlement_statement(campaign))
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="settlement-{campaign.pk}.xlsx"'
    return response


@login_required
def settlement_pdf(request, pk: int):
    """The statement as a PDF (a partner gets their own company's, as in the API)."""
    campaign = campaign_for_user(request.user, pk, VIEW)
    return settlement_pdf_response(request.user, campaign)


@login_required
def overrun_queue(request):
    """The director's queue: held overruns across the user's campaigns."""
    return render(
        request,
        "budgets/overruns.html",
        {
            "expenses": selectors.overrun_queue(request.user),
            "can_decide_overrun": _can_decide_overrun(request.user),
            "nav": "campaigns",
        },
    )
