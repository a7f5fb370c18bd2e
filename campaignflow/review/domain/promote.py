"""Playbook iteration (经验沉淀 → 模板迭代), pure: a campaign's actual plan as playbook phases, and the diff."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

STEP_FIELDS = ("owner_role", "anchor", "offset_days", "workdays", "output", "remark")


@dataclass(frozen=True)
class PlanTask:
    phase: str
    name: str
    owner_role: str
    end_date: dt.date | None
    deliverable: str
    remark: str


def relative_node(due: dt.date | None, start: dt.date, end: dt.date) -> tuple[str, int]:
    """A task's due date as a time node: relative to the end when it falls after the campaign's midpoint."""
    if due is None:
        return "start", 0
    mid = start + (end - start) / 2
    if due > mid:
        return "end", (due - end).days
    return "start", (due - start).days


def phases_from_plan(
    tasks: list[PlanTask], start: dt.date, end: dt.date, previous: list[dict] | None = None, calendar=None
) -> list:
    """Group tasks by phase (in plan order) into playbook phases; keep the previous version's phase goals,
    and a step's own time node (e.g. "end + 3 working days") when the task still falls on it."""
    from campaignflow.campaigns.domain.playbooks import Step, due_date

    goals = {p.get("name"): p.get("goal", "") for p in (previous or [])}
    old_steps = {(p.get("name"), s.get("name")): s for p in (previous or []) for s in p.get("steps", [])}
    phases: dict[str, list[dict]] = {}
    for t in tasks:
        anchor, offset = relative_node(t.end_date, start, end)
        workdays = False
        old = old_steps.get((t.phase.strip() or "未分阶段", t.name.strip()))
        if old is not None and calendar is not None and t.end_date is not None:
            step = Step(
                name=old.get("name", ""),
                anchor=old.get("anchor", "start"),
                offset_days=old.get("offset_days", 0),
                workdays=bool(old.get("workdays", False)),
            )
            if due_date(step, start, end, calendar) == t.end_date:
                anchor, offset, workdays = step.anchor, step.offset_days, step.workdays
        phases.setdefault(t.phase.strip() or "未分阶段", []).append(
            {
                "name": t.name.strip()[:200],
                "owner_role": (t.owner_role or "").strip()[:200],
                "anchor": anchor,
                "offset_days": max(-3650, min(3650, offset)),
                "workdays": workdays,
                "output": (t.deliverable or "").strip()[:500],
                "remark": (t.remark or "").strip()[:500],
            }
        )
    return [{"name": name[:200], "goal": goals.get(name, ""), "steps": steps} for name, steps in phases.items()]


def add_lessons(phases: list[dict], lessons: str) -> list[dict]:
    """Lessons become the remark of a closing step “复盘经验” in the last phase (kept short)."""
    text = " ".join(lessons.split())[:500]
    if not text or not phases:
        return phases
    out = [dict(p, steps=list(p["steps"])) for p in phases]
    out[-1]["steps"].append(
        {
            "name": "复盘经验（上次活动沉淀）",
            "owner_role": "",
            "anchor": "end",
            "offset_days": 3,
            "workdays": True,
            "output": "《活动复盘报告》",
            "remark": text,
        }
    )
    return out


def diff_phases(old: list[dict], new: list[dict]) -> list[dict]:
    """[{change: added|removed|changed, phase, step, fields: [(field, before, after)]}] keyed by (phase, step)."""

    def index(phases):
        out = {}
        for p in phases or []:
            for s in p.get("steps", []):
                out[(p.get("name", ""), s.get("name", ""))] = s
        return out

    a, b = index(old), index(new)
    changes = []
    for key in b:
        if key not in a:
            changes.append({"change": "added", "phase": key[0], "step": key[1], "fields": []})
        else:
            fields = [(f, a[key].get(f), b[key].get(f)) for f in STEP_FIELDS if a[key].get(f) != b[key].get(f)]
            if fields:
                changes.append({"change": "changed", "phase": key[0], "step": key[1], "fields": fields})
    for key in a:
        if key not in b:
            changes.append({"change": "removed", "phase": key[0], "step": key[1], "fields": []})
    return changes
