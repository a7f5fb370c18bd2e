"""Demo materials: the lists the built-in playbooks made (seed 001 物料清单, seed 003 《物料清单》) given the
owners and statuses that fit each demo campaign's stage.

- before the planning → executing gate (`extend_demo`): a campaign that runs or ran had its materials
  reviewed and approved by the owner, the co-branded ones by the partner too; a campaign still in planning
  has some of its list in review;
- once the campaigns are at their stage (`after_demo`): what was due before today has arrived and been
  accepted (验收) with the ordered quantity, and an archived campaign's leftover gifts went into stock
  (seed 001: 整理活动剩余物料 … 入库或报废).

The review history is written as the services write it (a review row and an audit entry per decision);
there are no files (the demo has no designs to upload), so every decision is on revision 0. Idempotent:
a material that already has its status is left alone.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from campaignflow.core.audit import audit_record
from campaignflow.core.locking import update_versioned

from .domain import workflow
from .models import Material, MaterialReview, ReviewDecision, ReviewSide
from .services import _snapshot

PAST_PLANNING = {"executing", "reviewing", "archived"}
# the demo user who owns a material, by kind: the designer makes what is drawn, the specialist buys the rest
DESIGNED = {"poster", "long_image", "h5", "video", "invitation", "press_release", "flyer", "slides"}


def extend_demo(*, campaigns, users, specs) -> None:
    for spec in specs:
        campaign = campaigns.get(spec["name"])
        if campaign is None:
            continue
        with transaction.atomic():
            _owners(campaign, users)
            if spec["to"] in PAST_PLANNING:
                for material in _materials(campaign, workflow.DRAFT):
                    _approve(material, users)
            elif spec["to"] == "planning" and not _materials(campaign, workflow.IN_REVIEW):
                # the first two designs went to review; the rest are still being made
                for material in _materials(campaign, workflow.DRAFT)[:2]:
                    _decide(material, users["chensj"], ReviewSide.HOST, ReviewDecision.SUBMIT, workflow.IN_REVIEW)


def after_demo(*, campaigns, users, specs) -> None:
    today = timezone.localdate()
    for spec in specs:
        campaign = campaigns.get(spec["name"])
        if campaign is None or spec["to"] not in PAST_PLANNING:
            continue
        with transaction.atomic():
            for material in _materials(campaign, workflow.APPROVED):
                if material.due_date and material.due_date < today:
                    _accept(material, users["zhangzy"])
            if spec["to"] == "archived":
                _leftovers(campaign, users["zhangzy"])


def _materials(campaign, status: str) -> list[Material]:
    return list(Material.objects.filter(campaign=campaign, status=status).order_by("sort_order", "id"))


def _owners(campaign, users) -> None:
    for material in Material.objects.filter(campaign=campaign, owner__isnull=True):
        material.owner = users["chensj" if material.kind in DESIGNED else "zhangzy"]
        material.save(update_fields=["owner"])


def _decide(material: Material, actor, side: str, decision: str, status: str, **extra) -> None:
    before = _snapshot(material)
    MaterialReview.objects.create(
        material=material, revision=material.revision, side=side, decision=decision, actor=actor
    )
    update_versioned(material, expected_version=material.version, changes={"status": status, **extra})
    audit_record(
        actor=actor, action=decision, obj=material, campaign=material.campaign, before=before, after=_snapshot(material)
    )


def _approve(material: Material, users) -> None:
    """Submitted by its maker, approved by the owner (王经理) and, when co-branded, by the partner."""
    _decide(material, material.owner or users["chensj"], ReviewSide.HOST, ReviewDecision.SUBMIT, workflow.IN_REVIEW)
    if material.partner_approval:
        _decide(material, users["partner"], ReviewSide.PARTNER, ReviewDecision.APPROVE, workflow.IN_REVIEW)
    _decide(material, users["wangjl"], ReviewSide.HOST, ReviewDecision.APPROVE, workflow.APPROVED)


def _accept(material: Material, actor) -> None:
    # it arrived on its due date
    at = timezone.make_aware(dt.datetime.combine(material.due_date, dt.time(17, 0)))
    _decide(
        material,
        actor,
        ReviewSide.HOST,
        ReviewDecision.ACCEPT,
        workflow.ACCEPTED,
        received_quantity=material.quantity,
        accepted_at=at,
        accepted_by=actor,
    )


def _leftovers(campaign, actor) -> None:
    for material in Material.objects.filter(campaign=campaign, kind="gift", status=workflow.ACCEPTED):
        if material.leftover_action:
            continue
        before = _snapshot(material)
        changes = {
            "leftover_quantity": (material.received_quantity or 0) // 10,
            "leftover_action": "stock",
            "leftover_place": "总部仓库B区",
            "leftover_note": "活动剩余礼品入库，下次活动复用",
        }
        update_versioned(material, expected_version=material.version, changes=changes)
        audit_record(
            actor=actor, action="update", obj=material, campaign=campaign, before=before, after=_snapshot(material)
        )
