"""REST endpoints: risks, the issue log (with SLA), execution log, run-of-show, stand-ups,
weekly reports and the campaign's execution settings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import Field

from campaignflow.campaigns.access import EDIT, MANAGE, VIEW
from campaignflow.core.api_types import PathId

from . import selectors, services
from .domain import risk as risk_domain
from .models import ExecutionLogEntry, Issue, Risk, RunOfShowItem, WeeklyReport

router = Router(tags=["execution"])


def _name(user) -> str | None:
    return user.username if user else None


# --- risks ------------------------------------------------------------------------------


class RiskIn(Schema):
    title: str = Field(..., max_length=200)
    category: str = Field("other", max_length=20)
    likelihood: int = Field(3, ge=1, le=5)
    impact: int = Field(3, ge=1, le=5)
    mitigation: str = Field("", max_length=5000)
    contingency_plan: str = Field("", max_length=5000)
    trigger: str = Field("", max_length=300)
    owner: str | None = Field(None, max_length=150)
    status: str = Field("open", max_length=20)


class RiskPatch(Schema):
    version: int
    title: str | None = Field(None, max_length=200)
    category: str | None = Field(None, max_length=20)
    likelihood: int | None = Field(None, ge=1, le=5)
    impact: int | None = Field(None, ge=1, le=5)
    mitigation: str | None = Field(None, max_length=5000)
    contingency_plan: str | None = Field(None, max_length=5000)
    trigger: str | None = Field(None, max_length=300)
    owner: str | None = Field(None, max_length=150)
    status: str | None = Field(None, max_length=20)


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
    owner: str | None
    status: str
    version: int


def risk_out(r: Risk) -> dict:
    return {
        "id": r.id,
        "code": r.code,
        "title": r.title,
        "category": r.category,
        "likelihood": r.likelihood,
        "impact": r.impact,
        "score": r.score,
        "level": risk_domain.level(r.score),
        "mitigation": r.mitigation,
        "contingency_plan": r.contingency_plan,
        "trigger": r.trigger,
        "owner": _name(r.owner),
        "status": r.status,
        "version": r.version,
    }


@router.get("/campaigns/{campaign_id}/risks", response=list[RiskOut])
def list_risks(request, campaign_id: PathId):
    campaign = selectors.campaign_for_execution(request.user, campaign_id, VIEW)
    return [risk_out(r) for r in selectors.risks(campaign)]


@router.post("/campaigns/{campaign_id}/risks", response={201: RiskOut})
def create_risk(request, campaign_id: PathId, payload: RiskIn):
    campaign = selectors.campaign_for_execution(request.user, campaign_id, EDIT)
    return Status(201, risk_out(services.risk_create(actor=request.user, campaign=campaign, data=payload.dict())))


@router.patch("/risks/{risk_id}", response=RiskOut)
def update_risk(request, risk_id: PathId, payload: RiskPatch):
    risk = selectors.object_for_user(Risk, request.user, risk_id, EDIT)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    return risk_out(services.risk_update(actor=request.user, risk=risk, version=version, data=data))


# --- issues -----------------------------------------------------------------------------


class IssueIn(Schema):
    description: str = Field(..., max_length=500)
    severity: str = Field("medium", max_length=10)
    owner: str | None = Field(None, max_length=150)
    found_at: dt.datetime | None = None
    status: str = Field("open", max_length=20)
    solution: str = Field("", max_length=5000)


class IssuePatch(Schema):
    version: int
    description: str | None = Field(None, max_length=500)
    severity: str | None = Field(None, max_length=10)
    owner: str | None = Field(None, max_length=150)
    status: str | None = Field(None, max_length=20)
    solution: str | None = Field(None, max_length=5000)


class IssueOut(Schema):
    id: int
    code: str
    description: str
    severity: str
    owner: str | None
    status: str
    solution: str
    found_at: dt.datetime
    first_response_at: dt.datetime | None
    resolved_at: dt.datetime | None
    response_due: dt.datetime
    resolution_due: dt.datetime
    response_breached: bool
    resolution_breached: bool
    sla_seconds_left: float | None
    version: int


def issue_out(i: Issue, now=None) -> dict:
    state = i.sla_state(now or timezone.now())
    return {
        "id": i.id,
        "code": i.code,
        "description": i.description,
        "severity": i.severity,
        "owner": _name(i.owner),
        "status": i.status,
        "solution": i.solution,
        "found_at": i.found_at,
        "first_response_at": i.first_response_at,
        "resolved_at": i.resolved_at,
        "response_due": state.response_due,
        "resolution_due": state.resolution_due,
        "response_breached": state.response_breached,
        "resolution_breached": state.resolution_breached,
        "sla_seconds_left": state.seconds_left,
        "version": i.version,
    }


class IssueFilter(Schema):
    status: str | None = Field(None, max_length=20)


@router.get("/campaigns/{campaign_id}/issues", response=list[IssueOut])
def list_issues(request, campaign_id: PathId, filters: Query[IssueFilter]):
    campaign = selectors.campaign_for_execution(request.user, campaign_id, VIEW)
    now = timezone.now()
    return [issue_out(i, now) for i in selectors.issues(campaign, filters.status)]


@router.post("/campaigns/{campaign_id}/issues", response={201: IssueOut})
def create_issue(request, campaign_id: PathId, payload: IssueIn):
    campaign = selectors.campaign_for_execution(request.user, campaign_id, EDIT)
    data = payload.dict()
    if data["found_at"] is None:
        data.pop("found_at")
    return Status(201, issue_out(services.issue_create(actor=request.user, campaign=campaign, data=data)))


@router.patch("/issues/{issue_id}", response=IssueOut)
def update_issue(request, issue_id: PathId, payload: IssuePatch):
    issue = selectors.object_for_user(Issue, request.user, issue_id, EDIT)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    return issue_out(services.issue_update(actor=request.user, issue=issue, version=version, data=data))


# --- execution log ----------------------------------------------------------------------


class LogIn(Schema):
    event: str = Field(..., max_length=500)
    at: dt.datetime | None = None
    handling: str = Field("", max_length=5000)
    result: str = Field("", max_length=5000)


class LogPatch(Schema):
    version: int
    event: str | None = Field(None, max_length=500)
    at: dt.datetime | None = None
    handling: str | None = Field(None, max_length=5000)
    result: str | None = Field(None, max_length=5000)


class LogOut(Schema):
    id: int
    at: dt.datetime
    event: str
    handling: str
    result: str
    author: str | None
    version: int


def log_out(e: ExecutionLogEntry) -> dict:
    return {
        "id": e.id,
        "at": e.at,
        "event": e.event,
        "handling": e.handling,
        "result": e.result,
        "author": _name(e.author),
        "version": e.version,
    }


@router.get("/campaigns/{campaign_id}/logs", response=list[LogOut])
def list_logs(request, campaign_id: PathId):
    campaign = selectors.campaign_for_execution(request.user, campaign_id, VIEW)
    return [log_out(e) for e in selectors.logs(campaign)]


@router.post("/campaigns/{campaign_id}/logs", response={201: LogOut})
def create_log(request, campaign_id: PathId, payload: LogIn):
    campaign = selectors.campaign_for_execution(request.user, campaign_id, EDIT)
    return Status(201, log_out(services.log_create(actor=request.user, campaign=campaign, data=payload.dict())))


@router.patch("/logs/{log_id}", response=LogOut)
def update_log(request, log_id: PathId, payload: LogPatch):
    entry = selectors.object_for_user(ExecutionLogEntry, request.user, log_id, EDIT)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    return log_out(services.log_update(actor=request.user, entry=entry, version=version, data=data))


# --- run-of-show ------------------------------------------------------------------------


class SegmentIn(Schema):
    segment: str = Field(..., max_length=200)
    starts_at: dt.datetime
    minutes: int = Field(5, ge=1, le=1440)
    owner: str | None = Field(None, max_length=150)
    notes: str = Field("", max_length=500)


class SegmentPatch(Schema):
    version: int
    segment: str | None = Field(None, max_length=200)
    starts_at: dt.datetime | None = None
    minutes: int | None = Field(None, ge=1, le=1440)
    owner: str | None = Field(None, max_length=150)
    notes: str | None = Field(None, max_length=500)
    done: bool | None = None


class SegmentOut(Schema):
    id: int
    segment: str
    starts_at: dt.datetime
    minutes: int
    owner: str | None
    notes: str
    done_at: dt.datetime | None
    version: int


def segment_out(s: RunOfShowItem) -> dict:
    return {
        "id": s.id,
        "segment": s.segment,
        "starts_at": s.starts_at,
        "minutes": s.minutes,
        "owner": _name(s.owner),
        "notes": s.notes,
        "done_at": s.done_at,
        "version": s.version,
    }


@router.get("/campaigns/{campaign_id}/run-of-show", response=list[SegmentOut])
def list_segments(request, campaign_id: PathId):
    campaign = selectors.campaign_for_execution(request.user, campaign_id, VIEW)
    return [segment_out(s) for s in selectors.run_of_show(campaign)]


@router.post("/campaigns/{campaign_id}/run-of-show", response={201: SegmentOut})
def create_segment(request, campaign_id: PathId, payload: SegmentIn):
    campaign = selectors.campaign_for_execution(request.user, campaign_id, EDIT)
    item = services.segment_create(actor=request.user, campaign=campaign, data=payload.dict())
    return Status(201, segment_out(item))


@router.patch("/run-of-show/{segment_id}", response=SegmentOut)
def update_segment(request, segment_id: PathId, payload: SegmentPatch):
    item = selectors.object_for_user(RunOfShowItem, request.user, segment_id, EDIT)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    return segment_out(services.segment_update(actor=request.user, item=item, version=version, data=data))


# --- stand-ups --------------------------------------------------------------------------


class StandupIn(Schema):
    date: dt.date | None = None
    done: str = Field("", max_length=5000)
    not_done: str = Field("", max_length=5000)
    not_done_reason: str = Field("", max_length=5000)
    need_support: str = Field("", max_length=5000)
    version: int | None = None


class StandupOut(Schema):
    id: int
    user: str
    date: dt.date
    done: str
    not_done: str
    not_done_reason: str
    need_support: str
    version: int


class StandupFilter(Schema):
    date: dt.date | None = None
    user: str | None = Field(None, max_length=150)


def standup_out(s) -> dict:
    return {
        "id": s.id,
        "user": s.user.username,
        "date": s.date,
        "done": s.done,
        "not_done": s.not_done,
        "not_done_reason": s.not_done_reason,
        "need_support": s.need_support,
        "version": s.version,
    }


@router.get("/campaigns/{campaign_id}/standups", response=list[StandupOut])
def list_standups(request, campaign_id: PathId, filters: Query[StandupFilter]):
    campaign = selectors.campaign_for_execution(request.user, campaign_id, VIEW)
    qs = selectors.standups(campaign, date=filters.date)
    if filters.user:
        qs = qs.filter(user__username=filters.user)
    return [standup_out(s) for s in qs[:1000]]


@router.post("/campaigns/{campaign_id}/standups", response={201: StandupOut, 200: StandupOut})
def save_standup(request, campaign_id: PathId, payload: StandupIn):
    """Write the caller's stand-up for the day (today by default); sending the same day again updates it."""
    campaign = selectors.campaign_for_execution(request.user, campaign_id, EDIT)
    data = payload.dict(exclude_none=True)
    standup, created = services.standup_save(actor=request.user, campaign=campaign, data=data)
    return Status(201 if created else 200, standup_out(standup))


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
    published_by: str | None
    version: int


class ReportGenerateIn(Schema):
    week_start: dt.date | None = None


class ReportPatch(Schema):
    version: int
    key_results: str | None = Field(None, max_length=20000)
    delayed_tasks: str | None = Field(None, max_length=20000)
    next_week_plan: str | None = Field(None, max_length=20000)
    resources: str | None = Field(None, max_length=20000)


class VersionIn(Schema):
    version: int


def report_out(r: WeeklyReport) -> dict:
    return {
        "id": r.id,
        "week_start": r.week_start,
        "status": r.status,
        "key_results": r.key_results,
        "delayed_tasks": r.delayed_tasks,
        "next_week_plan": r.next_week_plan,
        "resources": r.resources,
        "published_at": r.published_at,
        "published_by": _name(r.published_by),
        "version": r.version,
    }


@router.get("/campaigns/{campaign_id}/weekly-reports", response=list[ReportOut])
def list_reports(request, campaign_id: PathId):
    campaign = selectors.campaign_for_execution(request.user, campaign_id, VIEW)
    return [report_out(r) for r in selectors.weekly_reports(campaign)]


@router.post("/campaigns/{campaign_id}/weekly-reports", response={201: ReportOut})
def generate_report(request, campaign_id: PathId, payload: ReportGenerateIn):
    """Generate (or refresh) the draft for the week containing `week_start` (default: this week)."""
    campaign = selectors.campaign_for_execution(request.user, campaign_id, EDIT)
    zh = (getattr(request, "LANGUAGE_CODE", "zh-hans") or "zh").startswith("zh")
    report = services.weekly_report_generate(
        actor=request.user, campaign=campaign, week_start=payload.week_start or timezone.localdate(), zh=zh
    )
    return Status(201, report_out(report))


@router.patch("/weekly-reports/{report_id}", response=ReportOut)
def update_report(request, report_id: PathId, payload: ReportPatch):
    report = selectors.object_for_user(WeeklyReport, request.user, report_id, EDIT)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    return report_out(services.weekly_report_update(actor=request.user, report=report, version=version, data=data))


@router.post("/weekly-reports/{report_id}/publish", response=ReportOut)
def publish_report(request, report_id: PathId, payload: VersionIn):
    report = selectors.object_for_user(WeeklyReport, request.user, report_id, MANAGE)
    return report_out(services.weekly_report_publish(actor=request.user, report=report, version=payload.version))


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


@router.get("/weekly-reports/{report_id}/figures", response=WeekFiguresOut)
def report_figures(request, report_id: PathId):
    """The report week's key results: each KPI this week against last week (change, direction-aware
    `good`) with its cumulative achievement rate, and the daily values of the last 4 weeks."""
    from .reporting import week_figures

    report = selectors.object_for_user(WeeklyReport, request.user, report_id, VIEW)
    data = week_figures(report.campaign, report.week_start, user=request.user)
    return {
        "week_start": data["week_start"],
        "week_end": data["week_end"],
        "through": data["through"],
        "rows": data["rows"],
        "trend_dates": data["trend"]["dates"],
        "trend": data["trend"]["series"],
    }


class ShareOut(Schema):
    notified: int


@router.post("/weekly-reports/{report_id}/share", response=ShareOut)
def share_report(request, report_id: PathId):
    """Send a published report to the team's inboxes and chat robots (409 for a draft)."""
    report = selectors.object_for_user(WeeklyReport, request.user, report_id, EDIT)
    url = reverse("execution:report", args=[report.campaign_id, report.id])
    return {"notified": services.weekly_report_share(actor=request.user, report=report, url=url)}


# --- settings ---------------------------------------------------------------------------


class ExecutionSettingsOut(Schema):
    response_sla_hours: int
    resolution_sla_hours: int
    version: int


class ExecutionSettingsPatch(Schema):
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
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    return services.settings_update(actor=request.user, campaign=campaign, version=version, data=data)
