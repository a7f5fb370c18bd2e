"""The assistant's writes: a draft asked for (the model called outside any transaction, the draft stored
only once it is valid), a plan draft applied through the planning, goals and budget services, a draft's use
recorded. The assistant itself never writes campaign data: only a person's apply does, with their rights."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaignflow.core.audit import audit_record, snapshot
from campaignflow.core.errors import Conflict, InvalidInput
from campaignflow.core.locking import refuse_if_stale

from . import selectors
from .client import ChatClient, Completion, UpstreamError, config
from .domain import prompts
from .domain.budget import exhausted
from .domain.jsontext import NotJson, parse_object
from .domain.plandiff import contingency_share, plan_diff
from .errors import AssistantOff, BudgetSpent, UpstreamFailed, UpstreamTimeout
from .models import Draft, DraftTask
from .schemas import ValidationError, draft_schema


def require_enabled():
    cfg = config()
    if not cfg.enabled:
        raise AssistantOff(_("The assistant is not configured (AI_BASE_URL, AI_MODEL)."))
    return cfg


@dataclass
class Prepared:
    task: str
    lang: str
    messages: list[dict]
    context: selectors.Context
    alert: object = None
    brief: str = ""
    playbook: object = None  # plan_from_brief: the playbook version planned from


def _check_budget(actor, campaign) -> None:
    from django.conf import settings

    user_used, campaign_used = selectors.usage_today(actor, campaign)
    spent = exhausted(
        user_used=user_used,
        user_limit=int(getattr(settings, "AI_DAILY_TOKENS_PER_USER", 0)),
        campaign_used=campaign_used,
        campaign_limit=int(getattr(settings, "AI_DAILY_TOKENS_PER_CAMPAIGN", 0)),
    )
    if spent is None:
        return
    if spent.scope == "user":
        message = _("Your assistant budget for today is spent (%(used)s of %(limit)s tokens). It renews tomorrow.")
    else:
        message = _(
            "This campaign's assistant budget for today is spent (%(used)s of %(limit)s tokens). It renews tomorrow."
        )
    raise BudgetSpent(message % {"used": spent.used, "limit": spent.limit})


def prepare(
    *,
    actor,
    campaign,
    task: str,
    lang: str,
    alert=None,
    week_start: dt.date | None = None,
    brief: str = "",
    playbook_version_id: int | None = None,
) -> Prepared:
    """Everything before the call: the switch, the budget, the input, the prompt from what `actor` sees.
    `playbook_version_id` (plan_from_brief): the playbook version to plan from; the campaign's by default."""
    require_enabled()
    if task not in prompts.TASKS:
        raise InvalidInput({"task": _("Choose one of: %(tasks)s.") % {"tasks": ", ".join(prompts.TASKS)}})
    if task == "alert_analysis" and alert is None:
        raise InvalidInput({"alert": _("Choose the alert to analyse.")})
    brief = (brief or "").strip()
    if task == "plan_from_brief":
        if not brief:
            raise InvalidInput({"brief": _("Write the brief: one paragraph on the campaign's aim and audience.")})
        if len(brief) > 4000:
            raise InvalidInput({"brief": _("At most %(n)d characters.") % {"n": 4000}})
    playbook = None
    if task == "plan_from_brief":
        playbook = selectors.playbook_version(playbook_version_id) if playbook_version_id else None
        if playbook_version_id and playbook is None:
            raise InvalidInput({"playbook": _("Choose one of the playbooks offered.")})
        playbook = playbook or campaign.playbook_version
        if playbook is None:
            raise InvalidInput({"playbook": _("This campaign has no playbook to plan from: choose one.")})
    _check_budget(actor, campaign)
    ctx = selectors.context_for(
        actor, campaign, task, lang=lang, alert=alert, week_start=week_start, brief=brief, playbook=playbook
    )
    messages = prompts.messages(task, lang, ctx.data, **ctx.params)
    return Prepared(task=task, lang=lang, messages=messages, context=ctx, alert=alert, brief=brief, playbook=playbook)


def call(prepared: Prepared, on_delta=None) -> Completion:
    """The model's answer (no transaction is open: a 30-second call holds no database lock)."""
    try:
        return ChatClient().chat(prepared.messages, on_delta=on_delta)
    except UpstreamError as exc:
        raise (UpstreamTimeout if exc.status == 504 else UpstreamFailed)(exc.detail) from None


def _estimated_tokens(prepared: Prepared, content: str) -> dict:
    """When the endpoint reports no usage (some streaming servers): about one token per 2 characters."""
    prompt_chars = sum(len(m["content"]) for m in prepared.messages)
    prompt, completion = prompt_chars // 2 + 1, len(content) // 2 + 1
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


def _valid_draft(prepared: Prepared, completion: Completion, campaign) -> tuple[dict, list[dict]]:
    if completion.finish_reason == "length":
        raise UpstreamFailed(_("The model's answer was cut off (length limit): no draft was stored."))
    try:
        raw = parse_object(completion.content)
    except NotJson:
        raise UpstreamFailed(_("The model did not answer with a readable JSON draft: no draft was stored.")) from None
    try:
        draft = draft_schema(prepared.task).model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "draft"
        raise UpstreamFailed(
            _("The model's draft does not have the expected form (%(field)s: %(message)s): no draft was stored.")
            % {"field": where, "message": first.get("msg", "")}
        ) from None
    data = draft.model_dump(mode="json")
    refs = prepared.context.refs
    citations = []
    for c in data.pop("citations", []):
        if c["ref"] in refs and all(c["ref"] != seen["ref"] for seen in citations):
            citations.append({"ref": c["ref"], "figure": c["figure"], **refs[c["ref"]]})
    if prepared.task == "alert_analysis":
        for cause in data["causes"]:
            cause["refs"] = [r for r in cause["refs"] if r in refs]
    if prepared.task == "plan_from_brief":
        data = _checked_plan(data, prepared, campaign)
    return data, citations


def _checked_plan(data: dict, prepared: Prepared, campaign) -> dict:
    """Task adjustments only for tasks the campaign has, inside its dates; the budget's warnings named."""
    tasks = {t["code"]: t for t in prepared.context.data.get("tasks", [])}
    kept = []
    for adj in data["task_adjustments"]:
        if adj["code"] not in tasks:
            continue
        dates = [d for d in (adj.get("start_date"), adj.get("end_date")) if d]
        if any(not (str(campaign.start_date - dt.timedelta(days=90)) <= d <= str(campaign.end_date)) for d in dates):
            continue
        kept.append(adj)
    data["task_adjustments"] = kept
    warnings = []
    budget = prepared.context.data.get("budget", {})
    share = contingency_share(data["budget"])
    low = float(budget.get("contingency_min", "10%").rstrip("%")) / 100
    high = float(budget.get("contingency_max", "15%").rstrip("%")) / 100
    if data["budget"] and (share is None or not (low - 1e-9 <= share <= high + 1e-9)):
        warnings.append(
            _("The contingency reserve is %(share)s of the drafted budget, outside the rule of %(low)s–%(high)s.")
            % {"share": f"{(share or 0) * 100:.0f}%", "low": f"{low * 100:.0f}%", "high": f"{high * 100:.0f}%"}
        )
    total = sum(Decimal(str(line["planned"])) for line in data["budget"])
    if campaign.budget_total is not None and total > campaign.budget_total:
        warnings.append(
            _("The drafted budget (%(total)s) is above the campaign's total (%(limit)s).")
            % {"total": f"{total:,.2f}", "limit": f"{campaign.budget_total:,.2f}"}
        )
    data["warnings"] = warnings
    if prepared.playbook is not None:
        data["playbook"] = {"id": prepared.playbook.pk, "name": str(prepared.playbook)}
    return data


@transaction.atomic
def _store(*, actor, campaign, prepared: Prepared, completion: Completion, data: dict, citations: list) -> Draft:
    usage = completion.usage or _estimated_tokens(prepared, completion.content)
    draft = Draft.objects.create(
        campaign=campaign,
        requested_by=actor,
        task=prepared.task,
        alert=prepared.alert,
        brief=prepared.brief,
        language=prepared.lang,
        model=completion.model[:200],
        prompt_hash=prompts.prompt_hash(prepared.messages),
        draft=data,
        citations=citations,
        prompt_tokens=usage.get("prompt_tokens", 0),
        completion_tokens=usage.get("completion_tokens", 0),
        total_tokens=usage.get("total_tokens", 0),
    )
    audit_record(actor=actor, action="assistant.draft", obj=draft, campaign=campaign)
    return draft


def finish(*, actor, campaign, prepared: Prepared, completion: Completion) -> Draft:
    data, citations = _valid_draft(prepared, completion, campaign)
    return _store(
        actor=actor, campaign=campaign, prepared=prepared, completion=completion, data=data, citations=citations
    )


def assist(
    *, actor, campaign, task: str, lang: str, alert=None, week_start=None, brief: str = "", playbook_version_id=None
) -> Draft:
    prepared = prepare(
        actor=actor,
        campaign=campaign,
        task=task,
        lang=lang,
        alert=alert,
        week_start=week_start,
        brief=brief,
        playbook_version_id=playbook_version_id,
    )
    return finish(actor=actor, campaign=campaign, prepared=prepared, completion=call(prepared))


def sse(event: str, data) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False, default=str)}\n\n"


def assist_events(*, actor, campaign, prepared: Prepared, out):
    """The streamed draft as server-sent events: `delta` (text as it comes), `partial` (the fields readable
    so far), then `done` (the stored draft) or `error` ({status, detail}); `out(draft)` shapes the draft."""
    import queue
    import threading

    from .domain.jsontext import parse_partial

    pieces: queue.Queue = queue.Queue()
    result: dict = {}

    def work():
        try:
            result["completion"] = call(prepared, on_delta=pieces.put)
        except (UpstreamFailed, UpstreamTimeout) as exc:
            result["error"] = exc
        finally:
            pieces.put(None)

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    yield sse("start", {"task": prepared.task})
    text = ""
    while (piece := pieces.get()) is not None:
        text += piece
        yield sse("delta", {"text": piece})
        partial = parse_partial(text)
        if partial:
            yield sse("partial", {k: v for k, v in partial.items() if k != "citations"})
    worker.join()
    if "error" in result:
        exc = result["error"]
        yield sse("error", {"status": exc.status, "detail": exc.detail})
        return
    try:
        draft = finish(actor=actor, campaign=campaign, prepared=prepared, completion=result["completion"])
    except (UpstreamFailed, UpstreamTimeout) as exc:
        yield sse("error", {"status": exc.status, "detail": exc.detail})
        return
    yield sse("done", out(draft))


# --- applying ----------------------------------------------------------------------------------


def plan_preview(draft: Draft) -> list[dict]:
    """The plan draft against the playbook's plan: the rows `draft_apply_plan` writes, one for one."""
    from campaignflow.goals.models import Channel, Kpi
    from campaignflow.planning.models import Task

    campaign = draft.campaign
    tasks = {
        t.code: {
            "name": t.name,
            "start_date": str(t.start_date or "") or None,
            "end_date": str(t.end_date or "") or None,
        }
        for t in Task.objects.filter(campaign=campaign)
    }
    rows = plan_diff(
        draft=draft.draft,
        tasks=tasks,
        kpis=set(Kpi.objects.filter(campaign=campaign).values_list("name", flat=True)),
        channels=set(Channel.objects.filter(campaign=campaign).values_list("name", flat=True)),
    )
    return [row.__dict__ for row in rows]


@transaction.atomic
def draft_apply_plan(*, actor, draft: Draft, version: int) -> dict:
    """Create the drafted KPIs, channels and budget lines and move the drafted tasks, each through its own
    service (rights, checks, versions and audit as when typed by hand): all or nothing."""
    from campaignflow.budgets.services import line_create
    from campaignflow.campaigns.access import EDIT, require
    from campaignflow.goals.services import channel_create, kpi_create
    from campaignflow.planning.models import Task
    from campaignflow.planning.services import task_update

    if draft.task != DraftTask.PLAN_FROM_BRIEF:
        raise Conflict(_("Only a plan draft is applied here; other drafts fill their own forms."))
    draft = Draft.objects.select_for_update().get(pk=draft.pk)
    refuse_if_stale(draft, version)
    if draft.applied_at is not None:
        raise Conflict(_("This draft was already applied."))
    campaign = draft.campaign
    require(actor, campaign, EDIT)
    plan = draft.draft
    created: dict = {"kpis": [], "channels": [], "budget_lines": [], "tasks": []}
    for i, k in enumerate(plan.get("kpis", [])):
        data = {f: k.get(f, "") for f in ("name", "metric", "unit", "specific", "measurable", "achievable", "relevant")}
        data.update(target=k["target"], deadline=k.get("deadline"), priority="core", direction="up")
        created["kpis"].append(_named(f"kpis[{i}]", kpi_create, actor=actor, campaign=campaign, data=data).pk)
    for i, c in enumerate(plan.get("channels", [])):
        note = _("Drafted share: %(share)s") % {"share": f"{float(c['share']) * 100:.0f}%"}
        data = {"name": c["name"], "content_form": c.get("content_form", ""), "note": note}
        created["channels"].append(
            _named(f"channels[{i}]", channel_create, actor=actor, campaign=campaign, data=data).pk
        )
    for i, line in enumerate(plan.get("budget", [])):
        data = {"category": line["category"], "item": line["item"], "planned": line["planned"],
                "channel": line.get("channel", ""), "note": ""}  # fmt: skip
        created["budget_lines"].append(
            _named(f"budget[{i}]", line_create, actor=actor, campaign=campaign, data=data).pk
        )
    tasks = {t.code: t for t in Task.objects.filter(campaign=campaign)}
    for i, adj in enumerate(plan.get("task_adjustments", [])):
        task = tasks.get(adj["code"])
        if task is None:
            raise InvalidInput({f"task_adjustments[{i}].code": _("No task with this code.")})
        task.campaign = campaign
        data = {k: dt.date.fromisoformat(adj[k]) for k in ("start_date", "end_date") if adj.get(k)}
        if adj.get("remark"):
            data["remark"] = adj["remark"][:500]
        _named(f"task_adjustments[{i}]", task_update, actor=actor, task=task, version=task.version, data=data)
        created["tasks"].append(task.pk)
    before = snapshot(draft)
    draft.applied_by, draft.applied_at, draft.applied = actor, timezone.now(), created
    draft.version += 1
    draft.save(update_fields=["applied_by", "applied_at", "applied", "version", "updated_at"])
    audit_record(
        actor=actor, action="assistant.apply", obj=draft, campaign=campaign, before=before, after=snapshot(draft)
    )
    return created


def _named(prefix: str, service, **kwargs):
    """A service call whose field errors name the draft's row (kpis[2].name)."""
    try:
        return service(**kwargs)
    except InvalidInput as exc:
        raise InvalidInput([{"field": f"{prefix}.{e['field']}", "message": e["message"]} for e in exc.errors]) from None


@transaction.atomic
def draft_record_use(*, actor, draft: Draft, fields: list[str], target: str) -> Draft:
    """A person took the draft into a form (the weekly report, the alert's resolution, the retrospective):
    who, when and which fields; the form's own save records the content."""
    allowed = {
        DraftTask.WEEKLY_SUMMARY: {"key_results", "delayed_tasks", "next_week_plan", "resources"},
        DraftTask.ALERT_ANALYSIS: {"evaluation", "decision", "follow_up"},
        DraftTask.RETRO_DRAFT: {"worked", "improve", "lessons"},
    }.get(draft.task, set())
    bad = [f for f in fields if f not in allowed]
    if not fields or bad:
        raise InvalidInput(
            {
                "fields": _("Name the fields taken from the draft: %(allowed)s.")
                % {"allowed": ", ".join(sorted(allowed)) or "—"}
            }
        )
    draft = Draft.objects.select_for_update().get(pk=draft.pk)
    before = snapshot(draft)
    uses = list((draft.applied or {}).get("uses", []))
    uses.append({"by": actor.pk, "at": timezone.now().isoformat(), "fields": fields, "target": target[:200]})
    draft.applied = {"uses": uses}
    draft.applied_by, draft.applied_at = actor, timezone.now()
    draft.version += 1
    draft.save(update_fields=["applied_by", "applied_at", "applied", "version", "updated_at"])
    audit_record(
        actor=actor, action="assistant.use", obj=draft, campaign=draft.campaign, before=before, after=snapshot(draft)
    )
    return draft
