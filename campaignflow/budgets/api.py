"""REST endpoints of the budgets app: lines, expenses, approvals, partners, cost shares, settlement.

Each resource answers with its Out schema (schemas.py), which reads the model instance the selector or
service returns (ADR 0005). The budget overview, the cost shares and the settlement are computed reads
built as rows by the selectors."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Router, Status
from ninja.files import UploadedFile

from campaignflow import lookups
from campaignflow.campaigns.access import EDIT, MANAGE, VIEW, campaign_for_user
from campaignflow.core.api_types import PathId, patch_data
from campaignflow.core.errors import Forbidden
from campaignflow.core.record_routes import RecordRoutes

from . import selectors, services
from .models import CampaignPartner, Partner
from .schemas import (
    BudgetEventOut,
    BudgetPatch,
    CampaignPartnerIn,
    CampaignPartnerOut,
    CampaignPartnerPatch,
    CommentIn,
    ContactIn,
    ContactOut,
    ExpenseIn,
    ExpenseOut,
    ExpensePatch,
    LineIn,
    LineOut,
    LinePatch,
    OverrunOut,
    PartnerIn,
    PartnerOut,
    PartnerPatch,
    ResponsibilityIn,
    ResponsibilityOut,
    ResponsibilityPatch,
    SharesIn,
    SignIn,
)
from .statements import settlement_pdf_response, settlement_xlsx_response

router = Router(tags=["budgets"])

# A line's and an expense's create, get, patch and delete (core.record_routes): the team reads, editors write.
records = RecordRoutes(router, __name__, campaign=campaign_for_user, read=VIEW, write=EDIT, patch_verb="patch")


def _comment(payload: CommentIn | None) -> str:
    return payload.comment if payload else ""


# --- budget ------------------------------------------------------------------------------------


def _budget_out(request, campaign) -> dict:
    """The budget overview as the API shows it: without the page's owner labels and per-category lines."""
    overview = selectors.budget_overview(request.user, campaign)
    keys = (
        "status",
        "version",
        "revision",
        "planned_total",
        "actual_total",
        "held_total",
        "over_total",
        "deviation",
        "deviation_alert",
        "contingency_ratio",
        "contingency_min",
        "contingency_max",
        "contingency_state",
        "warnings",
        "submitted_by",
        "submitted_at",
        "diff",
    )
    out = {k: overview[k] for k in keys}
    out["lines"] = [{k: v for k, v in row.items() if k != "owner_label"} for row in overview["lines"]]
    out["categories"] = [{k: v for k, v in c.items() if k != "lines"} for c in overview["categories"]]
    out["partner_weights"] = overview["budget"].partner_weights
    return out


@router.get("/campaigns/{campaign_id}/budget")
def get_budget(request, campaign_id: PathId):
    campaign = campaign_for_user(request.user, campaign_id, VIEW)
    return _budget_out(request, campaign)


@router.patch("/campaigns/{campaign_id}/budget")
def patch_budget(request, campaign_id: PathId, payload: BudgetPatch):
    campaign = campaign_for_user(request.user, campaign_id, MANAGE)
    version, data = patch_data(payload)
    services.budget_update_settings(actor=request.user, campaign=campaign, version=version, data=data)
    return _budget_out(request, campaign)


@router.post("/campaigns/{campaign_id}/budget/submit")
def submit_budget(request, campaign_id: PathId, payload: CommentIn | None = None):
    campaign = campaign_for_user(request.user, campaign_id, EDIT)
    services.budget_submit(actor=request.user, campaign=campaign, comment=_comment(payload))
    return _budget_out(request, campaign)


@router.post("/campaigns/{campaign_id}/budget/approve")
def approve_budget(request, campaign_id: PathId, payload: CommentIn | None = None):
    campaign = campaign_for_user(request.user, campaign_id, VIEW)
    services.budget_decide(actor=request.user, campaign=campaign, approve=True, comment=_comment(payload))
    return _budget_out(request, campaign)


@router.post("/campaigns/{campaign_id}/budget/reject")
def reject_budget(request, campaign_id: PathId, payload: CommentIn):
    campaign = campaign_for_user(request.user, campaign_id, VIEW)
    services.budget_decide(actor=request.user, campaign=campaign, approve=False, comment=payload.comment)
    return _budget_out(request, campaign)


@router.get("/campaigns/{campaign_id}/budget/history", response=list[BudgetEventOut])
def budget_history(request, campaign_id: PathId):
    campaign = campaign_for_user(request.user, campaign_id, VIEW)
    if selectors.is_partner(request.user, campaign):
        raise Forbidden(_("Partners do not see the internal approval history."))
    return selectors.history(campaign)


# --- lines -----------------------------------------------------------------------------------------


@router.get("/campaigns/{campaign_id}/budget-lines")
def list_lines(request, campaign_id: PathId):
    campaign = campaign_for_user(request.user, campaign_id, VIEW)
    return selectors.budget_overview(request.user, campaign)["lines"]


records.collection("budget-lines", "line", LineIn, LineOut, create=services.line_create)
records.item(
    "/budget-lines/{line_id}",
    LineOut,
    lookups.line_for_user,
    get=True,
    patch=(LinePatch, services.line_update),
    delete=services.line_delete,
)


# --- expenses -------------------------------------------------------------------------------------


@router.get("/campaigns/{campaign_id}/expenses", response=list[ExpenseOut])
def list_expenses(request, campaign_id: PathId):
    campaign = campaign_for_user(request.user, campaign_id, VIEW)
    return selectors.expenses_for(request.user, campaign)


records.collection("expenses", "expense", ExpenseIn, ExpenseOut, create=services.expense_create)
records.item("/expenses/{expense_id}", ExpenseOut, lookups.expense_for_user, get=True, delete=services.expense_delete)


@router.patch("/expenses/{expense_id}", response=ExpenseOut)
def patch_expense(request, expense_id: PathId, payload: ExpensePatch):
    """Correct an expense; it waits for approval again (pending, or held when it now goes over the plan).
    A new receipt: POST /expenses/{id}/receipt, or the correction form of the web UI."""
    expense = lookups.expense_for_user(request.user, expense_id, EDIT)
    version, data = patch_data(payload)
    return services.expense_correct(actor=request.user, expense=expense, version=version, data=data)


@router.post("/expenses/{expense_id}/approve", response=ExpenseOut)
def approve_expense(request, expense_id: PathId, payload: CommentIn | None = None):
    expense = lookups.expense_for_user(request.user, expense_id, VIEW)
    return services.expense_decide(actor=request.user, expense=expense, approve=True, comment=_comment(payload))


@router.post("/expenses/{expense_id}/reject", response=ExpenseOut)
def reject_expense(request, expense_id: PathId, payload: CommentIn):
    expense = lookups.expense_for_user(request.user, expense_id, VIEW)
    return services.expense_decide(actor=request.user, expense=expense, approve=False, comment=payload.comment)


@router.post("/expenses/{expense_id}/receipt", response=ExpenseOut)
def upload_receipt(request, expense_id: PathId, file: File[UploadedFile] = None):
    expense = lookups.expense_for_user(request.user, expense_id, EDIT)
    return services.expense_attach_receipt(actor=request.user, expense=expense, upload=file)


@router.get("/expenses/{expense_id}/receipt")
def download_receipt(request, expense_id: PathId):
    expense = lookups.expense_for_user(request.user, expense_id, VIEW)
    if not expense.receipt:
        raise Http404
    return FileResponse(expense.receipt.open("rb"), as_attachment=True, filename=expense.receipt_name or "receipt")


@router.get("/overruns", response=list[OverrunOut])
def overrun_queue(request):
    """Held overruns waiting for a director, across the caller's campaigns."""
    return selectors.overrun_queue(request.user)


# --- partners --------------------------------------------------------------------------------------


def _by_name_only(partner: Partner) -> Partner:
    """A company the caller sees only by name (to pick it for a campaign): no contacts, no note."""
    partner.contacts = partner.note = ""
    return partner


@router.get("/partners", response=list[PartnerOut])
def list_partners(request):
    detailed = set(selectors.companies_with_details(request.user).values_list("pk", flat=True))
    return [p if p.pk in detailed else _by_name_only(p) for p in selectors.companies_for(request.user)]


@router.post("/partners", response={201: PartnerOut})
def create_partner(request, payload: PartnerIn):
    return Status(201, services.partner_create(actor=request.user, data=payload.dict()))


@router.patch("/partners/{partner_id}", response=PartnerOut)
def patch_partner(request, partner_id: PathId, payload: PartnerPatch):
    partner = get_object_or_404(selectors.companies_for(request.user), pk=partner_id)  # the service checks the right
    version, data = patch_data(payload)
    return services.partner_update(actor=request.user, partner=partner, version=version, data=data)


@router.post("/partners/{partner_id}/contacts", response={201: ContactOut})
def link_contact(request, partner_id: PathId, payload: ContactIn):
    partner = get_object_or_404(selectors.companies_for(request.user), pk=partner_id)
    return Status(201, services.partner_contact_link(actor=request.user, partner=partner, username=payload.username))


def _ranked(row: dict) -> CampaignPartner:
    """A campaign partner of `selectors.ranking` with its score and rank (the Out schema reads them)."""
    cp = row["cp"]
    cp.score, cp.rank = row["score"], row["rank"]
    return cp


@router.get("/campaigns/{campaign_id}/partners", response=list[CampaignPartnerOut])
def list_campaign_partners(request, campaign_id: PathId):
    campaign = campaign_for_user(request.user, campaign_id, VIEW)
    return [_ranked(row) for row in selectors.ranking(request.user, campaign)]


@router.post("/campaigns/{campaign_id}/partners", response={201: CampaignPartnerOut})
def add_campaign_partner(request, campaign_id: PathId, payload: CampaignPartnerIn):
    campaign = campaign_for_user(request.user, campaign_id, MANAGE)
    return Status(201, services.campaign_partner_add(actor=request.user, campaign=campaign, data=payload.dict()))


@router.patch("/campaign-partners/{cp_id}", response=CampaignPartnerOut)
def patch_campaign_partner(request, cp_id: PathId, payload: CampaignPartnerPatch):
    cp = lookups.campaign_partner_for_user(request.user, cp_id, MANAGE)
    version, data = patch_data(payload)
    return services.campaign_partner_update(actor=request.user, cp=cp, version=version, data=data)


@router.post("/campaign-partners/{cp_id}/responsibilities", response={201: ResponsibilityOut})
def add_responsibility(request, cp_id: PathId, payload: ResponsibilityIn):
    cp = lookups.campaign_partner_for_user(request.user, cp_id, EDIT)
    return Status(201, services.responsibility_create(actor=request.user, cp=cp, data=payload.dict()))


@router.patch("/responsibilities/{item_id}", response=ResponsibilityOut)
def patch_responsibility(request, item_id: PathId, payload: ResponsibilityPatch):
    item = lookups.responsibility_for_user(request.user, item_id)  # the service decides who may change what
    version, data = patch_data(payload)
    return services.responsibility_update(actor=request.user, item=item, version=version, data=data)


@router.get("/campaigns/{campaign_id}/cost-shares")
def get_cost_shares(request, campaign_id: PathId):
    campaign = campaign_for_user(request.user, campaign_id, VIEW)
    return selectors.shares_for(request.user, campaign)


@router.put("/campaigns/{campaign_id}/cost-shares")
def put_cost_shares(request, campaign_id: PathId, payload: SharesIn):
    campaign = campaign_for_user(request.user, campaign_id, MANAGE)
    services.cost_shares_set(
        actor=request.user,
        campaign=campaign,
        line_id=payload.budget_line,
        shares=[r.dict() for r in payload.shares],
    )
    return selectors.shares_for(request.user, campaign)


# --- settlement -------------------------------------------------------------------------------------


def _settlement_out(data: dict) -> dict:
    if data["error"]:
        return {"error": data["error"], "parties": [], "transfers": [], "signoffs": []}
    s = data["statement"]
    return {
        "error": None,
        "total_cost": s.total_cost,
        "digest": data["digest"],
        "parties": [{k: v for k, v in r.items()} for r in data["rows"]],
        "transfers": data["transfers"],
        "signoffs": [{k: v for k, v in r.items() if k != "user"} for r in data["signoffs"]],
        "all_signed": data["all_signed"],
    }


@router.get("/campaigns/{campaign_id}/settlement")
def get_settlement(request, campaign_id: PathId):
    campaign = campaign_for_user(request.user, campaign_id, VIEW)
    return _settlement_out(selectors.settlement_statement(campaign))


@router.post("/campaigns/{campaign_id}/settlement/sign", response={201: dict})
def sign_settlement(request, campaign_id: PathId, payload: SignIn):
    campaign = campaign_for_user(request.user, campaign_id, VIEW)
    services.settlement_sign(actor=request.user, campaign=campaign, statement_digest=payload.digest)
    return Status(201, _settlement_out(selectors.settlement_statement(campaign)))


@router.get("/campaigns/{campaign_id}/settlement.xlsx")
def settlement_download(request, campaign_id: PathId):
    campaign = campaign_for_user(request.user, campaign_id, VIEW)
    return settlement_xlsx_response(campaign)


@router.get("/campaigns/{campaign_id}/settlement.pdf")
def settlement_pdf(request, campaign_id: PathId):
    """The statement as a PDF in the reader's language: the parties, each share to the cent, the sign-offs.
    A partner gets their own company's statement (403 when their company does not take part)."""
    campaign = campaign_for_user(request.user, campaign_id, VIEW)
    return settlement_pdf_response(request.user, campaign)
