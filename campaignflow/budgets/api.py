"""REST endpoints of the budgets app: lines, expenses, approvals, partners, cost shares, settlement."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from campaignflow import lookups
from campaignflow.campaigns.access import EDIT, MANAGE, VIEW, campaign_for_user
from campaignflow.core.api_types import Amount, PathId
from campaignflow.core.errors import Forbidden, InvalidInput

from . import selectors, services
from .models import BudgetLine, CampaignPartner, Expense, Partner, Responsibility
from .statements import settlement_pdf_response
from .xlsx import settlement_xlsx

router = Router(tags=["budgets"])

Money = Amount  # numbers or typed text ("1.2万", "12,000.00"); parsed by the service


class LineIn(Schema):
    category: str = Field(..., max_length=50)
    item: str = Field(..., max_length=200)
    planned: Money = None
    owner: str | None = Field(None, max_length=150)
    note: str = Field("", max_length=5000)
    channel: str = Field("", max_length=100)
    shared_with_partners: bool = False


class LinePatch(Schema):
    version: int
    category: str | None = Field(None, max_length=50)
    item: str | None = Field(None, max_length=200)
    planned: Money = None
    owner: str | None = Field(None, max_length=150)
    note: str | None = Field(None, max_length=5000)
    channel: str | None = Field(None, max_length=100)
    shared_with_partners: bool | None = None


class ExpenseIn(Schema):
    budget_line: Any = None
    amount: Money = None
    date: str | None = Field(None, max_length=20)
    note: str = Field("", max_length=5000)
    payee: str = Field("", max_length=200)
    paid_by: Any = Field(None, description='"host" (our company, default) or a campaign-partner id')


class ExpensePatch(Schema):
    version: int
    budget_line: Any = None
    amount: Money = None
    date: str | None = Field(None, max_length=20)
    note: str | None = Field(None, max_length=5000)
    payee: str | None = Field(None, max_length=200)
    paid_by: Any = Field(None, description='"host" (our company) or a campaign-partner id')


class CommentIn(Schema):
    comment: str = Field("", max_length=2000)


class BudgetPatch(Schema):
    version: int
    contingency_min: Money = None
    contingency_max: Money = None
    partner_weights: dict[str, Any] | None = None


class VersionQuery(Schema):
    version: int | None = None  # required; checked after access so that outsiders get 404, not 422


def _version(q: VersionQuery) -> int:
    if q.version is None:
        raise InvalidInput({"version": _("Send the version you read (?version=…).")})
    return q.version


class PartnerIn(Schema):
    name: str = Field(..., max_length=200)
    industry: str = Field("", max_length=100)
    contacts: str = Field("", max_length=2000)
    note: str = Field("", max_length=5000)


class PartnerPatch(Schema):
    version: int
    name: str | None = Field(None, max_length=200)
    industry: str | None = Field(None, max_length=100)
    contacts: str | None = Field(None, max_length=2000)
    note: str | None = Field(None, max_length=5000)


class ContactIn(Schema):
    username: str = Field(..., max_length=150)


class CampaignPartnerIn(Schema):
    partner: Any = None
    state: str | None = Field(None, max_length=20)
    industry_relevance: Any = None
    audience_overlap: Any = None
    resource_strength: Any = None
    brand_fit: Any = None
    resources: str | None = Field(None, max_length=5000)
    role_note: str | None = Field(None, max_length=200)


class CampaignPartnerPatch(CampaignPartnerIn):
    version: int


class ResponsibilityIn(Schema):
    text: str = Field(..., max_length=300)
    due_date: str | None = Field(None, max_length=20)
    done: bool = False


class ResponsibilityPatch(Schema):
    version: int
    text: str | None = Field(None, max_length=300)
    due_date: str | None = Field(None, max_length=20)
    done: bool | None = None


class ShareRow(Schema):
    party: Any = None
    ratio: Money = None


class SharesIn(Schema):
    budget_line: Any = None
    shares: list[ShareRow] = Field(..., max_length=50)


class SignIn(Schema):
    digest: str = Field("", max_length=64)


# --- output helpers -------------------------------------------------------------------------


def _budget_out(overview: dict) -> dict:
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


def _line_out(line: BudgetLine) -> dict:
    return {
        "id": line.id,
        "category": line.category,
        "item": line.item,
        "planned": line.planned,
        "owner": line.owner.username if line.owner_id else None,
        "note": line.note,
        "channel": line.channel,
        "shared_with_partners": line.shared_with_partners,
        "version": line.version,
    }


def _expense_out(e: Expense) -> dict:
    return {
        "id": e.id,
        "budget_line": e.line_id,
        "amount": e.amount,
        "date": e.date,
        "payee": e.payee,
        "note": e.note,
        "paid_by": e.paid_by_id or "host",
        "status": e.status,
        "needs_director_approval": e.status == "held",
        "over_reason": e.over_reason,
        "decided_by": e.decided_by.username if e.decided_by_id else None,
        "decided_at": e.decided_at,
        "decision_comment": e.decision_comment,
        "receipt": bool(e.receipt),
        "receipt_name": e.receipt_name,
        "corrected": e.corrected_at is not None,
        "corrected_by": e.corrected_by.username if e.corrected_by_id else None,
        "corrected_at": e.corrected_at,
        "version": e.version,
    }


def _partner_out(p: Partner, *, details: bool = True) -> dict:
    """`details`: the contacts and note; empty for a company the caller sees only by name."""
    return {
        "id": p.id,
        "name": p.name,
        "industry": p.industry,
        "contacts": p.contacts if details else "",
        "note": p.note if details else "",
        "version": p.version,
    }


def _cp_out(cp: CampaignPartner, score=None, rank=None) -> dict:
    return {
        "id": cp.id,
        "partner": cp.partner_id,
        "name": cp.partner.name,
        "industry": cp.partner.industry,
        "state": cp.state,
        **{f: getattr(cp, f) for f in services.SCORE_FIELDS},
        "score": score,
        "rank": rank,
        "resources": cp.resources,
        "role_note": cp.role_note,
        "responsibilities": [_resp_out(r) for r in cp.responsibilities.all()],
        "version": cp.version,
    }


def _resp_out(r: Responsibility) -> dict:
    return {"id": r.id, "text": r.text, "due_date": r.due_date, "done": r.done, "version": r.version}


# --- budget ------------------------------------------------------------------------------------


@router.get("/campaigns/{campaign_id}/budget")
def get_budget(request, campaign_id: PathId):
    campaign = campaign_for_user(request.user, campaign_id, VIEW)
    return _budget_out(selectors.budget_overview(request.user, campaign))


@router.patch("/campaigns/{campaign_id}/budget")
def patch_budget(request, campaign_id: PathId, payload: BudgetPatch):
    campaign = campaign_for_user(request.user, campaign_id, MANAGE)
    services.budget_update_settings(
        actor=request.user, campaign=campaign, version=payload.version, data=payload.dict(exclude={"version"})
    )
    return _budget_out(selectors.budget_overview(request.user, campaign))


@router.post("/campaigns/{campaign_id}/budget/submit")
def submit_budget(request, campaign_id: PathId, payload: CommentIn | None = None):
    campaign = campaign_for_user(request.user, campaign_id, EDIT)
    services.budget_submit(actor=request.user, campaign=campaign, comment=payload.comment if payload else "")
    return _budget_out(selectors.budget_overview(request.user, campaign))


@router.post("/campaigns/{campaign_id}/budget/approve")
def approve_budget(request, campaign_id: PathId, payload: CommentIn | None = None):
    campaign = campaign_for_user(request.user, campaign_id, VIEW)
    services.budget_decide(
        actor=request.user, campaign=campaign, approve=True, comment=payload.comment if payload else ""
    )
    return _budget_out(selectors.budget_overview(request.user, campaign))


@router.post("/campaigns/{campaign_id}/budget/reject")
def reject_budget(request, campaign_id: PathId, payload: CommentIn):
    campaign = campaign_for_user(request.user, campaign_id, VIEW)
    services.budget_decide(actor=request.user, campaign=campaign, approve=False, comment=payload.comment)
    return _budget_out(selectors.budget_overview(request.user, campaign))


@router.get("/campaigns/{campaign_id}/budget/history")
def budget_history(request, campaign_id: PathId):
    campaign = campaign_for_user(request.user, campaign_id, VIEW)
    if selectors.is_partner(request.user, campaign):
        raise Forbidden(_("Partners do not see the internal approval history."))
    return [
        {
            "action": e.action,
            "actor": e.actor.username if e.actor_id else None,
            "at": e.at,
            "comment": e.comment,
            "diff": e.diff or [],
        }
        for e in selectors.history(campaign)
    ]


# --- lines -----------------------------------------------------------------------------------------


@router.get("/campaigns/{campaign_id}/budget-lines")
def list_lines(request, campaign_id: PathId):
    campaign = campaign_for_user(request.user, campaign_id, VIEW)
    return selectors.budget_overview(request.user, campaign)["lines"]


@router.post("/campaigns/{campaign_id}/budget-lines", response={201: dict})
def create_line(request, campaign_id: PathId, payload: LineIn):
    campaign = campaign_for_user(request.user, campaign_id, EDIT)
    line = services.line_create(actor=request.user, campaign=campaign, data=payload.dict())
    return Status(201, _line_out(line))


@router.get("/budget-lines/{line_id}")
def get_line(request, line_id: PathId):
    return _line_out(lookups.line_for_user(request.user, line_id, VIEW))


@router.patch("/budget-lines/{line_id}")
def patch_line(request, line_id: PathId, payload: LinePatch):
    line = lookups.line_for_user(request.user, line_id, EDIT)
    data = payload.dict(exclude_unset=True, exclude={"version"})
    services.line_update(actor=request.user, line=line, version=payload.version, data=data)
    return _line_out(line)


@router.delete("/budget-lines/{line_id}", response={204: None})
def delete_line(request, line_id: PathId, q: Query[VersionQuery]):
    line = lookups.line_for_user(request.user, line_id, EDIT)
    services.line_delete(actor=request.user, line=line, version=_version(q))
    return Status(204, None)


# --- expenses -------------------------------------------------------------------------------------


@router.get("/campaigns/{campaign_id}/expenses")
def list_expenses(request, campaign_id: PathId):
    campaign = campaign_for_user(request.user, campaign_id, VIEW)
    return [_expense_out(e) for e in selectors.expenses_for(request.user, campaign)]


@router.post("/campaigns/{campaign_id}/expenses", response={201: dict})
def create_expense(request, campaign_id: PathId, payload: ExpenseIn):
    campaign = campaign_for_user(request.user, campaign_id, EDIT)
    expense = services.expense_create(actor=request.user, campaign=campaign, data=payload.dict())
    return Status(201, _expense_out(expense))


@router.get("/expenses/{expense_id}")
def get_expense(request, expense_id: PathId):
    return _expense_out(lookups.expense_for_user(request.user, expense_id, VIEW))


@router.patch("/expenses/{expense_id}")
def patch_expense(request, expense_id: PathId, payload: ExpensePatch):
    """Correct an expense; it waits for approval again (pending, or held when it now goes over the plan).
    A new receipt: POST /expenses/{id}/receipt, or the correction form of the web UI."""
    expense = lookups.expense_for_user(request.user, expense_id, EDIT)
    data = payload.dict(exclude_unset=True, exclude={"version"})
    services.expense_correct(actor=request.user, expense=expense, version=payload.version, data=data)
    return _expense_out(expense)


@router.delete("/expenses/{expense_id}", response={204: None})
def delete_expense(request, expense_id: PathId, q: Query[VersionQuery]):
    expense = lookups.expense_for_user(request.user, expense_id, EDIT)
    services.expense_delete(actor=request.user, expense=expense, version=_version(q))
    return Status(204, None)


@router.post("/expenses/{expense_id}/approve")
def approve_expense(request, expense_id: PathId, payload: CommentIn | None = None):
    expense = lookups.expense_for_user(request.user, expense_id, VIEW)
    services.expense_decide(
        actor=request.user, expense=expense, approve=True, comment=payload.comment if payload else ""
    )
    return _expense_out(expense)


@router.post("/expenses/{expense_id}/reject")
def reject_expense(request, expense_id: PathId, payload: CommentIn):
    expense = lookups.expense_for_user(request.user, expense_id, VIEW)
    services.expense_decide(actor=request.user, expense=expense, approve=False, comment=payload.comment)
    return _expense_out(expense)


@router.post("/expenses/{expense_id}/receipt")
def upload_receipt(request, expense_id: PathId, file: File[UploadedFile] = None):
    expense = lookups.expense_for_user(request.user, expense_id, EDIT)
    services.expense_attach_receipt(actor=request.user, expense=expense, upload=file)
    return _expense_out(expense)


@router.get("/expenses/{expense_id}/receipt")
def download_receipt(request, expense_id: PathId):
    expense = lookups.expense_for_user(request.user, expense_id, VIEW)
    if not expense.receipt:
        raise Http404
    return FileResponse(expense.receipt.open("rb"), as_attachment=True, filename=expense.receipt_name or "receipt")


@router.get("/overruns")
def overrun_queue(request):
    """Held overruns waiting for a director, across the caller's campaigns."""
    return [
        {**_expense_out(e), "campaign": e.campaign_id, "campaign_name": e.campaign.name}
        for e in selectors.overrun_queue(request.user)
    ]


# --- partners --------------------------------------------------------------------------------------


@router.get("/partners")
def list_partners(request):
    detailed = set(selectors.companies_with_details(request.user).values_list("pk", flat=True))
    return [_partner_out(p, details=p.pk in detailed) for p in selectors.companies_for(request.user)]


@router.post("/partners", response={201: dict})
def create_partner(request, payload: PartnerIn):
    return Status(201, _partner_out(services.partner_create(actor=request.user, data=payload.dict())))


@router.patch("/partners/{partner_id}")
def patch_partner(request, partner_id: PathId, payload: PartnerPatch):
    partner = get_object_or_404(selectors.companies_for(request.user), pk=partner_id)  # the service checks the right
    data = payload.dict(exclude_unset=True, exclude={"version"})
    return _partner_out(
        services.partner_update(actor=request.user, partner=partner, version=payload.version, data=data)
    )


@router.post("/partners/{partner_id}/contacts", response={201: dict})
def link_contact(request, partner_id: PathId, payload: ContactIn):
    partner = get_object_or_404(selectors.companies_for(request.user), pk=partner_id)
    contact = services.partner_contact_link(actor=request.user, partner=partner, username=payload.username)
    return Status(201, {"user": contact.user.username, "partner": partner.pk})


@router.get("/campaigns/{campaign_id}/partners")
def list_campaign_partners(request, campaign_id: PathId):
    campaign = campaign_for_user(request.user, campaign_id, VIEW)
    return [_cp_out(r["cp"], r["score"], r["rank"]) for r in selectors.ranking(request.user, campaign)]


@router.post("/campaigns/{campaign_id}/partners", response={201: dict})
def add_campaign_partner(request, campaign_id: PathId, payload: CampaignPartnerIn):
    campaign = campaign_for_user(request.user, campaign_id, MANAGE)
    cp = services.campaign_partner_add(actor=request.user, campaign=campaign, data=payload.dict())
    return Status(201, _cp_out(cp))


@router.patch("/campaign-partners/{cp_id}")
def patch_campaign_partner(request, cp_id: PathId, payload: CampaignPartnerPatch):
    cp = lookups.campaign_partner_for_user(request.user, cp_id, MANAGE)
    data = payload.dict(exclude_unset=True, exclude={"version", "partner"})
    return _cp_out(services.campaign_partner_update(actor=request.user, cp=cp, version=payload.version, data=data))


@router.post("/campaign-partners/{cp_id}/responsibilities", response={201: dict})
def add_responsibility(request, cp_id: PathId, payload: ResponsibilityIn):
    cp = lookups.campaign_partner_for_user(request.user, cp_id, EDIT)
    return Status(201, _resp_out(services.responsibility_create(actor=request.user, cp=cp, data=payload.dict())))


@router.patch("/responsibilities/{item_id}")
def patch_responsibility(request, item_id: PathId, payload: ResponsibilityPatch):
    item = Responsibility.objects.select_related("campaign_partner__campaign").filter(pk=item_id).first()
    if item is None:
        raise Http404
    lookups.campaign_partner_for_user(
        request.user, item.campaign_partner_id, VIEW
    )  # 404 unless visible; the service decides the write
    data = payload.dict(exclude_unset=True, exclude={"version"})
    return _resp_out(services.responsibility_update(actor=request.user, item=item, version=payload.version, data=data))


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
    content = settlement_xlsx(campaign, selectors.settlement_statement(campaign))
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="settlement-{campaign.pk}.xlsx"'
    return response


@router.get("/campaigns/{campaign_id}/settlement.pdf")
def settlement_pdf(request, campaign_id: PathId):
    """The statement as a PDF in the reader's language: the parties, each share to the cent, the sign-offs.
    A partner gets their own company's statement (403 when their company does not take part)."""
    campaign = campaign_for_user(request.user, campaign_id, VIEW)
    return settlement_pdf_response(request.user, campaign)
