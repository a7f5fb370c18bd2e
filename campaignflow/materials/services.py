"""Materials writes: the list, file revisions, the two-brand review, acceptance (验收) and leftovers.

Every write is one transaction with its audit entry; field errors are collected and raised together
(422 naming the fields); a move the workflow does not allow is a 409 naming the allowed moves.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaignflow.budgets.models import BudgetLine
from campaignflow.campaigns.access import MANAGE, can, is_admin, role_in
from campaignflow.campaigns.models import Campaign, MemberRole
from campaignflow.campaigns.selectors import member_input
from campaignflow.core import blobs
from campaignflow.core.audit import audit_record, delete_versioned, snapshot
from campaignflow.core.codes import create_with_code
from campaignflow.core.domain.text import clean_text
from campaignflow.core.errors import Conflict, Forbidden, InvalidInput
from campaignflow.core.locking import changed_only, refuse_if_stale, update_versioned
from campaignflow.core.parsing import date_input, text_input
from campaignflow.planning.models import Task

from . import selectors
from .domain import workflow
from .jobs import queue_preview
from .models import (
    LeftoverAction,
    Material,
    MaterialComment,
    MaterialFile,
    MaterialKind,
    MaterialReview,
    MaterialStatus,
    ReviewDecision,
    ReviewSide,
)

BLOB_PREFIX = "materials"
MAX_QUANTITY = 10**9
TEXT_LIMITS = {"name": 200, "unit": 20, "vendor": 200, "note": 5000}
LEFTOVER_TEXT = {"leftover_place": 200, "leftover_note": 500}


def _snapshot(material: Material) -> dict:
    return snapshot(material, exclude=("created_at", "updated_at"))


# --- cleaning -------------------------------------------------------------------------------------


def _optional(data: dict, out: dict, errors: dict, field: str, parse) -> None:
    """A field that can be cleared: left out, untouched; null or empty, None; else what `parse` makes of the
    value (a refusal is a ValueError whose text names what is wanted)."""
    if field not in data:
        return
    value = data[field]
    if value in (None, ""):
        out[field] = None
        return
    try:
        out[field] = parse(value)
    except ValueError as refused:
        errors[field] = str(refused)


def _whole_number(value) -> int:
    text = value.strip() if isinstance(value, str) else ""
    if text.isdecimal() and len(text) <= len(str(MAX_QUANTITY)):
        value = int(text)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_QUANTITY:
        raise ValueError(_("A whole number from 0 to %(max)s.") % {"max": f"{MAX_QUANTITY:,}"})
    return value


def _quantity(data: dict, out: dict, errors: dict, field: str) -> None:
    _optional(data, out, errors, field, _whole_number)


def _of_campaign(campaign: Campaign, model, message: str):
    """A parser of a budget line or task of the same campaign, by id."""

    def parse(value):
        try:
            pk = int(value)
        except (TypeError, ValueError):
            pk = 0
        found = model.objects.filter(campaign=campaign, pk=pk).first() if 0 < pk < 2**63 else None
        if found is None:
            raise ValueError(message)
        return found

    return parse


def _clean(campaign: Campaign, data: dict, *, creating: bool) -> dict:
    errors: dict[str, str] = {}
    out: dict = {}
    for field, limit in TEXT_LIMITS.items():
        if field in data or (creating and field == "name"):
            out[field] = text_input(data.get(field), field, limit, errors, required=field == "name")
    if "kind" in data:
        kind = data["kind"] or MaterialKind.OTHER
        if kind not in MaterialKind.values:
            errors["kind"] = _("Unknown kind: %(value)s. One of: %(choices)s.") % {
                "value": kind,
                "choices": ", ".join(MaterialKind.values),
            }
        out["kind"] = kind
    _quantity(data, out, errors, "quantity")
    if "owner" in data:
        out["owner"] = member_input(campaign, data["owner"], "owner", errors)
    if "due_date" in data:
        out["due_date"] = date_input(data["due_date"], "due_date", errors)
    for field, model, message in (
        ("budget_line", BudgetLine, _("No such budget line in this campaign.")),
        ("task", Task, _("No such task in this campaign.")),
    ):
        _optional(data, out, errors, field, _of_campaign(campaign, model, message))
    for flag in ("partner_approval", "shared_with_partners"):
        if flag in data:
            out[flag] = bool(data[flag])
    if out.get("partner_approval"):
        out["shared_with_partners"] = True  # the partner approves what they can see
    if errors:
        raise InvalidInput(errors)
    return out


def _clean_leftovers(material: Material, data: dict) -> dict:
    fields = ("leftover_quantity", "leftover_action", *LEFTOVER_TEXT)
    if not any(f in data for f in fields):
        return {}
    if material.status != MaterialStatus.ACCEPTED:
        raise Conflict(
            _("Leftovers are recorded after acceptance (验收); this material is %(status)s.")
            % {"status": material.get_status_display()}
        )
    errors: dict[str, str] = {}
    out: dict = {}
    _quantity(data, out, errors, "leftover_quantity")
    received = material.received_quantity if material.received_quantity is not None else material.quantity
    left = out.get("leftover_quantity")
    if left is not None and received is not None and left > received:
        errors["leftover_quantity"] = _("More than the %(n)s received.") % {"n": received}
    if "leftover_action" in data:
        action = data["leftover_action"] or ""
        if action and action not in LeftoverAction.values:
            errors["leftover_action"] = _("Either stock or scrap.")
        out["leftover_action"] = action
    for field, limit in LEFTOVER_TEXT.items():
        if field in data:
            out[field] = text_input(data[field], field, limit, errors)
    if errors:
        raise InvalidInput(errors)
    return out


# --- the list -------------------------------------------------------------------------------------


@transaction.atomic
def material_create(*, actor, campaign: Campaign, data: dict) -> Material:
    fields = _clean(campaign, data, creating=True)
    fields.setdefault("sort_order", Material.objects.filter(campaign=campaign).count() + 1)
    material = create_with_code(Material, campaign, "M", fields)
    audit_record(actor=actor, action="create", obj=material, campaign=campaign, after=_snapshot(material))
    return material


@transaction.atomic
def material_update(*, actor, material: Material, version: int, data: dict) -> Material:
    data = dict(data)
    target = data.pop("status", None)
    changes = _clean(material.campaign, data, creating=False) | _clean_leftovers(material, data)
    changes = changed_only(material, changes)
    if target and target != material.status:
        refuse_if_stale(material, version)
        if changes:
            material = _save(actor, material, version, changes)
            version = material.version
        return _move(actor, material, target, version)
    if not changes:
        refuse_if_stale(material, version)
        return material
    return _save(actor, material, version, changes)


def _save(actor, material: Material, version: int, changes: dict) -> Material:
    before = _snapshot(material)
    update_versioned(material, expected_version=version, changes=changes)
    audit_record(
        actor=actor, action="update", obj=material, campaign=material.campaign, before=before, after=_snapshot(material)
    )
    return material


def _move(actor, material: Material, target: str, version: int) -> Material:
    """A status PATCH goes through the same step as its action endpoint."""
    allowed = workflow.allowed_moves(material.status)
    if target not in allowed:
        raise Conflict(
            _("A material that is %(status)s cannot move to %(target)s. Allowed: %(allowed)s.")
            % {
                "status": material.status,
                "target": target,
                "allowed": ", ".join(allowed) if allowed else _("none (it is final)"),
            }
        )
    if target == workflow.IN_REVIEW:
        return material_submit(actor=actor, material=material, version=version)
    if target == workflow.ACCEPTED:
        return material_accept(actor=actor, material=material, data={"version": version})
    decision = ReviewDecision.APPROVE if target == workflow.APPROVED else ReviewDecision.REQUEST_CHANGES
    return material_review(actor=actor, material=material, data={"decision": decision, "version": version})


@transaction.atomic
def material_delete(*, actor, material: Material, version: int) -> None:
    names = set(MaterialFile.objects.filter(material=material).values_list("blob", flat=True))
    names |= set(MaterialFile.objects.filter(material=material).exclude(preview="").values_list("preview", flat=True))
    delete_versioned(actor=actor, obj=material, version=version)
    transaction.on_commit(lambda: _discard_unused(names))


def _discard_unused(names: set[str]) -> None:
    """Delete stored files no revision refers to any more (the same bytes may serve another material)."""
    used = set(MaterialFile.objects.filter(blob__in=names).values_list("blob", flat=True))
    used |= set(MaterialFile.objects.filter(preview__in=names).values_list("preview", flat=True))
    for name in names - used:
        blobs.discard(name)


# --- files ----------------------------------------------------------------------------------------


def file_upload(*, actor, material: Material, upload, digest=None) -> MaterialFile:
    """Store `upload` as the material's next revision. The bytes are stored first (outside the
    transaction: a 200 MB file must not hold the database); if the row cannot be written, a file this call
    stored is deleted again, so a failed upload leaves neither a revision nor a file behind."""
    if material.status == MaterialStatus.ACCEPTED:
        raise Conflict(_("This material has been accepted; it takes no new revision."))
    stored = blobs.store(upload, prefix=BLOB_PREFIX, digest=digest)
    try:
        return _record_revision(actor, material, upload, stored)
    except BaseException:
        if stored.created and not MaterialFile.objects.filter(blob=stored.name).exists():
            blobs.discard(stored.name)
        raise


@transaction.atomic
def _record_revision(actor, material: Material, upload, stored: blobs.Stored) -> MaterialFile:
    locked = Material.objects.select_for_update().get(pk=material.pk)
    if locked.status == MaterialStatus.ACCEPTED:
        raise Conflict(_("This material has been accepted; it takes no new revision."))
    before = _snapshot(locked)
    name = clean_text((upload.name or "").replace("\x00", "").replace("/", "_").replace("\\", "_"))
    name = name[-255:] or f"{locked.code}.{stored.filetype.extension}"
    revision = locked.revision + 1
    file = MaterialFile.objects.create(
        material=locked,
        revision=revision,
        filename=name,
        size=stored.size,
        sha256=stored.sha256,
        content_type=stored.filetype.mime,
        kind=stored.filetype.kind,
        blob=stored.name,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    status = workflow.status_after_upload(locked.status)
    update_versioned(locked, expected_version=locked.version, changes={"revision": revision, "status": status})
    if status == workflow.IN_REVIEW:  # the review starts again on the new revision
        _record_review(locked, actor, ReviewSide.HOST, ReviewDecision.SUBMIT, _("New revision %(n)d") % {"n": revision})
    audit_record(
        actor=actor, action="upload", obj=locked, campaign=locked.campaign, before=before, after=_snapshot(locked)
    )
    material.__dict__.update({k: getattr(locked, k) for k in ("revision", "status", "version")})
    transaction.on_commit(lambda: queue_preview(file.pk))
    return file


# --- review ---------------------------------------------------------------------------------------


def _record_review(material: Material, actor, side: str, decision: str, comment: str = "") -> MaterialReview:
    return MaterialReview.objects.create(
        material=material,
        revision=material.revision,
        side=side,
        decision=decision,
        comment=comment,
        actor=actor if getattr(actor, "pk", None) else None,
    )


def reviewer_side(user, material: Material) -> str:
    """Which brand the user approves for: owners and managers for ours; a partner member for the partner
    when the material is co-branded. Anyone else may not review (403)."""
    if is_admin(user) or can(user, material.campaign, MANAGE):
        return ReviewSide.HOST
    if role_in(user, material.campaign) == MemberRole.PARTNER:
        if material.partner_approval:
            return ReviewSide.PARTNER
        raise Forbidden(_("This material does not need the partner's approval."))
    raise Forbidden(_("Only the campaign's owner or managers, and for co-branded material the partner, review it."))


def _locked(material: Material, version: int | None) -> Material:
    locked = Material.objects.select_for_update().select_related("campaign").get(pk=material.pk)
    locked.campaign = material.campaign  # keep the checked instance (its role cache)
    if version is not None:
        refuse_if_stale(locked, version)
    return locked


@transaction.atomic
def material_submit(*, actor, material: Material, version: int | None = None) -> Material:
    locked = _locked(material, version)
    if not locked.revision:
        raise Conflict(_("Upload a file before submitting the material for review."))
    if workflow.IN_REVIEW not in workflow.allowed_moves(locked.status):
        raise Conflict(
            _("A material that is %(status)s cannot be submitted for review.") % {"status": locked.get_status_display()}
        )
    return _set_status(actor, locked, workflow.IN_REVIEW, ReviewSide.HOST, ReviewDecision.SUBMIT)


def _set_status(actor, material: Material, status: str, side: str, decision: str, comment: str = "", **extra):
    before = _snapshot(material)
    _record_review(material, actor, side, decision, comment)
    update_versioned(material, expected_version=material.version, changes={"status": status, **extra})
    audit_record(
        actor=actor, action=decision, obj=material, campaign=material.campaign, before=before, after=_snapshot(material)
    )
    return material


def _refuse_without_file(material: Material) -> None:
    """A review decision (approve, request changes) judges a file: none before the material's first revision."""
    if not material.revision:
        raise Conflict(_("This material has no file yet: upload its first revision before it can be reviewed."))


@transaction.atomic
def material_review(*, actor, material: Material, data: dict) -> Material:
    decision = data.get("decision")
    if decision not in (ReviewDecision.APPROVE, ReviewDecision.REQUEST_CHANGES):
        raise InvalidInput({"decision": _("Either approve or request_changes.")})
    comment = str(data.get("comment") or "").strip()
    if len(comment) > 5000:
        raise InvalidInput({"comment": _("At most %(n)d characters.") % {"n": 5000}})
    side = reviewer_side(actor, material)
    locked = _locked(material, data.get("version"))
    _refuse_without_file(locked)
    if locked.status != MaterialStatus.IN_REVIEW:
        raise Conflict(
            _("Only a material in review can be reviewed; this one is %(status)s.")
            % {"status": locked.get_status_display()}
        )
    if decision == ReviewDecision.REQUEST_CHANGES:
        return _set_status(actor, locked, workflow.CHANGES_REQUESTED, side, decision, comment)
    sides = selectors.approved_sides(locked) | {side}
    status = workflow.status_after_approval(sides, locked.partner_approval)
    return _set_status(actor, locked, status, side, decision, comment)


@transaction.atomic
def material_accept(*, actor, material: Material, data: dict) -> Material:
    """验收: the approved material arrived; `received_quantity` defaults to the ordered quantity."""
    errors: dict[str, str] = {}
    out: dict = {}
    _quantity(data, out, errors, "received_quantity")
    if errors:
        raise InvalidInput(errors)
    locked = _locked(material, data.get("version"))
    if locked.status != MaterialStatus.APPROVED:
        raise Conflict(
            _("Only an approved material can be accepted; this one is %(status)s.")
            % {"status": locked.get_status_display()}
        )
    received = out.get("received_quantity")
    if received is None:  # not given (or given as null): what was ordered arrived
        received = locked.quantity
    return _set_status(
        actor,
        locked,
        workflow.ACCEPTED,
        ReviewSide.HOST,
        ReviewDecision.ACCEPT,
        str(data.get("comment") or "").strip()[:5000],
        received_quantity=received,
        accepted_at=timezone.now(),
        accepted_by=actor if getattr(actor, "pk", None) else None,
    )


# --- comments -------------------------------------------------------------------------------------

REGION_MESSAGES = {
    "page": lambda: _("A page number from 1."),
    "box_incomplete": lambda: _("A region needs all of x, y, w and h."),
    "fraction": lambda: _("A fraction of the preview from 0 to 1."),
    "outside": lambda: _("The region reaches outside the preview."),
}


def _can_comment(user, material: Material) -> None:
    if is_admin(user) or can(user, material.campaign, "edit"):
        return
    if role_in(user, material.campaign) == MemberRole.PARTNER:
        return  # the partner reviews what is shared with them (the lookup has checked it is)
    raise Forbidden(_("Your role in this campaign does not allow this."))


@transaction.atomic
def comment_create(*, actor, material: Material, data: dict) -> MaterialComment:
    _can_comment(actor, material)
    errors: dict[str, str] = {}
    body = str(data.get("body") or "").strip()
    if not body:
        errors["body"] = _("This field is required.")
    elif len(body) > 5000:
        errors["body"] = _("At most %(n)d characters.") % {"n": 5000}
    parent = None
    if data.get("parent") is not None:
        parent = MaterialComment.objects.filter(material=material, pk=data["parent"]).first()
        if parent is None:
            errors["parent"] = _("No such comment on this material.")
    revision = data.get("revision") or (parent.file.revision if parent and parent.file else material.revision)
    file = MaterialFile.objects.filter(material=material, revision=revision).first() if revision else None
    if data.get("revision") and file is None:
        errors["revision"] = _("This material has no revision %(n)s.") % {"n": data["revision"]}
    region = {k: data.get(k) for k in ("page", "x", "y", "w", "h")}
    for field, key in workflow.region_errors(**region).items():
        errors[field] = REGION_MESSAGES[key]()
    if errors:
        raise InvalidInput(errors)
    if parent is not None:
        region = {k: None for k in region}  # a reply belongs to its thread, not to a region
    comment = MaterialComment.objects.create(
        material=material, file=file, parent=parent, body=body, author=actor, **region
    )
    audit_record(actor=actor, action="comment", obj=comment, campaign=material.campaign, after=snapshot(comment))
    return comment


@transaction.atomic
def comment_update(*, actor, comment: MaterialComment, version: int, data: dict) -> MaterialComment:
    """The author edits the text; anyone who may comment resolves or reopens the thread."""
    _can_comment(actor, comment.material)
    changes: dict = {}
    if "body" in data:
        if comment.author_id != actor.pk:
            raise Forbidden(_("Only the author can change a comment's text."))
        body = str(data["body"] or "").strip()
        if not body or len(body) > 5000:
            raise InvalidInput({"body": _("Between 1 and 5000 characters.")})
        changes["body"] = body
    if "resolved" in data and bool(data["resolved"]) != comment.resolved:
        resolved = bool(data["resolved"])
        changes |= {
            "resolved": resolved,
            "resolved_by": actor if resolved else None,
            "resolved_at": timezone.now() if resolved else None,
        }
    if not changes:
        refuse_if_stale(comment, version)
        return comment
    before = snapshot(comment)
    update_versioned(comment, expected_version=version, changes=changes)
    audit_record(
        actor=actor,
        action="update",
        obj=comment,
        campaign=comment.material.campaign,
        before=before,
        after=snapshot(comment),
    )
    return comment
