"""REST endpoints: risks, the issue log (with SLA), execution log, run-of-show, stand-ups,
weekly reports and the campaign's execution settings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import Field

from campaignflow import lookups
from campaignflow.campaigns.access import EDIT, MANAGE, VIEW
from campaignflow.core.api_types import InputSchema, MomentText, PathId, Username, patch_data, patch_schema
from campaignflow.core.record_routes import RecordRoutes

from . import report_snapshot, selectors, services
from .domain import risk as risk_domain
from .models import Risk, WeeklyReport

router = Router(tags=["execution"])

# Each resource: an In schema (create), its Patch derived from it (core.api_types.patch_schema) and an Out
# schema that reads the model instance itself: a person as core.api_types.Username (the selectors
# select_related it), a value of a related object through a dotted alias, a computed one through
# resolve_<field> (docs/adr/0005). `records` registers their list, create and update handlers
# (core.record_routes): the team reads, editors write.
records = RecordRoutes(router, __name__, campaign=selectors.campaign_for_execution, read=VIEW, write=EDIT)


# --- risks ------------------------------------------------------------------------------


class RiskIn(InputSchema):
    title: str = Field(..., max_length=200)
    category: str = Field("other", max_length=20)
    likelihood: int = Field(3, ge=1, le=5)
    impact: int = Field(3, ge=1, le=5)
    mitigation: str = Field("", max_length=5000)
    contingency_plan: str = Field("", max_length=5000)
    trigger: str = Field("", max_length=300)
    owner: str | None = Field(None, max_length=150)
    status: str = Field("open", max_length=20)


RiskPatch = patch_schema(RiskIn)


class RiskOut(Schema):
    id: int
    code: str
    title: str
    category: str
    likelihood: int
    impact: int
    score: int
    level: str
    mitigation: str
    contingency_plan: str
    trigger: str
    owner: Username
    status: str
    version: int

    @staticmethod
    def resolve_level(risk: Risk) -> str:
        return risk_domain.level(risk.score)


records.collection("risks", "risk", RiskIn, RiskOut, rows=selectors.risks, create=services.risk_create)
records.item("/risks/{risk_id}", RiskOut, lookups.risk_for_user, patch=(RiskPatch, services.risk_update))


# --- issues -----------------------------------------------------------------------------


class IssueIn(InputSchema):
    description: str = Field(..., max_length=500)
    severity: str = Field("medium", max_length=10)
    owner: str | None = Field(None, max_length=150)
    found_at: MomentText = None
    status: str = Field("open", max_length=20)
    solution: str = Field("", max_length=5000)


IssuePatch = patch_schema(IssueIn, exclude=("found_at",))  # when it was found is fixed: the SLA counts from it


class IssueOut(Schema):
    id: int
    code: str
    description: str
    severity: str
    owner: Username
    status: str
    solution: str
    found_at: dt.datetime
    first_response_at: dt.datetime | None
    resolved_at: dt.datetime | None
    response_due: dt.datetime = Field(alias="sla_now.response_due")
    resolution_due: dt.datetime = Field(alias="sla_now.resolution_due")
    response_breached: bool = Field(alias="sla_now.response_breached")
    resolution_breached: bool = Field(alias="sla_now.resolution_breached")
    sla_seconds_left: float | None = Field(alias="sla_now.seconds_left")
    version: int


class IssueFilter(InputSchema):
    status: str | None = Field(None, max_length=20)


@router.get("/campaigns/{campaign_id}/issues", response=list[IssueOut])
def list_issues(request, campaign_id: PathId, filters: Query[IssueFilter]):
    campaign = selectors.campaign_for_execution(request.user, campaign_id, VIEW)
    return selectors.issues(campaign, filters.status)


@router.post("/campaigns/{campaign_id}/issues", response={201: IssueOut})
def create_issue(request, campaign_id: PathId, payload: IssueIn):
    campaign = selectors.campaign_for_execution(request.user, campaign_id, EDIT)
    data = payload.dict()
    if data["found_at"] is None:
        data.pop("found_at")
    return Status(201, services.issue_create(actor=request.user, campaign=campaign, data=data))


records.item("/issues/{issue_id}", IssueOut, lookups.issue_for_user, patch=(IssuePatch, services.issue_update))


# --- execution log ----------------------------------------------------------------------


class LogIn(InputSchema):
    event: str = Field(..., max_length=500)
    at: MomentText = None
    handling: str = Field("", max_length=5000)
    result: str = Field("", max_length=5000)


LogPatch = patch_schema(LogIn)


class LogOut(Schema):
    id: int
    at: dt.datetime
    event: str
    handling: str
    result: str
    author: Username
    version: int


records.collection("logs", "log", LogIn, LogOut, rows=selectors.logs, create=services.log_create)
records.item("/logs/{log_id}", LogOut, lookups.log_entry_for_user, record_kw="entry",
             patch=(LogPatch, services.log_update), delete=services.log_delete)  # fmt: skip


# --- run-of-show ------------------------------------------------------------------------


class SegmentIn(InputSchema):
    segment: str = Field(..., max_length=200)
    starts_at: MomentText
    minutes: int = Field(5, ge=1, le=1440)
    owner: str | None = Field(None, max_length=150)
    notes: str = Field("", max_length=500)


SegmentPatch = patch_schema(SegmentIn, done=(bool | None, None))  # done: true stamps done_at, false clears it


class SegmentOut(Schema):
    id: int
    segment: str
    starts_at: dt.datetime
    minutes: int
    owner: Username
    notes: str
    done_at: dt.datetime | None
    version: int


records.collection(
    "run-of-show", "segment", SegmentIn, SegmentOut, rows=selectors.run_of_show, create=services.segment_create
)
records.item("/run-of-show/{segment_id}", SegmentOut, lookups.segment_for_user, record_kw="item",
             patch=(SegmentPatch, services.segment_update), delete=services.segment_delete)  # fmt: skip


# --- stand-ups --------------------------------------------------------------------------


class StandupIn(InputSchema):
    date: dt.date | None = None
    done: str = Field("", max_length=5000)
    not_done: str = Field("", max_length=5000)
    not_done_reason: str = Field("", max_length=5000)
    need_support: str = Field("", max_length=5000)
    version: int | None = None


class StandupOut(Schema):
    id: int
    user: str = Field(alias="user.username")
    date: dt.date
    done: str
    not_done: str
    not_done_reason: str
    need_support: str
    version: int


class StandupFilter(InputSchema):
    date: dt.date | None = None
    user: str | None = Field(None, max_length=150)


@router.get("/campaigns/{campaign_id}/standups", response=list[StandupOut])
def list_standups(request, campaign_id: PathId, filters: Query[StandupFilter]):
    campaign = selectors.campaign_for_execution(request.user, campaign_id, VIEW)
    qs = selectors.standups(campaign, date=filters.date)
    if filters.user:
        qs = qs.filter(user__username=filters.user)
    return qs[:1000]


@router.post("/campaigns/{campaign_id}/standups", response={201: StandupOut, 200: StandupOut})
def save_standup(request, campaign_id: PathId, payload: StandupIn):
    """Write the caller's stand-up for the day (today by default); sending the same day again updates it."""
    campaign = selectors.campaign_for_execution(request.user, campaign_id, EDIT)
    data = payload.dict(exclude_none=True)
    standup, created = services.standup_save(actor=request.user, campaign=campaign, data=data)
    return Status(201 if created else 200, standup)


# --- weekly reports ---------------------------------------------------------------------


class ReportOut(Schema):
    id: int
    week_start: dt.date
    status: str
    key_results: str
    delayed_tasks: str
    next_week_plan: str
    resources: str
    published_at: dt.datetime | None
    published_by: Username
    version: int
    # when the report's figures were fixed (its publication); null while /figures computes them from the
    # current data: a draft, or a report published before reports kept their figures
    figures_fixed_at: dt.datetime | None

    @staticmethod
    def resolve_figures_fixed_at(report: WeeklyReport) -> dt.datetime | None:
        return report_snapshot.fixed_at(report)


class ReportGenerateIn(InputSchema):
    week_start: dt.date | None = None


class ReportPatch(InputSchema):
    version: int
    # absent: unchanged; null is refused (422), as by patch_schema
    key_results: str = Field(None, max_length=20000)
    delayed_tasks: str = Field(None, max_length=20000)
    next_week_plan: str = Field(None, max_length=20000)
    resources: str = Field(None, max_length=20000)


class VersionIn(InputSchema):
    version: int


@router.get("/campaigns/{campaign_id}/weekly-reports", response=list[ReportOut])
def list_reports(request, campaign_id: PathId):
    campaign = selectors.campaign_for_execution(request.user, campaign_id, VIEW)
    return selectors.weekly_reports(campaign)


@router.post("/campaigns/{campaign_id}/weekly-reports", response={201: ReportOut})
def generate_report(request, campaign_id: PathId, payload: ReportGenerateIn):
    """Generate (or refresh) the draft for the week containing `week_start` (default: this week)."""
    campaign = selectors.campaign_for_execution(request.user, campaign_id, EDIT)
    zh = (getattr(request, "LANGUAGE_CODE", "zh-hans") or "zh").startswith("zh")
    report = services.weekly_report_generate(
        actor=request.user, campaign=campaign, week_start=payload.week_start or timezone.localdate(), zh=zh
    )
    return Status(201, report)


records.item(
    "/weekly-reports/{report_id}",
    ReportOut,
    lookups.report_for_user,
    patch=(ReportPatch, services.weekly_report_update),
)


@router.post("/weekly-reports/{report_id}/publish", response=ReportOut)
def publish_report(request, report_id: PathId, payload: VersionIn):
    report = lookups.report_for_user(request.user, report_id, MANAGE)
    return services.weekly_report_publish(actor=request.user, report=report, version=payload.version)


class WeekFigureOut(Schema):
    kpi: str
    unit: str
    percent: bool
    direction: str
    this_week: Decimal | None
    last_week: Decimal | None
    change: Decimal | None
    change_rate: Decimal | None
    good: bool | None
    target: Decimal
    actual: Decimal | None
    achievement_rate: Decimal | None


class WeekTrendOut(Schema):
    kpi: str
    values: list[Decimal | None]


class WeekFiguresOut(Schema):
    week_start: dt.date
    week_end: dt.date
    through: dt.date  # the last day counted: today while the week is in progress (last week: the same days)
    rows: list[WeekFigureOut]
    trend_dates: list[dt.date]
    trend: list[WeekTrendOut]
    fixed_at: dt.datetime | None  # a published report's figures as of its publication; null: live


@router.get("/weekly-reports/{report_id}/figures", response=WeekFiguresOut)
def report_figures(request, report_id: PathId):
    """The report week's key results: each KPI this week against last week (change, direction-aware
    `good`) with its cumulative achievement rate, and the daily values of the last 4 weeks. A published
    report's figures are those of its publication (`fixed_at`); a draft's are computed now."""
    report = lookups.report_for_user(request.user, report_id, VIEW)
    data = report_snapshot.report_week_figures(report, user=request.user)
    return {
        "week_start": data["week_start"],
        "week_end": data["week_end"],
        "through": data["through"],
        "rows": data["rows"],
        "trend_dates": data["trend"]["dates"],
        "trend": data["trend"]["series"],
        "fixed_at": data["fixed_at"],
    }


class ShareOut(Schema):
    notified: int


@router.post("/weekly-reports/{report_id}/share", response=ShareOut)
def share_report(request, report_id: PathId):
    """Send a published report to the team's inboxes and chat robots (409 for a draft)."""
    report = lookups.report_for_user(request.user, report_id, EDIT)
    url = reverse("execution:report", args=[report.campaign_id, report.id])
    return {"notified": services.weekly_report_share(actor=request.user, report=report, url=url)}


# --- settings ---------------------------------------------------------------------------


class ExecutionSettingsOut(Schema):
    response_sla_hours: int
    resolution_sla_hours: int
    version: int


class ExecutionSettingsPatch(InputSchema):
    version: int
    response_sla_hours: int | None = None
    resolution_sla_hours: int | None = None


@router.get("/campaigns/{campaign_id}/execution-settings", response=ExecutionSettingsOut)
def get_settings(request, campaign_id: PathId):
    campaign = selectors.campaign_for_execution(request.user, campaign_id, VIEW)
    return services.settings_for(campaign)


@router.patch("/campaigns/{campaign_id}/execution-settings", response=ExecutionSettingsOut)
def update_settings(request, campaign_id: PathId, payload: ExecutionSettingsPatch):
    campaign = selectors.campaign_for_execution(request.user, campaign_id, MANAGE)
    version, data = patch_data(payload)
    return services.settings_update(actor=request.user, campaign=campaign, version=version, data=data)
