"""Review writes: evaluation notes, the retrospective, promoting the plan into a playbook, and
starting a new campaign from a case. Atomic, one audit entry each, version-checked."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlparse

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaignflow.accounts.models import User
from campaignflow.campaigns.access import require_campaign_creator
from campaignflow.campaigns.models import Campaign, MemberRole, Membership, Playbook, Status
from campaignflow.core.audit import audit_record, snapshot
from campaignflow.core.errors import Conflict, InvalidInput, StaleVersion
from campaignflow.core.locking import update_versioned
from campaignflow.core.parsing import date_input
from campaignflow.goals.models import Kpi

from .domain import promote as pr
from .models import EvaluationNote, Retrospective

TEXT_MAX = 5000
MAX_ASSETS = 30
SMART = ("specific", "measurable", "achievable", "relevant")  # a KPI's SMART texts


def _text(errors: dict, data: dict, field: str, limit: int = TEXT_MAX) -> str | None:
    if field not in data or data[field] is None:
        return None
    value = data[field]
    if not isinstance(value, str):
        errors[field] = _("Must be text.")
        return None
    value = value.strip()
    if len(value) > limit:
        errors[field] = _("At most %(n)d characters.") % {"n": limit}
    return value


def _version(data: dict) -> int:
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 0:
        raise InvalidInput({"version": _("Send the version you read (a whole number).")})
    return version


# --- evaluation ---------------------------------------------------------------------------


@transaction.atomic
def evaluation_note_save(*, actor: User, campaign: Campaign, kpi_id: int, data: dict) -> EvaluationNote:
    """Write the analysis/improvement of one evaluation row (version 0 = the row has no note yet)."""
    kpi = Kpi.objects.filter(campaign=campaign, pk=kpi_id).first()
    if kpi is None:
        raise InvalidInput({"kpi": _("No such KPI in this campaign.")})
    if campaign.status == Status.ARCHIVED:
        raise Conflict(_("The campaign is archived; its evaluation is final."))
    errors: dict[str, str] = {}
    version = _version(data)
    changes = {f: v for f in ("analysis", "improvement") if (v := _text(errors, data, f)) is not None}
    if (dim := _text(errors, data, "dimension", 100)) is not None:
        changes["dimension"] = dim
    if errors:
        raise InvalidInput(errors)
    note = EvaluationNote.objects.select_for_update().filter(kpi=kpi).first()
    if note is None:
        if version != 0:
            raise StaleVersion(current_version=0)
        try:
            with transaction.atomic():
                note = EvaluationNote.objects.create(campaign=campaign, kpi=kpi, updated_by=actor, **changes)
        except IntegrityError:
            current = EvaluationNote.objects.filter(kpi=kpi).values_list("version", flat=True).first() or 0
            raise StaleVersion(current_version=current) from None
        audit_record(actor=actor, action="evaluation_note", obj=note, campaign=campaign, after=snapshot(note))
        return note
    before = snapshot(note)
    update_versioned(note, expected_version=version, changes={**changes, "updated_by": actor})
    audit_record(
        actor=actor, action="evaluation_note", obj=note, campaign=campaign, before=before, after=snapshot(note)
    )
    return note


# --- retrospective ------------------------------------------------------------------------


def _clean_assets(errors: dict, raw) -> list[dict] | None:
    if raw is None:
        return None
    if not isinstance(raw, list):
        errors["assets"] = _("A list of {title, url} items.")
        return None
    if len(raw) > MAX_ASSETS:
        errors["assets"] = _("At most %(n)d assets.") % {"n": MAX_ASSETS}
        return None
    out = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict):
            errors[f"assets[{i}]"] = _("A {title, url} item.")
            continue
        title = item.get("title") or ""
        url = item.get("url") or ""
        if not isinstance(title, str) or not title.strip() or len(title) > 200:
            errors[f"assets[{i}].title"] = _("A title of 1–200 characters is required.")
            continue
        if not isinstance(url, str) or len(url) > 500:
            errors[f"assets[{i}].url"] = _("At most 500 characters.")
            continue
        url = url.strip()
        if url and urlparse(url).scheme not in ("http", "https") and not url.startswith("/"):
            errors[f"assets[{i}].url"] = _("Use an http(s) link or a path on this site.")
            continue
        out.append({"title": title.strip(), "url": url})
    return out


def parse_assets_text(text: str) -> list[dict]:
    """One asset per line, “title | url” (the form's text box)."""
    items = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        title, _sep, url = line.partition("|")
        if not url and re.match(r"^https?://", title.strip()):
            title, url = title.strip(), title.strip()
        items.append({"title": title.strip(), "url": url.strip()})
    return items


@transaction.atomic
def retrospective_save(*, actor: User, campaign: Campaign, data: dict) -> Retrospective:
    """Write the retrospective; `complete: true` marks it done (needs what worked and what to improve)."""
    if campaign.status == Status.ARCHIVED:
        raise Conflict(_("The campaign is archived; its retrospective is final."))
    errors: dict[str, str] = {}
    version = _version(data)
    changes: dict = {}
    for field in ("worked", "improve", "lessons"):
        if (value := _text(errors, data, field)) is not None:
            changes[field] = value
    assets = _clean_assets(errors, data.get("assets"))
    if assets is not None:
        changes["assets"] = assets
    complete = data.get("complete")
    if complete is not None and not isinstance(complete, bool):
        errors["complete"] = _("Must be true or false.")
    if errors:
        raise InvalidInput(errors)
    retro = Retrospective.objects.select_for_update().filter(campaign=campaign).first()
    current = {f: getattr(retro, f) if retro else "" for f in ("worked", "improve")}
    merged = {**current, **{k: v for k, v in changes.items() if k in current}}
    if complete is True:
        missing = {f: _("Required to complete the retrospective.") for f in ("worked", "improve") if not merged[f]}
        if missing:
            raise InvalidInput(missing)
        changes["completed_at"] = timezone.now()
        changes["completed_by"] = actor
    elif complete is False:
        changes["completed_at"] = None
        changes["completed_by"] = None
    if retro is None:
        if version != 0:
            raise StaleVersion(current_version=0)
        try:
            with transaction.atomic():
                retro = Retrospective.objects.create(campaign=campaign, **changes)
        except IntegrityError:
            raise StaleVersion(current_version=1) from None
        audit_record(actor=actor, action="retrospective", obj=retro, campaign=campaign, after=snapshot(retro))
        return retro
    before = snapshot(retro)
    update_versioned(retro, expected_version=version, changes=changes)
    audit_record(
        actor=actor, action="retrospective", obj=retro, campaign=campaign, before=before, after=snapshot(retro)
    )
    return retro


# --- playbook iteration -------------------------------------------------------------------


def plan_tasks(campaign: Campaign) -> list[pr.PlanTask]:
    from campaignflow.planning.models import Task

    return [
        pr.PlanTask(
            phase=t.phase,
            name=t.name,
            owner_role=t.owner_role or (t.owner.label if t.owner else ""),
            end_date=t.end_date,
            deliverable=t.deliverable,
            remark=t.remark,
        )
        for t in Task.objects.filter(campaign=campaign).select_related("owner").order_by("sort_order", "id")
    ]


def promotion_preview(campaign: Campaign) -> dict:
    """The phases a promotion would save, the playbook version it is based on, and the diff."""
    from .selectors import retrospective_of

    if campaign.status not in (Status.REVIEWING, Status.ARCHIVED):
        raise Conflict(_("Only a finished campaign (reviewing or archived) can be promoted into a playbook."))
    tasks = plan_tasks(campaign)
    if not tasks:
        raise Conflict(_("The campaign has no tasks to promote."))
    base = campaign.playbook_version
    playbook = base.playbook if base else None
    latest = playbook.latest() if playbook else None
    previous = latest.phases if latest else []
    retro = retrospective_of(campaign)
    lessons = (retro.lessons or retro.improve) if retro else ""
    from campaignflow.core.workdays import china_calendar

    calendar = china_calendar(around=(campaign.start_date, campaign.end_date))
    phases = pr.add_lessons(
        pr.phases_from_plan(tasks, campaign.start_date, campaign.end_date, previous, calendar), lessons
    )
    return {
        "playbook": playbook,
        "base_version": latest.number if latest else None,
        "builtin": bool(playbook and playbook.is_builtin),
        "phases": phases,
        "diff": pr.diff_phases(previous, phases),
        "note": (_("Promoted from campaign %(name)s") % {"name": campaign.name})[:300],
    }


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", text.lower()).strip("-")[:60]


@transaction.atomic
def playbook_promote(
    *, actor: User, campaign: Campaign, version: int | None = None, name: str = "", key: str = "", note: str = ""
):
    """Save the campaign's actual plan and lessons as a new playbook version — of its own playbook when that
    is editable, else of a new playbook copied from the built-in one (name/key). One audit entry."""
    from campaignflow.campaigns.domain.playbooks import PlaybookInvalid, parse_phases, phases_to_json
    from campaignflow.campaigns.models import PlaybookVersion

    preview = promotion_preview(campaign)
    playbook = preview["playbook"]
    try:
        phases = phases_to_json(parse_phases(preview["phases"]))
    except PlaybookInvalid as exc:
        raise InvalidInput([{"field": p, "message": m} for p, m in exc.errors]) from None
    note = (note or preview["note"]).strip()[:300]
    if playbook is None or playbook.is_builtin or name:
        errors = {}
        name = (name or "").strip()
        key = _slug(key or "")
        if not name or len(name) > 200:
            errors["name"] = _("Name the new playbook (1–200 characters).")
        if not key:
            key = f"case-{campaign.pk}-{timezone.now():%Y%m%d%H%M%S}"
        if Playbook.objects.filter(key=key).exists():
            errors["key"] = _("This key is taken.")
        if errors:
            raise InvalidInput(errors)
        new = Playbook.objects.create(
            key=key,
            name=name,
            description=playbook.description if playbook else "",
            campaign_type=campaign.type,
            based_on=playbook,
            created_by=actor,
        )
        pv = PlaybookVersion.objects.create(playbook=new, number=1, phases=phases, note=note, created_by=actor)
        audit_record(
            actor=actor,
            action="playbook_promote",
            obj=new,
            campaign=campaign,
            after={"key": key, "based_on": playbook.key if playbook else None, "version": 1},
        )
        return pv
    if version is None:
        raise InvalidInput({"version": _("Send the playbook version you read.")})
    before = playbook.latest()
    update_versioned(playbook, expected_version=version, changes={})
    pv = PlaybookVersion.objects.create(
        playbook=playbook, number=playbook.version, phases=phases, note=note, created_by=actor
    )
    audit_record(
        actor=actor,
        action="playbook_promote",
        obj=playbook,
        campaign=campaign,
        before={"version": before.number if before else None},
        after={"version": pv.number},
    )
    return pv


# --- start from a case --------------------------------------------------------------------


@transaction.atomic
def campaign_from_case(*, actor: User, source: Campaign, data: dict) -> Campaign:
    """A new campaign with the case's plan (tasks shifted to the new dates), KPIs, channels and budget
    structure. Only archived campaigns are cases. One audit entry on the new campaign."""
    from campaignflow.budgets.models import BudgetLine
    from campaignflow.campaigns.services import campaign_dates_clean
    from campaignflow.goals.models import Channel
    from campaignflow.planning.models import Task

    require_campaign_creator(actor)  # the rule of every new campaign (campaigns.access)
    if source.status != Status.ARCHIVED:
        raise Conflict(_("Only an archived campaign is a case to start from."))
    errors = {}
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        errors["name"] = _("Name is required.")
    elif len(name.strip()) > 200:
        errors["name"] = _("Name is at most %(n)d characters.") % {"n": 200}
    start = date_input(data.get("start_date"), "start_date", errors, required=True)
    end = data.get("end_date")
    if errors:
        raise InvalidInput(errors)
    shift = start - source.start_date
    if end in (None, ""):
        end = source.end_date + shift
    start, end = campaign_dates_clean(start, end)
    campaign = Campaign.objects.create(
        name=name.strip(),
        type=source.type,
        description=source.description,
        start_date=start,
        end_date=end,
        budget_total=source.budget_total,
        currency=source.currency,
        owner=actor,
        industry=source.industry,
        tags=list(source.tags or []),
        playbook_version=source.playbook_version,
        created_by=actor,
    )
    Membership.objects.create(campaign=campaign, user=actor, role=MemberRole.OWNER)

    def moved(d):
        if d is None:
            return None
        return min(max(d + shift, dt.date(2000, 1, 1)), dt.date(2100, 12, 31))

    def copy(model, rows, fields: tuple[str, ...], dates: tuple[str, ...] = ()) -> int:
        """The rows again in the new campaign: `fields` as they are, `dates` moved with the campaign."""
        made = model.objects.bulk_create(
            model(campaign=campaign, **{f: getattr(r, f) for f in fields}, **{f: moved(getattr(r, f)) for f in dates})
            for r in rows
        )
        return len(made)

    tasks = copy(
        Task,
        Task.objects.filter(campaign=source).order_by("sort_order", "id"),
        (
            "code",
            "name",
            "phase",
            "module",
            "owner_role",
            "milestone",
            "deliverable",
            "acceptance",
            "remark",
            "sort_order",
        ),
        ("start_date", "end_date"),
    )
    kpis = copy(
        Kpi,
        Kpi.objects.filter(campaign=source),
        ("name", "metric", "numerator", "denominator", "unit", "target", "priority", "direction", "position", *SMART),
        ("deadline",),
    )
    channels = copy(
        Channel,
        Channel.objects.filter(campaign=source),
        ("name", "content_form", "targets", "benchmarks", "note"),
        ("start_date", "end_date"),
    )
    budget_lines = copy(
        BudgetLine, BudgetLine.objects.filter(campaign=source), ("category", "item", "planned", "note", "channel")
    )
    audit_record(
        actor=actor,
        action="create_from_case",
        obj=campaign,
        after={
            **snapshot(campaign),
            "source": source.pk,
            "tasks": tasks,
            "kpis": kpis,
            "channels": channels,
            "budget_lines": budget_lines,
        },
    )
    return campaign
