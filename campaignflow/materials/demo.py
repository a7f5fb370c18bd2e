"""Demo materials: the lists the built-in playbooks made (seed 001 物料清单, seed 003 《物料清单》) given the
owners and statuses that fit each demo campaign's stage.

- before the planning → executing gate (`extend_demo`): a campaign that runs or ran had its materials
  reviewed and approved by the owner, the co-branded ones by the partner too; a campaign still in planning
  has some of its list in review;
- once the campaigns are at their stage (`after_demo`): what was due before today has arrived and been
  accepted (验收) with the ordered quantity, and an archived campaign's leftover gifts went into stock
  (seed 001: 整理活动剩余物料 … 入库或报废).

The review history is written as the services write it (a review row and an audit entry per decision).
A review judges a file (`services.material_review` refuses a material without one), so every material the demo
sends to review first gets a placeholder design as revision 1, uploaded through `services.file_upload` by its
maker. Idempotent: a material that already has its status (or its file) is left alone.
"""

from __future__ import annotations

import datetime as dt
import functools
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from campaignflow.core.audit import audit_record
from campaignflow.core.locking import update_versioned

from .domain import workflow
from .models import Material, MaterialReview, ReviewDecision, ReviewSide
from .services import _snapshot, file_upload

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
                    _with_file(material, users["chensj"])
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


@functools.cache
def _placeholder_png() -> bytes:
    """A plain design card (the demo has no real designs): the same bytes for each, stored once."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (600, 400), (242, 246, 252))
    ImageDraw.Draw(image).rectangle((40, 40, 560, 360), outline=(22, 119, 255), width=8)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _with_file(material: Material, maker) -> None:
    """Its first revision, as its maker would upload it (a draft stays a draft)."""
    if material.revision:
        return
    upload = SimpleUploadedFile(f"{material.code}-设计稿.png", _placeholder_png(), content_type="image/png")
    file_upload(actor=maker, material=material, upload=upload)


def _approve(material: Material, users) -> None:
    """Submitted by its maker, approved by the owner (王经理) and, when co-branded, by the partner."""
    _with_file(material, material.owner or users["chensj"])
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
