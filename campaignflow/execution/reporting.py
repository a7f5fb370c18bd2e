"""Gather a week's data for the weekly report draft and the daily tracking table (seed 002 tables 3 and the
周进度报告). KPI figures come from whichever app registers a KPI source (the goals app)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db.models import Q

from campaignflow.planning.models import Task, TaskStatus

from .domain.weekly import KpiLine, SupportLine, TaskLine, draft
from .models import Standup

# Callables (campaign) -> list[KpiLine]; the goals app registers one in its AppConfig.ready().
KPI_SOURCES: list[Callable] = []


def register_kpi_source(fn: Callable) -> None:
    if fn not in KPI_SOURCES:
        KPI_SOURCES.append(fn)


def kpi_value(value, *, percent: bool, unit: str, zh: bool = True) -> str:
    """A KPI's target or actual as the KPI tables show it: rates as percentages (0.076 → "7.6%"), other
    values with 万/亿 in Chinese ("30万元", "3,000人") or thousands separators in English ("300,000 元"),
    followed by the unit."""
    from campaignflow.core.domain.numbers import format_cn, format_en

    if value is None:
        return "—"
    if percent:
        return f"{float(value) * 100:.1f}%"
    if zh:
        return f"{format_cn(value)}{unit}"
    return f"{format_en(value)} {unit}".rstrip()


def goals_kpi_lines(campaign, *, zh: bool = True) -> list[KpiLine]:
    """The campaign's KPIs with target, actual and achievement rate (core ones first)."""
    from campaignflow.goals.selectors import kpis_with_actuals

    items = sorted(kpis_with_actuals(campaign), key=lambda k: (k.priority != "core", k.position))

    def show(value, k):
        # money reads without its 元 in the sentence ("目标 30万"), as it always has; other units stay
        unit = "" if k.shows_percent or k.unit == "元" else k.unit
        return kpi_value(value, percent=k.shows_percent, unit=unit, zh=zh)

    return [
        KpiLine(
            name=k.name,
            target=show(k.target, k),
            actual=show(k.actual, k),
            rate=float(k.achievement_rate) if k.achievement_rate is not None else None,
        )
        for k in items
    ]


def kpi_lines(campaign, *, zh: bool = True) -> list[KpiLine]:
    lines: list[KpiLine] = goals_kpi_lines(campaign, zh=zh)
    for source in KPI_SOURCES:
        lines.extend(source(campaign))
    return lines


def _task_line(t: Task) -> TaskLine:
    return TaskLine(
        code=t.code, name=t.name, owner=t.owner.label if t.owner else "—", due=t.end_date, reason=t.delay_reason
    )


def weekly_draft_for(campaign, week_start: dt.date, *, zh: bool = True) -> dict[str, str]:
    week_end = week_start + dt.timedelta(days=6)
    next_end = week_end + dt.timedelta(days=7)
    tasks = Task.objects.filter(campaign=campaign).select_related("owner")
    done = tasks.filter(status=TaskStatus.DONE, end_date__range=(week_start, week_end)).order_by("sort_order")
    delayed = tasks.filter(
        Q(status=TaskStatus.DELAYED)
        | Q(status=TaskStatus.BLOCKED)
        | Q(end_date__lte=week_end, status__in=[TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS])
    )
    upcoming = tasks.filter(end_date__gt=week_end, end_date__lte=next_end).exclude(status=TaskStatus.DONE)
    support = (
        Standup.objects.filter(campaign=campaign, date__range=(week_start, week_end))
        .exclude(need_support="")
        .select_related("user")
        .order_by("date")
    )
    return draft(
        kpis=kpi_lines(campaign, zh=zh),
        done=[_task_line(t) for t in done],
        delayed=[_task_line(t) for t in delayed.order_by("end_date", "sort_order")],
        upcoming=[_task_line(t) for t in upcoming.order_by("end_date", "sort_order")],
        support=[SupportLine(who=s.user.label, date=s.date, text=s.need_support) for s in support],
        zh=zh,
    )


def daily_table(campaign, days: list[dt.date]) -> list[dict]:
    """Seed 002 table 3 for each day: tasks done / in progress / delayed, resources needed (stand-ups)."""
    tasks = list(Task.objects.filter(campaign=campaign).only("code", "name", "status", "start_date", "end_date"))
    support = {}
    for s in Standup.objects.filter(campaign=campaign, date__in=days).exclude(need_support="").select_related("user"):
        support.setdefault(s.date, []).append(f"{s.user.label}: {s.need_support}")
    rows = []
    for day in days:
        rows.append(
            {
                "date": day,
                "done": [t for t in tasks if t.status == TaskStatus.DONE and t.end_date == day],
                "in_progress": [
                    t
                    for t in tasks
                    if t.status == TaskStatus.IN_PROGRESS
                    and t.start_date
                    and t.start_date <= day <= (t.end_date or day)
                ],
                "delayed": [
                    t
                    for t in tasks
                    if t.status in (TaskStatus.DELAYED, TaskStatus.BLOCKED)
                    or (t.end_date and t.end_date < day and t.status != TaskStatus.DONE)
                ],
                "support": support.get(day, []),
            }
        )
    return rows
