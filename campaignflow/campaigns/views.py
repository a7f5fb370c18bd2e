"""Web UI for campaigns and playbooks. Thin: forms collect input, services decide."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from campaignflow.core.domain.dates import in_range, parse_date
from campaignflow.core.domain.devices import is_phone
from campaignflow.core.errors import Forbidden, GateUnmet, InvalidInput, StaleVersion
from campaignflow.core.form_views import act, posted_version, refusal_text, submit
from campaignflow.core.pages import Pages
from campaignflow.core.parsing import range_message
from campaignflow.planning.models import TaskStatus
from campaignflow.planning.selectors import tasks_for

from . import gates, selectors, services
from .access import (
    EDIT,
    MANAGE,
    VIEW,
    campaign_for_user,
    can,
    is_admin,
    may_create_campaigns,
    require_campaign_creator,
    require_playbook_reader,
    role_in,
    visible_people,
)
from .domain import lifecycle as lc
from .domain.playbooks import Step
from .forms import CampaignCreateForm, CampaignEditForm, MemberForm, PlaybookCopyForm
from .models import CampaignType, MemberRole, Playbook, Status
from .tabs import tabs_for

page = Pages()


@page("", "home")
def home(request):
    """The start page: Today on a phone or in a chat app, the campaign list on a desktop."""
    return redirect("today:home" if is_phone(request.headers.get("User-Agent")) else "campaigns:list")


def _campaign_data(cleaned: dict) -> dict:
    data = {
        k: cleaned.get(k)
        for k in ("name", "type", "start_date", "end_date", "budget_total", "industry", "tags", "description")
    }
    data["owner"] = cleaned.get("owner")
    return data


# --- campaigns --------------------------------------------------------------------------


@page("campaigns/", "list")
def campaign_list(request):
    filters = {
        "status": request.GET.get("status") or None,
        "type": request.GET.get("type") or None,
        "q": (request.GET.get("q") or "").strip() or None,
        "deleted": request.GET.get("deleted") == "1" and is_admin(request.user),
        "sort": request.GET.get("sort") or "-start",
    }
    page = Paginator(selectors.campaign_list(request.user, **filters, limit=10**6), 50).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "campaigns": page.object_list,
        "filters": filters,
        "statuses": Status.choices,
        "types": CampaignType.choices,
        "can_create": may_create_campaigns(request.user),
        "nav": "campaigns",
    }
    if request.htmx and request.htmx.target == "campaign-table":
        return render(request, "campaigns/list.html#campaign-table", context)
    return render(request, "campaigns/list.html", context)


@page("campaigns/new/", "create")
def campaign_create(request):
    require_campaign_creator(request.user)  # before the form: its owner picker lists the team
    form = CampaignCreateForm(
        request.POST or None,
        initial={"owner": request.user.username, "playbook": request.GET.get("playbook")},
        people=visible_people(request.user),
    )

    def save():
        playbook = form.cleaned_data.get("playbook")
        data = _campaign_data(form.cleaned_data)
        if playbook and data["type"] == CampaignType.GENERAL:
            data["type"] = playbook.campaign_type
        return services.campaign_create(
            actor=request.user,
            data=data,
            playbook_key=playbook.key if playbook else None,
            past_steps=_past_steps_choice(request.POST, data["start_date"]),
        )

    if request.method == "POST" and (result := submit(form, save)).saved:
        campaign, warnings = result.value
        for warning in warnings:
            messages.warning(request, warning)
        messages.success(request, _("Campaign “%(name)s” created.") % {"name": campaign.name})
        return redirect("campaigns:detail", campaign.pk)
    return render(request, "campaigns/create.html", {"form": form, "nav": "campaigns"})


def _past_steps_choice(params, start: dt.date | None) -> str:
    """The form's choice for steps already past (its radio buttons come with the preview). Unless
    the user chose: a campaign still to come reschedules them (their work is still to do, and a team
    wants dates it can meet, not a plan late on day one); one that has already started is being
    entered after the fact, so its earlier steps keep their dates (they happened)."""
    chosen = params.get("past_steps")
    if chosen:
        return chosen
    return "keep" if start and start < timezone.localdate() else "reschedule"


@page("campaigns/new/preview/", "preview")
def plan_preview(request):
    """htmx: the dated tasks a playbook would generate, shown before the campaign is saved."""
    require_campaign_creator(request.user)  # a part of the new-campaign form, and it reads a playbook
    key = request.GET.get("playbook") or ""
    context: dict = {"tasks": [], "warnings": [], "error": None, "today": timezone.localdate()}
    try:
        start, end = parse_date(request.GET.get("start_date")), parse_date(request.GET.get("end_date"))
    except ValueError:
        start = end = None
    if not (start and end):
        context["error"] = _("Choose the start and end dates to see the plan's dates.")
        return render(request, "campaigns/_preview.html", context)
    if not (in_range(start) and in_range(end)):
        context["error"] = range_message()
        return render(request, "campaigns/_preview.html", context)
    context["past_steps"] = past_steps = _past_steps_choice(request.GET, start)
    if not key:
        context["error"] = _("No playbook chosen: the campaign starts with an empty plan.")
    elif end < start:
        context["error"] = _("The end date is before the start date.")
    else:
        try:
            version = services.playbook_latest(key)
            context["tasks"], context["warnings"] = services.plan_preview(
                playbook_version=version, start=start, end=end, past_steps=past_steps
            )
            context["playbook"] = version
            context["past"] = [t for t in context["tasks"] if t.past_due]
        except InvalidInput as exc:
            context["error"] = refusal_text(exc)
    return render(request, "campaigns/_preview.html", context)


def _detail_context(request, campaign) -> dict:
    user = request.user
    role = role_in(user, campaign)
    moves = []
    for to in lc.moves_from(campaign.status):
        gated = lc.is_gated(campaign.status, to)
        items = gates.checklist(campaign, to) if gated else []
        moves.append(
            {
                "to": to,
                "label": Status(to).label,
                "gated": gated,
                "conditions": items,
                "allowed": all(met for _t, met in items),
                "forward": gated,
                "cancel": to == lc.CANCELLED,
            }
        )
    tasks = list(tasks_for(user, campaign))
    done = sum(1 for t in tasks if t.status == TaskStatus.DONE)
    stages = [
        {
            "key": s,
            "label": Status(s).label,
            "state": ("done" if lc.stage_index(campaign.status) > i else "current" if campaign.status == s else "todo"),
        }
        for i, s in enumerate(lc.ORDER)
    ]
    return {
        "campaign": campaign,
        "role": role,
        "role_label": MemberRole(role).label if role else "",
        "can_edit": can(user, campaign, EDIT),
        "can_manage": can(user, campaign, MANAGE),
        "is_partner": role == MemberRole.PARTNER,
        "moves": moves,
        "stages": stages,
        "members": selectors.members(campaign),
        "member_form": MemberForm(campaign=campaign, people=visible_people(user))
        if can(user, campaign, MANAGE)
        else None,
        "member_roles": MemberRole.choices,
        "tasks": tasks,
        "task_done": done,
        "task_progress": round(done / len(tasks) * 100) if tasks else 0,
        "task_statuses": TaskStatus.choices,
        "member_users": [m.user for m in selectors.members(campaign)],
        "status_changes": campaign.status_changes.select_related("actor")[:50],
        "tabs": tabs_for(user, campaign, role, "overview"),
        "nav": "campaigns",
    }


def campaign_page_context(request, campaign, tab: str, **extra) -> dict:
    """Context every campaign section page needs for campaigns/_header.html (tabs, role)."""
    role = role_in(request.user, campaign)
    return {
        "campaign": campaign,
        "role": role,
        "tabs": tabs_for(request.user, campaign, role, tab),
        "can_edit": can(request.user, campaign, EDIT),
        "can_manage": can(request.user, campaign, MANAGE),
        "nav": "campaigns",
        **extra,
    }


@page("campaigns/<int:pk>/", "detail")
def campaign_detail(request, pk: int):
    campaign = campaign_for_user(request.user, pk, VIEW)
    return render(request, "campaigns/detail.html", _detail_context(request, campaign))


@page("campaigns/<int:pk>/history/", "history")
def campaign_history(request, pk: int):
    campaign = campaign_for_user(request.user, pk, VIEW)
    if role_in(request.user, campaign) == MemberRole.PARTNER:
        raise Forbidden(_("Partners do not see the campaign's internal history."))
    entries = selectors.history(campaign)
    return render(request, "campaigns/history.html", {"campaign": campaign, "entries": entries, "nav": "campaigns"})


@page("campaigns/<int:pk>/edit/", "edit")
def campaign_edit(request, pk: int):
    campaign = campaign_for_user(request.user, pk, MANAGE)
    initial = {
        "name": campaign.name,
        "type": campaign.type,
        "start_date": campaign.start_date,
        "end_date": campaign.end_date,
        "budget_total": campaign.budget_total or "",
        "owner": campaign.owner.username if campaign.owner else None,
        "industry": campaign.industry,
        "tags": ", ".join(campaign.tags or []),
        "description": campaign.description,
        "version": campaign.version,
    }
    form = CampaignEditForm(request.POST or None, initial=initial, people=visible_people(request.user))

    def save():
        data = _campaign_data(form.cleaned_data)
        return services.campaign_update(
            actor=request.user, campaign=campaign, version=form.cleaned_data["version"], data=data
        )

    conflict = ""
    if request.method == "POST":
        result = submit(form, save)
        if result.saved:
            messages.success(request, _("Saved."))
            return redirect("campaigns:detail", campaign.pk)
        if result.conflict:
            conflict = result.conflict
            campaign.refresh_from_db()
    return render(
        request, "campaigns/edit.html", {"form": form, "campaign": campaign, "conflict": conflict, "nav": "campaigns"}
    )


@page("campaigns/<int:pk>/delete/", "delete", post=True)
def campaign_delete(request, pk: int):
    campaign = campaign_for_user(request.user, pk, MANAGE)
    deleted = _("Campaign “%(name)s” deleted. An administrator can restore it.") % {"name": campaign.name}
    version = request.POST.get("version", "")  # the version the page showed: a change since then is a conflict
    version = int(version) if version.isdigit() else None
    if act(request, lambda: services.campaign_delete(actor=request.user, campaign=campaign, version=version), deleted):
        return redirect("campaigns:list")
    return redirect("campaigns:detail", campaign.pk)


@page("campaigns/<int:pk>/restore/", "restore", post=True)
def campaign_restore(request, pk: int):
    campaign = campaign_for_user(request.user, pk, MANAGE, include_deleted=True)
    restored = _("Campaign “%(name)s” restored.") % {"name": campaign.name}
    act(request, lambda: services.campaign_restore(actor=request.user, campaign=campaign), restored)
    return redirect("campaigns:detail", campaign.pk)


@page("campaigns/<int:pk>/transition/", "transition", post=True)
def campaign_transition(request, pk: int):
    campaign = campaign_for_user(request.user, pk, MANAGE)
    to = request.POST.get("to", "")

    def move():
        try:
            return services.campaign_transition(
                campaign=campaign, to=to, actor=request.user, note=request.POST.get("note", "")
            )
        except GateUnmet as exc:  # the page words it as the unmet conditions after one short lead
            raise GateUnmet(exc.unmet, _("Cannot move yet: %(unmet)s") % {"unmet": " ".join(exc.unmet)}) from None

    act(request, move, lambda moved: _("The campaign moved to “%(status)s”.") % {"status": moved.get_status_display()})
    return redirect("campaigns:detail", campaign.pk)


# --- members ----------------------------------------------------------------------------


@page("campaigns/<int:pk>/members/", "member-add", post=True)
def member_add(request, pk: int):
    campaign = campaign_for_user(request.user, pk, MANAGE)
    form = MemberForm(request.POST, campaign=campaign, people=visible_people(request.user))
    if not form.is_valid():
        messages.error(request, _("Choose a user who is not a member yet, and a role."))
        return redirect("campaigns:detail", campaign.pk)
    user, role = form.cleaned_data["username"], form.cleaned_data["role"]
    act(
        request,
        lambda: services.member_add(actor=request.user, campaign=campaign, username=user.username, role=role),
        _("Member added."),
    )
    return redirect("campaigns:detail", campaign.pk)


@page("campaigns/<int:pk>/members/<int:member_id>/", "member-change", post=True)
def member_change(request, pk: int, member_id: int):
    campaign = campaign_for_user(request.user, pk, MANAGE)
    if request.POST.get("remove"):
        act(
            request,
            lambda: services.member_remove(actor=request.user, campaign=campaign, membership_id=member_id),
            _("Member removed."),
        )
    else:
        role = request.POST.get("role", "")
        act(
            request,
            lambda: services.member_change_role(
                actor=request.user, campaign=campaign, membership_id=member_id, role=role
            ),
            _("Role changed."),
        )
    return redirect("campaigns:detail", campaign.pk)


# --- playbooks --------------------------------------------------------------------------


@page("playbooks/", "playbooks")
def playbook_list(request):
    require_playbook_reader(request.user)
    return render(request, "campaigns/playbooks.html", {"playbooks": selectors.playbooks(), "nav": "playbooks"})


def _steps_with_labels(phases: list[dict], lang: str) -> list[dict]:
    out = []
    for phase in phases:
        steps = []
        for s in phase.get("steps", []):
            step = Step(
                **{
                    k: s[k]
                    for k in ("name", "owner_role", "anchor", "offset_days", "workdays", "output", "remark")
                    if k in s
                }
            )
            steps.append({**s, "time_node": step.time_node_label(lang)})
        out.append({**phase, "steps": steps})
    return out


@page("playbooks/<slug:key>/", "playbook")
def playbook_detail(request, key: str):
    require_playbook_reader(request.user)
    playbook = get_object_or_404(Playbook, key=key)
    versions = list(playbook.versions.select_related("created_by"))
    if not versions:
        raise Http404
    number = request.GET.get("v")
    shown = next((v for v in versions if str(v.number) == number), versions[0])
    lang = request.LANGUAGE_CODE
    can_edit = not playbook.is_builtin and (is_admin(request.user) or playbook.created_by_id == request.user.pk)
    return render(
        request,
        "campaigns/playbook_detail.html",
        {
            "playbook": playbook,
            "versions": versions,
            "shown": shown,
            "phases": _steps_with_labels(shown.phases, lang),
            "copy_form": PlaybookCopyForm(
                initial={"name": _("%(name)s (copy)") % {"name": playbook.name}, "key": f"{playbook.key}-copy"}
            ),
            "can_edit": can_edit,
            "can_create": may_create_campaigns(request.user),
            "nav": "playbooks",
        },
    )


@page("playbooks/<slug:key>/copy/", "playbook-copy", post=True)
def playbook_copy(request, key: str):
    require_playbook_reader(request.user)
    source = get_object_or_404(Playbook, key=key)
    form = PlaybookCopyForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect("campaigns:playbook", source.key)
    name, key = form.cleaned_data["name"], form.cleaned_data["key"]
    copied = _("Copied. You can now edit the phases and steps.")
    if act(request, lambda: services.playbook_copy(actor=request.user, source=source, name=name, key=key), copied):
        return redirect("campaigns:playbook-edit", key)
    return redirect("campaigns:playbook", source.key)


def _phases_from_post(post) -> list[dict]:
    """Rebuild phases from the editor's parallel row fields (one row per step)."""
    columns = {
        f: post.getlist(f) for f in ("phase", "owner_role", "anchor", "offset_days", "workdays", "output", "remark")
    }

    def cell(field: str, row: int, default: str = "") -> str:
        values = columns[field]
        return values[row] if row < len(values) else default

    phases: list[dict] = []
    for row, name in enumerate(post.getlist("step_name")):
        phase_name = cell("phase", row).strip()
        if not phases or phases[-1]["name"] != phase_name:
            phases.append({"name": phase_name, "goal": "", "steps": []})
        raw_offset = cell("offset_days", row, "0") or "0"
        try:
            offset: int | str = int(raw_offset)
        except ValueError:
            offset = raw_offset  # parse_phases names the bad cell
        phases[-1]["steps"].append(
            {
                "name": name,
                "owner_role": cell("owner_role", row),
                "anchor": cell("anchor", row, "start"),
                "offset_days": offset,
                "workdays": cell("workdays", row) == "1",
                "output": cell("output", row),
                "remark": cell("remark", row),
            }
        )
    return phases


@page("playbooks/<slug:key>/edit/", "playbook-edit")
def playbook_edit(request, key: str):
    require_playbook_reader(request.user)
    playbook = get_object_or_404(Playbook, key=key)
    if playbook.is_builtin or not (is_admin(request.user) or playbook.created_by_id == request.user.pk):
        raise Forbidden(_("Only the playbook's author or an administrator can edit it; built-ins are copied first."))
    latest = playbook.latest()
    phases, errors = latest.phases, []
    if request.method == "POST":
        phases = _phases_from_post(request.POST)
        try:
            services.playbook_save_version(
                actor=request.user,
                playbook=playbook,
                phases_raw=phases,
                note=request.POST.get("note", ""),
                version=posted_version(request),
            )
        except InvalidInput as exc:  # the editor marks each bad cell (phases[i].steps[j].field) in its rows
            errors = exc.errors
        except StaleVersion as exc:
            errors = [{"field": "version", "message": exc.detail}]
        else:
            messages.success(request, _("Saved as a new version."))
            return redirect("campaigns:playbook", playbook.key)
    rows = [{"phase": p.get("name", ""), **s} for p in phases for s in p.get("steps", [])]
    return render(
        request,
        "campaigns/playbook_edit.html",
        {"playbook": playbook, "rows": rows, "errors": errors, "version": playbook.version, "nav": "playbooks"},
    )
