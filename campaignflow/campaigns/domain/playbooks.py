"""Playbook steps and their time nodes, pure (no ORM).

A step's time node is an anchor (campaign start or end) plus an offset in calendar days or
in China working days. Generating a campaign's tasks turns every step into a dated task.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Protocol

ANCHORS = ("start", "end")
MAX_OFFSET = 3650
NAME_MAX = 200
TEXT_MAX = 500


class Calendar(Protocol):
    def add_workdays(self, start: dt.date, days: int) -> dt.date: ...


class PlaybookInvalid(ValueError):
    """Errors as (path, message) pairs, e.g. ("phases[0].steps[2].offset_days", "not an integer")."""

    def __init__(self, errors: list[tuple[str, str]]):
        super().__init__("; ".join(f"{p}: {m}" for p, m in errors))
        self.errors = errors


@dataclass(frozen=True)
class MaterialSpec:
    """A material a step produces (seed 001 物料清单): made a campaign material due on the step's date."""

    name: str
    kind: str = "other"
    quantity: int | None = None
    unit: str = ""
    partner_approval: bool = False  # co-branded: both brands approve it (seed 000)


@dataclass(frozen=True)
class Step:
    name: str
    owner_role: str = ""
    anchor: str = "start"
    offset_days: int = 0
    workdays: bool = False
    output: str = ""
    remark: str = ""
    materials: tuple[MaterialSpec, ...] = ()

    def time_node_label(self, lang: str = "zh-hans") -> str:
        n, unit_zh, unit_en = (
            abs(self.offset_days),
            ("个工作日" if self.workdays else "天"),
            ("working days" if self.workdays else "days"),
        )
        if lang.startswith("zh"):
            where = "活动开始" if self.anchor == "start" else "活动结束"
            if self.offset_days == 0:
                return f"{where}当天"
            side = "前" if self.offset_days < 0 else "后"
            return f"{where}{side}{n}{unit_zh}"
        where = "start" if self.anchor == "start" else "end"
        if self.offset_days == 0:
            return f"on the {where} day"
        side = "before" if self.offset_days < 0 else "after"
        return f"{n} {unit_en} {side} {where}"


@dataclass(frozen=True)
class Phase:
    name: str
    steps: tuple[Step, ...] = field(default_factory=tuple)
    goal: str = ""


def _text(value, path: str, errors: list, *, required: bool, limit: int) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors.append((path, "must be text"))
        return ""
    value = value.strip()
    if required and not value:
        errors.append((path, "is required"))
    if len(value) > limit:
        errors.append((path, f"is longer than {limit} characters"))
    return value


def _objects(items: list, path: str, errors: list) -> Iterator[tuple[str, dict]]:
    """The items of a JSON list that are objects, each with its path; any other item is an error."""
    for k, item in enumerate(items):
        at = f"{path}[{k}]"
        if isinstance(item, dict):
            yield at, item
        else:
            errors.append((at, "must be an object"))


def _text_at(obj: dict, key: str, path: str, errors: list, *, required: bool, limit: int) -> str:
    """The text under `key` of an object found at `path` (see `_text`)."""
    return _text(obj.get(key), f"{path}.{key}", errors, required=required, limit=limit)


def _flag_at(obj: dict, key: str, path: str, errors: list) -> bool:
    """A true/false under `key` (absent: false); anything else is an error, read as false."""
    value = obj.get(key, False)
    if not isinstance(value, bool):
        errors.append((f"{path}.{key}", "must be true or false"))
        return False
    return value


def parse_phases(raw) -> list[Phase]:
    """Validate JSON-like phases data; raise PlaybookInvalid naming every bad field."""
    errors: list[tuple[str, str]] = []
    if not isinstance(raw, list) or not raw:
        raise PlaybookInvalid([("phases", "must be a non-empty list")])
    phases = []
    for base, p in _objects(raw, "phases", errors):
        name = _text_at(p, "name", base, errors, required=True, limit=NAME_MAX)
        goal = _text_at(p, "goal", base, errors, required=False, limit=TEXT_MAX)
        steps_raw = p.get("steps")
        if not isinstance(steps_raw, list) or not steps_raw:
            errors.append((f"{base}.steps", "must be a non-empty list"))
            continue
        steps = []
        for sp, s in _objects(steps_raw, f"{base}.steps", errors):
            anchor = s.get("anchor", "start")
            if anchor not in ANCHORS:
                errors.append((f"{sp}.anchor", "must be 'start' or 'end'"))
            offset = s.get("offset_days", 0)
            if isinstance(offset, bool) or not isinstance(offset, int):
                errors.append((f"{sp}.offset_days", "must be a whole number of days"))
                offset = 0
            elif abs(offset) > MAX_OFFSET:
                errors.append((f"{sp}.offset_days", f"must be between -{MAX_OFFSET} and {MAX_OFFSET}"))
            workdays = _flag_at(s, "workdays", sp, errors)
            steps.append(
                Step(
                    name=_text_at(s, "name", sp, errors, required=True, limit=NAME_MAX),
                    owner_role=_text_at(s, "owner_role", sp, errors, required=False, limit=NAME_MAX),
                    anchor=anchor if anchor in ANCHORS else "start",
                    offset_days=offset,
                    workdays=workdays,
                    output=_text_at(s, "output", sp, errors, required=False, limit=TEXT_MAX),
                    remark=_text_at(s, "remark", sp, errors, required=False, limit=TEXT_MAX),
                    materials=_materials(s.get("materials"), f"{sp}.materials", errors),
                )
            )
        phases.append(Phase(name=name, goal=goal, steps=tuple(steps)))
    if errors:
        raise PlaybookInvalid(errors)
    return phases


def _materials(raw, path: str, errors: list) -> tuple[MaterialSpec, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        errors.append((path, "must be a list"))
        return ()
    specs = []
    for mp, m in _objects(raw, path, errors):
        quantity = m.get("quantity")
        if quantity is not None and (isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 0):
            errors.append((f"{mp}.quantity", "must be a whole number from 0"))
            quantity = None
        approval = _flag_at(m, "partner_approval", mp, errors)
        specs.append(
            MaterialSpec(
                name=_text_at(m, "name", mp, errors, required=True, limit=NAME_MAX),
                kind=_text(m.get("kind", "other"), f"{mp}.kind", errors, required=False, limit=20) or "other",
                quantity=quantity,
                unit=_text_at(m, "unit", mp, errors, required=False, limit=20),
                partner_approval=approval,
            )
        )
    return tuple(specs)


def _step_json(step: Step) -> dict:
    data = asdict(step)
    if step.materials:
        data["materials"] = list(data["materials"])  # JSON's list, as the playbook versions store it
    else:
        del data["materials"]  # steps without materials keep the JSON they always had
    return data


def phases_to_json(phases: list[Phase]) -> list[dict]:
    return [{"name": p.name, "goal": p.goal, "steps": [_step_json(s) for s in p.steps]} for p in phases]


def due_date(step: Step, start: dt.date, end: dt.date, calendar: Calendar) -> dt.date:
    """The concrete date of a step's time node for a campaign running start..end."""
    anchor = start if step.anchor == "start" else end
    if step.workdays:
        return calendar.add_workdays(anchor, step.offset_days)
    return anchor + dt.timedelta(days=step.offset_days)


@dataclass(frozen=True)
class TaskSpec:
    code: str
    phase: str
    name: str
    owner_role: str
    start_date: dt.date
    end_date: dt.date
    deliverable: str
    remark: str
    sort_order: int
    past_due: bool = False  # its computed start or due date was already past on the day of creation
    original_end_date: dt.date | None = None  # the computed due date, when rescheduling moved it
    materials: tuple[MaterialSpec, ...] = ()  # due with the task (materials.playbook_materials)


def task_code(n: int) -> str:
    return f"T{n:03d}"


def _begins(dues: list[dt.date]) -> list[dt.date]:
    """A task starts the day after the previous step's due date (when that is earlier), so the plan
    reads as a sequence on a Gantt."""
    begins = []
    for i, due in enumerate(dues):
        previous = dues[i - 1] + dt.timedelta(days=1) if i else None
        begins.append(previous if previous is not None and previous < due else due)
    return begins


def reschedule_past(dues: list[dt.date], workdays: list[bool], today: dt.date, calendar: Calendar) -> list[dt.date]:
    """The due dates with those before `today` moved into the days from today to the first due date
    that is not past (the campaign's own dates stay: an event day is booked, its preparation is what
    has to catch up). The past steps keep their spacing when it fits and are squeezed proportionally
    when it does not, so their order is kept; a working-day step lands on a working day."""
    past = [i for i, d in enumerate(dues) if d < today]
    if not past:
        return list(dues)
    first = min(dues[i] for i in past)
    span = (max(dues[i] for i in past) - first).days
    later = [d for d in dues if d >= today]
    limit = min(later) if later else None
    room = (limit - today).days if limit else span
    out = list(dues)
    for i in past:
        offset = (dues[i] - first).days
        day = today + dt.timedelta(days=offset if span <= room else offset * room // span)
        if workdays[i]:
            day = calendar.add_workdays(day, 0)
        out[i] = min(day, limit) if limit else day
    return out


def generate_tasks(
    phases: list[Phase],
    start: dt.date,
    end: dt.date,
    calendar: Calendar,
    *,
    today: dt.date | None = None,
    reschedule: bool = False,
) -> list[TaskSpec]:
    """One task per step; due = the time node. With `today`, a task whose start or due date is
    before it is flagged `past_due`; with `reschedule` too, the past due dates are moved (see
    `reschedule_past`) and every start follows from them, so none is before today."""
    steps = [(phase, step) for phase in phases for step in phase.steps]
    computed = [due_date(step, start, end, calendar) for _phase, step in steps]
    begins = _begins(computed)
    past = [today is not None and begin < today for begin in begins]  # a start is never after its due
    dues = computed
    if reschedule and any(past):
        dues = reschedule_past(computed, [step.workdays for _phase, step in steps], today, calendar)
        begins = _begins(dues)
    return [
        TaskSpec(
            code=task_code(n),
            phase=phase.name,
            name=step.name,
            owner_role=step.owner_role,
            start_date=begins[n - 1],
            end_date=dues[n - 1],
            deliverable=step.output,
            remark=step.remark,
            sort_order=n,
            past_due=past[n - 1],
            original_end_date=computed[n - 1] if dues[n - 1] != computed[n - 1] else None,
            materials=step.materials,
        )
        for n, (phase, step) in enumerate(steps, start=1)
    ]
