"""The weekly report draft (seed 002 周进度报告), written from the week's data, pure.

Sections: key results (each KPI's figure this week against last week, and its cumulative achievement),
delayed tasks and causes, next week's plan (upcoming tasks), resources to coordinate (from stand-ups'
"need support").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class KpiLine:
    name: str
    target: str
    actual: str
    rate: float | None  # cumulative achievement (达成率), campaign to date
    # This week's and last week's figure and the change, shown (empty: a source without weekly figures).
    this_week: str = ""
    last_week: str = ""
    change: str = ""


@dataclass(frozen=True)
class WeekChange:
    delta: Decimal | None  # this week − last week
    rate: Decimal | None  # delta / last week (None when last week was 0 or unknown)
    good: bool | None  # direction-aware: a fall is good for a "down" KPI (cost per lead); None when flat


def week_through(week_start: dt.date, today: dt.date, last_data_day: dt.date | None = None) -> dt.date:
    """The last day a week's figures count: while the week is in progress, the last day with figures so
    far (today's come in during the day: a report written on Friday morning compares Mon–Thu with
    Mon–Thu, not with Mon–Fri), else its Sunday. An unfinished week is compared with the same days of the
    week before; against the whole of last week every unfinished week would read as a fall."""
    week_end = week_start + dt.timedelta(days=6)
    if not week_start <= today < week_end:
        return week_end
    if last_data_day is not None and week_start <= last_data_day < today:
        return last_data_day
    return today


def week_change(this: Decimal | None, last: Decimal | None, *, direction: str = "up") -> WeekChange:
    """12万 this week against 10万 last week → delta 2万, rate +0.2, good (for an "up" KPI)."""
    if this is None or last is None:
        return WeekChange(None, None, None)
    delta = Decimal(this) - Decimal(last)
    rate = (delta / Decimal(last)).quantize(Decimal("0.0001")) if last else None
    good = None if not delta else (delta > 0) == (direction != "down")
    return WeekChange(delta, rate, good)


def change_percent(rate: Decimal | None) -> str:
    """A week-on-week change as a signed percentage: +20%, −4.5% (one decimal under 10%), — unknown."""
    if rate is None:
        return "—"
    percent = float(rate) * 100
    text = f"{abs(percent):.{1 if abs(percent) < 10 else 0}f}%"
    if text in ("0.0%", "0%"):
        return "0%"
    return ("+" if percent > 0 else "−") + text


@dataclass(frozen=True)
class TaskLine:
    code: str
    name: str
    owner: str
    due: dt.date | None
    reason: str = ""


@dataclass(frozen=True)
class SupportLine:
    who: str
    date: dt.date
    text: str


def draft(
    *,
    kpis: list[KpiLine],
    done: list[TaskLine],
    delayed: list[TaskLine],
    upcoming: list[TaskLine],
    support: list[SupportLine],
    zh: bool = True,
    so_far: dt.date | None = None,
) -> dict[str, str]:
    """`so_far`: the week is in progress and its figures run to that day (compared with the same days of
    last week)."""

    def bullet(text: str) -> str:
        return f"• {text}"

    results = []
    if so_far and any(k.this_week for k in kpis):
        results.append(
            f"（本周截至 {so_far:%m-%d}，与上周同期相比）"
            if zh
            else f"(This week to {so_far:%m-%d}, against the same days of last week)"
        )
    for k in kpis:
        rate = f"{k.rate * 100:.0f}%" if k.rate is not None else "—"
        if k.this_week:  # the week's own figure first; the campaign-to-date achievement after it
            line = (
                f"{k.name}：本周 {k.this_week}，上周 {k.last_week}，环比 {k.change}；累计达成率 {rate}（目标 {k.target}）"
                if zh
                else f"{k.name}: this week {k.this_week}, last week {k.last_week}, {k.change} week on week; "
                f"{rate} of the target {k.target} to date"
            )
        else:
            line = (
                f"{k.name}：目标 {k.target}，实际 {k.actual}，达成率 {rate}"
                if zh
                else f"{k.name}: target {k.target}, actual {k.actual}, achieved {rate}"
            )
        results.append(bullet(line))
    for t in done:
        results.append(
            bullet(f"已完成 {t.code} {t.name}（{t.owner}）" if zh else f"Done {t.code} {t.name} ({t.owner})")
        )
    delayed_lines = [
        bullet(
            f"{t.code} {t.name}（{t.owner}，截止 {t.due or '—'}）：{t.reason or '未填写原因'}"
            if zh
            else f"{t.code} {t.name} ({t.owner}, due {t.due or '—'}): {t.reason or 'no reason given'}"
        )
        for t in delayed
    ]
    plan_lines = [
        bullet(f"{t.code} {t.name}（{t.owner}，截止 {t.due}）" if zh else f"{t.code} {t.name} ({t.owner}, due {t.due})")
        for t in upcoming
    ]
    # the same request asked again day after day is one line with its days (stand-ups repeat what is still open)
    asked: dict[tuple[str, str], list[dt.date]] = {}
    for s in support:
        asked.setdefault((s.who, s.text), []).append(s.date)
    support_lines = []
    for (who, text), days in asked.items():
        when = ("、" if zh else ", ").join(f"{d:%m-%d}" for d in sorted(set(days)))
        support_lines.append(bullet(f"{who}（{when}）：{text}" if zh else f"{who} ({when}): {text}"))
    none = "无" if zh else "None"
    return {
        "key_results": "\n".join(results) or none,
        "delayed_tasks": "\n".join(delayed_lines) or none,
        "next_week_plan": "\n".join(plan_lines) or none,
        "resources": "\n".join(support_lines) or none,
    }
