"""Feed each rule its data from the other apps (the ORM side of alerts/domain/conditions.py).

CHECKS maps a rule key to fn(campaign, params, today, ctx) -> list[Finding]; `ctx` is a dict shared by
the checks of one evaluation run, so data several rules read (e.g. the daily metric series) is loaded once.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from campaignflow.execution.models import Issue, IssueStatus, Standup
from campaignflow.materials.selectors import late as late_materials
from campaignflow.planning.domain.milestones import milestone_date
from campaignflow.planning.models import Task, TaskStatus
from campaignflow.planning.selectors import milestones_at_risk, overdue

from .domain import conditions as c
from .domain.conditions import Finding

CHECKS: dict = {}


def check(key: str):
    def register(fn):
        CHECKS[key] = fn
        return fn

    return register


@check("task_overdue")
def task_overdue(campaign, params, today, ctx):
    findings = []
    for t in overdue(Task.objects.filter(campaign=campaign), today):  # what every overdue count sees
        days = c.overdue(t.end_date, False, today)
        if days:
            findings.append(
                Finding(f"task:{t.pk}", {"code": t.code, "name": t.name, "days": days, "due": t.end_date.isoformat()})
            )
    return findings


@check("milestone_at_risk")
def milestone_at_risk(campaign, params, today, ctx):
    """The milestones the plan calls at risk: planning's one rule (`planning.domain.milestones.at_risk`, read
    through `planning.selectors.milestones_at_risk`), so the alert, the Gantt and the schedule never disagree."""
    findings = []
    for t in milestones_at_risk(campaign, today):
        due = milestone_date(t.start_date, t.end_date)
        findings.append(Finding(f"milestone:{t.pk}", {"code": t.code, "name": t.name, "due": due.isoformat()}))
    return findings


@check("issue_sla")
def issue_sla(campaign, params, today, ctx):
    now = timezone.now()
    findings = []
    for issue in Issue.objects.filter(campaign=campaign).exclude(status=IssueStatus.RESOLVED):
        state = issue.sla_state(now)
        if state.response_breached and not issue.first_response_at:
            findings.append(
                Finding(
                    f"issue:{issue.pk}:response",
                    {
                        "code": issue.code,
                        "which": "24h",
                        "due": timezone.localtime(state.response_due).strftime("%m-%d %H:%M"),
                    },
                )
            )
        elif state.resolution_breached:
            findings.append(
                Finding(
                    f"issue:{issue.pk}:resolution",
                    {
                        "code": issue.code,
                        "which": "48h",
                        "due": timezone.localtime(state.resolution_due).strftime("%m-%d %H:%M"),
                    },
                )
            )
    return findings


@check("standup_missing")
def standup_missing(campaign, params, today, ctx):
    """Yesterday's stand-ups (a whole day has passed) from members who own tasks, while executing."""
    if campaign.status != "executing":
        return []
    day = today - dt.timedelta(days=1)
    if day < campaign.start_date or day > campaign.end_date or day.weekday() >= 5:
        return []
    written = set(Standup.objects.filter(campaign=campaign, date=day).values_list("user_id", flat=True))
    owners = (
        Task.objects.filter(campaign=campaign, owner__isnull=False)
        .exclude(status=TaskStatus.DONE)
        .values_list("owner_id", "owner__display_name", "owner__username")
        .distinct()
    )
    return [
        Finding(f"standup:{uid}:{day}", {"who": name or username, "date": day.isoformat()})
        for uid, name, username in owners
        if uid not in written
    ]


@check("material_late")
def material_late(campaign, params, today, ctx):
    """A material not accepted (验收) by its due date (seed 002: 物料需在活动前3天完成验收), while the
    campaign is being planned or run; one alert per material."""
    if campaign.status not in ("planning", "executing"):
        return []
    return [
        Finding(
            f"material:{m.pk}",
            {"code": m.code, "name": m.name, "due": m.due_date.isoformat(), "days": (today - m.due_date).days},
        )
        for m in late_materials(campaign, today)
    ]


@check("retro_overdue")
def retro_overdue(campaign, params, today, ctx):
    """The retrospective is due within 3 China working days after the end (seed 000); late → alert."""
    if campaign.status not in ("executing", "reviewing") or campaign.end_date >= today:
        return []
    from campaignflow.review.selectors import retro_status, retrospective_of

    status = retro_status(campaign, retrospective_of(campaign), today=today)
    if status["completed"] or status["days_late"] <= 0:
        return []
    return [Finding("retrospective", {"due": status["due_date"].isoformat(), "days": status["days_late"]})]
