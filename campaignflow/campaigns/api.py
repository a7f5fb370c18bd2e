"""REST endpoints: playbooks, campaigns, members, lifecycle, history. Thin: parse, call, return."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status
from pydantic import Field

from campaignflow.core.api_types import InputSchema, PathId, VersionQuery, patch_data
from campaignflow.core.errors import Forbidden

from . import gates, selectors, services
from .access import MANAGE, VIEW, campaign_for_user, is_admin, is_partner, require_playbook_reader
from .domain import lifecycle as lc
from .models import Campaign, Membership, Playbook, PlaybookVersion
from .read_cache import cached_user_response, variant_of
from .schemas import (
    AuditOut,
    CampaignIn,
    CampaignOut,
    CampaignPatch,
    MemberIn,
    MemberOut,
    MemberRoleIn,
    PlaybookCopyIn,
    PlaybookOut,
    PlaybookVersionIn,
    PreviewOut,
    TransitionIn,
)

router = Router(tags=["campaigns"])
PlaybookKey = Annotated[str, Path(max_length=80, pattern=r"^[-a-zA-Z0-9_]+$")]  # a slug; anything else is 422


def _showing(playbook: Playbook, version: PlaybookVersion) -> Playbook:
    """The playbook as PlaybookOut reads it: with the version shown (selectors.playbooks sets the latest)."""
    playbook.latest_version = version
    return playbook


# --- playbooks --------------------------------------------------------------------------


@router.get("/playbooks", response=list[PlaybookOut], tags=["playbooks"])
def list_playbooks(request):
    require_playbook_reader(request.user)
    return selectors.playbooks()


@router.get("/playbooks/{key}", response=PlaybookOut, tags=["playbooks"])
def get_playbook(request, key: PlaybookKey):
    require_playbook_reader(request.user)
    playbook = get_object_or_404(Playbook, key=key)
    version = playbook.latest()
    if version is None:
        raise Http404
    return _showing(playbook, version)


@router.get("/playbooks/{key}/preview", response=PreviewOut, tags=["playbooks"])
def preview_playbook(
    request,
    key: PlaybookKey,
    start_date: dt.date,
    end_date: dt.date,
    past_steps: Literal["reschedule", "keep"] = "keep",
):
    """The tasks a campaign created today would get; steps already past are flagged (`past_due`), and
    with past_steps=reschedule shown with the dates they would get. Writes nothing."""
    require_playbook_reader(request.user)
    if not Playbook.objects.filter(key=key).exists():
        raise Http404  # a path that names no playbook: 404, like GET /playbooks/{key}
    version = services.playbook_latest(key)
    # The same date rules as a campaign (range 2000–2100, end not before start): far-off dates overflowed (500).
    start_date, end_date = services.campaign_dates_clean(start_date, end_date)
    specs, warnings = services.plan_preview(
        playbook_version=version, start=start_date, end=end_date, past_steps=past_steps
    )
    return {"tasks": specs, "warnings": warnings, "past_due_count": sum(s.past_due for s in specs)}


@router.post("/playbooks/{key}/copy", response={201: PlaybookOut}, tags=["playbooks"])
def copy_playbook(request, key: PlaybookKey, payload: PlaybookCopyIn):
    require_playbook_reader(request.user)
    source = get_object_or_404(Playbook, key=key)
    playbook = services.playbook_copy(actor=request.user, source=source, name=payload.name, key=payload.key)
    return Status(201, _showing(playbook, playbook.latest()))


@router.post("/playbooks/{key}/versions", response={201: PlaybookOut}, tags=["playbooks"])
def save_playbook_version(request, key: PlaybookKey, payload: PlaybookVersionIn):
    require_playbook_reader(request.user)
    playbook = get_object_or_404(Playbook, key=key)
    if not (is_admin(request.user) or playbook.created_by_id == request.user.pk):
        raise Forbidden(_("Only the playbook's author or an administrator can edit it."))
    version = services.playbook_save_version(
        actor=request.user, playbook=playbook, phases_raw=payload.phases, note=payload.note, version=payload.version
    )
    return Status(201, _showing(playbook, version))


# --- campaigns --------------------------------------------------------------------------


class CampaignFilters(InputSchema):
    status: str | None = Field(None, max_length=100)
    type: str | None = Field(None, max_length=30)
    q: str | None = Field(None, max_length=100)
    owner: str | None = Field(None, max_length=150)
    tag: str | None = Field(None, max_length=40)
    deleted: bool = False
    sort: str = Field("-start", max_length=20)
    limit: int = Field(500, ge=1, le=1000)
    offset: int = Field(0, ge=0, le=10**9)


@router.get("/campaigns", response=list[CampaignOut])
def list_campaigns(request, filters: Query[CampaignFilters]):
    query = filters.dict()

    def build():
        return list(selectors.campaign_list(request.user, **query))

    # campaigns.read_cache: any audited change anywhere gives a new key; the filters are free text (hashed)
    variant = variant_of(*sorted(query.items()))
    return cached_user_response(request, "campaigns", list[CampaignOut], build, variant=variant)


@router.post("/campaigns", response={201: CampaignOut})
def create_campaign(request, payload: CampaignIn):
    data = payload.dict(exclude={"playbook", "past_steps"}, exclude_unset=True)
    data.setdefault("start_date", payload.start_date)
    data.setdefault("end_date", payload.end_date)
    data.setdefault("name", payload.name)
    # Without past_steps: "keep" (each task's due date is its step's time node, as documented)
    campaign, warnings = services.campaign_create(
        actor=request.user, data=data, playbook_key=payload.playbook, past_steps=payload.past_steps
    )
    campaign.warnings = warnings  # CampaignOut shows them with the new campaign
    return Status(201, selectors.with_counts(campaign, request.user))


@router.get("/campaigns/{campaign_id}", response=CampaignOut)
def get_campaign(request, campaign_id: PathId):
    campaign = campaign_for_user(request.user, campaign_id, VIEW)
    return selectors.with_counts(campaign, request.user)


@router.patch("/campaigns/{campaign_id}", response=CampaignOut)
def update_campaign(request, campaign_id: PathId, payload: CampaignPatch):
    campaign = campaign_for_user(request.user, campaign_id, MANAGE)
    version, data = patch_data(payload)
    campaign = services.campaign_update(actor=request.user, campaign=campaign, version=version, data=data)
    return selectors.with_counts(campaign, request.user)


@router.delete("/campaigns/{campaign_id}", response={204: None})
def delete_campaign(request, campaign_id: PathId, q: Query[VersionQuery]):
    """A soft delete an admin can restore. `?version=` (optional): the version read; a stale one is 409."""
    campaign = campaign_for_user(request.user, campaign_id, MANAGE)
    services.campaign_delete(actor=request.user, campaign=campaign, version=q.version)
    return Status(204, None)


@router.post("/campaigns/{campaign_id}/restore", response=CampaignOut)
def restore_campaign(request, campaign_id: PathId):
    if not is_admin(request.user):
        # A deleted campaign is hidden from its members, but they know it existed: tell them who can
        # restore it (403) instead of 404. Non-members still learn nothing (404).
        if not Membership.objects.filter(campaign_id=campaign_id, user=request.user).exists():
            raise Http404
        raise Forbidden(_("Only an administrator can restore a deleted campaign."))
    campaign = campaign_for_user(request.user, campaign_id, MANAGE, include_deleted=True)
    campaign = services.campaign_restore(actor=request.user, campaign=campaign)
    return selectors.with_counts(campaign, request.user)


@router.post("/campaigns/{campaign_id}/transition", response={200: CampaignOut})
def transition_campaign(request, campaign_id: PathId, payload: TransitionIn):
    campaign = campaign_for_user(request.user, campaign_id, MANAGE)
    campaign = services.campaign_transition(campaign=campaign, to=payload.to, actor=request.user, note=payload.note)
    return selectors.with_counts(campaign, request.user)


@router.get("/campaigns/{campaign_id}/lifecycle")
def campaign_lifecycle(request, campaign_id: PathId):
    """The moves open from the current status, each with its gate checklist."""
    campaign = campaign_for_user(request.user, campaign_id, VIEW)
    moves = []
    for to in lc.moves_from(campaign.status):
        items = gates.checklist(campaign, to) if lc.is_gated(campaign.status, to) else []
        moves.append(
            {
                "to": to,
                "gated": lc.is_gated(campaign.status, to),
                "conditions": [{"text": t, "met": m} for t, m in items],
                "allowed": all(m for _t, m in items),
            }
        )
    changes = [
        {
            "from": s.from_status,
            "to": s.to_status,
            "actor": s.actor.username if s.actor else None,
            "at": s.at.isoformat(),
            "note": s.note,
        }
        for s in campaign.status_changes.select_related("actor")
    ]
    return {"status": campaign.status, "moves": moves, "history": changes}


# --- members ----------------------------------------------------------------------------


def _membership_or_404(campaign: Campaign, member_id: int) -> None:
    """A member id in the path that is not a member of this campaign does not exist here: 404."""
    if not campaign.memberships.filter(pk=member_id).exists():
        raise Http404


@router.get("/campaigns/{campaign_id}/members", response=list[MemberOut])
def list_members(request, campaign_id: PathId):
    campaign = campaign_for_user(request.user, campaign_id, VIEW)
    return selectors.members(campaign)


@router.post("/campaigns/{campaign_id}/members", response={201: MemberOut})
def add_member(request, campaign_id: PathId, payload: MemberIn):
    campaign = campaign_for_user(request.user, campaign_id, MANAGE)
    membership = services.member_add(
        actor=request.user, campaign=campaign, username=payload.username, role=payload.role
    )
    return Status(201, membership)


@router.patch("/campaigns/{campaign_id}/members/{member_id}", response=MemberOut)
def change_member(request, campaign_id: PathId, member_id: PathId, payload: MemberRoleIn):
    campaign = campaign_for_user(request.user, campaign_id, MANAGE)
    _membership_or_404(campaign, member_id)
    return services.member_change_role(
        actor=request.user, campaign=campaign, membership_id=member_id, role=payload.role
    )


@router.delete("/campaigns/{campaign_id}/members/{member_id}", response={204: None})
def remove_member(request, campaign_id: PathId, member_id: PathId):
    campaign = campaign_for_user(request.user, campaign_id, MANAGE)
    _membership_or_404(campaign, member_id)
    services.member_remove(actor=request.user, campaign=campaign, membership_id=member_id)
    return Status(204, None)


# --- history ----------------------------------------------------------------------------


@router.get("/campaigns/{campaign_id}/history", response=list[AuditOut])
def campaign_history(request, campaign_id: PathId):
    campaign = campaign_for_user(request.user, campaign_id, VIEW)
    if is_partner(request.user, campaign):
        raise Forbidden(_("Partners do not see the campaign's internal history."))
    return selectors.history(campaign)
