"""REST endpoints of the review: evaluation table, attribution, retrospective, playbook promotion,
case library, similar cases and starting a campaign from a case. Partners get 403 (internal)."""

from __future__ import annotations

import datetime as dt

from ninja import Query, Router, Schema, Status
from pydantic import Field

from campaignflow.campaigns.access import EDIT, MANAGE, VIEW
from campaignflow.core.api_types import InputSchema, PathId, patch_schema
from campaignflow.core.json_out import json_response
from campaignflow.core.record_routes import RecordRoutes

from . import selectors, services
from .access import campaign_for_review

router = Router(tags=["review"])

# The Out schemas read what the selectors and services return (docs/adr/0005); the review services take the
# posted `version` inside `data` (the HTML forms and the bench call them the same way).
records = RecordRoutes(router, __name__, campaign=campaign_for_review, read=VIEW, write=EDIT)


def _saved(request, campaign_id, save, payload: Schema, **target):
    """The campaign once `save` has stored what the client sent on it (or on its `target`)."""
    campaign = campaign_for_review(request.user, campaign_id, EDIT)
    save(actor=request.user, campaign=campaign, data=payload.dict(exclude_unset=True), **target)
    return campaign


class EvaluationIn(Schema):
    """What people write on a row (the row itself is the KPI's: a note is written, never created)."""

    analysis: str = Field("", max_length=5000)
    improvement: str = Field("", max_length=5000)
    dimension: str = Field("", max_length=100)


EvaluationPatch = patch_schema(EvaluationIn)


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


records.section("evaluation", "get_evaluation", EvaluationOut, selectors.evaluation)


@router.patch("/campaigns/{campaign_id}/evaluation/{kpi_id}", response=EvaluationRowOut)
def patch_evaluation_row(request, campaign_id: PathId, kpi_id: PathId, payload: EvaluationPatch):
    campaign = _saved(request, campaign_id, services.evaluation_note_save, payload, kpi_id=kpi_id)
    return next(r for r in selectors.evaluation_rows(campaign) if r["id"] == kpi_id)


@router.get("/campaigns/{campaign_id}/attribution")
def get_attribution(request, campaign_id: PathId):
    """Funnel per channel (曝光→点击→转化→购买, each channel's share), channel ROI (销售额 / cost of the budget
    lines linked to the channel), CPA/CPC/CPM, and a marginal-ROI ranking for the next campaign's budget."""
    campaign = campaign_for_review(request.user, campaign_id, VIEW)
    data = selectors.attribution(campaign)
    data.pop("charts")
    return json_response(data)


class AssetIn(InputSchema):
    title: str = Field(..., max_length=200)
    url: str = Field("", max_length=500)


class RetrospectiveIn(Schema):
    worked: str = Field("", max_length=5000)
    improve: str = Field("", max_length=5000)
    lessons: str = Field("", max_length=5000)
    assets: list[AssetIn] = Field([], max_length=30)


RetrospectivePatch = patch_schema(RetrospectiveIn, complete=(bool | None, None))


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


records.section("retrospective", "get_retrospective", RetrospectiveOut, selectors.retrospective)


@router.patch("/campaigns/{campaign_id}/retrospective", response=RetrospectiveOut)
def patch_retrospective(request, campaign_id: PathId, payload: RetrospectivePatch):
    return selectors.retrospective(_saved(request, campaign_id, services.retrospective_save, payload))


class PromotionIn(InputSchema):
    version: int | None = Field(None, ge=1, description="the playbook's version (when saving a new version of it)")
    name: str = Field("", max_length=200, description="name of a new playbook (needed when based on a built-in)")
    key: str = Field("", max_length=80)
    note: str = Field("", max_length=300)


class PromotionPreviewOut(Schema):
    playbook: str | None = Field(None, description="the key of the playbook the campaign is based on")
    playbook_version: int | None
    base_version: int | None
    builtin: bool
    phases: list[dict]
    diff: list[dict] = Field(..., description="{change, phase, step, fields: [[field, before, after]]}")
    note: str

    @staticmethod
    def resolve_playbook(preview: dict) -> str | None:
        return preview["playbook"].key if preview["playbook"] else None

    @staticmethod
    def resolve_playbook_version(preview: dict) -> int | None:
        return preview["playbook"].version if preview["playbook"] else None


class PromotedOut(Schema):
    playbook: str = Field(alias="playbook.key")
    name: str = Field(alias="playbook.name")
    version: int = Field(alias="number")
    note: str


@router.get("/campaigns/{campaign_id}/playbook-promotion", response=PromotionPreviewOut)
def preview_promotion(request, campaign_id: PathId):
    """What promoting the campaign's actual plan and lessons into a playbook would save, with the diff."""
    campaign = campaign_for_review(request.user, campaign_id, VIEW)
    return services.promotion_preview(campaign)


@router.post("/campaigns/{campaign_id}/playbook-promotion", response={201: PromotedOut})
def promote_playbook(request, campaign_id: PathId, payload: PromotionIn):
    campaign = campaign_for_review(request.user, campaign_id, MANAGE, archived_ok=True)
    return Status(201, services.playbook_promote(actor=request.user, campaign=campaign, **payload.dict()))


class CaseFilters(InputSchema):
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


class FromCaseIn(InputSchema):
    name: str = Field(..., max_length=200)
    start_date: str = Field(..., max_length=10)
    end_date: str | None = Field(None, max_length=10)


class StartedCampaignOut(Schema):
    id: int
    name: str
    status: str
    start_date: dt.date
    end_date: dt.date
    version: int


@router.post("/campaigns/{campaign_id}/start-from-case", response={201: StartedCampaignOut})
def start_from_case(request, campaign_id: PathId, payload: FromCaseIn):
    """A new campaign from this archived case: plan shifted to the new dates, KPIs, channels, budget lines."""
    source = campaign_for_review(request.user, campaign_id, VIEW)
    return Status(201, services.campaign_from_case(actor=request.user, source=source, data=payload.dict()))
