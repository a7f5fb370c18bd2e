"""The weekly report draft (seed 002 周进度报告), written from the week's data, pure.

Sections: key results (KPI progress), delayed tasks and causes, next week's plan (upcoming
tasks), resources to coordinate (from stand-ups' "need support").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class KpiLine:
    name: str
    target: str
    actual: str
    rate: float | None


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
) -> dict[str, str]:
    def bullet(text: str) -> str:
        return f"• {text}"

    results = []
    for k in kpis:
        rate = f"{k.rate * 100:.0f}%" if k.rate is not None else "—"
        results.append(
            bullet(
                f"{k.name}：目标 {k.target}，实际 {k.actual}，达成率 {rate}"
                if zh
                else f"{k.name}: target {k.target}, actual {k.actual}, achieved {rate}"
            )
        )
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
    support_lines = [
        bullet(f"{s.who}（{s.date:%m-%d}）：{s.text}" if zh else f"{s.who} ({s.date:%m-%d}): {s.text}") for s in support
    ]
    none = "无" if zh else "None"
    return {
        "key_results": "\n".join(results) or none,
        "delayed_tasks": "\n".join(delayed_lines) or none,
        "next_week_plan": "\n".join(plan_lines) or none,
        "resources": "\n".join(support_lines) or none,
    }
