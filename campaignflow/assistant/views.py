"""The assistant's pages: the admin page (its configuration, never the key, and a connection test) and the\nplan from a brief (a brief → the model's plan draft shown as a diff against the playbook's plan → applied)."""

import re
import time
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from campaignflow.budgets.selectors import category_label
from campaignflow.campaigns.access import EDIT, campaign_for_user, is_admin
from campaignflow.campaigns.views import campaign_page_context
from campaignflow.core.errors import Conflict, DomainError, InvalidInput, StaleVersion
from campaignflow.core.pages import Pages
from campaignflow.core.templatetags.cf import money

from . import selectors, services
from .client import ChatClient, UpstreamError, config
from .domain.prompts import language
from .models import Draft, DraftTask

page = Pages()


@page("admin-tools/assistant/", "settings")
def settings_page(request):
    if not is_admin(request.user):
        raise PermissionDenied
    cfg = config()
    result = None
    if request.method == "POST" and cfg.enabled:
        started = time.monotonic()
        try:
            models = ChatClient(cfg).models()
            result = {
                "ok": True,
                "message": _("Connected: the endpoint lists %(n)d models.") % {"n": len(models)},
                "model_listed": cfg.model in models,
                "ms": round((time.monotonic() - started) * 1000),
            }
        except UpstreamError as exc:
            result = {"ok": False, "message": exc.detail, "ms": round((time.monotonic() - started) * 1000)}
    from django.conf import settings

    rows = [
        ("AI_BASE_URL", cfg.base_url or "—"),
        ("AI_MODEL", cfg.model or "—"),
        ("AI_API_KEY", _("set") if cfg.api_key else _("not set")),
        ("AI_TIMEOUT", f"{cfg.timeout:g} s"),
        ("AI_MAX_RETRIES", cfg.max_retries),
        ("AI_JSON_MODE", cfg.json_mode),
        ("AI_DAILY_TOKENS_PER_USER", getattr(settings, "AI_DAILY_TOKENS_PER_USER", 0)),
        ("AI_DAILY_TOKENS_PER_CAMPAIGN", getattr(settings, "AI_DAILY_TOKENS_PER_CAMPAIGN", 0)),
    ]
    return render(request, "assistant/settings.html", {"cfg": cfg, "rows": rows, "result": result})


# --- plan from a brief -------------------------------------------------------------------------

_KIND_OF_FIELD = {"kpis": "kpi", "channels": "channel", "budget": "budget", "task_adjustments": "task"}


def _plan_draft(campaign, draft_id) -> Draft:
    draft = Draft.objects.filter(pk=draft_id, campaign=campaign, task=DraftTask.PLAN_FROM_BRIEF).first()
    if draft is None:
        raise Http404
    draft.campaign = campaign
    return draft


def _row_errors(errors: list[dict]) -> tuple[dict, list[str]]:
    """The apply step's field errors ("kpis[1].target") by diff row ("kpi", 1); the others as they come."""
    by_row: dict = {}
    others = []
    for e in errors:
        match = re.match(r"^(\w+)\[(\d+)\]\.?(.*)$", e["field"])
        if match and match.group(1) in _KIND_OF_FIELD:
            key = (_KIND_OF_FIELD[match.group(1)], int(match.group(2)))
            by_row.setdefault(key, []).append(f"{match.group(3) or match.group(1)}: {e['message']}")
        else:
            others.append(f"{e['field']}: {e['message']}")
    return by_row, others


def _sections(draft: Draft, errors: dict | None = None) -> list[dict]:
    """The diff as one table per kind, each row with the draft's values in words (and its apply errors)."""
    errors = errors or {}
    titles = {
        "kpi": _("KPIs"),
        "channel": _("Channel split"),
        "budget": _("Budget lines"),
        "task": _("Task date changes"),
    }
    sections = {kind: {"kind": kind, "title": title, "rows": []} for kind, title in titles.items()}
    for row in services.plan_preview(draft):
        kind, after, before = row["kind"], row["after"], row["before"]
        rows = sections[kind]["rows"]
        # once applied, the rows are in the campaign: a diff against it now would call each one a change
        action = "applied" if draft.applied_at else row["action"]
        shown = {"key": row["key"], "action": action, "errors": errors.get((kind, len(rows)), [])}
        if kind == "kpi":
            shown["cells"] = [
                f"{Decimal(str(after.get('target'))).normalize():,f} {after.get('unit', '')}".strip(),
                after.get("metric") or "—",
                after.get("deadline") or "—",
                after.get("specific") or "",
            ]
        elif kind == "channel":
            shown["cells"] = [f"{float(after.get('share', 0)) * 100:.0f}%", after.get("content_form") or "—"]
        elif kind == "budget":
            shown["cells"] = [money(Decimal(str(after.get("planned", 0)))), after.get("channel") or "—"]
        else:
            shown["key"] = f"{row['key']} {before.get('name', '')}".strip()
            shown["cells"] = [
                f"{before.get('start_date') or '—'} → {before.get('end_date') or '—'}",
                f"{after.get('start_date') or '—'} → {after.get('end_date') or '—'}",
                after.get("remark") or "",
            ]
        if kind == "budget":
            shown["key"] = f"{category_label(after['category'])} · {after['item']}"
        rows.append(shown)
    heads = {
        "kpi": [_("Target"), _("Metric"), _("Deadline"), _("Specific")],
        "channel": [_("Share"), _("Content form")],
        "budget": [_("Planned"), _("Channel")],
        "task": [_("Now"), _("Drafted"), _("Remark")],
    }
    return [{**s, "heads": heads[s["kind"]]} for s in sections.values() if s["rows"]]


def _plan_page(request, campaign, *, draft=None, brief="", chosen_playbook=None, error="", field_errors=None,
               apply_errors=None, status=200):  # fmt: skip
    by_row, others = _row_errors(apply_errors or [])
    budget_total = None
    if draft is not None:
        budget_total = money(sum(Decimal(str(line["planned"])) for line in draft.draft.get("budget", [])))
    context = campaign_page_context(
        request,
        campaign,
        "plan",
        playbooks=selectors.playbook_choices(campaign),
        chosen_playbook=str(chosen_playbook or ""),
        brief=brief or (draft.brief if draft else ""),
        draft=draft,
        sections=_sections(draft, by_row) if draft else [],
        budget_total=budget_total,
        error=error,
        field_errors=field_errors or {},
        apply_errors=others,
        row_errors=bool(by_row),
        texts={
            "working": _("The assistant is writing a plan draft from the brief and the playbook…"),
            "failed": _("The draft could not be written."),
        },
    )
    return render(request, "assistant/plan_from_brief.html", context, status=status)


@page("campaigns/<int:pk>/assist/plan/", "plan-from-brief")
def plan_from_brief(request, pk: int):
    """A brief → a plan draft (the model's, from the playbook) shown as a diff; a person applies it."""
    if not config().enabled:  # without AI_* nothing of the assistant exists
        raise Http404
    campaign = campaign_for_user(request.user, pk, EDIT)
    if request.method != "POST":
        draft = _plan_draft(campaign, request.GET["draft"]) if request.GET.get("draft", "").isdigit() else None
        return _plan_page(request, campaign, draft=draft)
    brief = request.POST.get("brief", "")
    chosen = request.POST.get("playbook", "")
    if chosen and not chosen.isdigit():
        return _plan_page(request, campaign, brief=brief, field_errors={"playbook": _("Choose one of the playbooks offered.")},
                          status=422)  # fmt: skip
    try:
        draft = services.assist(
            actor=request.user,
            campaign=campaign,
            task=DraftTask.PLAN_FROM_BRIEF,
            lang=language(getattr(request, "LANGUAGE_CODE", "")),
            brief=brief,
            playbook_version_id=int(chosen) if chosen else None,
        )
    except InvalidInput as exc:
        return _plan_page(request, campaign, brief=brief, chosen_playbook=chosen, field_errors=exc.as_field_dict(),
                          status=exc.status)  # fmt: skip
    except DomainError as exc:  # the endpoint failed (502/504), today's budget is spent (429)
        return _plan_page(request, campaign, brief=brief, chosen_playbook=chosen, error=exc.detail, status=exc.status)
    return redirect(reverse("assistant:plan-from-brief", args=[campaign.pk]) + f"?draft={draft.pk}")


@page("campaigns/<int:pk>/assist/plan/<int:draft_id>/apply/", "plan-apply", post=True)
def plan_apply(request, pk: int, draft_id: int):
    """The draft's rows created through the goals, budgets and planning services: all of them or none."""
    if not config().enabled:  # without AI_* nothing of the assistant exists
        raise Http404
    campaign = campaign_for_user(request.user, pk, EDIT)
    draft = _plan_draft(campaign, draft_id)
    version = request.POST.get("version", "")
    if not version.isdigit():
        return _plan_page(request, campaign, draft=draft, error=_("Reload the page and apply again."), status=422)
    try:
        services.draft_apply_plan(actor=request.user, draft=draft, version=int(version))
    except InvalidInput as exc:
        return _plan_page(request, campaign, draft=draft, apply_errors=exc.errors, status=exc.status)
    except StaleVersion:
        draft.refresh_from_db()
        if draft.applied_at is not None:
            message = _("This draft was already applied (%(when)s): nothing was applied again.") % {
                "when": f"{draft.applied_at:%Y-%m-%d %H:%M}"
            }
        else:
            message = _("This draft changed since you opened it: reload the page and apply again.")
        return _plan_page(request, campaign, draft=draft, error=message, status=409)
    except Conflict as exc:
        draft.refresh_from_db()
        return _plan_page(request, campaign, draft=draft, error=exc.detail, status=409)
    messages.success(
        request, _("The plan draft was applied: its KPIs, channels, budget lines and task dates are saved.")
    )
    return redirect(reverse("assistant:plan-from-brief", args=[campaign.pk]) + f"?draft={draft.pk}")
