"""Gather a week's data for the weekly report draft and the daily tracking table (seed 002 tables 3 and the
周进度报告). KPI figures come from whichever app registers a KPI source (the goals app)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db.models import Q

from campaignflow.planning.models import Task, TaskStatus

from .domain.weekly import KpiLine, SupportLine, TaskLine, change_percent, draft, week_change, week_through
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


TREND_WEEKS = 4  # the weekly report's trend chart: daily values over the report's week and the 3 before


def show_kpi_value(value, *, percent: bool, unit: str, zh: bool = True) -> str:
    """A weekly figure as the pages show it: money like |money (¥12万 / ¥120,000.00), rates as
    percentages, other values with 万 and their unit."""
    from campaignflow.core.domain.numbers import format_money

    if unit == "元" and not percent and value is not None:
        return format_money(value, "zh-hans" if zh else "en")
    return kpi_value(value, percent=percent, unit=unit, zh=zh)


def _signed(delta, *, percent: bool, unit: str, zh: bool) -> str:
    if delta is None:
        return "—"
    if percent:  # a rate's change in percentage points
        points = f"{abs(float(delta)) * 100:.1f}"
        text = f"{points}个百分点" if zh else f"{points} pts"
    else:
        text = show_kpi_value(abs(delta), percent=False, unit=unit, zh=zh)
    return ("+" if delta > 0 else "−" if delta < 0 else "") + text


def shown_texts(row: dict, *, zh: bool = True) -> dict:
    """A week_figures row's `shown` texts, made from its values alone (so a published report's fixed
    figures read in either language exactly as the live ones did: execution.report_snapshot)."""
    percent = row["percent"]
    unit = "" if percent else row["unit"]

    def show(value):
        return show_kpi_value(value, percent=percent, unit=unit, zh=zh)

    return {
        "this_week": show(row["this_week"]),
        "last_week": show(row["last_week"]),
        "change": _signed(row["change"], percent=percent, unit=unit, zh=zh),
        "change_rate": change_percent(row["change_rate"]),
        "target": show(row["target"]),
        "actual": show(row["actual"]),
    }


def week_figures(campaign, week_start: dt.date, *, user=None, zh: bool = True, today: dt.date | None = None) -> dict:
    """Each KPI's figure over the report's week (Mon–Sun) against the week before, with the change
    (direction-aware: a fall is good for a "down" KPI) and its cumulative achievement, plus the daily
    values of the last TREND_WEEKS weeks for the trend chart. Three queries (KPIs, totals, daily sums; one
    more for the daily values of the KPIs scoped to a channel, which count that channel only)."""
    from django.utils import timezone

    from campaignflow.goals.selectors import day_totals, kpi_actual_in, kpis_with_actuals

    today = today or timezone.localdate()
    week_end = week_start + dt.timedelta(days=6)
    last_start = week_start - dt.timedelta(days=7)
    trend_start = week_start - dt.timedelta(days=7 * (TREND_WEEKS - 1))
    items = sorted(kpis_with_actuals(campaign, user), key=lambda k: (k.priority != "core", k.position))
    by_day = day_totals(campaign, items, date_from=trend_start, date_to=week_end)  # {date: {scope: {metric: sum}}}
    through = week_through(week_start, today, max((d for d in by_day if d <= today), default=None))
    last_through = last_start + (through - week_start)

    def summed(first: dt.date, last: dt.date) -> dict:
        sums: dict = {}
        for date, scopes in by_day.items():
            if first <= date <= last:
                for scope, values in scopes.items():
                    into = sums.setdefault(scope, {})
                    for metric, total in values.items():
                        into[metric] = into.get(metric, 0) + total
        return sums

    def value_of(k, sums):
        return kpi_actual_in(k, sums)  # the KPI's channel's sums, or the whole campaign's

    this_sums, last_sums = summed(week_start, through), summed(last_start, last_through)
    dates = [trend_start + dt.timedelta(days=i) for i in range(7 * TREND_WEEKS)]
    rows, series = [], []
    for k in items:
        unit = "" if k.shows_percent else k.unit
        this, last = value_of(k, this_sums), value_of(k, last_sums)
        change = week_change(this, last, direction=k.direction)
        row = {
            "kpi": k.name,
            "unit": k.unit,
            "percent": k.shows_percent,
            "direction": k.direction,
            "priority": k.priority,
            "this_week": this,
            "last_week": last,
            "change": change.delta,
            "change_rate": change.rate,
            "good": change.good,
            "target": k.target,
            "actual": k.actual,
            "achievement_rate": k.achievement_rate,
        }
        rows.append(row | {"shown": shown_texts(row, zh=zh)})
        values = [value_of(k, by_day.get(d, {})) if d <= today and d in by_day else None for d in dates]
        series.append({"kpi": k.name, "percent": k.shows_percent, "unit": unit, "values": values})
    return {
        "week_start": week_start,
        "week_end": week_end,
        "through": through,
        "rows": rows,
        "trend": {"dates": dates, "series": series},
    }


def weekly_kpi_lines(campaign, week_start: dt.date, *, zh: bool = True, figures: dict | None = None) -> list[KpiLine]:
    """The draft's key results: each KPI's week against the week before, then its cumulative 达成率."""
    lines = []
    figures = figures or week_figures(campaign, week_start, zh=zh)
    for r in figures["rows"]:
        shown = r["shown"]
        rate = r["achievement_rate"]
        lines.append(
            KpiLine(
                name=r["kpi"],
                target=shown["target"],
                actual=shown["actual"],
                rate=float(rate) if rate is not None else None,
                this_week=shown["this_week"],
                last_week=shown["last_week"],
                change=shown["change_rate"] if r["change_rate"] is not None else shown["change"],
            )
        )
    return lines


def kpi_lines(
    campaign, *, zh: bool = True, week_start: dt.date | None = None, figures: dict | None = None
) -> list[KpiLine]:
    lines: list[KpiLine] = (
        weekly_kpi_lines(campaign, week_start, zh=zh, figures=figures)
        if week_start
        else goals_kpi_lines(campaign, zh=zh)
    )
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
    # next week's plan: every open task that runs in next week (starts by its end, ends after this week)
    upcoming = tasks.filter(
        Q(start_date__lte=next_end) | Q(start_date__isnull=True, end_date__lte=next_end), end_date__gt=week_end
    ).exclude(status=TaskStatus.DONE)
    support = (
        Standup.objects.filter(campaign=campaign, date__range=(week_start, week_end))
        .exclude(need_support="")
        .select_related("user")
        .order_by("date")
    )

    figures = week_figures(campaign, week_start, zh=zh)
    return draft(
        so_far=figures["through"] if figures["through"] < week_end else None,
        kpis=kpi_lines(campaign, zh=zh, week_start=week_start, figures=figures),
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


def trend_option(figures: dict, *, week_label: str) -> dict:
    """The ECharts option of the weekly report's trend: one line per KPI over the trend weeks, one shown
    at a time (KPIs have different scales; the legend switches), the report's week shaded. Rates are in
    percent. Axis and tooltip numbers are formatted by the page (万 in Chinese: static/js/app.js)."""
    dates = [d.isoformat()[5:] for d in figures["trend"]["dates"]]
    series = []
    for s in figures["trend"]["series"]:
        scale = 100 if s["percent"] else 1
        name = f"{s['kpi']} (%)" if s["percent"] else s["kpi"]
        series.append(
            {
                "name": name,
                "type": "line",
                "data": [None if v is None else round(float(v) * scale, 4) for v in s["values"]],
                "connectNulls": True,
                "markArea": {
                    "silent": True,
                    "itemStyle": {"color": "rgba(37, 99, 235, 0.08)"},
                    "data": [[{"name": week_label, "xAxis": dates[-7]}, {"xAxis": dates[-1]}]] if dates else [],
                },
            }
        )
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0, "selectedMode": "single", "type": "scroll"},
        "grid": {"left": 60, "right": 20, "top": 40, "bottom": 30},
        "xAxis": {"type": "category", "data": dates, "boundaryGap": False},
        "yAxis": {"type": "value"},
        "series": series,
    }
