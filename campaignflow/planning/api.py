"""REST endpoints for the plan's tasks."""

import datetime as dt
from collections import Counter

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status, UploadedFile
from pydantic import Field

from campaignflow import lookups
from campaignflow.campaigns.access import EDIT, MANAGE, VIEW, campaign_for_user
from campaignflow.campaigns.read_cache import cached, cached_for_user, cached_json
from campaignflow.core.api_types import (
    MAX_ID,
    IdField,
    InputSchema,
    PathId,
    Username,
    VersionQuery,
    patch_data,
    patch_schema,
)
from campaignflow.core.downloads import ICS, XLSX, download
from campaignflow.core.errors import InvalidInput
from campaignflow.core.gc_pause import gc_paused
from campaignflow.core.json_out import dumps, json_response
from campaignflow.core.record_routes import RecordRoutes

from . import io, selectors, services
from .gantt_markers import marker_groups
from .models import CampaignPeriod, PlanSettings, Task

router = Router(tags=["plan"])
records = RecordRoutes(router, __name__, campaign=campaign_for_user, read=VIEW, write=EDIT)  # core.record_routes

# A resource's endpoints as in docs/adr/0005: an In schema, the Patch derived from it, an Out schema that
# reads the instance the service or selector returns. The large reads (the task list, schedule, Gantt,
# RACI matrix, variance, my tasks) are built as plain rows and serialised directly (core.json_out),
# keeping their schema as the documented response.


class DependencyIn(InputSchema):
    task: IdField | str = Field(..., description="id or code (T001) of the predecessor task")
    type: str = Field("FS", max_length=2)
    lag_days: int = Field(0, ge=-3650, le=3650)
    workdays: bool = Field(False, description="count the lag in China working days")


class DependencyOut(Schema):
    task: int = Field(alias="predecessor_id")
    type: str
    lag_days: int
    workdays: bool = False


class TaskIn(InputSchema):
    name: str = Field(..., max_length=200)
    code: str | None = Field(None, max_length=20)
    phase: str = Field("", max_length=200)
    module: str = Field("", max_length=200)
    owner: str | None = Field(None, max_length=150)
    owner_role: str = Field("", max_length=200)
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    status: str = Field("not_started", max_length=20)
    progress: int = Field(0, ge=0, le=100)
    milestone: bool = False
    deliverable: str = Field("", max_length=500)
    acceptance: str = Field("", max_length=500)
    delay_reason: str = Field("", max_length=500)
    remark: str = Field("", max_length=500)
    depends_on: list[DependencyIn] | None = None


# A task's code is fixed once it is created; a patch's `depends_on` replaces the whole list.
TaskPatch = patch_schema(
    TaskIn,
    exclude=("code", "depends_on"),
    depends_on=(list[DependencyIn] | None, Field(None, description="replaces the whole list")),
)


# Reads the instance `selectors.task_with_schedule` gives (its `schedule`: the plan's flags for it); the task
# list builds the same fields as plain rows (`_task_dicts`). (Comments, not docstrings: those would change
# the OpenAPI document.)
class TaskOut(Schema):
    id: int
    code: str
    name: str
    phase: str
    module: str
    owner: Username
    owner_role: str
    start_date: dt.date | None
    end_date: dt.date | None
    status: str
    progress: int
    milestone: bool
    deliverable: str
    acceptance: str
    delay_reason: str
    remark: str
    depends_on: list[DependencyOut]
    actual_start: dt.date | None = None
    actual_finish: dt.date | None = None
    slip_days: int = Field(0, alias="schedule.slip_days")
    at_risk: bool = Field(False, alias="schedule.at_risk")
    critical: bool = Field(False, alias="schedule.critical")
    version: int

    @staticmethod
    def resolve_depends_on(task: Task):
        return task.dependencies.order_by("id")


def _date(value):
    return value.isoformat() if value is not None else None


def _task_dicts(user, campaign) -> list[dict]:
    """The tasks the user sees as the API's task dicts (`TaskOut`), ready for JSON (dates as text). A
    constant number of queries, however many tasks there are: the tasks and the links are one query each
    (named rows, not model instances)."""
    tasks = selectors.task_rows(user, campaign)
    ids = {t.pk for t in tasks}
    depends_on: dict[int, list] = {}
    visible = []
    for d in selectors.link_rows(campaign):
        if d.successor_id in ids:
            depends_on.setdefault(d.successor_id, []).append(
                {"task": d.predecessor_id, "type": d.type, "lag_days": d.lag_days, "workdays": d.workdays}
            )
            if d.predecessor_id in ids:
                visible.append(d)
    info = selectors.analyse(campaign, tasks, visible, dates=False)["tasks"]
    no_info: dict = {}
    out = []
    for t in tasks:
        i = info.get(t.pk, no_info)
        out.append(
            {
                "id": t.pk,
                "code": t.code,
                "name": t.name,
                "phase": t.phase,
                "module": t.module,
                "owner": t.owner__username,
                "owner_role": t.owner_role,
                "start_date": _date(t.start_date),
                "end_date": _date(t.end_date),
                "status": t.status,
                "progress": t.progress,
                "milestone": t.milestone,
                "deliverable": t.deliverable,
                "acceptance": t.acceptance,
                "delay_reason": t.delay_reason,
                "remark": t.remark,
                "depends_on": depends_on.get(t.pk, []),
                "actual_start": _date(t.actual_start),
                "actual_finish": _date(t.actual_finish),
                "slip_days": i.get("slip_days", 0),
                "at_risk": i.get("at_risk", False),
                "critical": i.get("critical", False),
                "version": t.version,
            }
        )
    return out


@router.get("/campaigns/{campaign_id}/tasks", response=list[TaskOut])
def list_tasks(request, campaign_id: PathId):
    """The campaign's tasks in plan order. Always the same queries (campaign, role, tasks, links),
    however many tasks there are, none included: the links are one explicit query, not a prefetch
    (Django skips a prefetch when there are no tasks)."""
    # The rows are plain dicts of JSON values, serialised directly: validating 10,000 of them against
    # `TaskOut` (still the documented response) was most of the time (10,000 tasks: 1.4 s → 0.23 s in all).
    # Cached per change stamp (campaigns.read_cache): the plan's analysis is most of the cost.
    campaign = campaign_for_user(request.user, campaign_id, VIEW)

    def build():
        with gc_paused():
            return _task_dicts(request.user, campaign)

    return json_response(cached_json(campaign, request.user, "tasks", build))


@router.post("/campaigns/{campaign_id}/tasks", response={201: TaskOut})
def create_task(request, campaign_id: PathId, payload: TaskIn):
    campaign = campaign_for_user(request.user, campaign_id, EDIT)
    task = services.task_create(actor=request.user, campaign=campaign, data=payload.dict(exclude_unset=True))
    return Status(201, selectors.task_with_schedule(request.user, task))


@router.get("/tasks/{task_id}", response=TaskOut)
def get_task(request, task_id: PathId):
    task = lookups.task_for_user(request.user, task_id)
    return selectors.task_with_schedule(request.user, task)


@router.patch("/tasks/{task_id}", response=TaskOut)
def update_task(request, task_id: PathId, payload: TaskPatch):
    task = lookups.task_for_user(request.user, task_id, EDIT)  # its owner too: services.task_edit says what
    version, data = patch_data(payload)
    task = services.task_edit(actor=request.user, task=task, version=version, data=data)
    return selectors.task_with_schedule(request.user, task)


@router.delete("/tasks/{task_id}", response={204: None})
def delete_task(request, task_id: PathId, q: Query[VersionQuery]):
    """`?version=` (optional): the version read; a stale one is 409 and nothing is deleted."""
    task = lookups.task_for_user(request.user, task_id)
    campaign_for_user(request.user, task.campaign_id, EDIT)
    services.task_delete(actor=request.user, task=task, version=q.version)
    return Status(204, None)


class BulkItem(InputSchema):
    id: IdField
    version: int


class BulkIn(InputSchema):
    tasks: list[BulkItem] = Field(..., min_length=1, max_length=2000)
    status: str | None = Field(None, max_length=20)
    delay_reason: str | None = Field(None, max_length=500)
    owner: str | None = Field(None, max_length=150)
    actual_finish: str | None = Field(
        None, max_length=20, description="With status done: the day the work finished (YYYY-MM-DD, default today)"
    )


@router.post("/campaigns/{campaign_id}/tasks/bulk", response=list[TaskOut])
def bulk_update(request, campaign_id: PathId, payload: BulkIn):
    """The same change (status, delay reason, owner) to several tasks; all or nothing. Marking them done
    records `actual_finish` (default today) for those not done yet."""
    campaign = campaign_for_user(request.user, campaign_id, EDIT)
    data = payload.dict(exclude_unset=True)
    items = [(i["id"], i["version"]) for i in data.pop("tasks")]
    if not data:
        raise InvalidInput({"status": _("Nothing to change.")})
    services.tasks_bulk_update(actor=request.user, campaign=campaign, items=items, data=data)
    return list_tasks(request, campaign_id)


class ReorderIn(InputSchema):
    ids: list[int] = Field(
        ...,
        min_length=1,
        max_length=100_000,
        description="task ids in the new order: the whole plan, or only some tasks (e.g. one phase), "
        "which then take the places those tasks hold now",
    )


class ReorderOut(Schema):
    ids: list[int] = Field(..., description="the ids of all the campaign's tasks, in the new plan order")


@router.post("/campaigns/{campaign_id}/tasks/reorder", response=ReorderOut)
def reorder_tasks(request, campaign_id: PathId, payload: ReorderIn):
    """Reorder the WBS (the task list, the plan page and the Gantt use this order). An id that is not
    a task of this campaign, or one listed twice, is a 422 naming its index (`ids[3]`); nothing is
    written then. Task versions do not change."""
    campaign = campaign_for_user(request.user, campaign_id, EDIT)
    return {"ids": services.task_reorder(actor=request.user, campaign=campaign, ordered_ids=payload.ids)}


# --- dependencies and schedule -----------------------------------------------------------------


class LinkIn(InputSchema):
    predecessor: IdField | str
    successor: IdField
    type: str = Field("FS", max_length=2)
    lag_days: int = Field(0, ge=-3650, le=3650)
    version: int | None = Field(None, description="the successor's version (optional)")


class LinkOut(Schema):
    id: int
    predecessor: int = Field(alias="predecessor_id")
    successor: int = Field(alias="successor_id")
    type: str
    lag_days: int
    successor_version: int = Field(alias="successor.version")


@router.post("/campaigns/{campaign_id}/dependencies", response={201: LinkOut})
def add_dependency(request, campaign_id: PathId, payload: LinkIn):
    campaign = campaign_for_user(request.user, campaign_id, EDIT)
    return Status(201, services.dependency_add(actor=request.user, campaign=campaign, **payload.dict()))


@router.delete("/dependencies/{link_id}", response={204: None})
def delete_dependency(request, link_id: PathId):
    link = lookups.dependency_for_user(request.user, link_id, EDIT)
    services.dependency_delete(actor=request.user, link=link)
    return Status(204, None)


class ScheduleTask(Schema):
    id: int
    code: str
    early_start: dt.date
    early_finish: dt.date
    late_start: dt.date
    late_finish: dt.date
    slack_days: int
    critical: bool
    forecast_finish: dt.date
    slip_days: int
    at_risk: bool


class ScheduleOut(Schema):
    critical_path: list[int]
    tasks: list[ScheduleTask]
    at_risk_milestones: list[int]


@router.get("/campaigns/{campaign_id}/schedule", response=ScheduleOut)
def schedule(request, campaign_id: PathId):
    """Critical path method over the dated tasks: early/late dates, slack, slips, milestones at risk."""
    campaign = campaign_for_user(request.user, campaign_id, VIEW)
    return _plain_json(lambda: _schedule_rows(request.user, campaign))


def _plain_json(build) -> HttpResponse:
    """A large read that `build` makes of light rows and plain JSON values, serialised without a schema
    pass (docs/development.md; the route keeps its schema as the documented answer), with the garbage
    collector paused meanwhile (tens of thousands of small dicts would start it again and again)."""
    with gc_paused():
        return json_response(build())


def _schedule_rows(user, campaign) -> dict:
    tasks = selectors.task_rows(user, campaign)
    result = selectors.analyse(campaign, tasks, selectors.link_rows(campaign, {t.pk for t in tasks}))
    info = result["tasks"]
    out = [{"id": t.pk, "code": t.code, **info[t.pk]} for t in tasks if t.pk in info]
    at_risk = [r["id"] for r in out if r["at_risk"]]
    return {"critical_path": result["critical_path"], "tasks": out, "at_risk_milestones": at_risk}


@router.get("/campaigns/{campaign_id}/gantt")
def gantt(request, campaign_id: PathId, baseline: int | None = None):
    """The Gantt's data (dhtmlx-gantt JSON: data + links, plus periods, baseline, critical path and the
    other apps' dated markers, such as the materials' due dates: planning.gantt_markers);
    a constant number of queries however many tasks there are."""
    campaign = campaign_for_user(request.user, campaign_id, VIEW)
    if baseline is not None and not 0 < baseline <= MAX_ID:
        raise InvalidInput({"baseline": _("Unknown baseline.")})
    return gantt_response(request.user, campaign, baseline)


def gantt_response(user, campaign, baseline_id=None) -> HttpResponse:
    """The Gantt JSON, serialised directly: the rows are plain dicts of strings and numbers, so
    there is nothing for a schema to validate (at 10,000 tasks that validation was a third of the time)."""

    def build() -> bytes:
        with gc_paused():
            return dumps(gantt_json(user, campaign, baseline_id))

    body = cached(campaign, user, "gantt", build, variant=str(baseline_id or ""))  # campaigns.read_cache
    return HttpResponse(body, content_type="application/json")


def gantt_json(user, campaign, baseline_id=None) -> dict:
    """dhtmlx-gantt data in plan order: a phase becomes a parent row where it first appears. A task's
    `end_date` is the day after its last (dhtmlx's end is exclusive); a milestone is a point in time:
    `type` "milestone", `start_date` = `end_date` = its one date (its end date, else its start date), with
    `span_start` its first day when it spans days, and `at_risk` is the plan's one rule
    (planning.domain.milestones), the milestone alert's too."""
    g = selectors.gantt_data(user, campaign, baseline_id)
    info = g["analysis"]["tasks"]
    base_rows = g["base"]
    campaign_start = campaign.start_date
    one_day = dt.timedelta(days=1)
    no_info: dict = {}
    data, phases = [], {}
    for t in g["tasks"]:
        parent = 0
        if t.phase:
            parent = phases.get(t.phase)
            if parent is None:
                parent = phases[t.phase] = f"p{len(phases) + 1}"
                data.append({"id": parent, "text": t.phase, "type": "project", "open": True, "readonly": True})
        i = info.get(t.pk, no_info)
        start = t.start_date or t.end_date
        end = t.end_date or start or campaign_start
        milestone = t.milestone
        row = {
            "id": t.pk,
            "code": t.code,
            "text": f"{t.code} {t.name}",
            "name": t.name,
            "parent": parent,
            "type": "milestone" if milestone else "task",
            "start_date": (end if milestone else start or campaign_start).isoformat(),
            "end_date": (end if milestone else end + one_day).isoformat(),
            "unscheduled": start is None,
            "progress": t.progress / 100,
            "owner": (t.owner__display_name or t.owner__username) if t.owner__username else "",
            "module": t.module,
            "status": t.status,
            "version": t.version,
            "critical": bool(i.get("critical")),
            "slack": i.get("slack_days"),
            "slip_days": i.get("slip_days", 0),
            "at_risk": bool(i.get("at_risk")),
        }
        if milestone and start and start < end:  # a milestone over days (a deliverable's window): the grid says so
            row["span_start"] = start.isoformat()
        base = base_rows.get(t.pk)
        if base and base[1]:
            # a milestone's baseline is a point too: its baseline end date, as for its own date
            row["baseline_start"] = (base[1] if milestone else base[0] or base[1]).isoformat()
            row["baseline_end"] = (base[1] if milestone else base[1] + one_day).isoformat()
        data.append(row)
    links = [
        {
            "id": d.id,
            "source": d.predecessor_id,
            "target": d.successor_id,
            "type": LINK_TYPES[d.type],
            "lag": d.lag_days,
        }
        for d in g["links"]
    ]
    return {
        "data": data,
        "links": links,
        "critical_path": g["analysis"]["critical_path"],
        "periods": [
            {
                "kind": p.kind,
                "label": str(p.get_kind_display()),
                "start_date": p.start_date.isoformat(),
                "end_date": p.end_date.isoformat(),
            }
            for p in g["periods"]
        ],
        "baseline": {"id": g["baseline"].pk, "name": g["baseline"].name} if g["baseline"] else None,
        "campaign": {"start_date": campaign.start_date.isoformat(), "end_date": campaign.end_date.isoformat()},
        # what other apps date on the plan (the materials' due dates): milestones in read-only group rows
        "marker_groups": marker_groups(user, campaign, timezone.localdate()),
    }


# dhtmlx-gantt link types: 0 finish-to-start, 1 start-to-start, 2 finish-to-finish, 3 start-to-finish
LINK_TYPES = {"FS": "0", "SS": "1", "FF": "2", "SF": "3"}


# --- RACI, periods, settings, baselines ---------------------------------------------------------


class RaciCell(InputSchema):
    task: IdField | str
    user: str = Field(..., max_length=150)
    role: str = Field(..., max_length=1)


class RaciIn(InputSchema):
    version: int
    assignments: list[RaciCell] = Field(..., max_length=100_000)


class RaciOut(Schema):
    version: int
    people: list[dict]
    assignments: list[dict]
    tasks_without_a: list[str]


def _raci_rows(user, campaign) -> dict:
    """The matrix as light rows (no task instances): a plan of 10,000 tasks has as many cells and codes."""
    codes = list(selectors.tasks_for(user, campaign).values_list("pk", "code"))
    visible = {pk for pk, _code in codes}
    assignments = [a for a in services.raci_rows(campaign) if a["task"] in visible]
    accountable = Counter(a["task"] for a in assignments if a["role"] == "A")
    people = [m.user for m in campaign.memberships.select_related("user").order_by("id")]
    return {
        "version": selectors.plan_settings_for(campaign).version,
        "people": [{"username": p.username, "label": p.label} for p in people],
        "assignments": assignments,
        "tasks_without_a": [code for pk, code in codes if accountable[pk] != 1],
    }


@router.get("/campaigns/{campaign_id}/raci", response=RaciOut)
def get_raci(request, campaign_id: PathId):
    campaign = campaign_for_user(request.user, campaign_id, VIEW)
    return _plain_json(lambda: _raci_rows(request.user, campaign))


@router.put("/campaigns/{campaign_id}/raci", response=RaciOut)
def put_raci(request, campaign_id: PathId, payload: RaciIn):
    """Replace the campaign's RACI matrix. Each task has at most one A (a second A is a 422 naming the task)."""
    campaign = campaign_for_user(request.user, campaign_id, EDIT)
    services.raci_replace(actor=request.user, campaign=campaign, **payload.dict())
    return _plain_json(lambda: _raci_rows(request.user, campaign))


class PeriodIO(InputSchema):
    kind: str = Field(..., max_length=20, description="warmup 预热期 | burst 爆发期 | extension 延续期")
    start_date: dt.date
    end_date: dt.date


class PeriodsIn(InputSchema):
    version: int
    periods: list[PeriodIO] = Field(..., max_length=3)


# Reads the plan settings: the periods are versioned with them.
class PeriodsOut(Schema):
    version: int
    periods: list[PeriodIO]

    @staticmethod
    def resolve_periods(settings: PlanSettings):
        return CampaignPeriod.objects.filter(campaign_id=settings.campaign_id)


records.section("periods", "get_periods", PeriodsOut, selectors.plan_settings_for)


@router.put("/campaigns/{campaign_id}/periods", response=PeriodsOut)
def put_periods(request, campaign_id: PathId, payload: PeriodsIn):
    campaign = campaign_for_user(request.user, campaign_id, EDIT)
    return services.periods_replace(actor=request.user, campaign=campaign, **payload.dict())


class SettingsOut(Schema):
    auto_schedule: bool
    version: int


class SettingsPatch(InputSchema):
    version: int
    auto_schedule: bool = None  # absent: unchanged; null is refused (422), as by patch_schema


records.section("plan-settings", "get_settings", SettingsOut, selectors.plan_settings_for)


@router.patch("/campaigns/{campaign_id}/plan-settings", response=SettingsOut)
def patch_settings(request, campaign_id: PathId, payload: SettingsPatch):
    campaign = campaign_for_user(request.user, campaign_id, MANAGE)
    version, data = patch_data(payload)
    return services.plan_settings_update(actor=request.user, campaign=campaign, version=version, data=data)


class BaselineIn(InputSchema):
    name: str = Field(..., max_length=200)


class BaselineOut(Schema):
    id: int
    name: str
    created_at: dt.datetime
    created_by: Username


@router.get("/campaigns/{campaign_id}/baselines", response=list[BaselineOut])
def list_baselines(request, campaign_id: PathId):
    campaign = campaign_for_user(request.user, campaign_id, VIEW)
    return selectors.baselines_for(campaign)


@router.post("/campaigns/{campaign_id}/baselines", response={201: BaselineOut})
def create_baseline(request, campaign_id: PathId, payload: BaselineIn):
    campaign = campaign_for_user(request.user, campaign_id, EDIT)
    return Status(201, services.baseline_create(actor=request.user, campaign=campaign, name=payload.name))


class VarianceRow(Schema):
    task: int
    code: str
    name: str
    baseline_start: dt.date | None
    baseline_end: dt.date | None
    start_date: dt.date | None
    end_date: dt.date | None
    actual_start: dt.date | None
    actual_finish: dt.date | None
    finish_variance_days: int | None
    actual_variance_days: int | None


@router.get("/campaigns/{campaign_id}/baselines/{baseline_id}/variance", response=list[VarianceRow])
def baseline_variance(request, campaign_id: PathId, baseline_id: PathId):
    """Per task: planned (baseline) vs current vs actual dates; variance in days (+ = later)."""
    campaign = campaign_for_user(request.user, campaign_id, VIEW)
    baseline = selectors.baselines_for(campaign).filter(pk=baseline_id).first()
    if baseline is None:
        raise Http404
    return _plain_json(lambda: _variance_rows(request.user, campaign, baseline))


def _variance_rows(user, campaign, baseline) -> list[dict]:
    return [
        {
            "task": r["task"].pk,
            "code": r["task"].code,
            "name": r["task"].name,
            "baseline_start": r["baseline_start"],
            "baseline_end": r["baseline_end"],
            "start_date": r["task"].start_date,
            "end_date": r["task"].end_date,
            "actual_start": r["task"].actual_start,
            "actual_finish": r["task"].actual_finish,
            "finish_variance_days": r["finish_variance_days"],
            "actual_variance_days": r["actual_variance_days"],
        }
        for r in selectors.variance(user, campaign, baseline, selectors.task_rows(user, campaign))
    ]


# --- files: import, export, calendar -------------------------------------------------------------


class ImportError_(Schema):
    row: int
    column: str
    message: str
    header: str = ""  # the column's header text in the file
    problem: str = ""


class ImportOut(Schema):
    rows: int
    errors: list[ImportError_]
    created: int = 0
    updated: int = 0
    preview: list[dict] = []
    ignored_columns: list[str] = []  # the file's columns that were not read (header texts)


class ImportProblem(Schema):
    """422: bad rows ({row, column, message}) or a missing/invalid field ({field, message})."""

    detail: str
    rows: int | None = None
    errors: list[dict]
    preview: list[dict] = []
    ignored_columns: list[str] = []


@router.post("/campaigns/{campaign_id}/tasks/import", response={200: ImportOut, 422: ImportProblem})
def import_tasks(request, campaign_id: PathId, file: UploadedFile = File(...), confirm: bool = Form(False)):
    """Import WBS rows from CSV/XLSX (seed 002 table 2 headers, Chinese or English). Without
    `confirm` it only previews; with `confirm` it writes all rows, or nothing if any row is bad."""
    campaign = campaign_for_user(request.user, campaign_id, EDIT)
    if file.size and file.size > io.MAX_UPLOAD:
        raise io.TooLarge(_("The file is larger than %(mb)d MB.") % {"mb": io.MAX_UPLOAD // (1024 * 1024)})
    rows, errors, ignored = io.preview(campaign, file.name, file.read(io.MAX_UPLOAD + 1))
    preview = [{k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in r.items()} for r in rows]
    if errors:
        detail = "; ".join(e["message"] for e in errors[:20])  # each names its row and column
        return Status(
            422,
            {
                "detail": detail,
                "rows": len(rows) + len({e["row"] for e in errors}),
                "errors": errors,
                "preview": preview,
                "ignored_columns": ignored,
            },
        )
    if not confirm:
        return {"rows": len(rows), "errors": [], "preview": preview, "ignored_columns": ignored}
    existing = set(Task.objects.filter(campaign=campaign).values_list("code", flat=True))
    services.tasks_import(actor=request.user, campaign=campaign, rows=io.rows_for_import(rows))
    updated = sum(1 for r in rows if r.get("code") in existing)
    return {
        "rows": len(rows),
        "errors": [],
        "created": len(rows) - updated,
        "updated": updated,
        "ignored_columns": ignored,
    }


@router.get("/campaigns/{campaign_id}/plan.xlsx")
def export_plan(request, campaign_id: PathId):
    """The WBS as XLSX (seed 002 table 2 plus dependencies, critical path, slack)."""
    campaign = campaign_for_user(request.user, campaign_id, VIEW)
    return plan_xlsx_response(request.user, campaign)


def plan_xlsx_response(user, campaign) -> HttpResponse:
    tasks = list(selectors.tasks_with_deps(user, campaign))
    info = selectors.analyse(campaign, tasks, selectors.link_rows(campaign, {t.pk for t in tasks}))["tasks"]
    users = {t.owner_id: t.owner for t in tasks if t.owner_id}
    body = io.export_xlsx(campaign, tasks, info, users)
    return download(body, filename=f"plan-{campaign.pk}.xlsx", content_type=XLSX)


@router.get("/campaigns/{campaign_id}/calendar.ics")
def campaign_calendar(request, campaign_id: PathId):
    """Milestones and task deadlines of the campaign as an iCalendar feed."""
    campaign = campaign_for_user(request.user, campaign_id, VIEW)
    tasks = list(selectors.tasks_for(request.user, campaign))
    for t in tasks:
        t.campaign = campaign
    return _ics(io.calendar_ics(campaign.name, tasks, base_url=request.build_absolute_uri("/").rstrip("/")))


def _ics(body: bytes) -> HttpResponse:
    return download(body, filename="calendar.ics", content_type=ICS, inline=True)


class FeedOut(Schema):
    url: str
    token: str


@router.post("/me/calendar-feed", response={201: FeedOut})
def create_feed(request):
    """A personal feed URL of your tasks' deadlines and milestones; replaces (revokes) the previous one."""
    raw = services.calendar_feed_create(actor=request.user)
    url = request.build_absolute_uri(f"/api/v1/calendar/{raw}.ics")
    return Status(201, {"url": url, "token": raw})


@router.delete("/me/calendar-feed", response={204: None})
def revoke_feed(request):
    services.calendar_feed_revoke(actor=request.user)
    return Status(204, None)


@router.get("/calendar/{token}.ics", auth=None)
def personal_calendar(request, token: str):
    """Personal feed: the deadlines of the tasks you own (no login: the URL's token is the key)."""
    user = services.calendar_feed_user(token[:200]) if len(token) <= 200 else None
    if user is None:
        raise Http404
    return _ics(io.calendar_ics(f"CampaignFlow · {user.label}", selectors.feed_tasks(user)))


class MyTask(Schema):
    id: int
    code: str
    name: str
    campaign: int
    campaign_name: str
    end_date: dt.date
    status: str
    version: int
    bucket: str


@router.get("/me/tasks", response=list[MyTask])
def my_tasks(request):
    """Your open tasks across campaigns: overdue, due today, this week, later."""
    # Up to 2,000 rows: serialised directly, as the task list (documented: `MyTask`); cached per caller
    # until any audited change (campaigns.read_cache)
    return json_response(cached_for_user(request, "my-tasks", lambda: dumps(_my_task_dicts(request.user))))


def _my_task_dicts(user) -> list[dict]:
    return [
        {
            "id": t.id,
            "code": t.code,
            "name": t.name,
            "campaign": t.campaign_id,
            "campaign_name": t.campaign__name,
            "end_date": t.end_date,
            "status": t.status,
            "version": t.version,
            "bucket": bucket,
        }
        for bucket, t in selectors.my_task_rows(user, timezone.localdate())
    ]
