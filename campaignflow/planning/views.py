"""Web UI for the plan: WBS table with inline edits, RACI matrix, Gantt, baselines, periods,
import/export, "my tasks" and the portfolio timeline. Thin: every write goes through services."""

from __future__ import annotations

import base64
import datetime as dt

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django_htmx.http import HttpResponseClientRefresh

from campaignflow import lookups
from campaignflow.campaigns.access import EDIT, MANAGE, VIEW, campaign_for_user, can, visible_campaigns
from campaignflow.campaigns.buttons import campaign_button
from campaignflow.campaigns.models import Status
from campaignflow.campaigns.views import campaign_page_context
from campaignflow.core.errors import DomainError, InvalidInput
from campaignflow.core.form_views import act, posted_version, refusal_text, submit
from campaignflow.core.forms import FileForm
from campaignflow.core.pages import Pages

from . import io, selectors, services
from .models import PeriodKind, RaciRole, TaskStatus

page = Pages()

QUICK_FIELDS = (
    "owner",
    "status",
    "progress",
    "delay_reason",
    "start_date",
    "end_date",
    "name",
    "phase",
    "module",
    "deliverable",
    "acceptance",
)


def _row_context(request, task, campaign, info=None, error=None) -> dict:
    return {
        "task": task,
        "row_error": error,
        "can_edit": can(request.user, campaign, EDIT),
        "member_users": [m.user for m in campaign.memberships.select_related("user")],
        "task_statuses": TaskStatus.choices,
        "info": info or {},
        # The WBS fields panel stays open after an edit made in it.
        "details_open": request.POST.get("panel") == "details",
    }


@page("tasks/<int:task_id>/quick/", "task-quick", post=True)
def task_quick_update(request, task_id: int):
    """One task's row edited in place (htmx): the row comes back, with the refusal in it."""
    task = lookups.task_for_user(request.user, task_id, EDIT)  # its owner too: services.task_edit says what
    data = {k: request.POST[k] for k in QUICK_FIELDS if k in request.POST}
    if "progress" in data:
        data["progress"] = int(data["progress"]) if data["progress"].isdigit() else data["progress"]
    error = None
    group = (task.phase, task.module)
    try:
        task = services.task_edit(actor=request.user, task=task, version=posted_version(request), data=data)
    except DomainError as exc:
        error = refusal_text(exc)
    if error is None and (task.phase, task.module) != group and request.POST.get("row") == "wbs":
        # The task moved to another phase/module group (at its end): redraw the table's groups.
        messages.success(request, _("%(code)s moved to %(group)s.") % {"code": task.code, "group": _group_label(task)})
        return HttpResponseClientRefresh()
    campaign = task.campaign
    task = selectors.tasks_for(request.user, campaign).get(pk=task.pk)
    if request.POST.get("row") == "wbs":
        info = selectors.schedule_for(request.user, campaign)["tasks"].get(task.pk, {})
        return render(request, "planning/_wbs_row.html", _row_context(request, task, campaign, info, error))
    return render(request, "planning/_task_row.html", _row_context(request, task, campaign, None, error))


def _group_label(task) -> str:
    return " / ".join(x for x in (task.phase or "—", task.module) if x)


# --- the plan tab (WBS) ------------------------------------------------------------------------


def _wbs_groups(tasks, info) -> list[dict]:
    """phase → module → tasks, in plan order."""
    phases: dict[str, dict[str, list]] = {}
    for t in tasks:
        phases.setdefault(t.phase or "—", {}).setdefault(t.module or "", []).append(t)
    return [
        {"phase": phase, "modules": [{"module": m, "tasks": ts} for m, ts in modules.items()]}
        for phase, modules in phases.items()
    ]


@page("campaigns/<int:pk>/plan/", "plan")
def plan_page(request, pk: int):
    campaign = campaign_for_user(request.user, pk, VIEW)
    tasks = list(selectors.tasks_for(request.user, campaign).prefetch_related("dependencies"))
    analysis = selectors.schedule_for(request.user, campaign)
    info = analysis["tasks"]
    for t in tasks:
        t.info = info.get(t.pk, {})
    baselines = list(selectors.baselines_for(campaign)[:20])
    chosen = next(
        (b for b in baselines if str(b.pk) == request.GET.get("baseline")), baselines[0] if baselines else None
    )
    variance = selectors.variance(request.user, campaign, chosen) if chosen else []
    settings_obj = selectors.plan_settings_for(campaign)
    periods = {p.kind: p for p in campaign.periods.all()}
    context = campaign_page_context(
        request,
        campaign,
        "plan",
        groups=_wbs_groups(tasks, info),
        tasks=tasks,
        task_count=len(tasks),
        member_users=[m.user for m in campaign.memberships.select_related("user")],
        task_statuses=TaskStatus.choices,
        critical_count=len(analysis["critical_path"]),
        at_risk=[t for t in tasks if t.info.get("at_risk")],
        slipped=[t for t in tasks if t.info.get("slip_days")],
        baselines=baselines,
        baseline=chosen,
        variance=variance,
        settings=settings_obj,
        period_rows=[(k, label, periods.get(k)) for k, label in PeriodKind.choices],
        module_names=sorted({t.module for t in tasks if t.module}),
        wbs_i18n=SCRIPT_TEXTS["wbs"],
        today=timezone.localdate(),
    )
    return render(request, "planning/plan.html", context)


# The texts the plan's scripts show, by script (the page hands them over with json_script); lazy, so
# that each request reads them in its own language.
SCRIPT_TEXTS = {
    "wbs": {
        "saving": gettext_lazy("Saving the new order…"),
        "saved": gettext_lazy("Order saved: %s"),
        "failed": gettext_lazy("The new order was not saved."),
        "first": gettext_lazy("%s is already the first task of its group."),
        "last": gettext_lazy("%s is already the last task of its group."),
        "other_group": gettext_lazy(
            "A task can only be moved within its phase and module; edit its phase or module instead."
        ),
    },
    "gantt": {
        "task": gettext_lazy("Task"),
        "phase": gettext_lazy("Phase"),
        "milestone": gettext_lazy("Milestone"),
        "owner": gettext_lazy("Owner"),
        "start": gettext_lazy("Start"),
        "end": gettext_lazy("End"),
        "days": gettext_lazy("Days"),
        "slack": pgettext_lazy("schedule float", "Slack"),
        "today": gettext_lazy("Today"),
        "baseline": gettext_lazy("Baseline"),
        "at_risk": gettext_lazy("at risk"),
        "late": gettext_lazy("late"),
        "new_task": gettext_lazy("New task"),
        "save": gettext_lazy("Save"),
        "cancel": gettext_lazy("Cancel"),
        "delete": gettext_lazy("Delete"),
        "confirm_delete": gettext_lazy("Delete this task?"),
        "confirm_link_delete": gettext_lazy("Delete this dependency?"),
        "link_start": gettext_lazy("(start)"),
        "link_end": gettext_lazy("(end)"),
        "link_from": gettext_lazy("From"),
        "link_to": gettext_lazy("To"),
        "saved": gettext_lazy("%s saved:"),
        "linked": gettext_lazy("Dependency %s → %s saved."),
        "failed": gettext_lazy("The change was not saved."),
        "conflict": gettext_lazy("Someone else changed this task; the chart is reloaded with the current dates."),
    },
}


def _back(campaign, anchor: str = ""):
    """Back to the plan page, where the change's message (or its refusal) shows."""
    return redirect(reverse("planning:plan", args=[campaign.pk]) + anchor)


@page("campaigns/<int:pk>/plan/add/", "task-add", post=True)
@campaign_button(EDIT, "planning:plan")
def task_add(request, campaign):
    data = {
        k: request.POST.get(k, "")
        for k in ("name", "phase", "module", "owner", "start_date", "end_date", "deliverable")
    }
    data["milestone"] = request.POST.get("milestone") == "on"
    deps = [c.strip() for c in request.POST.get("depends_on", "").replace("，", ",").split(",") if c.strip()]
    if deps:
        data["depends_on"] = [{"task": code, "type": "FS", "lag_days": 0} for code in deps]
    task = None

    def add():
        nonlocal task  # the new row's anchor
        task = services.task_create(actor=request.user, campaign=campaign, data=data)
        return task

    if act(request, add, lambda task: _("Task %(code)s added.") % {"code": task.code}):
        return _back(campaign, f"#task-{task.pk}")
    return _back(campaign, "#add-task")


def _posted_tasks(request) -> list[tuple[int, int]]:
    """The ticked tasks as (id, version); a value that is no "id:version" pair is passed over."""
    items = []
    for value in request.POST.getlist("task"):
        try:
            task_id, version = (int(x) for x in value.split(":"))
        except ValueError:
            continue
        items.append((task_id, version))
    return items


@page("campaigns/<int:pk>/plan/bulk/", "task-bulk", post=True)
@campaign_button(EDIT, "planning:plan")
def task_bulk(request, campaign):
    items = _posted_tasks(request)
    data = {"status": request.POST.get("status", "")}
    if request.POST.get("delay_reason"):
        data["delay_reason"] = request.POST["delay_reason"]
    if data["status"] == "done" and request.POST.get("actual_finish"):
        data["actual_finish"] = request.POST["actual_finish"]
    if not items:
        messages.error(request, _("Select at least one task."))
        return _back(campaign)
    act(
        request,
        lambda: services.tasks_bulk_update(actor=request.user, campaign=campaign, items=items, data=data),
        _("%(n)d tasks updated.") % {"n": len(items)},
    )


@page("campaigns/<int:pk>/plan/settings/", "settings", post=True)
@campaign_button(MANAGE, "planning:plan")
def settings_update(request, campaign):
    version = posted_version(request)
    data = {"auto_schedule": request.POST.get("auto_schedule") == "on"}
    act(
        request,
        lambda: services.plan_settings_update(actor=request.user, campaign=campaign, version=version, data=data),
        _("Plan settings saved."),
    )


@page("campaigns/<int:pk>/plan/periods/", "periods", post=True)
@campaign_button(EDIT, "planning:plan")
def periods_update(request, campaign):
    version = posted_version(request)
    periods = []
    for kind in PeriodKind.values:
        start, end = request.POST.get(f"{kind}_start", ""), request.POST.get(f"{kind}_end", "")
        if start or end:
            periods.append({"kind": kind, "start_date": start, "end_date": end})
    act(
        request,
        lambda: services.periods_replace(actor=request.user, campaign=campaign, version=version, periods=periods),
        _("Campaign periods saved."),
    )
    return _back(campaign, "#periods")


@page("campaigns/<int:pk>/plan/baselines/", "baseline-add", post=True)
@campaign_button(EDIT, "planning:plan")
def baseline_add(request, campaign):
    baseline = None

    def save():
        nonlocal baseline  # the page then compares with it
        baseline = services.baseline_create(actor=request.user, campaign=campaign, name=request.POST.get("name", ""))
        return baseline

    if act(request, save, lambda b: _("Baseline “%(name)s” saved.") % {"name": b.name}):
        return _back(campaign, f"?baseline={baseline.pk}#baselines")
    return _back(campaign, "#baselines")


# --- import / export -----------------------------------------------------------------------------


@page("campaigns/<int:pk>/plan/import/", "import")
def import_page(request, pk: int):
    """Upload → preview naming each bad row and column → confirm. Nothing is written before confirm."""
    campaign = campaign_for_user(request.user, pk, EDIT)
    key = f"plan-import-{campaign.pk}"
    form = FileForm(request.POST, request.FILES) if request.method == "POST" else FileForm()
    context = campaign_page_context(request, campaign, "plan", form=form, rows=None, errors=None)
    if request.method == "POST" and request.POST.get("confirm"):
        result = submit(form, lambda: _import_previewed(request, campaign, request.session.get(key)))
        if result.saved:
            request.session.pop(key, None)
            messages.success(request, _("%(n)d tasks imported.") % {"n": result.value})
            return redirect("planning:plan", campaign.pk)
    elif request.method == "POST":
        upload = form.cleaned_data["file"] if form.is_valid() else None
        result = submit(form, lambda: _preview(campaign, upload))
        if result.saved:
            rows, errors, ignored = result.value
            context.update(
                rows=[{**r, "line": r["_row"]} for r in rows], errors=errors, ignored=ignored, filename=upload.name
            )
            request.session.pop(key, None)
            if not errors:  # kept for the confirm
                upload.seek(0)
                request.session[key] = {"name": upload.name, "content": base64.b64encode(upload.read()).decode()}
    return render(request, "planning/import.html", context)


def _preview(campaign, upload) -> io.Preview:
    """The uploaded file's rows, the problems of each and the columns not read, nothing written."""
    if upload is None:
        raise InvalidInput({"file": _("Choose a CSV or XLSX file.")})
    if upload.size > io.MAX_UPLOAD:
        raise InvalidInput({"file": _("The file is larger than %(mb)d MB.") % {"mb": io.MAX_UPLOAD // (1024 * 1024)}})
    return io.preview(campaign, upload.name, upload.read())


def _import_previewed(request, campaign, stored: dict | None) -> int:
    """Import the file previewed without errors (kept in the session); the number of tasks."""
    if not stored:
        raise InvalidInput({"file": _("The preview expired; upload the file again.")})
    rows, errors, _ignored = io.preview(campaign, stored["name"], base64.b64decode(stored["content"]))
    if errors:
        raise InvalidInput({"file": _("The file has errors; fix them and upload it again.")})
    try:
        services.tasks_import(actor=request.user, campaign=campaign, rows=io.rows_for_import(rows))
    except InvalidInput as exc:  # its keys (rows[3].owner) name the spreadsheet's rows: shown as they are
        raise InvalidInput({"file": exc.detail}) from None
    return len(rows)


# --- RACI ----------------------------------------------------------------------------------------


@page("campaigns/<int:pk>/raci/", "raci")
def raci_page(request, pk: int):
    campaign = campaign_for_user(request.user, pk, VIEW)
    error = None
    if request.method == "POST":
        campaign_for_user(request.user, pk, EDIT)
        error = _set_raci_cell(request, campaign)
    matrix = selectors.raci_matrix(request.user, campaign)
    context = campaign_page_context(
        request,
        campaign,
        "raci",
        matrix=matrix,
        roles=RaciRole.values,
        version=selectors.plan_settings_for(campaign).version,
        raci_error=error,
        missing=[r["task"].code for r in matrix["rows"] if r["a_count"] != 1],
    )
    if request.htmx:
        return render(request, "planning/raci.html#raci-grid", context)
    return render(request, "planning/raci.html", context)


def _set_raci_cell(request, campaign) -> str | None:
    """One cell of the matrix as posted from the grid (htmx); the refusal's text for the grid, or None."""
    try:
        task_id = int(request.POST.get("task") or 0)
    except ValueError:
        return _("The form is out of date; reload the page.")
    try:
        services.raci_set_cell(
            actor=request.user,
            campaign=campaign,
            version=posted_version(request),
            task_id=task_id,
            username=request.POST.get("user", ""),
            role=request.POST.get("role", ""),
        )
    except DomainError as exc:
        return refusal_text(exc)
    return None


# --- Gantt ---------------------------------------------------------------------------------------


@page("campaigns/<int:pk>/gantt/", "gantt")
def gantt_page(request, pk: int):
    campaign = campaign_for_user(request.user, pk, VIEW)
    today = timezone.localdate()
    return render(
        request,
        "planning/gantt.html",
        campaign_page_context(
            request,
            campaign,
            "gantt",
            baselines=list(selectors.baselines_for(campaign)[:20]),
            today=today,
            # running: the chart opens scrolled to today
            running=campaign.status == Status.EXECUTING or campaign.start_date <= today <= campaign.end_date,
            gantt_i18n=SCRIPT_TEXTS["gantt"],
        ),
    )


# --- my tasks, portfolio ---------------------------------------------------------------------------


@page("my/tasks/", "my-tasks")
def my_tasks(request):
    today = timezone.localdate()
    groups = selectors.my_tasks(request.user, today)
    feed_url = request.session.pop("feed-url", None)
    return render(
        request,
        "planning/my_tasks.html",
        {
            "groups": [
                ("overdue", _("Overdue"), groups["overdue"]),
                ("today", _("Due today"), groups["today"]),
                ("week", _("This week"), groups["week"]),
                ("later", _("Later"), groups["later"][:50]),
            ],
            "today": today,
            "feed_url": feed_url,
            "has_feed": request.user.calendar_feeds.filter(revoked_at__isnull=True).exists(),
            "nav": "my-tasks",
        },
    )


@page("my/calendar-feed/", "feed", post=True)
def feed_update(request):
    if request.POST.get("action") == "revoke":
        act(
            request, lambda: services.calendar_feed_revoke(actor=request.user), _("Your calendar feed URL was revoked.")
        )
    else:
        raw = services.calendar_feed_create(actor=request.user)
        request.session["feed-url"] = request.build_absolute_uri(f"/api/v1/calendar/{raw}.ics")
    return redirect("planning:my-tasks")


@page("portfolio/", "portfolio")
def portfolio(request):
    campaigns = list(visible_campaigns(request.user).exclude(status="cancelled").order_by("start_date", "id")[:500])
    data = [
        {
            "id": c.pk,
            "text": c.name,
            "start_date": c.start_date.isoformat(),
            "end_date": (c.end_date + dt.timedelta(days=1)).isoformat(),
            "status": c.status,
            "status_label": str(c.get_status_display()),
            "url": reverse("planning:gantt", args=[c.pk]),
        }
        for c in campaigns
    ]
    return render(
        request,
        "planning/portfolio.html",
        {
            "campaigns": campaigns,
            "portfolio": {"data": data, "links": []},
            "gantt_i18n": SCRIPT_TEXTS["gantt"],
            "nav": "campaigns",
        },
    )


@page("campaigns/<int:pk>/gantt/data/", "gantt-data")
def gantt_json(request, pk: int):
    """The same data as GET /api/v1/campaigns/{id}/gantt, for the page (session auth)."""
    from .api import gantt_response

    campaign = campaign_for_user(request.user, pk, VIEW)
    baseline = request.GET.get("baseline")
    try:
        baseline_id = int(baseline) if baseline else None
    except ValueError:
        raise Http404 from None
    return gantt_response(request.user, campaign, baseline_id)
