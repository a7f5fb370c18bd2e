"""Campaign writes: create (from a playbook), edit, delete/restore, members, lifecycle moves.

Every function is atomic and writes its audit entry; the API and the web UI both call these.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaignflow.accounts.models import User
from campaignflow.accounts.selectors import user_input
from campaignflow.core.audit import audit_record, snapshot
from campaignflow.core.domain.numbers import CENT, MAX_MONEY, MoneyError, parse_money
from campaignflow.core.domain.text import clean_text
from campaignflow.core.errors import Conflict, Forbidden, GateUnmet, InvalidInput
from campaignflow.core.locking import changed_only, refuse_if_stale, update_versioned
from campaignflow.core.parsing import date_input
from campaignflow.core.shown_numbers import money_shown
from campaignflow.core.unique_rows import create_unique
from campaignflow.core.workdays import china_calendar, unknown_year_warning
from campaignflow.planning.models import Task

from . import gates
from .access import is_admin, require_campaign_creator, require_playbook_reader, require_writer
from .domain import lifecycle as lc
from .domain.playbooks import TaskSpec, generate_tasks, parse_phases
from .models import Campaign, CampaignType, MemberRole, Membership, Playbook, PlaybookVersion, StatusChange
from .signals import plan_generated

NAME_MAX = 200
EDITABLE_FIELDS = ("name", "type", "description", "start_date", "end_date", "budget_total", "owner", "industry", "tags")


# --- validation -------------------------------------------------------------------------


def _clean_campaign_fields(data: dict, *, partial: bool, current: Campaign | None = None) -> dict:
    """Validate and normalise campaign fields; raise InvalidInput naming every bad field."""
    errors: dict[str, str] = {}
    out: dict = {}
    if "name" in data or not partial:
        name = clean_text(data.get("name"))
        if not name:
            errors["name"] = _("Name is required.")
        elif len(name) > NAME_MAX:
            errors["name"] = _("Name is at most %(n)d characters.") % {"n": NAME_MAX}
        out["name"] = name
    for field in ("start_date", "end_date"):
        if field in data or not partial:
            value = date_input(data.get(field), field, errors, required=True)  # within 2000–2100
            if value is None:
                continue
            out[field] = value
    start = out.get("start_date", current.start_date if current else None)
    end = out.get("end_date", current.end_date if current else None)
    if start and end and end < start and "start_date" not in errors and "end_date" not in errors:
        errors["end_date"] = _("The end date is before the start date.")
    if "budget_total" in data:
        raw = data.get("budget_total")
        if raw in (None, ""):
            out["budget_total"] = None
        else:
            try:
                out["budget_total"] = parse_money(raw)
            except MoneyError as exc:
                errors["budget_total"] = {
                    "must not be negative": _("The budget cannot be negative."),
                    "too large": _("The amount is too large: it must be less than %(limit)s.")
                    % {"limit": money_shown(MAX_MONEY + CENT)},
                    "at most 2 decimal places": _("At most 2 decimal places (fen)."),
                }.get(str(exc), _("Not a number: write e.g. 500000, 50万 or 500,000.00."))
    if "type" in data or not partial:
        value = data.get("type") or CampaignType.GENERAL
        if value not in CampaignType.values:
            errors["type"] = _("Unknown campaign type %(value)s; use one of %(choices)s.") % {
                "value": value,
                "choices": ", ".join(CampaignType.values),
            }
        out["type"] = value
    for field, limit in (("description", 10000), ("industry", 100)):
        if field in data:
            value = (data.get(field) or "").strip()
            if len(value) > limit:
                errors[field] = _("At most %(n)d characters.") % {"n": limit}
            out[field] = value
    if "tags" in data:
        tags = data.get("tags") or []
        if isinstance(tags, str):
            tags = [t for t in (x.strip() for x in tags.replace("，", ",").split(",")) if t]
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            errors["tags"] = _("Tags must be a list of words.")
        elif len(tags) > 20 or any(len(t) > 40 for t in tags):
            errors["tags"] = _("At most 20 tags of at most 40 characters each.")
        else:
            out["tags"] = list(dict.fromkeys(t.strip() for t in tags if t.strip()))
    if "owner" in data:
        out["owner"] = user_input(data.get("owner"), "owner", errors)
    if errors:
        raise InvalidInput(errors)
    return out


def campaign_dates_clean(start, end) -> tuple[dt.date, dt.date]:
    """A campaign's start and end as dates under the campaign rules; InvalidInput naming the bad one."""
    out = _clean_campaign_fields({"start_date": start, "end_date": end}, partial=True)
    return out["start_date"], out["end_date"]


# --- playbooks --------------------------------------------------------------------------


def playbook_latest(key: str) -> PlaybookVersion:
    version = PlaybookVersion.objects.select_related("playbook").filter(playbook__key=key).order_by("-number").first()
    if version is None:
        raise InvalidInput({"playbook": _("Unknown playbook %(key)s.") % {"key": key}})
    return version


PAST_STEPS = ("reschedule", "keep")  # what to do with steps whose dates are past on the day of creation


def _past_steps_clean(past_steps: str | None) -> str | None:
    if past_steps is not None and past_steps not in PAST_STEPS:
        raise InvalidInput(
            {
                "past_steps": _("Unknown choice %(value)s; use one of %(choices)s.")
                % {"value": past_steps, "choices": ", ".join(PAST_STEPS)}
            }
        )
    return past_steps


def plan_preview(
    *, playbook_version: PlaybookVersion, start: dt.date, end: dt.date, past_steps: str | None = None
) -> tuple[list[TaskSpec], list[str]]:
    """The tasks a playbook would generate for these dates if created today, and warnings (unknown
    holiday years). Each task says whether its dates are already past; with past_steps="reschedule"
    those are moved to today or later. Writes nothing."""
    past_steps = _past_steps_clean(past_steps)
    calendar = china_calendar(around=(min(start, timezone.localdate()), end))
    specs = generate_tasks(
        parse_phases(playbook_version.phases),
        start,
        end,
        calendar,
        today=timezone.localdate(),
        reschedule=past_steps == "reschedule",
    )
    warning = unknown_year_warning(calendar)
    return specs, [warning] if warning else []


# --- campaigns --------------------------------------------------------------------------


def _ensure_member(campaign: Campaign, user: User, role: str) -> None:
    membership, created = Membership.objects.get_or_create(campaign=campaign, user=user, defaults={"role": role})
    if not created and role == MemberRole.OWNER and membership.role != MemberRole.OWNER:
        membership.role = MemberRole.OWNER
        membership.save(update_fields=["role"])


@transaction.atomic
def campaign_create(
    *, actor: User, data: dict, playbook_key: str | None = None, past_steps: str | None = None
) -> tuple[Campaign, list[str]]:
    """Create a campaign; with a playbook, generate its dated tasks. Returns (campaign, warnings).

    Steps whose dates are already past today: "reschedule" moves them to today or later; "keep"
    keeps their dates and keeps them out of the overdue alerts and counts (the web form and the API
    always say which); None generates the dates as they come (loading past campaigns, tests).
    Partner users may not create campaigns (403)."""
    require_campaign_creator(actor)
    past_steps = _past_steps_clean(past_steps)
    fields = _clean_campaign_fields(data, partial=False)
    version = playbook_latest(playbook_key) if playbook_key else None
    if version and "type" not in data:
        fields["type"] = version.playbook.campaign_type
    fields.setdefault("owner", actor)
    campaign = Campaign.objects.create(**fields, playbook_version=version, created_by=actor)
    _ensure_member(campaign, actor, MemberRole.OWNER)
    if campaign.owner_id and campaign.owner_id != actor.pk:
        _ensure_member(campaign, campaign.owner, MemberRole.OWNER)
    warnings: list[str] = []
    today = timezone.localdate()
    if version:
        specs, warnings = plan_preview(
            playbook_version=version, start=campaign.start_date, end=campaign.end_date, past_steps=past_steps
        )
        Task.objects.bulk_create(
            Task(
                campaign=campaign,
                code=s.code,
                name=s.name,
                phase=s.phase,
                owner_role=s.owner_role,
                start_date=s.start_date,
                end_date=s.end_date,
                deliverable=s.deliverable,
                remark=s.remark,
                sort_order=s.sort_order,
                kept_past_due=s.end_date if past_steps == "keep" and s.end_date < today else None,
            )
            for s in specs
        )
        plan_generated.send(sender=Campaign, campaign=campaign, specs=specs, actor=actor)
    audit_record(
        actor=actor,
        action="create",
        obj=campaign,
        after={**snapshot(campaign), "generated_tasks": campaign.tasks.count(), "past_steps": past_steps},
    )
    return campaign, warnings


@transaction.atomic
def campaign_update(*, actor: User, campaign: Campaign, version: int, data: dict) -> Campaign:
    changes = _clean_campaign_fields(
        {k: v for k, v in data.items() if k in EDITABLE_FIELDS}, partial=True, current=campaign
    )
    before = snapshot(campaign)
    changes = changed_only(campaign, changes)
    if not changes:
        refuse_if_stale(campaign, version)
        return campaign  # nothing changed: no new version, no audit entry
    update_versioned(campaign, expected_version=version, changes=changes)
    if "owner" in changes and changes["owner"] is not None:
        _ensure_member(campaign, changes["owner"], MemberRole.OWNER)
    audit_record(actor=actor, action="update", obj=campaign, before=before, after=snapshot(campaign))
    return campaign


@transaction.atomic
def campaign_delete(*, actor: User, campaign: Campaign, version: int | None = None) -> Campaign:
    """A soft delete; `version`, when given, is the one the deleting person read (stale: 409)."""
    before = snapshot(campaign)
    update_versioned(
        campaign,
        expected_version=campaign.version if version is None else version,
        changes={"deleted_at": timezone.now(), "deleted_by": actor},
    )
    audit_record(actor=actor, action="delete", obj=campaign, before=before, after=snapshot(campaign))
    return campaign


@transaction.atomic
def campaign_restore(*, actor: User, campaign: Campaign) -> Campaign:
    if not is_admin(actor):
        raise Forbidden(_("Only an administrator can restore a deleted campaign."))
    if campaign.deleted_at is None:
        raise Conflict(_("This campaign is not deleted."))
    before = snapshot(campaign)
    update_versioned(campaign, expected_version=campaign.version, changes={"deleted_at": None, "deleted_by": None})
    audit_record(actor=actor, action="restore", obj=campaign, before=before, after=snapshot(campaign))
    return campaign


@transaction.atomic
def campaign_transition(*, campaign: Campaign, to: str, actor: User, note: str = "") -> Campaign:
    """Move the campaign through its lifecycle; forward moves must pass their stage gate."""
    # Lock the row so two simultaneous moves cannot both pass the gate on a stale status.
    current = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if to not in lc.STATUSES:
        raise InvalidInput(
            {"to": _("Unknown status %(to)s; use one of %(choices)s.") % {"to": to, "choices": ", ".join(lc.STATUSES)}}
        )
    if not lc.is_allowed(current.status, to):
        raise Conflict(_("A campaign cannot move from %(from)s to %(to)s.") % {"from": current.status, "to": to})
    unmet = gates.unmet_conditions(current, to)
    if unmet:
        raise GateUnmet(unmet)
    before = current.status
    update_versioned(current, expected_version=current.version, changes={"status": to})
    StatusChange.objects.create(campaign=current, from_status=before, to_status=to, actor=actor, note=note[:300])
    audit_record(actor=actor, action="transition", obj=current, before={"status": before}, after={"status": to})
    campaign.refresh_from_db()
    return campaign


# --- members ----------------------------------------------------------------------------


@transaction.atomic
def member_add(*, actor: User, campaign: Campaign, username: str, role: str) -> Membership:
    errors = {}
    if role not in MemberRole.values:
        errors["role"] = _("Unknown role %(role)s; use one of %(choices)s.") % {
            "role": role,
            "choices": ", ".join(MemberRole.values),
        }
    user = user_input(username, "username", errors)
    if user is None and "username" not in errors:
        errors["username"] = _("This field is required.")
    if errors:
        raise InvalidInput(errors)
    exists = Conflict(_("%(name)s is already a member of this campaign.") % {"name": user.username})
    membership = create_unique(Membership, ("campaign", "user"), exists, campaign=campaign, user=user, role=role)
    audit_record(
        actor=actor, action="member_add", obj=membership, campaign=campaign, after={"user": user.username, "role": role}
    )
    return membership


def _guard_last_owner(campaign: Campaign, membership: Membership) -> None:
    if (
        membership.role == MemberRole.OWNER
        and not campaign.memberships.filter(role=MemberRole.OWNER).exclude(pk=membership.pk).exists()
    ):
        raise Conflict(_("A campaign needs at least one owner; add another owner first."))


def _hand_over_ownership(campaign: Campaign, leaving: Membership) -> None:
    """When the campaign's named owner stops being an owner, the longest-standing other owner takes over."""
    if campaign.owner_id != leaving.user_id:
        return
    successor = campaign.memberships.filter(role=MemberRole.OWNER).exclude(pk=leaving.pk).order_by("id").first()
    if successor is not None:
        update_versioned(campaign, expected_version=campaign.version, changes={"owner": successor.user})


@transaction.atomic
def member_change_role(*, actor: User, campaign: Campaign, membership_id: int, role: str) -> Membership:
    membership = Membership.objects.select_for_update().filter(campaign=campaign, pk=membership_id).first()
    if membership is None:
        raise InvalidInput({"member": _("No such member.")})
    if role not in MemberRole.values:
        raise InvalidInput({"role": _("Unknown role %(role)s.") % {"role": role}})
    if role != MemberRole.OWNER:
        _guard_last_owner(campaign, membership)
        _hand_over_ownership(campaign, membership)
    before = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    audit_record(
        actor=actor,
        action="member_role",
        obj=membership,
        campaign=campaign,
        before={"user": membership.user.username, "role": before},
        after={"user": membership.user.username, "role": role},
    )
    return membership


@transaction.atomic
def member_remove(*, actor: User, campaign: Campaign, membership_id: int) -> None:
    membership = Membership.objects.select_for_update().filter(campaign=campaign, pk=membership_id).first()
    if membership is None:
        raise InvalidInput({"member": _("No such member.")})
    _guard_last_owner(campaign, membership)
    _hand_over_ownership(campaign, membership)
    audit_record(
        actor=actor,
        action="member_remove",
        obj=membership,
        campaign=campaign,
        before={"user": membership.user.username, "role": membership.role},
    )
    membership.delete()


# --- playbook editing --------------------------------------------------------------------


@transaction.atomic
def playbook_copy(*, actor: User, source: Playbook, name: str, key: str) -> Playbook:
    require_playbook_reader(actor)  # the team's methods (campaigns.access), whichever door the copy comes through
    require_writer(actor)
    errors = {}
    name = clean_text(name)
    if not name:
        errors["name"] = _("Name is required.")
    if not key or Playbook.objects.filter(key=key).exists():
        errors["key"] = _("This key is taken or empty.")
    if errors:
        raise InvalidInput(errors)
    latest = source.latest()
    playbook = Playbook.objects.create(
        key=key,
        name=name.strip()[:200],
        description=source.description,
        campaign_type=source.campaign_type,
        based_on=source,
        created_by=actor,
    )
    PlaybookVersion.objects.create(
        playbook=playbook,
        number=1,
        phases=latest.phases,
        created_by=actor,
        note=_("Copied from %(name)s v%(n)d") % {"name": source.name, "n": latest.number},
    )
    audit_record(actor=actor, action="create", obj=playbook, after={"key": key, "based_on": source.key})
    return playbook


@transaction.atomic
def playbook_save_version(*, actor: User, playbook: Playbook, phases_raw, note: str, version: int) -> PlaybookVersion:
    """Save edited phases/steps as a new version (built-ins are edited by copying them)."""
    from .domain.playbooks import PlaybookInvalid, phases_to_json

    require_playbook_reader(actor)
    require_writer(actor)
    if playbook.is_builtin:
        raise Forbidden(_("Built-in playbooks cannot be edited; copy it first."))
    try:
        phases = parse_phases(phases_raw)
    except PlaybookInvalid as exc:
        raise InvalidInput([{"field": p, "message": m} for p, m in exc.errors]) from None
    before = playbook.latest()
    update_versioned(playbook, expected_version=version, changes={})
    new = PlaybookVersion.objects.create(
        playbook=playbook,
        number=playbook.version,
        phases=phases_to_json(phases),
        note=(note or "")[:300],
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="new_version",
        obj=playbook,
        before={"version": before.number if before else None},
        after={"version": new.number},
    )
    return new
