"""Web UI for execution control: stand-ups and the daily table, issue log with SLA, risks with
their heat map, execution log and run-of-show, weekly reports. Thin: services decide."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import NamedTuple

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaignflow import lookups
from campaignflow.campaigns.access import EDIT, MANAGE, VIEW
from campaignflow.campaigns.views import campaign_page_context
from campaignflow.core.errors import DomainError, Forbidden, InvalidInput
from campaignflow.core.form_views import (
    Submitted,
    act,
    posted_version,
    refusal_text,
    submit,
    submit_edit,
    submit_posted,
)
from campaignflow.core.pages import Pages
from campaignflow.core.parsing import date_or_today

from . import report_snapshot, reporting, selectors, services
from .domain import risk as risk_domain
from .domain.sla import Countdown, countdown
from .forms import (
    IssueEditForm,
    IssueForm,
    IssueUpdateForm,
    LogEditForm,
    LogForm,
    ReportForm,
    RiskForm,
    SegmentForm,
    SlaForm,
    StandupForm,
    with_member_choices,
)
from .models import IssueStatus

page = Pages()

# (key, label, URL name) of the execution tab's sections.
SECTIONS = [
    ("overview", gettext_lazy("Stand-ups"), "execution:overview"),
    ("issues", gettext_lazy("Issue log"), "execution:issues"),
    ("risks", gettext_lazy("Risks"), "execution:risks"),
    ("logs", gettext_lazy("Execution log"), "execution:logs"),
    ("reports", gettext_lazy("Weekly reports"), "execution:reports"),
    ("notifications", gettext_lazy("Notifications"), "notifications:campaign"),
    ("reminder", gettext_lazy("Numbers reminder"), "chatcards:reminder"),
]


def _context(request, campaign, section: str, **extra) -> dict:
    return campaign_page_context(request, campaign, "execution", section=section, sections=SECTIONS, **extra)


def _created(request, campaign, form, create, message: str) -> bool:
    """A page's create form, when posted: the edit right, then `create` (a service) with the form's data and
    `message` once saved (True: the view redirects); a refusal stays on the form."""
    if request.method != "POST":
        return False
    selectors.campaign_for_execution(request.user, campaign.pk, EDIT)
    if submit(form, lambda: create(actor=request.user, campaign=campaign, data=form.cleaned_data)).saved:
        messages.success(request, message)
        return True
    return False


def _naming(code: str, call):
    """`call` with its refusal prefixed by the record's code: the issue log has a form on every row."""

    def named():
        try:
            return call()
        except Forbidden:
            raise
        except DomainError as exc:
            raise DomainError(f"{code}: {refusal_text(exc)}") from exc

    return named


@page("campaigns/<int:pk>/execution/", "overview")
def overview(request, pk: int):
    """Stand-ups for a day (mine to write, the team's to read) and the daily tracking table."""
    campaign = selectors.campaign_for_execution(request.user, pk, VIEW)
    day = date_or_today(request.GET.get("date"))
    mine = selectors.standups(campaign, date=day, user=request.user).first()
    initial = {"date": day, "version": mine.version if mine else 0}
    if mine:
        initial.update({f: getattr(mine, f) for f in services.STANDUP_FIELDS})
    form = StandupForm(request.POST or None, initial=initial)
    result = _standup_posted(request, campaign, form)
    if result.saved:
        return redirect(f"{request.path}?date={form.cleaned_data['date']}")
    team = list(selectors.standups(campaign, date=day))
    written = {s.user_id for s in team}
    missing = [
        m.user
        for m in campaign.memberships.select_related("user").exclude(role__in=["viewer", "partner"])
        if m.user_id not in written
    ]
    days = [timezone.localdate() - dt.timedelta(days=i) for i in range(6, -1, -1)]
    return render(
        request,
        "execution/overview.html",
        _context(
            request,
            campaign,
            "overview",
            form=form,
            day=day,
            team=team,
            missing=missing,
            prev_day=day - dt.timedelta(days=1),
            next_day=day + dt.timedelta(days=1),
            daily=reporting.daily_table(campaign, days),
            conflict=result.conflict,
        ),
        status=result.status,
    )


def _standup_posted(request, campaign, form) -> Submitted:
    """The stand-up form, when posted: saved against the version the page showed (a stand-up written meanwhile,
    on another device, is a conflict), once per client_key (the phone's offline queue may send it twice)."""
    if request.method != "POST":
        return Submitted(saved=False)
    selectors.campaign_for_execution(request.user, campaign.pk, EDIT)

    def save():
        version = posted_version(request) if request.POST.get("version") else None
        data = {**form.cleaned_data, "version": version}
        return services.standup_save(actor=request.user, campaign=campaign, data=data)

    return submit_posted(request, form, save, _("Your stand-up is saved."))


@page("campaigns/<int:pk>/execution/issues/", "issues")
def issues(request, pk: int):
    campaign = selectors.campaign_for_execution(request.user, pk, VIEW)
    status = request.GET.get("status") or None  # the list's filter (the form posts to this page too)
    form = with_member_choices(IssueForm(request.POST or None), campaign)
    if _created(request, campaign, form, services.issue_create, _("Issue logged.")):
        return redirect("execution:issues", pk)
    now = timezone.now()
    rows = []
    for issue in selectors.issues(campaign, status):
        state = issue.sla_state(now)
        left = countdown(state.seconds_left)
        rows.append(
            {
                "issue": issue,
                "sla": state,
                "countdown": left,
                "countdown_text": countdown_text(left),
                "form": IssueUpdateForm(
                    initial={"version": issue.version, "status": issue.status, "solution": issue.solution},
                    prefix=f"i{issue.id}",
                ),
            }
        )
    unresolved = [r for r in rows if r["issue"].status != IssueStatus.RESOLVED]
    rules = selectors.sla_rules(campaign)
    sla_form = SlaForm(initial={f: getattr(rules, f) for f in SlaForm.base_fields})
    shown = {"form": form, "rows": rows, "statuses": IssueStatus.choices, "sla": rules, "sla_form": sla_form}
    shown |= {"open_count": len(unresolved), "breached_count": sum(1 for r in unresolved if r["sla"].breached)}
    return render(request, "execution/issues.html", _context(request, campaign, "issues", **shown))


@page("campaigns/<int:pk>/execution/issues/deadlines/", "issue-sla", post=True)
def issue_sla(request, pk: int):
    """The campaign's issue deadlines (first response, solution), set by those who manage it. Issues already
    logged keep the deadlines they were given; a refusal or a stale page is said on the log."""
    campaign = selectors.campaign_for_execution(request.user, pk, MANAGE)
    form = SlaForm(request.POST)
    labels = {f: form.fields[f].label for f in form.fields}
    if not form.is_valid():
        messages.error(request, refusal_text(InvalidInput({f: " ".join(e) for f, e in form.errors.items()}), labels))
        return redirect("execution:issues", pk)
    data = form.cleaned_data
    change = functools.partial(services.settings_update, actor=request.user, campaign=campaign)
    hours = {f: data[f] for f in ("response_sla_hours", "resolution_sla_hours")}
    act(request, lambda: change(version=data["version"], data=hours), _("Issue deadlines saved."), labels)
    return redirect("execution:issues", pk)


def countdown_text(left: Countdown | None) -> str:
    """The time to an issue's next deadline, or past it, for the log: "14 days 19 hours" from two days on, else
    "5 hours 20 minutes" (in the reader's language; the badge says whether it is left or overdue)."""
    if left is None:
        return ""
    if left.days:
        return _("%(days)d d %(hours)d h") % {"days": left.days, "hours": left.hours}
    return _("%(hours)d h %(minutes)02d min") % {"hours": left.hours, "minutes": left.minutes}


@page("campaigns/<int:pk>/execution/issues/<int:issue_id>/edit/", "issue-edit")
def issue_edit(request, pk: int, issue_id: int):
    """One issue of the log: what it is, its severity and owner, when it was found (the SLA clock starts there),
    its status and solution, versioned and audited through `issue_update` (the log's rows change only the last
    two)."""
    issue = lookups.issue_for_user(request.user, issue_id, EDIT if request.method == "POST" else VIEW)
    saved = _("%(code)s updated.") % {"code": issue.code}
    page = RecordPage("issues", "issue", f"{issue.code} {issue.description}", _("Edit issue"), saved)
    return _record_page(request, pk, issue, IssueEditForm, services.issue_update, page)


@page("campaigns/<int:pk>/execution/issues/<int:issue_id>/", "issue-update", post=True)
def issue_update(request, pk: int, issue_id: int):
    issue = lookups.issue_for_user(request.user, issue_id, EDIT)
    form = IssueUpdateForm(request.POST, prefix=f"i{issue.id}")
    if form.is_valid():
        data = form.cleaned_data
        update = _naming(
            issue.code,
            lambda: services.issue_update(
                actor=request.user,
                issue=issue,
                version=data["version"],
                data={"status": data["status"], "solution": data["solution"]},
            ),
        )
        act(request, update, _("%(code)s updated.") % {"code": issue.code})
    return redirect("execution:issues", issue.campaign_id)


@page("campaigns/<int:pk>/execution/risks/", "risks")
def risks(request, pk: int):
    campaign = selectors.campaign_for_execution(request.user, pk, VIEW)
    form = with_member_choices(RiskForm(request.POST or None), campaign)
    if _created(request, campaign, form, services.risk_create, _("Risk added.")):
        return redirect("execution:risks", pk)
    items = list(selectors.risks(campaign))
    grid = risk_domain.heat_map([(r.likelihood, r.impact) for r in items if r.status != "closed"])
    heat = [
        {
            "impact": 5 - i,
            "cells": [
                {"likelihood": j + 1, "count": n, "level": risk_domain.level((5 - i) * (j + 1))}
                for j, n in enumerate(row)
            ],
        }
        for i, row in enumerate(grid)
    ]
    return render(
        request,
        "execution/risks.html",
        _context(
            request,
            campaign,
            "risks",
            form=form,
            risks=[{"risk": r, "level": risk_domain.level(r.score)} for r in items],
            heat=heat,
        ),
    )


@page("campaigns/<int:pk>/execution/risks/<int:risk_id>/", "risk-edit")
def risk_edit(request, pk: int, risk_id: int):
    """One risk of the register: its rating, trigger, mitigation, owner and status as the campaign goes on (a risk
    mitigated or closed leaves the heat map), versioned and audited through `risk_update`."""
    risk = lookups.risk_for_user(request.user, risk_id, EDIT if request.method == "POST" else VIEW)
    page = RecordPage(
        "risks", "risk", f"{risk.code} {risk.title}", _("Edit risk"), _("%(code)s updated.") % {"code": risk.code}
    )
    return _record_page(request, pk, risk, RiskForm, services.risk_update, page)


class RecordPage(NamedTuple):
    """What the page of one record of a section says and where it goes: the section (its list, where a save
    returns), the update service's keyword for the record, the heading, the heading's prefix for those who may
    edit, and the message once saved."""

    section: str
    target: str
    heading: str
    edit_label: str
    saved: str
    delete_url: str = ""  # where its delete button posts (log entries and segments; issues and risks are closed)
    delete_confirm: str = ""


def _record_page(request, pk: int, record, form_class, update, page: RecordPage):
    """The page of one record of a section (a risk, an issue, a log entry, a run-of-show segment), read with the
    caller's right: its form filled from the record (an owner by username), saved through the section's versioned
    `update` service, then back to the section's list; a stale version shows the conflict."""
    if record.campaign_id != pk:
        return redirect(request.resolver_match.view_name, record.campaign_id, record.pk)
    initial = {f: getattr(record, f) for f in form_class.base_fields if f != "owner"}
    if "owner" in form_class.base_fields:
        initial["owner"] = record.owner.username if record.owner else ""
    form = with_member_choices(form_class(request.POST or None, initial=initial), record.campaign)
    result = submit_edit(request, form, update, page.saved, **{page.target: record})
    if result.saved:
        return redirect(f"execution:{page.section}", record.campaign_id)
    context = _context(request, record.campaign, page.section, record=record, form=form, conflict=result.conflict)
    context |= {"heading": page.heading, "edit_label": page.edit_label, "testid": f"{page.target}-edit", "page": page}
    return render(request, "execution/record_edit.html", context, status=422 if result.conflict else result.status)


@page("campaigns/<int:pk>/execution/logs/", "logs")
def logs(request, pk: int):
    # a post needs the edit right whichever form it names (one naming neither form is refused too, not ignored)
    campaign = selectors.campaign_for_execution(request.user, pk, EDIT if request.method == "POST" else VIEW)
    posted = request.POST.get("form")  # the page has two forms: the log's and the run-of-show's
    log_form = LogForm(
        request.POST if posted == "log" else None,
        initial={"at": timezone.localtime().replace(second=0, microsecond=0)},
    )
    segment_form = with_member_choices(SegmentForm(request.POST if posted == "segment" else None), campaign)
    if posted == "log" and _created(request, campaign, log_form, services.log_create, _("Logged.")):
        return redirect("execution:logs", pk)
    added = _("Segment added to the run-of-show.")
    if posted == "segment" and _created(request, campaign, segment_form, services.segment_create, added):
        return redirect("execution:logs", pk)
    return render(
        request,
        "execution/logs.html",
        _context(
            request,
            campaign,
            "logs",
            log_form=log_form,
            segment_form=segment_form,
            entries=selectors.logs(campaign),
            segments=selectors.run_of_show(campaign),
            now=timezone.now(),
        ),
    )


@page("campaigns/<int:pk>/execution/logs/<int:entry_id>/", "log-edit")
def log_edit(request, pk: int, entry_id: int):
    """An execution log entry's page: its result is often known only later ("次日实际4.2万")."""
    entry = lookups.log_entry_for_user(request.user, entry_id, EDIT if request.method == "POST" else VIEW)
    return _timed_record_page(request, pk, entry, LOG_ENTRY)


@page("campaigns/<int:pk>/execution/run-of-show/<int:item_id>/", "segment-edit")
def segment_edit(request, pk: int, item_id: int):
    """A run-of-show segment's page (a live stream's rundown moves); ticking it off stays on the list."""
    item = lookups.segment_for_user(request.user, item_id, EDIT if request.method == "POST" else VIEW)
    return _timed_record_page(request, pk, item, SEGMENT)


@page("campaigns/<int:pk>/execution/logs/<int:entry_id>/delete/", "log-delete", post=True)
def log_delete(request, pk: int, entry_id: int):
    return _delete(request, lookups.log_entry_for_user(request.user, entry_id, EDIT), LOG_ENTRY)


@page("campaigns/<int:pk>/execution/run-of-show/<int:item_id>/delete/", "segment-delete", post=True)
def segment_delete(request, pk: int, item_id: int):
    return _delete(request, lookups.segment_for_user(request.user, item_id, EDIT), SEGMENT)


class TimedRecord(NamedTuple):
    """A record of the execution log's page (a log entry, a run-of-show segment) on a page of its own: its form and
    services (the keyword they take it by), the fields its heading shows (time, name), and the page's words."""

    form: type
    update: Callable
    delete: Callable
    target: str
    when: str
    what: str
    delete_url: str
    edit_label: str
    saved: str
    delete_confirm: str
    deleted: str


LOG_ENTRY = TimedRecord(
    LogEditForm, services.log_update, services.log_delete, "entry", "at", "event", "execution:log-delete",
    gettext_lazy("Edit log entry"), gettext_lazy("Log entry updated."), gettext_lazy("Delete this log entry?"),
    gettext_lazy("Log entry deleted."),
)  # fmt: skip
SEGMENT = TimedRecord(
    SegmentForm, services.segment_update, services.segment_delete, "item", "starts_at", "segment",
    "execution:segment-delete",
    gettext_lazy("Edit segment"), gettext_lazy("Segment updated."), gettext_lazy("Drop this segment?"),
    gettext_lazy("Segment dropped."),
)  # fmt: skip


def _timed_record_page(request, pk: int, record, kind: TimedRecord):
    """`_record_page` for a record of the execution log's page, headed by its time and name, with a delete button."""
    heading = f"{timezone.localtime(getattr(record, kind.when)):%m-%d %H:%M} {getattr(record, kind.what)}"
    delete = reverse(kind.delete_url, args=[record.campaign_id, record.pk])
    page = RecordPage(
        "logs", kind.target, heading, str(kind.edit_label), str(kind.saved), delete, str(kind.delete_confirm)
    )
    return _record_page(request, pk, record, kind.form, kind.update, page)


def _delete(request, record, kind: TimedRecord):
    delete = functools.partial(kind.delete, actor=request.user, **{kind.target: record})
    return _button(request, record, delete, str(kind.deleted))


@page("campaigns/<int:pk>/execution/run-of-show/<int:item_id>/toggle/", "segment-toggle", post=True)
def segment_toggle(request, pk: int, item_id: int):
    item = lookups.segment_for_user(request.user, item_id, EDIT)
    tick = functools.partial(services.segment_update, actor=request.user, item=item, data={"done": not item.done_at})
    return _button(request, item, tick)


def _button(request, record, call, message: str | None = None):
    """A button of the execution log's page (tick a segment off, delete a record): the service `call` given the
    version the page posted, its refusal or `message` shown on that page, where it goes back to."""
    version = posted_version(request)
    act(request, lambda: call(version=version), message)
    return redirect("execution:logs", record.campaign_id)


@page("campaigns/<int:pk>/execution/reports/", "reports")
def reports(request, pk: int):
    campaign = selectors.campaign_for_execution(request.user, pk, VIEW)
    if request.method == "POST":
        selectors.campaign_for_execution(request.user, pk, EDIT)
        week = services.week_start_of(date_or_today(request.POST.get("week_start")))
        zh = request.LANGUAGE_CODE.startswith("zh")
        if act(
            request,
            lambda: services.weekly_report_generate(actor=request.user, campaign=campaign, week_start=week, zh=zh),
            _("Draft generated from this week's data; edit it, then publish."),
        ):
            return redirect("execution:report", pk, selectors.weekly_reports(campaign).get(week_start=week).id)
    return render(
        request,
        "execution/reports.html",
        _context(
            request,
            campaign,
            "reports",
            reports=selectors.weekly_reports(campaign),
            this_week=services.week_start_of(timezone.localdate()),
        ),
    )


@page("campaigns/<int:pk>/execution/reports/<int:report_id>/", "report")
def report_detail(request, pk: int, report_id: int):
    report = lookups.report_for_user(request.user, report_id, VIEW)
    campaign = report.campaign
    if campaign.pk != int(pk):
        return redirect("execution:report", campaign.pk, report.id)
    form = ReportForm(
        request.POST or None,
        initial={"version": report.version, **{f: getattr(report, f) for f in services.REPORT_FIELDS}},
    )
    conflict = ""
    if request.method == "POST":
        publishing = request.POST.get("action") == "publish"
        # Publishing needs the manage right: check it before saving anything (not after the save).
        lookups.report_for_user(request.user, report_id, MANAGE if publishing else EDIT)

        def save():
            data = form.cleaned_data
            fields = {f: data[f] for f in services.REPORT_FIELDS}
            return services.weekly_report_update(
                actor=request.user, report=report, version=data["version"], data=fields
            )

        result = submit(form, save)
        if result.saved:
            if publishing:  # the save left `report` at its new version
                act(
                    request,
                    lambda: services.weekly_report_publish(actor=request.user, report=report, version=report.version),
                    _("Published."),
                )
            else:
                messages.success(request, _("Saved."))
            return redirect("execution:report", campaign.pk, report.id)
        conflict = result.conflict
    # a published report's figures as they were at publication; a draft's (and an older report's) live
    figures = report_snapshot.report_week_figures(report, user=request.user, zh=request.LANGUAGE_CODE.startswith("zh"))
    return render(
        request,
        "execution/report_detail.html",
        _context(
            request,
            campaign,
            "reports",
            report=report,
            form=form,
            conflict=conflict,
            week_end=figures["week_end"],
            through=figures["through"],
            figures=figures["rows"],
            figures_fixed_at=figures["fixed_at"],
            trend=reporting.trend_option(figures, week_label=_("This week")),
            share_url=request.build_absolute_uri(),
        ),
    )


@page("campaigns/<int:pk>/execution/reports/<int:report_id>/share/", "report-share", post=True)
def report_share(request, pk: int, report_id: int):
    """Send a published report to the team (inboxes and the campaign's chat robots)."""
    report = lookups.report_for_user(request.user, report_id, EDIT)
    url = reverse("execution:report", args=[report.campaign_id, report.id])
    act(
        request,
        lambda: services.weekly_report_share(actor=request.user, report=report, url=url),
        lambda count: _("Sent to %(count)s team members and the campaign's chat robots.") % {"count": count},
    )
    return redirect("execution:report", report.campaign_id, report.id)
