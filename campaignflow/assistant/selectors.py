"""What the assistant may tell the model: the campaign's own figures, read with the requesting user's
visibility. A partner's prompt holds only what the team shared with them (their KPIs and channels, their own
tasks, shared materials; no costs, budget, alerts, issues, stand-ups or other partners); everyone else gets
what their campaign role lets them open. Each figure carries a ref ("kpi:12") that a draft cites; the refs
become links, and a ref the prompt did not carry is dropped from the draft."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone

from campaignflow.campaigns.access import is_partner
from campaignflow.execution.reporting import kpi_value
from campaignflow.goals.selectors import channels as goal_channels
from campaignflow.goals.selectors import kpis_with_actuals
from campaignflow.materials import selectors as material_selectors
from campaignflow.planning import selectors as planning_selectors
from campaignflow.planning.models import TaskStatus
from campaignflow.tracking.selectors import metric_rows

from .models import Draft

TEXT_LIMIT = 1000  # characters of one note or description in the prompt
METRIC_ROWS_LIMIT = 800


@dataclass
class Context:
    data: dict
    refs: dict[str, dict] = field(default_factory=dict)  # "kpi:12" → {"label", "url"}
    params: dict[str, str] = field(default_factory=dict)

    def ref(self, kind: str, pk: int, label: str, url: str) -> str:
        key = f"{kind}:{pk}"
        self.refs[key] = {"label": label[:200], "url": url}
        return key


def _text(value, limit: int = TEXT_LIMIT) -> str:
    value = (value or "").strip()
    return value if len(value) <= limit else value[:limit] + "…"


def _number(value) -> str | None:
    if value is None:
        return None
    d = Decimal(value).normalize()
    return format(d, "f")


def _rate(rate) -> str | None:
    return None if rate is None else f"{float(rate) * 100:.0f}%"


# --- usage --------------------------------------------------------------------------------------


def usage_today(user, campaign) -> tuple[int, int]:
    """Tokens spent today (the server's day) by `user` and on `campaign`, from the stored drafts."""
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    today = Draft.objects.filter(created_at__gte=start)
    mine = today.filter(requested_by=user).aggregate(n=Sum("total_tokens"))["n"] or 0
    theirs = today.filter(campaign=campaign).aggregate(n=Sum("total_tokens"))["n"] or 0
    return int(mine), int(theirs)


def drafts_for(user, campaign):
    """The campaign's drafts: a person's own, all of them for those who may edit."""
    from campaignflow.campaigns.access import EDIT, can

    qs = Draft.objects.filter(campaign=campaign).select_related("requested_by", "applied_by")
    return qs if can(user, campaign, EDIT) else qs.filter(requested_by=user)


# --- the parts of a prompt ----------------------------------------------------------------------


def _campaign(ctx: Context, campaign, partner: bool) -> None:
    info = {
        "name": _text(campaign.name, 200),
        "type": campaign.type,
        "status": campaign.status,
        "start_date": campaign.start_date,
        "end_date": campaign.end_date,
        "description": _text(campaign.description),
        "today": timezone.localdate(),
    }
    if not partner:
        info["budget_total"] = _number(campaign.budget_total)
    ctx.data["campaign"] = info


def _kpis(ctx: Context, campaign, user, zh: bool) -> None:
    url = reverse("goals:kpis", args=[campaign.pk])
    rows = []
    for k in kpis_with_actuals(campaign, user):
        unit = "" if k.shows_percent else k.unit
        rows.append(
            {
                "ref": ctx.ref("kpi", k.pk, k.name, f"{url}#kpi-{k.pk}"),
                "name": _text(k.name, 200),
                "metric": k.metric or f"{k.numerator}/{k.denominator}",
                "unit": k.unit,
                "direction": k.direction,
                "priority": k.priority,
                "target": _number(k.target),
                "actual": _number(k.actual),
                "target_text": kpi_value(k.target, percent=k.shows_percent, unit=unit, zh=zh),
                "actual_text": kpi_value(k.actual, percent=k.shows_percent, unit=unit, zh=zh),
                "achievement_rate": _rate(k.achievement_rate),
                "deadline": k.deadline,
            }
        )
    ctx.data["kpis"] = rows


def _channels(ctx: Context, campaign, user) -> None:
    url = reverse("goals:kpis", args=[campaign.pk])
    ctx.data["channels"] = [
        {
            "ref": ctx.ref("channel", c.pk, c.name, f"{url}#channel-{c.pk}"),
            "name": _text(c.name, 100),
            "content_form": _text(c.content_form, 200),
            "start_date": c.start_date,
            "end_date": c.end_date,
            "targets": {m: str(v) for m, v in (c.targets or {}).items()},
            "benchmarks": {m: str(v) for m, v in (c.benchmarks or {}).items()},
        }
        for c in goal_channels(campaign, user)
    ]


def _daily_metrics(ctx: Context, campaign, user, first: dt.date, last: dt.date) -> None:
    """Daily values per channel and metric (the partner's: shared channels only)."""
    rows = (
        metric_rows(campaign, date_from=first, date_to=last, user=user)
        .values("date", "channel", "metric")
        .annotate(value=Sum("value"))
        .order_by("date", "channel", "metric")
    )
    ctx.data["daily_metrics"] = [
        {"date": r["date"], "channel": r["channel"], "metric": r["metric"], "value": _number(r["value"])}
        for r in rows[:METRIC_ROWS_LIMIT]
    ]
    ctx.data["daily_metrics_period"] = {"from": first, "to": last}


def _tasks(ctx: Context, campaign, user, *, delayed_only: bool, until: dt.date | None = None) -> None:
    url = reverse("planning:plan", args=[campaign.pk])
    qs = planning_selectors.tasks_for(user, campaign)
    if delayed_only:
        until = until or timezone.localdate()
        qs = qs.filter(
            Q(status__in=[TaskStatus.DELAYED, TaskStatus.BLOCKED])
            | Q(end_date__lt=until, status__in=[TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS])
        )
    key = "delayed_tasks" if delayed_only else "tasks"
    ctx.data[key] = [
        {
            "ref": ctx.ref("task", t.pk, f"{t.code} {t.name}", f"{url}#task-{t.pk}"),
            "code": t.code,
            "name": _text(t.name, 200),
            "phase": _text(t.phase, 200),
            "owner_role": _text(t.owner_role, 200),
            "status": t.status,
            "start_date": t.start_date,
            "end_date": t.end_date,
            "delay_reason": _text(t.delay_reason),
        }
        for t in qs[:300]
    ]


def _late_materials(ctx: Context, campaign, user) -> None:
    today = timezone.localdate()
    late = material_selectors.materials_for(user, campaign).filter(due_date__lt=today).exclude(status="accepted")
    ctx.data["late_materials"] = [
        {
            "ref": ctx.ref("material", m.pk, m.name, reverse("materials:detail", args=[campaign.pk, m.pk])),
            "name": _text(m.name, 200),
            "due_date": m.due_date,
            "status": m.status,
            "days_late": (today - m.due_date).days,
        }
        for m in late[:100]
    ]


def _alerts(ctx: Context, campaign, *, since: dt.datetime | None = None, focus=None) -> None:
    from campaignflow.alerts.models import Alert, AlertStatus

    url = reverse("alerts:list", args=[campaign.pk])
    qs = Alert.objects.filter(campaign=campaign)
    qs = qs.filter(Q(created_at__gte=since) | ~Q(status=AlertStatus.RESOLVED)) if since else qs
    ctx.data["alerts"] = [
        {
            "ref": ctx.ref("alert", a.pk, a.shown_message, f"{url}#alert-{a.pk}"),
            "rule": a.rule,
            "subject": _text(a.subject, 200),
            "severity": a.severity,
            "message": _text(a.shown_message, 500),
            "status": a.status,
            "raised_on": timezone.localtime(a.created_at).date(),
            "figures": a.data,
        }
        for a in qs.order_by("-created_at")[:50]
    ]
    if focus is not None:
        ref = ctx.ref("alert", focus.pk, focus.shown_message, f"{url}#alert-{focus.pk}")
        ctx.data["focus_alert"] = {
            "ref": ref,
            "rule": focus.rule,
            "subject": _text(focus.subject, 200),
            "severity": focus.severity,
            "message": _text(focus.shown_message, 500),
            "raised_on": timezone.localtime(focus.created_at).date(),
            "figures": focus.data,
        }
        ctx.params["alert_ref"] = ref


def _issues_and_standups(ctx: Context, campaign, first: dt.date, last: dt.date) -> None:
    from campaignflow.execution.models import Issue, Standup

    url = reverse("execution:issues", args=[campaign.pk])
    issues = Issue.objects.filter(campaign=campaign).filter(
        Q(found_at__date__range=(first, last)) | ~Q(status="resolved")
    )
    ctx.data["issues"] = [
        {
            "ref": ctx.ref("issue", i.pk, f"{i.code} {i.description}", f"{url}#issue-{i.pk}"),
            "code": i.code,
            "description": _text(i.description, 500),
            "severity": i.severity,
            "status": i.status,
            "found_on": timezone.localtime(i.found_at).date(),
            "solution": _text(i.solution),
        }
        for i in issues.order_by("-found_at")[:60]
    ]
    standups = Standup.objects.filter(campaign=campaign, date__range=(first, last)).order_by("date", "user_id")
    ctx.data["standups"] = [
        {
            "date": s.date,
            "done": _text(s.done, 500),
            "not_done": _text(s.not_done, 500),
            "reason": _text(s.not_done_reason, 500),
            "support": _text(s.need_support, 500),
        }
        for s in standups[:120]
    ]


def _budget(ctx: Context, campaign, user) -> None:
    from campaignflow.budgets.selectors import budget_or_default, lines_for

    budget = budget_or_default(campaign)
    ctx.data["budget"] = {
        "total": _number(campaign.budget_total),
        "contingency_min": f"{float(budget.contingency_min) * 100:.0f}%",
        "contingency_max": f"{float(budget.contingency_max) * 100:.0f}%",
        "lines": [
            {"category": line.category, "item": _text(line.item, 200), "planned": _number(line.planned)}
            for line in lines_for(user, campaign)[:100]
        ],
    }
    ctx.params["contingency_min"] = ctx.data["budget"]["contingency_min"]
    ctx.params["contingency_max"] = ctx.data["budget"]["contingency_max"]


def playbook_version(version_id: int):
    """A playbook version by id (playbooks are shared templates: every signed-in user may plan from one)."""
    from campaignflow.campaigns.models import PlaybookVersion

    return PlaybookVersion.objects.select_related("playbook").filter(pk=version_id).first()


def playbook_choices(campaign) -> list:
    """The playbook versions a plan may start from: each playbook's latest, and the campaign's own first."""
    from campaignflow.campaigns.selectors import playbooks

    own = campaign.playbook_version
    versions = []
    for p in playbooks():
        p.latest_version.playbook = p  # no query per version for its name
        versions.append(p.latest_version)
    others = [v for v in versions if own is None or v.pk != own.pk]
    return ([own] if own else []) + others


def _playbook(ctx: Context, version, lang: str) -> None:
    if version is None:
        ctx.data["playbook"] = None
        return
    name = version.playbook.name_en if lang == "en" and version.playbook.name_en else version.playbook.name
    ctx.data["playbook"] = {
        "name": name,
        "version": version.number,
        "phases": [
            {
                "name": p.get("name_en") if lang == "en" and p.get("name_en") else p.get("name"),
                "goal": _text(p.get("goal", ""), 300),
                "steps": [_text(s.get("name", ""), 200) for s in p.get("steps", [])],
            }
            for p in version.phases
        ],
    }


def _review(ctx: Context, campaign) -> None:
    from campaignflow.execution.models import ExecutionLogEntry
    from campaignflow.review.models import EvaluationNote, Retrospective

    notes = {n.kpi_id: n for n in EvaluationNote.objects.filter(campaign=campaign)}
    rows = []
    for k in ctx.data.get("kpis", []):
        note = notes.get(int(k["ref"].split(":")[1]))
        rows.append(
            {
                "kpi_ref": k["ref"],
                "kpi": k["name"],
                "target": k["target_text"],
                "actual": k["actual_text"],
                "achievement_rate": k["achievement_rate"],
                "analysis": _text(note.analysis) if note else "",
                "improvement": _text(note.improvement) if note else "",
            }
        )
    ctx.data["evaluation"] = rows
    url = reverse("execution:logs", args=[campaign.pk])
    ctx.data["execution_log"] = [
        {
            "ref": ctx.ref("log", e.pk, e.event, f"{url}#log-{e.pk}"),
            "at": timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M"),
            "event": _text(e.event, 500),
            "handling": _text(e.handling, 500),
            "result": _text(e.result, 500),
        }
        for e in ExecutionLogEntry.objects.filter(campaign=campaign).order_by("at", "id")[:150]
    ]
    retro = Retrospective.objects.filter(campaign=campaign).first()
    ctx.data["retrospective_so_far"] = (
        {"worked": _text(retro.worked), "improve": _text(retro.improve), "lessons": _text(retro.lessons)}
        if retro
        else None
    )


# --- per task -----------------------------------------------------------------------------------


def context_for(
    user,
    campaign,
    task: str,
    *,
    lang: str = "zh",
    alert=None,
    week_start: dt.date | None = None,
    brief: str = "",
    playbook=None,
) -> Context:
    """The data of a prompt for `task`, as `user` may see it."""
    ctx = Context(data={})
    partner = is_partner(user, campaign)
    zh = lang == "zh"
    today = timezone.localdate()
    _campaign(ctx, campaign, partner)
    _kpis(ctx, campaign, user, zh)
    _channels(ctx, campaign, user)
    if task == "weekly_summary":
        week_start = week_start or today - dt.timedelta(days=today.weekday())
        week_end = week_start + dt.timedelta(days=6)
        ctx.params.update(week_start=str(week_start), week_end=str(week_end))
        _daily_metrics(ctx, campaign, user, week_start - dt.timedelta(days=7), week_end)
        _tasks(ctx, campaign, user, delayed_only=True, until=min(week_end, today) + dt.timedelta(days=1))
        _late_materials(ctx, campaign, user)
        if not partner:
            since = timezone.make_aware(dt.datetime.combine(week_start, dt.time.min))
            _alerts(ctx, campaign, since=since)
            _issues_and_standups(ctx, campaign, week_start, week_end)
    elif task == "alert_analysis":
        raised = timezone.localtime(alert.created_at).date()
        _daily_metrics(ctx, campaign, user, raised - dt.timedelta(days=20), max(raised, today))
        _tasks(ctx, campaign, user, delayed_only=True)
        _late_materials(ctx, campaign, user)
        _alerts(ctx, campaign, since=timezone.now() - dt.timedelta(days=21), focus=alert)
        _issues_and_standups(ctx, campaign, raised - dt.timedelta(days=14), max(raised, today))
    elif task == "plan_from_brief":
        ctx.data["brief"] = _text(brief, 4000)
        _playbook(ctx, playbook or campaign.playbook_version, lang)
        _tasks(ctx, campaign, user, delayed_only=False)
        _budget(ctx, campaign, user)
    elif task == "retro_draft":
        _review(ctx, campaign)
        _daily_metrics(ctx, campaign, user, campaign.start_date, min(campaign.end_date, today))
        _tasks(ctx, campaign, user, delayed_only=True, until=campaign.end_date)
        _alerts(ctx, campaign)
    return ctx
