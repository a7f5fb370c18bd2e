"""Demo plan data for `manage.py load_demo`: dependencies, RACI (one A per task), milestones,
warm-up / burst / extension periods and an initial baseline. Idempotent: a campaign that already
has a baseline is left alone."""

from __future__ import annotations

import datetime as dt
from itertools import pairwise

from .models import (
    Baseline,
    BaselineItem,
    CampaignPeriod,
    PeriodKind,
    PlanSettings,
    RaciAssignment,
    Task,
    TaskDependency,
)


def extend_demo(*, campaigns, users, specs) -> None:
    owner = users.get("wangjl")
    for campaign in campaigns.values():
        if Baseline.objects.filter(campaign=campaign).exists():
            continue
        tasks = list(Task.objects.filter(campaign=campaign).order_by("sort_order", "id"))
        _links(campaign, tasks)
        _milestones(tasks)
        _raci(campaign, tasks, owner, users)
        _periods(campaign)
        PlanSettings.objects.get_or_create(campaign=campaign)
        baseline = Baseline.objects.create(campaign=campaign, name="初始计划 V1.0", created_by=owner)
        BaselineItem.objects.bulk_create(
            [BaselineItem(baseline=baseline, task=t, start_date=t.start_date, end_date=t.end_date) for t in tasks]
        )


def _links(campaign, tasks: list[Task]) -> None:
    """Chain the tasks of each phase in date order, with links their dates already satisfy."""
    by_phase: dict[str, list[Task]] = {}
    for t in tasks:
        if t.end_date:
            by_phase.setdefault(t.phase, []).append(t)
    rows = []
    for phase_tasks in by_phase.values():
        phase_tasks.sort(key=lambda t: (t.end_date, t.sort_order))
        for pred, succ in pairwise(phase_tasks):
            succ_start = succ.start_date or succ.end_date
            if pred.end_date < succ_start:
                rows.append(TaskDependency(campaign=campaign, predecessor=pred, successor=succ, type="FS", lag_days=0))
            else:
                rows.append(TaskDependency(campaign=campaign, predecessor=pred, successor=succ, type="FF", lag_days=0))
    TaskDependency.objects.bulk_create(rows, ignore_conflicts=True)


def _milestones(tasks: list[Task]) -> None:
    """The last task of each phase is a milestone (a review/approval point)."""
    last: dict[str, Task] = {}
    for t in tasks:
        if t.end_date and (t.phase not in last or t.end_date >= last[t.phase].end_date):
            last[t.phase] = t
    Task.objects.filter(pk__in=[t.pk for t in last.values()]).update(milestone=True)


def _raci(campaign, tasks: list[Task], owner, users) -> None:
    members = set(campaign.memberships.values_list("user_id", flat=True))
    consulted = users.get("lich")
    informed = users.get("zhougl")
    rows = []
    for t in tasks:
        cells = {}
        if t.owner_id:
            cells[t.owner_id] = "R"
        cells[owner.pk] = "A"  # 总负责人 approves (seed 002: 经理为A)
        if consulted and consulted.pk in members and consulted.pk not in cells:
            cells[consulted.pk] = "C"
        if informed and informed.pk in members and informed.pk not in cells:
            cells[informed.pk] = "I"
        rows += [RaciAssignment(task=t, user_id=uid, role=role) for uid, role in cells.items()]
    RaciAssignment.objects.bulk_create(rows, ignore_conflicts=True)


def _periods(campaign) -> None:
    start, end = campaign.start_date, campaign.end_date
    days = (end - start).days
    burst_start = start + dt.timedelta(days=days // 3) if days >= 6 else start
    burst_end = end - dt.timedelta(days=days // 6) if days >= 6 else end
    rows = [
        (PeriodKind.WARMUP, start - dt.timedelta(days=7), burst_start - dt.timedelta(days=1)),
        (PeriodKind.BURST, burst_start, burst_end),
        (PeriodKind.EXTENSION, burst_end + dt.timedelta(days=1), end + dt.timedelta(days=7)),
    ]
    for kind, s, e in rows:
        CampaignPeriod.objects.get_or_create(campaign=campaign, kind=kind, defaults={"start_date": s, "end_date": e})
