"""REST endpoints of the review: evaluation table, attribution, retrospective, playbook promotion,
case library, similar cases and starting a campaign from a case. Partners get 403 (internal)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Query, Router, Schema, Status
from pydantic import Field

from campaignflow.campaigns.access import EDIT, MANAGE, VIEW
from campaignflow.core.api_types import PathId
from campaignflow.core.json_out import json_response

from . import selectors, services
from .access import campaign_for_review

router = Router(tags=["review"])


def _n(value):
    if value is None:
        return None
    return float(value) if isinstance(value, Decimal) else value


class EvaluationRowOut(Schema):
    id: int = Field(..., description="the KPI's id; PATCH /campaigns/{id}/evaluation/{kpi_id}")
    kpi: str
    metric: str
    unit: str
    priority: str
    target: float | None
    actual: float | None
    achievement_rate: float | None = Field(None, description="actual/target as a fraction (1.24 = 124%)")
    cause: str | None = Field(None, description="success (target reached) or shortfall")
    dimension: str
    analysis: str
    improvement: str
    version: int = Field(..., description="0 while nobody has written on the row")


class EvaluationOut(Schema):
    campaign: int
    rows: list[EvaluationRowOut]
    complete: bool
    missing: int


class EvaluationPatch(Schema):
    version: int = Field(..., ge=0)
    analysis: str | None = Field(None, max_length=5000)
    improvement: str | None = Field(None, max_length=5000)
    dimension: str | None = Field(None, max_length=100)


def _row_out(r: dict) -> dict:
    return {**r, "target": _n(r["target"]), "actual": _n(r["actual"]), "achievement_rate": _n(r["achievement_rate"])}


def _evaluation_out(campaign) -> dict:
    data = selectors.evaluation(campaign)
    return {**data, "rows": [_row_out(r) for r in data["rows"]]}


@router.get("/campaigns/{campaign_id}/evaluation", response=EvaluationOut)
def get_evaluation(request, campaign_id: PathId):
    return _evaluation_out(campaign_for_review(request.user, campaign_id, VIEW))


@router.patch("/campaigns/{campaign_id}/evaluation/{kpi_id}", response=EvaluationRowOut)
def patch_evaluation_row(request, campaign_id: PathId, kpi_id: PathId, payload: EvaluationPatch):
    campaign = campaign_for_review(request.user, campaign_id, EDIT)
    services.evaluation_note_save(
        actor=request.user, campaign=campaign, kpi_id=kpi_id, data=payload.dict(exclude_unset=True)
    )
    row = next(r for r in selectors.evaluation_rows(campaign) if r["id"] == kpi_id)
    return _row_out(row)


@router.get("/campaigns/{campaign_id}/attribution")
def get_attribution(request, campaign_id: PathId):
    """Funnel per channel (曝光→点击→转化→购买, each channel's share), channel ROI (销售额 / cost of the budget
    lines linked to the channel), CPA/CPC/CPM, and a marginal-ROI ranking for the next campaign's budget."""
    campaign = campaign_for_review(request.user, campaign_id, VIEW)
    data = selectors.attribution(campaign)
    data.pop("charts")
    return json_response(data)


class AssetIn(Schema):
    title: str = Field(..., max_length=200)
    url: str = Field("", max_length=500)


class RetrospectiveOut(Schema):
    campaign: int
    worked: str
    improve: str
    lessons: str
    assets: list[dict]
    completed_at: dt.datetime | None
    completed_by: str | None
    due_date: dt.date
    completed: bool
    days_late: int
    version: int


class RetrospectivePatch(Schema):
    version: int = Field(..., ge=0)
    worked: str | None = Field(None, max_length=5000)
    improve: str | None = Field(None, max_length=5000)
    lessons: str | None = Field(None, max_length=5000)
    assets: list[AssetIn] | None = Field(None, max_length=30)
    complete: bool | None = None


@router.get("/campaigns/{campaign_id}/retrospective", response=RetrospectiveOut)
def get_retrospective(request, campaign_id: PathId):
    return selectors.retrospective(campaign_for_review(request.user, campaign_id, VIEW))


@router.patch("/campaigns/{campaign_id}/retrospective", response=RetrospectiveOut)
def patch_retrospective(request, campaign_id: PathId, payload: RetrospectivePatch):
    campaign = campaign_for_review(request.user, campaign_id, EDIT)
    services.retrospective_save(actor=request.user, campaign=campaign, data=payload.dict(exclude_unset=True))
    return selectors.retrospective(campaign)


class PromotionIn(Schema):
    version: int | None = Field(None, ge=1, description="the playbook's version (when saving a new version of it)")
    name: str = Field("", max_length=200, description="name of a new playbook (needed when based on a built-in)")
    key: str = Field("", max_length=80)
    note: str = Field("", max_length=300)


def _promotion_out(preview: dict) -> dict:
    pb = preview["playbook"]
    return {
        "playbook": pb.key if pb else None,
        "playbook_version": pb.version if pb else None,
        "base_version": preview["base_version"],
        "builtin": preview["builtin"],
        "phases": preview["phases"],
        "diff": [{**d, "fields": [list(f) for f in d["fields"]]} for d in preview["diff"]],
        "note": preview["note"],
    }


@router.get("/campaigns/{campaign_id}/playbook-promotion")
def preview_promotion(request, campaign_id: PathId):
    """What promoting the campaign's actual plan and lessons into a playbook would save, with the diff."""
    campaign = campaign_for_review(request.user, campaign_id, VIEW)
    return _promotion_out(services.promotion_preview(campaign))


@router.post("/campaigns/{campaign_id}/playbook-promotion", response={201: dict})
def promote_playbook(request, campaign_id: PathId, payload: PromotionIn):
    campaign = campaign_for_review(request.user, campaign_id, MANAGE, archived_ok=True)
    pv = services.playbook_promote(actor=request.user, campaign=campaign, **payload.dict())
    return Status(201, {"playbook": pv.playbook.key, "name": pv.playbook.name, "version": pv.number, "note": pv.note})


class CaseFilters(Schema):
    q: str = Field("", max_length=200)
    type: str = Field("", max_length=30)
    industry: str = Field("", max_length=100)
    channel: str = Field("", max_length=100)
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    achieved: bool | None = None
    limit: int = Field(50, ge=1, le=200)


@router.get("/cases")
def list_cases(request, filters: Query[CaseFilters]):
    """The case library (案例库): archived campaigns the caller sees, searched by text (Chinese substrings),
    type, industry, channel, period (overlapping date_from..date_to) and results (core KPI achieved)."""
    return json_response(selectors.search_cases(request.user, **filters.dict()))


@router.get("/campaigns/{campaign_id}/similar")
def similar(request, campaign_id: PathId):
    campaign = campaign_for_review(request.user, campaign_id, VIEW)
    return json_response(selectors.similar_cases(request.user, campaign))


class FromCaseIn(Schema):
    name: str = Field(..., max_length=200)
    start_date: str = Field(..., max_length=10)
    end_date: str | None = Field(None, max_length=10)


@router.post("/campaigns/{campaign_id}/start-from-case", response={201: dict})
def start_from_case(request, campaign_id: PathId, payload: FromCaseIn):
    """A new campaign from this archived case: plan shifted to the new dates, KPIs, channels, budget lines."""
    source = campaign_for_review(request.user, campaign_id, VIEW)
    campaign = services.campaign_from_case(actor=request.user, source=source, data=payload.dict())
    return Status(
        201,
        {
            "id": campaign.pk,
            "name": campaign.name,
            "status": campaign.status,
            "start_date": campaign.start_date.isoformat(),
            "end_date": campaign.end_date.isoformat(),
            "version": campaign.version,
        },
    )
