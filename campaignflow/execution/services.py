"""Execution writes: risks, issues (with SLA timestamps), log entries, run-of-show, stand-ups,
weekly reports. Atomic, versioned, audited; the API and the UI both call these."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaignflow.accounts.models import User
from campaignflow.campaigns.models import Campaign
from campaignflow.campaigns.selectors import member_input
from campaignflow.core.audit import audit_record, delete_versioned, snapshot
from campaignflow.core.codes import create_with_code
from campaignflow.core.domain.text import clean_text
from campaignflow.core.errors import Conflict, InvalidInput
from campaignflow.core.locking import changed_only, refuse_if_stale, update_versioned
from campaignflow.core.parsing import date_input, datetime_input

from .models import (
    ExecutionLogEntry,
    ExecutionSettings,
    Issue,
    IssueStatus,
    ReportStatus,
    Risk,
    RiskCategory,
    RiskStatus,
    RunOfShowItem,
    Severity,
    Standup,
    WeeklyReport,
)

# --- shared validation ------------------------------------------------------------------


def _text(
    data: dict, out: dict, errors: dict, field: str, limit: int, *, required: bool = False, blank: bool = True
) -> None:
    """`required`: it must be sent (a new record); `blank=False`: when sent, it must not be empty (a change too)."""
    if field not in data:
        if required:
            errors[field] = _("This field is required.")
        return
    value = clean_text(data[field]) if isinstance(data[field], str) or data[field] is None else None
    if value is None:
        errors[field] = _("Must be text.")
    elif (required or not blank) and not value:
        errors[field] = _("This field is required.")
    elif len(value) > limit:
        errors[field] = _("At most %(n)d characters.") % {"n": limit}
    else:
        out[field] = value


def _choice(data: dict, out: dict, errors: dict, field: str, choices) -> None:
    if field in data:
        if data[field] not in choices.values:
            errors[field] = _("Unknown value %(v)s; use one of %(choices)s.") % {
                "v": data[field],
                "choices": ", ".join(choices.values),
            }
        else:
            out[field] = data[field]


def _member(campaign: Campaign, data: dict, out: dict, errors: dict, field: str = "owner") -> None:
    if field not in data:
        return
    out[field] = member_input(campaign, data[field], field, errors)


def _datetime(data: dict, out: dict, errors: dict, field: str, *, required: bool = False, null: bool = True) -> None:
    """`required`: it must be sent (a new record); `null=False`: when sent, it must not be empty (a change too)."""
    if field in data or required:
        value = datetime_input(data.get(field), field, errors, required=required or not null)
        if field not in errors:
            out[field] = value


def _created(obj, *, actor):
    """A new row's audit entry (its campaign's, so the cached reads see it)."""
    audit_record(actor=actor, action="create", obj=obj, campaign=obj.campaign, after=snapshot(obj))
    return obj


def _update(obj, *, actor, version: int, changes: dict, campaign: Campaign | None = None):
    """The versioned update of a campaign's row and its audit entry; a no-op still checks the version."""
    campaign = campaign or obj.campaign
    changes = changed_only(obj, changes)
    if not changes:
        refuse_if_stale(obj, version)
        return obj
    before = snapshot(obj)
    update_versioned(obj, expected_version=version, changes=changes)
    audit_record(actor=actor, action="update", obj=obj, campaign=campaign, before=before, after=snapshot(obj))
    return obj


def settings_for(campaign: Campaign) -> ExecutionSettings:
    settings, _created = ExecutionSettings.objects.get_or_create(campaign=campaign)
    return settings


@transaction.atomic
def settings_update(*, actor, campaign: Campaign, version: int, data: dict) -> ExecutionSettings:
    current = settings_for(campaign)
    errors, out = {}, {}
    for field in ("response_sla_hours", "resolution_sla_hours"):
        if field in data:
            value = data[field]
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 24 * 30:
                errors[field] = _("Hours must be a whole number from 1 to 720.")
            else:
                out[field] = value
    if errors:
        raise InvalidInput(errors)
    if out.get("resolution_sla_hours", current.resolution_sla_hours) < out.get(
        "response_sla_hours", current.response_sla_hours
    ):
        raise InvalidInput({"resolution_sla_hours": _("The solution deadline cannot be before the response one.")})
    return _update(current, actor=actor, version=version, changes=out, campaign=campaign)


# --- risks ------------------------------------------------------------------------------

RISK_TEXT = {"title": 200, "mitigation": 5000, "contingency_plan": 5000, "trigger": 300}


def _clean_risk(campaign: Campaign, data: dict, *, creating: bool) -> dict:
    errors, out = {}, {}
    for field, limit in RISK_TEXT.items():
        _text(data, out, errors, field, limit, required=creating and field == "title", blank=field != "title")
    _choice(data, out, errors, "category", RiskCategory)
    _choice(data, out, errors, "status", RiskStatus)
    for field in ("likelihood", "impact"):
        if field in data:
            value = data[field]
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
                errors[field] = _("A whole number from 1 (lowest) to 5 (highest).")
            else:
                out[field] = value
    _member(campaign, data, out, errors)
    if errors:
        raise InvalidInput(errors)
    return out


@transaction.atomic
def risk_create(*, actor, campaign: Campaign, data: dict) -> Risk:
    risk = create_with_code(Risk, campaign, "R", _clean_risk(campaign, data, creating=True))
    return _created(risk, actor=actor)


@transaction.atomic
def risk_update(*, actor, risk: Risk, version: int, data: dict) -> Risk:
    return _update(risk, actor=actor, version=version, changes=_clean_risk(risk.campaign, data, creating=False))


# --- issues -----------------------------------------------------------------------------


def _clean_issue(campaign: Campaign, data: dict, *, current: Issue | None) -> dict:
    errors, out = {}, {}
    _text(data, out, errors, "description", 500, required=current is None, blank=False)
    _text(data, out, errors, "solution", 5000)
    _choice(data, out, errors, "severity", Severity)
    _choice(data, out, errors, "status", IssueStatus)
    _member(campaign, data, out, errors)
    _datetime(data, out, errors, "found_at", null=current is None)  # a new issue found at no given time: now
    if out.get("found_at") and out["found_at"] > timezone.now() + dt.timedelta(minutes=5):
        errors["found_at"] = _("An issue cannot be found in the future.")
    if current is not None and out.get("found_at", current.found_at) != current.found_at:
        errors["found_at"] = _("When an issue was found is fixed once it is logged: its deadlines count from it.")
    status = out.get("status", current.status if current else IssueStatus.OPEN)
    solution = out.get("solution", current.solution if current else "")
    if status == IssueStatus.RESOLVED and not solution:
        errors["solution"] = _("A resolved issue needs its solution written down.")
    if errors:
        raise InvalidInput(errors)
    # The first move out of "not handled" is the first response; resolving stamps the resolution.
    now = timezone.now()
    if status != IssueStatus.OPEN and not (current and current.first_response_at):
        out["first_response_at"] = now
    if status == IssueStatus.RESOLVED and not (current and current.resolved_at):
        out["resolved_at"] = now
    if status != IssueStatus.RESOLVED and current and current.resolved_at:
        out["resolved_at"] = None  # reopened
    return out


@transaction.atomic
def issue_create(*, actor, campaign: Campaign, data: dict) -> Issue:
    fields = _clean_issue(campaign, data, current=None)
    fields["found_at"] = fields.get("found_at") or timezone.now()
    rules = settings_for(campaign)
    fields["response_sla_hours"] = rules.response_sla_hours
    fields["resolution_sla_hours"] = rules.resolution_sla_hours
    issue = create_with_code(Issue, campaign, "Q", fields)
    return _created(issue, actor=actor)


@transaction.atomic
def issue_update(*, actor, issue: Issue, version: int, data: dict) -> Issue:
    return _update(issue, actor=actor, version=version, changes=_clean_issue(issue.campaign, data, current=issue))


# --- execution log and run-of-show ---------------------------------------------------------


def _clean_log(data: dict, *, creating: bool) -> dict:
    errors, out = {}, {}
    _text(data, out, errors, "event", 500, required=creating, blank=False)
    _text(data, out, errors, "handling", 5000)
    _text(data, out, errors, "result", 5000)
    _datetime(data, out, errors, "at", null=creating)  # a new entry without a time is logged now
    if errors:
        raise InvalidInput(errors)
    return out


@transaction.atomic
def log_create(*, actor, campaign: Campaign, data: dict) -> ExecutionLogEntry:
    fields = _clean_log(data, creating=True)
    if not fields.get("at"):
        fields["at"] = timezone.now()
    entry = ExecutionLogEntry.objects.create(campaign=campaign, author=actor, **fields)
    return _created(entry, actor=actor)


@transaction.atomic
def log_update(*, actor, entry: ExecutionLogEntry, version: int, data: dict) -> ExecutionLogEntry:
    changes = _clean_log(data, creating=False)
    return _update(entry, actor=actor, version=version, changes=changes)


@transaction.atomic
def log_delete(*, actor, entry: ExecutionLogEntry, version: int) -> None:
    """An entry logged by mistake (twice, or in the wrong campaign): gone from the log, kept in the history."""
    delete_versioned(actor=actor, obj=entry, version=version)


def _clean_segment(campaign: Campaign, data: dict, *, creating: bool) -> dict:
    errors, out = {}, {}
    _text(data, out, errors, "segment", 200, required=creating, blank=False)
    _text(data, out, errors, "notes", 500)
    _datetime(data, out, errors, "starts_at", required=creating, null=False)
    if "minutes" in data:
        value = data["minutes"]
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 24 * 60:
            errors["minutes"] = _("Minutes must be a whole number from 1 to 1440.")
        else:
            out["minutes"] = value
    _member(campaign, data, out, errors)
    if "done" in data:
        out["done_at"] = timezone.now() if data["done"] else None
    if errors:
        raise InvalidInput(errors)
    return out


@transaction.atomic
def segment_create(*, actor, campaign: Campaign, data: dict) -> RunOfShowItem:
    item = RunOfShowItem.objects.create(campaign=campaign, **_clean_segment(campaign, data, creating=True))
    return _created(item, actor=actor)


@transaction.atomic
def segment_update(*, actor, item: RunOfShowItem, version: int, data: dict) -> RunOfShowItem:
    changes = _clean_segment(item.campaign, data, creating=False)
    if "done_at" in changes and bool(changes["done_at"]) == bool(item.done_at):
        changes.pop("done_at")  # ticking an already ticked segment keeps its time
    return _update(item, actor=actor, version=version, changes=changes)


@transaction.atomic
def segment_delete(*, actor, item: RunOfShowItem, version: int) -> None:
    """A segment dropped from the run-of-show; the history keeps what it was."""
    delete_versioned(actor=actor, obj=item, version=version)


# --- stand-ups --------------------------------------------------------------------------

STANDUP_FIELDS = ("done", "not_done", "not_done_reason", "need_support")


@transaction.atomic
def standup_save(*, actor: User, campaign: Campaign, data: dict) -> tuple[Standup, bool]:
    """Write (or rewrite) the actor's stand-up for a day. Returns (standup, created)."""
    errors, out = {}, {}
    for field in STANDUP_FIELDS:
        _text(data, out, errors, field, 5000)
    day = date_input(data.get("date"), "date", errors) or timezone.localdate()
    if day > timezone.localdate() + dt.timedelta(days=1):
        errors["date"] = _("A stand-up cannot be written for a future day.")
    if not errors and not any(out.get(f) for f in STANDUP_FIELDS):
        errors["done"] = _("Write at least what was done, what was not, or what support is needed.")
    if out.get("not_done") and not out.get("not_done_reason"):
        errors["not_done_reason"] = _("Say why it was not done.")
    client_key = _client_key(data, errors)
    if errors:
        raise InvalidInput(errors)
    existing = Standup.objects.select_for_update().filter(campaign=campaign, user=actor, date=day).first()
    if existing is None:
        standup = Standup.objects.create(campaign=campaign, user=actor, date=day, client_key=client_key, **out)
        _created(standup, actor=actor)
        return standup, True
    if client_key and existing.client_key == client_key:
        return existing, False  # this save again (the phone's queue re-sent it): already done, write nothing
    version = data.get("version")
    version = existing.version if version is None else version
    if client_key and changed_only(existing, out):
        out["client_key"] = client_key
    return _update(existing, actor=actor, version=version, changes=out, campaign=campaign), False


def _client_key(data: dict, errors: dict) -> str:
    """The offline queue's idempotency key of a save (ADR 0017): at most 64 visible characters, or none."""
    key = data.get("client_key") or ""
    if not isinstance(key, str) or len(key) > 64 or not key.isprintable() or key != key.strip():
        errors["client_key"] = _("Not a valid client key.")
        return ""
    return key


# --- weekly reports ---------------------------------------------------------------------

REPORT_FIELDS = ("key_results", "delayed_tasks", "next_week_plan", "resources")


def week_start_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


@transaction.atomic
def weekly_report_generate(*, actor, campaign: Campaign, week_start: dt.date, zh: bool = True) -> WeeklyReport:
    """Create the week's draft from the data, or refresh an existing draft (published ones stay)."""
    from .reporting import weekly_draft_for

    week_start = week_start_of(week_start)
    content = weekly_draft_for(campaign, week_start, zh=zh)
    report = WeeklyReport.objects.select_for_update().filter(campaign=campaign, week_start=week_start).first()
    if report is None:
        report = WeeklyReport.objects.create(campaign=campaign, week_start=week_start, **content)
        _created(report, actor=actor)
        return report
    if report.status == ReportStatus.PUBLISHED:
        raise Conflict(_("This week's report is already published."))
    return _update(report, actor=actor, version=report.version, changes=content, campaign=campaign)


@transaction.atomic
def weekly_report_update(*, actor, report: WeeklyReport, version: int, data: dict) -> WeeklyReport:
    if report.status == ReportStatus.PUBLISHED:
        raise Conflict(_("A published report cannot be edited."))
    errors, out = {}, {}
    for field in REPORT_FIELDS:
        _text(data, out, errors, field, 20000)
    if errors:
        raise InvalidInput(errors)
    return _update(report, actor=actor, version=version, changes=out)


@transaction.atomic
def weekly_report_publish(*, actor, report: WeeklyReport, version: int) -> WeeklyReport:
    """Publish the report and fix its figures as they are now, in the same transaction (report_snapshot:
    a published report is a record; later data no longer changes it)."""
    from . import report_snapshot

    if report.status == ReportStatus.PUBLISHED:
        raise Conflict(_("This report is already published."))
    refuse_if_stale(report, version)  # before gathering the figures; the update checks it again
    now = timezone.now()
    figures = report_snapshot.take(report.campaign, report.week_start, taken_at=now)
    return _update(
        report,
        actor=actor,
        version=version,
        changes={
            "status": ReportStatus.PUBLISHED,
            "published_at": now,
            "published_by": actor,
            "figures_snapshot": figures,
        },
    )


@transaction.atomic
def weekly_report_share(*, actor, report: WeeklyReport, url: str = "") -> int:
    """Send a published report to the team: an inbox entry for each internal member (partners get
    the shared pages, not internal reports) and a message to the campaign's chat robots, through the
    notification outbox. Returns the number of people notified."""
    from campaignflow.notifications.services import notify

    if report.status != ReportStatus.PUBLISHED:
        raise Conflict(_("Publish the report before sending it to the team."))
    campaign = report.campaign
    members = campaign.memberships.select_related("user").exclude(role="partner")
    week_end = report.week_start + dt.timedelta(days=6)
    notes = notify(
        kind="report",
        text=(  # said in each reader's language (notifications.texts)
            "report.shared",
            {"campaign": campaign.name, "start": f"{report.week_start:%Y-%m-%d}", "end": f"{week_end:%Y-%m-%d}"},
        ),
        body=report.key_results,
        url=url,
        campaign=campaign,
        recipients=[m.user for m in members],
    )
    audit_record(actor=actor, action="share", obj=report, campaign=campaign)
    return len(notes)
