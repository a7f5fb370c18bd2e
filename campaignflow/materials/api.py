"""REST endpoints of materials (物料): the list, file revisions, review, comments, acceptance, leftovers.
Written as ADR 0005 says: In / derived Patch / Out schemas reading the instances; lookups by id through
`campaignflow.lookups`."""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from campaignflow import lookups
from campaignflow.campaigns.access import EDIT, VIEW, campaign_for_team, campaign_for_user
from campaignflow.core import blobs
from campaignflow.core.api_types import IdField, InputSchema, PathId, Username, patch_data, patch_schema
from campaignflow.core.errors import InvalidInput, TooLarge
from campaignflow.core.json_out import json_response
from campaignflow.core.uploads import digest_of

from . import exports, selectors, services
from .models import Material, MaterialComment, MaterialFile, MaterialReview, PreviewStatus

router = Router(tags=["materials"])
REVIEW_MOVES = ("approved", "changes_requested")


# --- the list -------------------------------------------------------------------------------------


class MaterialIn(InputSchema):
    name: str = Field(..., max_length=200)
    kind: str = Field("other", max_length=20)
    quantity: int | None = Field(None, ge=0, le=services.MAX_QUANTITY)
    unit: str = Field("", max_length=20)
    owner: str | None = Field(None, max_length=150)
    vendor: str = Field("", max_length=200)
    due_date: dt.date | None = None
    budget_line: IdField | None = None
    task: IdField | None = None
    note: str = Field("", max_length=5000)
    partner_approval: bool = False
    shared_with_partners: bool = False


MaterialPatch = patch_schema(
    MaterialIn,
    status=(str | None, Field(None, max_length=20)),
    leftover_quantity=(int | None, Field(None, ge=0, le=services.MAX_QUANTITY)),
    leftover_action=(str | None, Field(None, max_length=10)),
    leftover_place=(str | None, Field(None, max_length=200)),
    leftover_note=(str | None, Field(None, max_length=500)),
)


class MaterialOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    quantity: int | None
    unit: str
    owner: Username
    vendor: str
    due_date: dt.date | None
    budget_line: int | None = Field(None, alias="budget_line_id")
    task: int | None = Field(None, alias="task_id")
    note: str
    partner_approval: bool
    shared_with_partners: bool
    status: str
    revision: int
    received_quantity: int | None
    accepted_at: dt.datetime | None
    accepted_by: Username
    leftover_quantity: int | None
    leftover_action: str
    leftover_place: str
    leftover_note: str
    version: int


class MaterialDetailOut(MaterialOut):
    waiting_for: list[str]  # the sides whose approval the current revision still needs

    @staticmethod
    def resolve_waiting_for(material: Material) -> list[str]:
        return selectors.waiting_for(material)


# MaterialOut's fields as plain values (the people by username), in its order: the list is built as rows and
# written by orjson (core.json_out) instead of validating thousands of objects through the schema.
LIST_FIELDS = {
    name: {"owner": "owner__username", "accepted_by": "accepted_by__username", "budget_line": "budget_line_id",
           "task": "task_id"}.get(name, name)
    for name in MaterialOut.model_fields
}  # fmt: skip


@router.get("/campaigns/{campaign_id}/materials", response=list[MaterialOut])
def list_materials(request, campaign_id: PathId):
    materials = selectors.materials_for(request.user, campaign_for_user(request.user, campaign_id, VIEW))
    rows = materials.values(*LIST_FIELDS.values())
    return json_response([{name: row[column] for name, column in LIST_FIELDS.items()} for row in rows])


@router.post("/campaigns/{campaign_id}/materials", response={201: MaterialDetailOut})
def create_material(request, campaign_id: PathId, payload: MaterialIn):
    campaign = campaign_for_user(request.user, campaign_id, EDIT)
    return Status(201, services.material_create(actor=request.user, campaign=campaign, data=payload.dict()))


@router.get("/campaigns/{campaign_id}/materials.xlsx")
def export_materials(request, campaign_id: PathId):
    """The materials list in the seeds' layout (物料清单), for the team: it carries vendors, owners and notes
    that a partner's view leaves out (partners 403)."""
    campaign = campaign_for_team(
        request.user, campaign_id, VIEW, message=_("The materials list export is internal to the campaign team.")
    )
    return exports.materials_xlsx_response(campaign, selectors.materials_for(request.user, campaign))


@router.get("/materials/{material_id}", response=MaterialDetailOut)
def get_material(request, material_id: PathId):
    return lookups.material_for_user(request.user, material_id, VIEW)


@router.patch("/materials/{material_id}", response=MaterialDetailOut)
def update_material(request, material_id: PathId, payload: MaterialPatch):
    version, data = patch_data(payload)
    # a review decision made through `status` is checked by the review itself (owners, managers, the
    # partner for co-branded material); any other change needs the edit right
    review_only = set(data) == {"status"} and data["status"] in REVIEW_MOVES
    material = lookups.material_for_user(request.user, material_id, VIEW if review_only else EDIT)
    return services.material_update(actor=request.user, material=material, version=version, data=data)


class MaterialVersionQuery(InputSchema):
    version: int


@router.delete("/materials/{material_id}", response={204: None})
def delete_material(request, material_id: PathId, q: Query[MaterialVersionQuery]):
    material = lookups.material_for_user(request.user, material_id, EDIT)
    services.material_delete(actor=request.user, material=material, version=q.version)
    return Status(204, None)


# --- files ----------------------------------------------------------------------------------------


class MaterialFileOut(Schema):
    id: int
    revision: int
    filename: str
    size: int
    sha256: str
    content_type: str
    kind: str
    preview_status: str
    width: int | None
    height: int | None
    pages: int | None
    uploaded_by: Username
    uploaded_at: dt.datetime
    url: str
    preview_url: str | None

    @staticmethod
    def resolve_url(file: MaterialFile) -> str:
        return reverse("api:download_material_file", args=[file.pk])

    @staticmethod
    def resolve_preview_url(file: MaterialFile) -> str | None:
        if file.preview_status != PreviewStatus.READY:
            return None
        return reverse("api:material_file_preview", args=[file.pk])


@router.post("/materials/{material_id}/files", response={201: MaterialFileOut})
def upload_file(request, material_id: PathId):
    """multipart/form-data with the field `file`; each upload is the next revision."""
    material = lookups.material_for_user(request.user, material_id, EDIT)
    if getattr(request, "upload_too_large", False):
        raise TooLarge(_too_large())
    upload = request.FILES.get("file")
    if upload is None:
        raise InvalidInput({"file": _no_file()})
    file = services.file_upload(actor=request.user, material=material, upload=upload, digest=digest_of(request, "file"))
    return Status(201, file)


def _too_large() -> str:
    from django.conf import settings

    return _("The file is larger than the %(n)d MB limit.") % {"n": settings.MATERIAL_UPLOAD_MAX_BYTES // 2**20}


def _no_preview() -> str:
    return _("This file has no preview (yet).")


def _no_file() -> str:
    return _("Send the file in the form field “file” (multipart/form-data).")


@router.get("/materials/{material_id}/files", response=list[MaterialFileOut])
def list_files(request, material_id: PathId):
    return selectors.files(lookups.material_for_user(request.user, material_id, VIEW))


@router.get("/material-files/{material_file_id}", url_name="download_material_file")
def download_file(request, material_file_id: PathId) -> HttpResponse:
    """The bytes, with nosniff and a sandboxing CSP; inline only for a raster image or a PDF."""
    file = lookups.material_file_for_user(request.user, material_file_id, VIEW)
    inline = file.content_type in ("image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf")
    return blobs.download(file.blob, filename=file.filename, content_type=file.content_type, inline=inline)


@router.get("/material-files/{material_file_id}/preview", url_name="material_file_preview")
def preview_file(request, material_file_id: PathId) -> HttpResponse:
    file = lookups.material_file_for_user(request.user, material_file_id, VIEW)
    if file.preview_status != PreviewStatus.READY:
        raise Http404(_no_preview())
    name = f"{file.material.code}-r{file.revision}.webp"
    return blobs.download(file.preview, filename=name, content_type="image/webp", inline=True)


# --- review, acceptance -----------------------------------------------------------------------------


class MaterialActionIn(InputSchema):
    version: int | None = None  # optional: the optimistic lock when the client has it


class MaterialReviewIn(InputSchema):
    decision: str = Field(..., max_length=20)
    comment: str = Field("", max_length=5000)
    version: int | None = None


class MaterialAcceptIn(InputSchema):
    received_quantity: int | None = Field(None, ge=0, le=services.MAX_QUANTITY)
    comment: str = Field("", max_length=5000)
    version: int | None = None


@router.post("/materials/{material_id}/submit", response=MaterialDetailOut)
def submit_material(request, material_id: PathId, payload: MaterialActionIn | None = None):
    material = lookups.material_for_user(request.user, material_id, EDIT)
    version = payload.version if payload else None
    return services.material_submit(actor=request.user, material=material, version=version)


@router.post("/materials/{material_id}/review", response=MaterialDetailOut)
def review_material(request, material_id: PathId, payload: MaterialReviewIn):
    """By an owner or manager (our brand) or, for co-branded material, a partner member (theirs)."""
    material = lookups.material_for_user(request.user, material_id, VIEW)
    return services.material_review(actor=request.user, material=material, data=payload.dict())


@router.post("/materials/{material_id}/accept", response=MaterialDetailOut)
def accept_material(request, material_id: PathId, payload: MaterialAcceptIn | None = None):
    material = lookups.material_for_user(request.user, material_id, EDIT)
    data = payload.dict(exclude_unset=True) if payload else {}
    return services.material_accept(actor=request.user, material=material, data=data)


class MaterialReviewOut(Schema):
    revision: int
    side: str
    decision: str
    comment: str
    actor: Username
    at: dt.datetime


@router.get("/materials/{material_id}/history", response=list[MaterialReviewOut])
def material_history(request, material_id: PathId) -> list[MaterialReview]:
    """Every submission, decision and acceptance, oldest first."""
    return selectors.reviews(lookups.material_for_user(request.user, material_id, VIEW))


# --- comments -------------------------------------------------------------------------------------


class MaterialCommentIn(InputSchema):
    body: str = Field(..., max_length=5000)
    revision: int | None = Field(None, ge=1)
    parent: IdField | None = None
    page: int | None = Field(None, ge=1, le=100_000)
    x: float | None = None
    y: float | None = None
    w: float | None = None
    h: float | None = None


class MaterialCommentPatch(InputSchema):
    version: int
    body: str = Field(None, max_length=5000)  # absent: unchanged; null is refused (422), as by patch_schema
    resolved: bool = None


class MaterialCommentOut(Schema):
    id: int
    body: str
    revision: int | None = Field(None, alias="file.revision")
    parent: int | None = Field(None, alias="parent_id")
    page: int | None
    x: float | None
    y: float | None
    w: float | None
    h: float | None
    author: Username
    resolved: bool
    resolved_by: Username
    resolved_at: dt.datetime | None
    created_at: dt.datetime
    version: int


class MaterialCommentFilter(InputSchema):
    revision: int | None = Field(None, ge=1)


@router.get("/materials/{material_id}/comments", response=list[MaterialCommentOut])
def list_comments(request, material_id: PathId, filters: Query[MaterialCommentFilter]):
    return selectors.comments(lookups.material_for_user(request.user, material_id, VIEW), filters.revision)


@router.post("/materials/{material_id}/comments", response={201: MaterialCommentOut})
def create_comment(request, material_id: PathId, payload: MaterialCommentIn):
    material = lookups.material_for_user(request.user, material_id, VIEW)
    comment = services.comment_create(actor=request.user, material=material, data=payload.dict())
    return Status(201, comment)


@router.patch("/material-comments/{material_comment_id}", response=MaterialCommentOut)
def update_comment(request, material_comment_id: PathId, payload: MaterialCommentPatch) -> MaterialComment:
    comment = lookups.material_comment_for_user(request.user, material_comment_id, VIEW)
    version, data = patch_data(payload)
    return services.comment_update(actor=request.user, comment=comment, version=version, data=data)
