"""Task reads with the visibility rules: partners see only the tasks they own."""

import datetime as dt

from django.db.models import Exists, F, OuterRef, Q

from campaignflow.campaigns.access import role_in
from campaignflow.campaigns.models import MemberRole
from campaignflow.core.gc_pause import gc_paused
from campaignflow.core.named_rows import named_rows

from .models import (
    Baseline,
    BaselineItem,
    CampaignPeriod,
    PlanSettings,
    RaciAssignment,
    RaciRole,
    Task,
    TaskDependency,
    TaskStatus,
)


def tasks_for(user, campaign):
    qs = Task.objects.filter(campaign=campaign).select_related("owner")
    if role_in(user, campaign) == MemberRole.PARTNER:
        qs = qs.filter(owner=user)
    return qs.order_by("sort_order", "id")


# --- schedule, slips, Gantt ---------------------------------------------------------------------
# Day numbers are date ordinals; a task covers [start, end + 1) (end date inclusive), a milestone
# is the zero-length instant at the end of its date. Tasks with no dates are left out.


def task_days(start, end, milestone: bool) -> tuple[int, int] | None:
    if end is None and start is None:
        return None
    end = end or start
    start = start or end
    finish = end.toordinal() + 1
    return (finish, finish) if milestone else (min(start.toordinal(), finish - 1), finish)


def plan_days(tasks) -> dict[int, tuple[int, int]]:
    out = {}
    for t in tasks:
        days = task_days(t.start_date, t.end_date, t.milestone)
        if days is not None:
            out[t.pk] = days
    return out


def start_date_of(day: int, duration: int) -> dt.date:
    return dt.date.fromordinal(day if duration > 0 else day - 1)


def finish_date_of(day: int) -> dt.date:
    return dt.date.fromordinal(day - 1)


def campaign_links(campaign, planned: dict, tasks: dict | None = None, links=None) -> list:
    """The campaign's links between dated tasks as schedule.Link; a lag in China working days
    is turned into calendar days counted from the predecessor's planned date."""
    from .domain.schedule import Link

    rows = links if links is not None else link_rows(campaign)
    out, calendar = [], None
    for d in rows:
        if d.predecessor_id not in planned or d.successor_id not in planned:
            continue
        lag = d.lag_days
        if d.workdays and lag:
            if calendar is None:
                from campaignflow.core.workdays import china_calendar

                calendar = china_calendar((campaign.start_date, campaign.end_date))
            ps, pf = planned[d.predecessor_id]
            anchor = dt.date.fromordinal((pf if d.type in ("FS", "FF") else ps + 1) - 1)
            lag = (calendar.add_workdays(anchor, lag) - anchor).days
        out.append(Link(d.predecessor_id, d.successor_id, d.type, lag))
    return out


def analyse(campaign, tasks: list, links_rows, today: dt.date | None = None, *, dates: bool = True) -> dict:
    """CPM + forecast for the given tasks: {task id: {...}} and the critical path. `tasks` are model
    instances or rows with pk, start_date, end_date, milestone and status; `dates=False` leaves out
    the early/late/forecast dates (the Gantt needs only slack, slip and the flags)."""
    from django.utils import timezone

    from .domain import milestones
    from .domain import schedule as sched

    today = today or timezone.localdate()
    planned = plan_days(tasks)
    links = campaign_links(campaign, planned, links=links_rows)
    prepared = sched.prepare(planned, links)  # one topological sort for both passes
    result = sched.cpm(
        {t: f - s for t, (s, f) in planned.items()},
        links,
        starts={t: s for t, (s, _f) in planned.items()},
        prepared=prepared,
    )
    overdue = {
        t.pk: today.toordinal() + 1
        for t in tasks
        if t.pk in planned and t.status != TaskStatus.DONE and t.end_date and t.end_date < today
    }
    fc = sched.forecast(planned, links, finished_not_before=overdue, prepared=prepared)
    times_of = result.tasks
    info = {}
    for t in tasks:
        days = planned.get(t.pk)
        if days is None:
            continue
        s, f = days
        times = times_of[t.pk]
        slack = times.late_start - times.early_start
        forecast_finish = fc[t.pk][1]
        slip = forecast_finish - f
        row = {
            "slack_days": slack,
            "critical": slack == 0,
            "slip_days": slip if slip > 0 else 0,
            # the one rule, also the milestone alert's (`milestones_at_risk`)
            "at_risk": t.milestone
            and milestones.at_risk(
                milestone=True,
                status=t.status,
                date=milestones.milestone_date(t.start_date, t.end_date),
                slip_days=slip,
                today=today,
            ),
        }
        if dates:
            dur = f - s
            row["early_start"] = start_date_of(times.early_start, dur)
            row["early_finish"] = finish_date_of(times.early_finish) if dur else start_date_of(times.early_finish, 0)
            row["late_start"] = start_date_of(times.late_start, dur)
            row["late_finish"] = finish_date_of(times.late_finish) if dur else start_date_of(times.late_finish, 0)
            row["forecast_finish"] = finish_date_of(forecast_finish) if dur else start_date_of(forecast_finish, 0)
        info[t.pk] = row
    return {"tasks": info, "critical_path": result.critical_path}


def schedule_for(user, campaign) -> dict:
    tasks = list(tasks_for(user, campaign))
    return analyse(campaign, tasks, link_rows(campaign, {t.pk for t in tasks}))


MILESTONE_FIELDS = ("pk", "code", "name", "start_date", "end_date", "milestone", "status")


def milestones_at_risk(campaign, today: dt.date) -> list:
    """The campaign's milestones at risk (`domain.milestones.at_risk`) as named rows in plan order, from the
    analysis of the whole plan, as the team's Gantt, task list and schedule show it: what the milestone alert
    raises. Three queries when the campaign has a milestone not done, else one."""
    tasks = Task.objects.filter(campaign=campaign)
    if not tasks.filter(milestone=True).exclude(status=TaskStatus.DONE).exists():
        return []
    rows = named_rows(tasks.order_by("sort_order", "id"), *MILESTONE_FIELDS)
    info = analyse(campaign, rows, link_rows(campaign), today, dates=False)["tasks"]
    return [t for t in rows if info.get(t.pk, {}).get("at_risk")]


def task_with_schedule(user, task: Task) -> Task:
    """`task` with `schedule`, its slip and critical flags from the analysis of the whole plan the user
    sees, done on light rows as for the task list (an undated task has none)."""
    with gc_paused():
        tasks = task_rows(user, task.campaign)
        links = link_rows(task.campaign, {t.pk for t in tasks})
        task.schedule = analyse(task.campaign, tasks, links, dates=False)["tasks"].get(task.pk, {})
    return task


def tasks_with_deps(user, campaign):
    return tasks_for(user, campaign).prefetch_related("dependencies")


GANTT_FIELDS = (
    "pk",
    "code",
    "name",
    "phase",
    "module",
    "start_date",
    "end_date",
    "milestone",
    "progress",
    "status",
    "version",
    "owner__username",
    "owner__display_name",
)
LINK_FIELDS = ("id", "predecessor_id", "successor_id", "type", "lag_days", "workdays")


TASK_FIELDS = (
    "pk",
    "code",
    "name",
    "phase",
    "module",
    "owner__username",
    "owner_role",
    "start_date",
    "end_date",
    "status",
    "progress",
    "milestone",
    "deliverable",
    "acceptance",
    "delay_reason",
    "remark",
    "actual_start",
    "actual_finish",
    "version",
)


def task_rows(user, campaign) -> list:
    """The tasks the user sees, in plan order, as light named rows with every field the API returns
    (one query; at 10,000 tasks model instances cost several times as much)."""
    return list(tasks_for(user, campaign).values_list(*TASK_FIELDS, named=True))


def link_rows(campaign, ids: set[int] | None = None) -> list:
    """The campaign's dependencies as light named rows (no model instances), one query; with `ids`,
    only the links between those tasks (what a partner sees)."""
    # by id, not the model's default order (successor → task plan order → campaign): that joined two
    # tables and sorted 20,000 rows (PostgreSQL: 100 ms of a 30 ms read)
    rows = named_rows(TaskDependency.objects.filter(campaign=campaign).order_by("id"), *LINK_FIELDS)
    if ids is None:
        return rows
    return [d for d in rows if d.predecessor_id in ids and d.successor_id in ids]


def gantt_data(user, campaign, baseline_id: int | None = None) -> dict:
    """Everything the Gantt draws, in a constant number of queries. Tasks and links are named rows
    (`values_list`), not model instances: at 10,000 tasks building instances cost more than the
    whole schedule analysis."""
    qs = tasks_for(user, campaign)
    partner = role_in(user, campaign) == MemberRole.PARTNER
    tasks = named_rows(qs, *GANTT_FIELDS)
    links = link_rows(campaign, {t.pk for t in tasks} if partner else None)
    analysis = analyse(campaign, tasks, links, dates=False)
    baseline = (
        baselines_for(campaign).filter(pk=baseline_id).first() if baseline_id else baselines_for(campaign).first()
    )
    base = {}
    if baseline is not None:
        base = {
            task_id: (start, end)
            for task_id, start, end in BaselineItem.objects.filter(baseline=baseline).values_list(
                "task_id", "start_date", "end_date"
            )
        }
    periods = list(CampaignPeriod.objects.filter(campaign=campaign))
    return {
        "tasks": tasks,
        "links": links,
        "analysis": analysis,
        "baseline": baseline,
        "base": base,
        "periods": periods,
    }


def baselines_for(campaign):
    return Baseline.objects.filter(campaign=campaign).select_related("created_by").order_by("-created_at", "-id")


def variance(user, campaign, baseline, tasks=None) -> list[dict]:
    """Per task: baseline (planned) vs current vs actual dates and the variance in days. `tasks`: the
    rows to compare (model instances or `task_rows`; default: the tasks the user sees)."""
    base = {}
    if baseline:
        base = {
            task_id: (start, end)
            for task_id, start, end in BaselineItem.objects.filter(baseline=baseline).values_list(
                "task_id", "start_date", "end_date"
            )
        }
    rows = []
    for t in tasks_for(user, campaign) if tasks is None else tasks:
        b_start, b_end = base.get(t.pk, (None, None))
        rows.append(
            {
                "task": t,
                "baseline_start": b_start,
                "baseline_end": b_end,
                "finish_variance_days": (t.end_date - b_end).days if (b_end and t.end_date) else None,
                "actual_variance_days": (t.actual_finish - b_end).days if (b_end and t.actual_finish) else None,
            }
        )
    return rows


def plan_settings_for(campaign) -> PlanSettings:
    obj, _created = PlanSettings.objects.get_or_create(campaign=campaign)
    return obj


def raci_matrix(user, campaign) -> dict:
    tasks = list(tasks_for(user, campaign))
    people = [m.user for m in campaign.memberships.select_related("user").order_by("id")]
    cells: dict[int, dict[int, str]] = {}
    for a in RaciAssignment.objects.filter(task__campaign=campaign):
        cells.setdefault(a.task_id, {})[a.user_id] = a.role
    rows = []
    for t in tasks:
        mine = cells.get(t.pk, {})
        rows.append(
            {
                "task": t,
                "cells": [(p, mine.get(p.pk, "")) for p in people],
                "a_count": sum(1 for r in mine.values() if r == "A"),
            }
        )
    return {"people": people, "rows": rows}


def overdue(tasks, today: dt.date):
    """The tasks of `tasks` that are overdue: open and past their due date, except a playbook step
    whose date was already past when its campaign was created and kept as it was (it stays quiet
    until someone gives it another date). The overdue alert and every overdue count use this."""
    return tasks.filter(end_date__lt=today).exclude(status=TaskStatus.DONE).exclude(kept_past_due=F("end_date"))


def answerable_tasks(user):
    """The tasks a person answers for, across the campaigns they can see: those they own; a task
    without an owner belongs to its Responsible (R) people in the RACI matrix, and with no R either,
    to the campaign's owner, so that no task is nobody's. "My tasks" and the inbox's overdue count
    both read this."""
    from campaignflow.campaigns.access import visible_campaigns
    from campaignflow.campaigns.models import Campaign

    responsible = RaciAssignment.objects.filter(role=RaciRole.R)
    # The person's R rows and owned campaigns as uncorrelated IN (…) sets (hashed once), not EXISTS per task:
    # with statistics PostgreSQL ran two subqueries for each of the 10,000 tasks of a planner's campaigns
    # (35–50 ms; 4–6 ms so).
    return Task.objects.filter(
        Q(owner=user)
        | Q(owner__isnull=True)
        & (
            Q(pk__in=responsible.filter(user=user).values("task_id"))
            | Q(campaign__in=Campaign.objects.filter(owner=user).values("pk"))
            & ~Exists(responsible.filter(task=OuterRef("pk")))
        ),
        campaign__in=visible_campaigns(user),
    )


def _my_open_tasks(user):
    return (
        answerable_tasks(user)
        .filter(end_date__isnull=False)
        .exclude(status=TaskStatus.DONE)
        .exclude(kept_past_due=F("end_date"))  # not overdue (see `overdue`), and past: nothing left to do
        .order_by("end_date", "campaign_id", "sort_order")
    )


def overdue_count(user, today: dt.date) -> int:
    """How many tasks the person answers for are overdue: the number the inbox shows (and the
    "overdue" group of my tasks holds)."""
    return overdue(answerable_tasks(user), today).count()


def _bucket(end: dt.date, today: dt.date, week_end: dt.date) -> str:
    if end < today:
        return "overdue"
    if end == today:
        return "today"
    return "week" if end <= week_end else "later"


def my_tasks(user, today: dt.date) -> dict:
    """The user's open tasks across the campaigns they can see: overdue, due today, this week."""
    week_end = today + dt.timedelta(days=6 - today.weekday())
    groups = {"overdue": [], "today": [], "week": [], "later": []}
    for t in _my_open_tasks(user).select_related("campaign")[:2000]:
        groups[_bucket(t.end_date, today, week_end)].append(t)
    return groups


def my_task_rows(user, today: dt.date) -> list[tuple[str, tuple]]:
    """`my_tasks` for the API as (bucket, named row) in bucket order: rows, not model instances
    (500 tasks with their campaigns as instances: 32 ms; as rows a third of that)."""
    week_end = today + dt.timedelta(days=6 - today.weekday())
    fields = ("id", "code", "name", "campaign_id", "campaign__name", "end_date", "status", "version")
    groups: dict[str, list] = {"overdue": [], "today": [], "week": [], "later": []}
    for t in _my_open_tasks(user).values_list(*fields, named=True)[:2000]:
        groups[_bucket(t.end_date, today, week_end)].append(t)
    return [(bucket, t) for bucket, rows in groups.items() for t in rows]


def feed_tasks(user) -> list:
    from campaignflow.campaigns.access import visible_campaigns

    return list(
        Task.objects.filter(owner=user, campaign__in=visible_campaigns(user), end_date__isnull=False)
        .select_related("campaign")
        .order_by("end_date")[:5000]
    )
