"""Task writes. Atomic, versioned, audited; the API and the UI both call these."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from campaignflow.accounts.models import User
from campaignflow.campaigns.access import EDIT, can
from campaignflow.campaigns.models import Campaign
from campaignflow.campaigns.selectors import member_input
from campaignflow.core.api_types import MAX_ID
from campaignflow.core.audit import audit_record, delete_versioned, snapshot
from campaignflow.core.domain.text import clean_text
from campaignflow.core.errors import Conflict, Forbidden, InvalidInput, StaleVersion
from campaignflow.core.locking import changed_only, refuse_if_stale, update_versioned
from campaignflow.core.parsing import date_input

from .domain import schedule as sched
from .models import (
    Baseline,
    BaselineItem,
    CalendarFeed,
    CampaignPeriod,
    DependencyType,
    PeriodKind,
    PlanSettings,
    RaciAssignment,
    RaciRole,
    Task,
    TaskDependency,
    TaskStatus,
)

TEXT_FIELDS = {
    "name": 200,
    "phase": 200,
    "module": 200,
    "owner_role": 200,
    "deliverable": 500,
    "acceptance": 500,
    "delay_reason": 500,
    "remark": 500,
}
EDITABLE = (*TEXT_FIELDS, "owner", "start_date", "end_date", "status", "progress", "milestone")
# What the owner of a task may change without the campaign's edit right (e.g. a partner).
OWNER_FIELDS = {"status", "progress", "delay_reason"}


def _clean(campaign: Campaign, data: dict, *, current: Task | None, finished_on: dt.date | None = None) -> dict:
    errors: dict[str, str] = {}
    out: dict = {}
    for field, limit in TEXT_FIELDS.items():
        if field in data:
            value = clean_text(data[field])
            if len(value) > limit:
                errors[field] = _("At most %(n)d characters.") % {"n": limit}
            out[field] = value
    if (current is None and not out.get("name")) or ("name" in out and not out["name"]):
        errors["name"] = _("Name is required.")
    for field in ("start_date", "end_date"):
        if field in data:
            out[field] = date_input(data[field], field, errors)
    start = out.get("start_date", current.start_date if current else None)
    end = out.get("end_date", current.end_date if current else None)
    if start and end and end < start and not ({"start_date", "end_date"} & errors.keys()):
        errors["end_date"] = _("The end date is before the start date.")
    if "status" in data:
        if data["status"] not in TaskStatus.values:
            errors["status"] = _("Unknown status %(s)s; use one of %(choices)s.") % {
                "s": data["status"],
                "choices": ", ".join(TaskStatus.values),
            }
        else:
            out["status"] = data["status"]
    if "progress" in data:
        progress = data["progress"]
        if isinstance(progress, bool) or not isinstance(progress, int) or not 0 <= progress <= 100:
            errors["progress"] = _("Progress is a whole number from 0 to 100.")
        else:
            out["progress"] = progress
    if "milestone" in data:
        out["milestone"] = bool(data["milestone"])
    if "owner" in data:
        out["owner"] = member_input(campaign, data["owner"], "owner", errors)
    status = out.get("status", current.status if current else TaskStatus.NOT_STARTED)
    reason = out.get("delay_reason", current.delay_reason if current else "")
    if status == TaskStatus.DELAYED and not reason:
        errors["delay_reason"] = _("A delayed task needs a delay reason.")
    if status == TaskStatus.DONE and "progress" not in out:
        out["progress"] = 100
    # Actual dates are recorded when the work really starts / finishes (planned vs actual).
    if "status" in out and (current is None or current.status != out["status"]):
        today = _today()
        started = current.actual_start if current else None
        # Marked done later than the work finished (bulk "mark done"): the day given, never before its start.
        finish = max(finished_on or today, started) if started else (finished_on or today)
        if out["status"] in (TaskStatus.IN_PROGRESS, TaskStatus.DONE, TaskStatus.DELAYED) and not started:
            out["actual_start"] = finish if out["status"] == TaskStatus.DONE else today
        if out["status"] == TaskStatus.DONE:
            out["actual_finish"] = finish
        elif current is not None and current.actual_finish:
            out["actual_finish"] = None
        if out["status"] == TaskStatus.NOT_STARTED and started:  # set back: the work has not started after all
            out["actual_start"] = None
    if errors:
        raise InvalidInput(errors)
    return out


def _today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()


def next_code(campaign: Campaign) -> str:
    codes = Task.objects.filter(campaign=campaign, code__regex=r"^T[0-9]+$").values_list("code", flat=True)
    highest = max((int(c[1:]) for c in codes), default=0)
    return f"T{highest + 1:03d}"


# --- dependencies -----------------------------------------------------------------------------


def _clean_dependencies(campaign: Campaign, task_id: int | None, raw) -> list[dict]:
    """Validate a `depends_on` list: [{task, type, lag_days, workdays?}] → rows with Task objects."""
    if not isinstance(raw, list):
        raise InvalidInput({"depends_on": _("A list of {task, type, lag_days} is expected.")})
    errors: dict[str, str] = {}
    wanted = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict):
            errors[f"depends_on[{i}]"] = _("An object {task, type, lag_days} is expected.")
            continue
        ref = item.get("task")
        kind = str(item.get("type") or "FS").upper()
        lag = item.get("lag_days", 0)
        if kind not in DependencyType.values:
            errors[f"depends_on[{i}].type"] = _("Unknown dependency type %(t)s; use FS, SS, FF or SF.") % {"t": kind}
        if isinstance(lag, bool) or not isinstance(lag, int) or not -3650 <= lag <= 3650:
            errors[f"depends_on[{i}].lag_days"] = _("The lag is a whole number of days (-3650 to 3650).")
        if isinstance(ref, bool) or not isinstance(ref, int | str) or ref in ("", None):
            errors[f"depends_on[{i}].task"] = _("Name the task by id or code.")
            continue
        wanted.append((i, ref, kind, lag, bool(item.get("workdays", False))))
    ids = [r for _i, r, *_ in wanted if isinstance(r, int)]
    codes = [r for _i, r, *_ in wanted if isinstance(r, str)]
    found = {}
    if ids:
        for t in Task.objects.filter(pk__in=[i for i in ids if 0 < i <= MAX_ID]).only("id", "code", "campaign_id"):
            found[t.pk] = t
    if codes:
        for t in Task.objects.filter(campaign=campaign, code__in=codes).only("id", "code", "campaign_id"):
            found[t.code] = t
    rows, seen = [], set()
    for i, ref, kind, lag, workdays in wanted:
        pred = found.get(ref)
        if pred is None or pred.campaign_id != campaign.pk:
            errors[f"depends_on[{i}].task"] = _("Task %(ref)s is not in this campaign.") % {"ref": ref}
            continue
        if task_id is not None and pred.pk == task_id:
            errors[f"depends_on[{i}].task"] = _("A task cannot depend on itself (%(code)s).") % {"code": pred.code}
            continue
        if pred.pk in seen:
            errors[f"depends_on[{i}].task"] = _("Task %(code)s is listed twice.") % {"code": pred.code}
            continue
        seen.add(pred.pk)
        rows.append({"predecessor": pred, "type": kind, "lag_days": lag, "workdays": workdays})
    if errors:
        raise InvalidInput(errors)
    return rows


def _refuse_cycles(campaign: Campaign, successor_id: int, predecessor_ids: list[int], *, replace: bool) -> None:
    links = list(
        TaskDependency.objects.filter(campaign=campaign).order_by().values_list("predecessor_id", "successor_id")
    )
    if replace:
        links = [(p, s) for p, s in links if s != successor_id]
    links += [(p, successor_id) for p in predecessor_ids]
    cycle = sched.find_cycle([], links)
    if cycle:
        codes = dict(Task.objects.filter(pk__in=set(cycle)).values_list("id", "code"))
        path = " → ".join(codes.get(t, str(t)) for t in cycle)
        raise Conflict(_("These dependencies would form a cycle: %(path)s.") % {"path": path})


def _deps_snapshot(task: Task) -> list[dict]:
    return [
        {"task": d.predecessor_id, "type": d.type, "lag_days": d.lag_days}
        for d in TaskDependency.objects.filter(successor=task).order_by("id")
    ]


def _set_dependencies(campaign: Campaign, task: Task, rows: list[dict]) -> None:
    _refuse_cycles(campaign, task.pk, [r["predecessor"].pk for r in rows], replace=True)
    TaskDependency.objects.filter(successor=task).delete()
    TaskDependency.objects.bulk_create(
        [
            TaskDependency(
                campaign=campaign,
                successor=task,
                predecessor=r["predecessor"],
                type=r["type"],
                lag_days=r["lag_days"],
                workdays=r["workdays"],
            )
            for r in rows
        ]
    )


# --- plan order -------------------------------------------------------------------------------
# A campaign's tasks are ordered by `sort_order` (then id). Writes keep it 1..n without gaps and
# change only the rows whose number moves, a handful of UPDATEs (one per distinct shift).


def _plan_order(campaign: Campaign, *, with_code: bool = False) -> list[tuple]:
    """(id, sort_order, phase, module[, code]) of every task of the campaign, in plan order."""
    fields = ("id", "sort_order", "phase", "module", *(("code",) if with_code else ()))
    return list(Task.objects.filter(campaign=campaign).order_by("sort_order", "id").values_list(*fields))


def _renumber(rows: list[tuple], ids: list[int]) -> int:
    """Give the tasks `ids` (a new order of the campaign's tasks) the sort_order 1..n; write only
    the rows that change, one UPDATE per distinct shift (bulk_update when the order is a mess).
    Returns the number of tasks that moved."""
    current = {r[0]: r[1] for r in rows}
    by_shift: dict[int, list[int]] = {}
    for n, task_id in enumerate(ids, start=1):
        old = current.get(task_id)
        if old is not None and old != n:
            by_shift.setdefault(n - old, []).append(task_id)
    moved = sum(len(v) for v in by_shift.values())
    if len(by_shift) > 8:
        position = {task_id: n for n, task_id in enumerate(ids, start=1)}
        changed = [Task(pk=t, sort_order=position[t]) for group in by_shift.values() for t in group]
        Task.objects.bulk_update(changed, ["sort_order"], batch_size=500)
        return moved
    for shift, group in by_shift.items():
        for i in range(0, len(group), 2000):
            Task.objects.filter(pk__in=group[i : i + 2000]).update(sort_order=F("sort_order") + shift)
    return moved


def _group_end(rows: list[tuple], phase: str, module: str) -> int:
    """The index after the last task of the same phase and module, else of the same phase, else the end."""
    same_phase = None
    for i in range(len(rows) - 1, -1, -1):
        p, m = rows[i][2], rows[i][3]
        if p == phase and m == module:
            return i + 1
        if same_phase is None and p == phase:
            same_phase = i + 1
    return same_phase if same_phase is not None else len(rows)


def _place(campaign: Campaign, phase: str, module: str, *, task_id: int | None = None) -> int:
    """Make room for a task at the end of its phase/module group (new tasks, or a task whose
    phase or module changed) and return its sort_order."""
    rows = [r for r in _plan_order(campaign) if r[0] != task_id]
    at = _group_end(rows, phase or "", module or "")
    ids = [r[0] for r in rows]
    _renumber(rows, [*ids[:at], -1, *ids[at:]])
    return at + 1


@transaction.atomic
def task_reorder(*, actor: User, campaign: Campaign, ordered_ids) -> list[int]:
    """Put the listed tasks in the given order. They take the places the listed tasks hold now, so
    a client may send the whole plan or only one phase/module; the other tasks keep their places.
    Every id must be a task of this campaign, once (422 naming the entry, nothing written). One audit
    entry (before/after order of the listed tasks' codes); no entry and no write when nothing moves.
    Returns the campaign's task ids in the new order. Task versions are unchanged: the order is the
    plan's, not a task's content, so an open edit form is not made stale by someone's reordering."""
    if not isinstance(ordered_ids, list | tuple) or not ordered_ids:
        raise InvalidInput({"ids": _("A non-empty list of task ids is expected.")})
    # Two reorders of one plan at once take turns (the shifts are relative: interleaved they would mix).
    Campaign.objects.select_for_update().filter(pk=campaign.pk).values_list("pk", flat=True).first()
    rows = _plan_order(campaign, with_code=True)
    codes = {r[0]: r[4] for r in rows}
    errors: dict[str, str] = {}
    seen: set[int] = set()
    for i, task_id in enumerate(ordered_ids):
        if not _is_id(task_id) or task_id not in codes:
            errors[f"ids[{i}]"] = _("Task %(ref)s is not in this campaign.") % {"ref": task_id}
        elif task_id in seen:
            errors[f"ids[{i}]"] = _("Task %(code)s is listed twice.") % {"code": codes[task_id]}
        seen.add(task_id)
    if errors:
        raise InvalidInput(errors)
    listed = set(ordered_ids)
    current = [r[0] for r in rows]
    slots = iter(ordered_ids)
    new = [next(slots) if task_id in listed else task_id for task_id in current]
    if new == current:
        return current
    moved = _renumber(rows, new)
    audit_record(
        actor=actor,
        action="reorder",
        obj=campaign,
        campaign=campaign,
        before={"tasks": [codes[t] for t in current if t in listed]},
        after={"tasks": [codes[t] for t in ordered_ids], "moved": moved},
    )
    return new


@transaction.atomic
def task_create(*, actor: User, campaign: Campaign, data: dict) -> Task:
    fields = _clean(campaign, data, current=None)
    deps = _clean_dependencies(campaign, None, data["depends_on"]) if data.get("depends_on") is not None else None
    code = (data.get("code") or "").strip() or next_code(campaign)
    if len(code) > 20:
        raise InvalidInput({"code": _("At most %(n)d characters.") % {"n": 20}})
    order = _place(campaign, fields.get("phase", ""), fields.get("module", ""))
    try:
        with transaction.atomic():
            task = Task.objects.create(campaign=campaign, code=code, sort_order=order, **fields)
    except IntegrityError:
        raise Conflict(_("Task code %(code)s is already used in this campaign.") % {"code": code}) from None
    after = snapshot(task)
    if deps:
        _set_dependencies(campaign, task, deps)
        after["depends_on"] = _deps_snapshot(task)
    audit_record(actor=actor, action="create", obj=task, campaign=campaign, after=after)
    return task


@transaction.atomic
def task_update(*, actor: User, task: Task, version: int, data: dict, finished_on: dt.date | None = None) -> Task:
    """`finished_on`: the day the work finished, when it is marked done (default today)."""
    campaign = task.campaign
    changes = _clean(campaign, {k: v for k, v in data.items() if k in EDITABLE}, current=task, finished_on=finished_on)
    changes = changed_only(task, changes)
    deps = None
    if data.get("depends_on") is not None:
        deps = _clean_dependencies(campaign, task.pk, data["depends_on"])
        before_deps = _deps_snapshot(task)
        new_deps = [{"task": r["predecessor"].pk, "type": r["type"], "lag_days": r["lag_days"]} for r in deps]
        if sorted(before_deps, key=lambda d: d["task"]) == sorted(new_deps, key=lambda d: d["task"]):
            deps = None
    if not changes and deps is None:
        refuse_if_stale(task, version)
        return task  # nothing changed: no new version, no audit entry
    before = snapshot(task)
    old_start, old_end = task.start_date, task.end_date
    if {"phase", "module"} & changes.keys():
        refuse_if_stale(task, version)
        # A task moved to another phase or module goes to the end of that group, as a new one would.
        changes["sort_order"] = _place(
            campaign, changes.get("phase", task.phase), changes.get("module", task.module), task_id=task.pk
        )
    update_versioned(task, expected_version=version, changes=changes)
    after = snapshot(task)
    if deps is not None:
        before["depends_on"] = before_deps
        _set_dependencies(campaign, task, deps)
        after["depends_on"] = _deps_snapshot(task)
    audit_record(actor=actor, action="update", obj=task, campaign=campaign, before=before, after=after)
    if deps is not None or _later(task.end_date, old_end) or _later(task.start_date, old_start):
        reschedule_dependants(actor=actor, task=task)
    return task


def task_edit(*, actor: User, task: Task, version: int, data: dict) -> Task:
    """A change typed on a task (its row, the API): the task's owner without the campaign's edit right
    (e.g. a partner) may change only its status, progress and delay reason."""
    if set(data) - OWNER_FIELDS and not can(actor, task.campaign, EDIT):
        raise Forbidden(_("You can only update the status, progress and delay reason of your own tasks."))
    return task_update(actor=actor, task=task, version=version, data=data)


def _later(new: dt.date | None, old: dt.date | None) -> bool:
    return bool(new and old and new > old)


def plan_settings(campaign: Campaign) -> PlanSettings:
    obj, _created = PlanSettings.objects.get_or_create(campaign=campaign)
    return obj


def reschedule_dependants(*, actor: User, task: Task) -> list[Task]:
    """After `task` moved later: with auto-schedule on, move each dependant (keeping its duration)
    just far enough to satisfy its links; otherwise leave them (the plan flags them as slipped)."""
    campaign = task.campaign
    if not plan_settings(campaign).auto_schedule:
        return []
    from .selectors import campaign_links, plan_days

    tasks = {t.pk: t for t in Task.objects.filter(campaign=campaign)}
    planned = plan_days(tasks.values())
    links = campaign_links(campaign, planned, tasks)
    # Only the edited task's descendants move.
    children: dict[int, list[int]] = {}
    for link in links:
        children.setdefault(link.pred, []).append(link.succ)
    reach, stack = set(), [task.pk]
    while stack:
        for child in children.get(stack.pop(), ()):
            if child not in reach:
                reach.add(child)
                stack.append(child)
    forecast = sched.forecast(planned, links)
    moved = []
    for tid in reach:
        if tid not in planned or forecast[tid][0] <= planned[tid][0]:
            continue
        shift = forecast[tid][0] - planned[tid][0]
        dep = tasks[tid]
        before = snapshot(dep)
        changes = {"end_date": dep.end_date + dt.timedelta(days=shift)}
        if dep.start_date:
            changes["start_date"] = dep.start_date + dt.timedelta(days=shift)
        update_versioned(dep, expected_version=dep.version, changes=changes)
        audit_record(actor=actor, action="reschedule", obj=dep, campaign=campaign, before=before, after=snapshot(dep))
        moved.append(dep)
    return moved


@transaction.atomic
def dependency_add(
    *, actor: User, campaign: Campaign, predecessor, successor, type: str = "FS", lag_days=0, version=None
) -> TaskDependency:
    """Make `successor` (a task id; `version`, optional: its version) depend on `predecessor` (id or code).
    The link comes back with its successor as stored now (auto-scheduling may have moved it)."""
    task = Task.objects.filter(pk=successor, campaign=campaign).first() if _is_id(successor) else None
    if task is None:
        raise InvalidInput({"successor": _("Task %(ref)s is not in this campaign.") % {"ref": successor}})
    if version is not None and version != task.version:
        raise StaleVersion(current_version=task.version)
    row = _clean_dependencies(campaign, task.pk, [{"task": predecessor, "type": type, "lag_days": lag_days}])[0]
    if TaskDependency.objects.filter(predecessor=row["predecessor"], successor=task).exists():
        raise Conflict(
            _("%(succ)s already depends on %(pred)s.") % {"succ": task.code, "pred": row["predecessor"].code}
        )
    _refuse_cycles(campaign, task.pk, [row["predecessor"].pk], replace=False)
    before = snapshot(task)
    before["depends_on"] = _deps_snapshot(task)
    link = TaskDependency.objects.create(campaign=campaign, successor=task, **row)
    task.campaign = campaign
    update_versioned(task, expected_version=task.version, changes={})
    after = snapshot(task)
    after["depends_on"] = _deps_snapshot(task)
    audit_record(actor=actor, action="link", obj=task, campaign=campaign, before=before, after=after)
    if reschedule_dependants(actor=actor, task=row["predecessor"]):
        task.refresh_from_db()
    return link


@transaction.atomic
def dependency_delete(*, actor: User, link: TaskDependency) -> None:
    successor = link.successor
    before = snapshot(successor)
    before["depends_on"] = _deps_snapshot(successor)
    link.delete()
    update_versioned(successor, expected_version=successor.version, changes={})
    after = snapshot(successor)
    after["depends_on"] = _deps_snapshot(successor)
    audit_record(actor=actor, action="unlink", obj=successor, campaign=link.campaign, before=before, after=after)


def _is_id(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID


@transaction.atomic
def task_delete(*, actor: User, task: Task, version: int | None = None) -> None:
    delete_versioned(actor=actor, obj=task, version=version)


@transaction.atomic
def tasks_bulk_update(*, actor: User, campaign: Campaign, items: list[tuple[int, int]], data: dict) -> list[Task]:
    """The same change (e.g. status) to several tasks; every task's version is checked, all or nothing.
    `data["actual_finish"]` (YYYY-MM-DD, default today) is the day the work finished for the tasks this
    marks done; a task already done keeps its recorded finish."""
    data = dict(data)
    finished_on = _finish_date(data.pop("actual_finish", None))
    tasks = {t.pk: t for t in Task.objects.filter(campaign=campaign, pk__in=[i for i, _v in items])}
    out = []
    for task_id, version in items:
        task = tasks.get(task_id)
        if task is None:
            raise InvalidInput({"tasks": _("Task %(ref)s is not in this campaign.") % {"ref": task_id}})
        task.campaign = campaign
        try:
            out.append(task_update(actor=actor, task=task, version=version, data=data, finished_on=finished_on))
        except InvalidInput as exc:
            raise InvalidInput({f"{task.code}.{k}": v for k, v in exc.as_field_dict().items()}) from None
    return out


def _finish_date(value) -> dt.date | None:
    day = date_input(value, "actual_finish")
    if day and day > _today():
        raise InvalidInput({"actual_finish": _("A task cannot have finished after today.")})
    return day


# --- plan settings, RACI, periods, baselines ---------------------------------------------------


def _check_plan_version(campaign: Campaign, version) -> PlanSettings:
    settings_obj = PlanSettings.objects.select_for_update().filter(campaign=campaign).first()
    if settings_obj is None:
        settings_obj = plan_settings(campaign)
    if version is None or version != settings_obj.version:
        raise StaleVersion(current_version=settings_obj.version)
    return settings_obj


@transaction.atomic
def plan_settings_update(*, actor: User, campaign: Campaign, version: int, data: dict) -> PlanSettings:
    obj = _check_plan_version(campaign, version)
    before = snapshot(obj)
    changes = {}
    if "auto_schedule" in data:
        changes["auto_schedule"] = bool(data["auto_schedule"])
    update_versioned(obj, expected_version=version, changes=changes)
    audit_record(actor=actor, action="update", obj=obj, campaign=campaign, before=before, after=snapshot(obj))
    return obj


def raci_rows(campaign: Campaign) -> list[dict]:
    return [
        {"task": task_id, "user": username, "role": role}
        for task_id, username, role in RaciAssignment.objects.filter(task__campaign=campaign)
        .order_by("task_id", "user__username")
        .values_list("task_id", "user__username", "role")
    ]


def _clean_raci(campaign: Campaign, assignments) -> list[RaciAssignment]:
    if not isinstance(assignments, list):
        raise InvalidInput({"assignments": _("A list of {task, user, role} is expected.")})
    tasks = {t.pk: t for t in Task.objects.filter(campaign=campaign).only("id", "code")}
    by_code = {t.code: t for t in tasks.values()}
    members = {u.username: u for u in User.objects.filter(memberships__campaign=campaign).distinct()}
    errors: dict[str, str] = {}
    out: list[RaciAssignment] = []
    seen: dict[tuple[int, int], int] = {}
    accountable: dict[int, str] = {}
    for i, item in enumerate(assignments):
        if not isinstance(item, dict):
            errors[f"assignments[{i}]"] = _("An object {task, user, role} is expected.")
            continue
        ref, username, role = item.get("task"), item.get("user"), str(item.get("role") or "").upper()
        task = tasks.get(ref) if isinstance(ref, int) and not isinstance(ref, bool) else by_code.get(str(ref))
        if task is None:
            errors[f"assignments[{i}].task"] = _("Task %(ref)s is not in this campaign.") % {"ref": ref}
            continue
        user = members.get(str(username))
        if user is None:
            errors[f"assignments[{i}].user"] = _("%(name)s is not a member of this campaign.") % {"name": username}
            continue
        if role not in RaciRole.values:
            errors[f"assignments[{i}].role"] = _("Unknown RACI role %(r)s; use R, A, C or I.") % {"r": role}
            continue
        if (task.pk, user.pk) in seen:
            errors[f"assignments[{i}]"] = _("%(user)s appears twice for task %(code)s.") % {
                "user": user.username,
                "code": task.code,
            }
            continue
        if role == RaciRole.A:
            if task.pk in accountable:
                errors[f"assignments[{i}].role"] = _(
                    "Task %(code)s already has an accountable person (A): %(user)s. A task has exactly one A."
                ) % {"code": task.code, "user": accountable[task.pk]}
                continue
            accountable[task.pk] = user.username
        seen[(task.pk, user.pk)] = i
        out.append(RaciAssignment(task=task, user=user, role=role))
    if errors:
        raise InvalidInput(errors)
    return out


@transaction.atomic
def raci_replace(*, actor: User, campaign: Campaign, version: int, assignments: list) -> PlanSettings:
    rows = _clean_raci(campaign, assignments)
    obj = _check_plan_version(campaign, version)
    before = raci_rows(campaign)
    RaciAssignment.objects.filter(task__campaign=campaign).delete()
    RaciAssignment.objects.bulk_create(rows)
    update_versioned(obj, expected_version=version, changes={})
    audit_record(
        actor=actor,
        action="raci",
        obj=obj,
        campaign=campaign,
        before={"raci": before},
        after={"raci": raci_rows(campaign)},
    )
    return obj


@transaction.atomic
def raci_set_cell(*, actor: User, campaign: Campaign, version: int, task_id: int, username: str, role: str):
    """Set (or clear, with role "") one cell of the matrix."""
    current = [r for r in raci_rows(campaign) if not (r["task"] == task_id and r["user"] == username)]
    if role:
        current.append({"task": task_id, "user": username, "role": role})
    return raci_replace(actor=actor, campaign=campaign, version=version, assignments=current)


@transaction.atomic
def periods_replace(*, actor: User, campaign: Campaign, version: int, periods: list) -> PlanSettings:
    if not isinstance(periods, list):
        raise InvalidInput({"periods": _("A list of {kind, start_date, end_date} is expected.")})
    errors: dict[str, str] = {}
    rows, kinds = [], set()
    for i, item in enumerate(periods):
        if not isinstance(item, dict):
            errors[f"periods[{i}]"] = _("An object {kind, start_date, end_date} is expected.")
            continue
        kind = item.get("kind")
        if kind not in PeriodKind.values:
            errors[f"periods[{i}].kind"] = _("Unknown period %(k)s; use warmup, burst or extension.") % {"k": kind}
            continue
        if kind in kinds:
            errors[f"periods[{i}].kind"] = _("The period %(k)s is given twice.") % {"k": kind}
            continue
        kinds.add(kind)
        start = date_input(item.get("start_date"), f"periods[{i}].start_date", errors, required=True)
        end = date_input(item.get("end_date"), f"periods[{i}].end_date", errors, required=True)
        if start and end and end < start:
            errors[f"periods[{i}].end_date"] = _("The end date is before the start date.")
        rows.append(CampaignPeriod(campaign=campaign, kind=kind, start_date=start, end_date=end))
    if errors:
        raise InvalidInput(errors)
    obj = _check_plan_version(campaign, version)
    before = [snapshot(p) for p in CampaignPeriod.objects.filter(campaign=campaign)]
    CampaignPeriod.objects.filter(campaign=campaign).delete()
    CampaignPeriod.objects.bulk_create(rows)
    update_versioned(obj, expected_version=version, changes={})
    after = [snapshot(p) for p in CampaignPeriod.objects.filter(campaign=campaign)]
    audit_record(
        actor=actor, action="periods", obj=obj, campaign=campaign, before={"periods": before}, after={"periods": after}
    )
    return obj


@transaction.atomic
def baseline_create(*, actor: User, campaign: Campaign, name: str) -> Baseline:
    name = clean_text(name)
    if not name:
        raise InvalidInput({"name": _("Name is required.")})
    if len(name) > 200:
        raise InvalidInput({"name": _("At most %(n)d characters.") % {"n": 200}})
    baseline = Baseline.objects.create(campaign=campaign, name=name, created_by=actor)
    BaselineItem.objects.bulk_create(
        [
            BaselineItem(baseline=baseline, task_id=tid, start_date=start, end_date=end)
            for tid, start, end in Task.objects.filter(campaign=campaign).values_list("id", "start_date", "end_date")
        ]
    )
    audit_record(
        actor=actor,
        action="baseline",
        obj=baseline,
        campaign=campaign,
        after={"name": name, "tasks": baseline.items.count()},
    )
    return baseline


# --- import -----------------------------------------------------------------------------------


@transaction.atomic
def tasks_import(*, actor: User, campaign: Campaign, rows: list[dict]) -> list[Task]:
    """Create or update (by code) the tasks of a validated import; all or nothing. A row's predecessors
    (`depends_on`, by code) further down the file are linked once every row is in."""
    existing = {t.code: t for t in Task.objects.filter(campaign=campaign)}
    known = set(existing)
    out, later = [], []
    for i, row in enumerate(rows):
        data = dict(row)
        code = data.pop("code", "") or ""
        if any(d.get("task") not in known for d in data.get("depends_on") or ()):
            later.append((i, len(out), data.pop("depends_on")))
        try:
            if code and code in existing:
                task = existing[code]
                task.campaign = campaign
                out.append(task_update(actor=actor, task=task, version=task.version, data=data))
            else:
                out.append(task_create(actor=actor, campaign=campaign, data={**data, "code": code}))
        except InvalidInput as exc:
            raise _import_refusal(i, exc) from None
        known.add(out[-1].code)
    for i, n, deps in later:
        task = out[n]
        task.refresh_from_db()  # a link set before may have moved it (reschedule_dependants)
        try:
            out[n] = task_update(actor=actor, task=task, version=task.version, data={"depends_on": deps})
        except InvalidInput as exc:
            raise _import_refusal(i, exc) from None
    return out


def _import_refusal(i: int, exc: InvalidInput) -> InvalidInput:
    return InvalidInput({f"rows[{i + 2}].{k}": v for k, v in exc.as_field_dict().items()})


# --- calendar feed ----------------------------------------------------------------------------


def _hash(raw: str) -> str:
    import hashlib

    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def calendar_feed_create(*, actor: User) -> str:
    """A new personal feed token (the previous one is revoked). Returns the raw token once."""
    import secrets

    from django.utils import timezone

    calendar_feed_revoke(actor=actor)
    raw = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(user=actor, token_hash=_hash(raw))
    audit_record(actor=actor, action="create", obj=feed, after={"user": actor.pk, "at": timezone.now()})
    return raw


@transaction.atomic
def calendar_feed_revoke(*, actor: User) -> int:
    from django.utils import timezone

    feeds = list(CalendarFeed.objects.filter(user=actor, revoked_at__isnull=True))
    for feed in feeds:
        feed.revoked_at = timezone.now()
        feed.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="revoke", obj=feed, after={"revoked_at": feed.revoked_at})
    return len(feeds)


def calendar_feed_user(raw: str) -> User | None:
    feed = (
        CalendarFeed.objects.filter(token_hash=_hash(raw or ""), revoked_at__isnull=True).select_related("user").first()
    )
    return feed.user if feed and feed.user.is_active else None
