"""Materials (物料): the campaign's materials list, file revisions, review decisions, region comments."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from campaignflow.core.model_fields import status_field, user_ref
from campaignflow.core.models import CampaignCoded, VersionedModel


class MaterialKind(models.TextChoices):
    POSTER = "poster", _("Poster")
    LONG_IMAGE = "long_image", _("Long image")
    H5 = "h5", _("H5 page")
    VIDEO = "video", _("Short video")
    INVITATION = "invitation", _("Invitation")
    PRESS_RELEASE = "press_release", _("Press release")
    FLYER = "flyer", _("Flyer")
    SLIDES = "slides", _("Slides / background")
    STAND = "stand", _("Stand / banner")
    GIFT = "gift", _("Gift")
    DEVICE = "device", _("Device")
    CHECKIN = "checkin", _("Check-in material")
    OTHER = "other", _("Other")


class MaterialStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    APPROVED = "approved", _("Approved")
    ACCEPTED = "accepted", _("Accepted")


class LeftoverAction(models.TextChoices):
    STOCK = "stock", _("Put in stock")
    SCRAP = "scrap", _("Scrapped")


class Material(CampaignCoded, VersionedModel):
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="materials")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=MaterialKind.choices, default=MaterialKind.OTHER)
    quantity = models.PositiveIntegerField(_("quantity"), null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    owner = user_ref()
    vendor = models.CharField(_("vendor"), max_length=200, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    budget_line = models.ForeignKey(
        "budgets.BudgetLine", null=True, blank=True, on_delete=models.SET_NULL, related_name="materials"
    )
    task = models.ForeignKey("planning.Task", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    note = models.TextField(_("note"), blank=True)
    partner_approval = models.BooleanField(_("needs the partner's approval"), default=False)
    shared_with_partners = models.BooleanField(_("shared with partners"), default=False)
    status = status_field(MaterialStatus, default=MaterialStatus.DRAFT)
    revision = models.PositiveIntegerField(_("current revision"), default=0)  # 0: no file yet
    received_quantity = models.PositiveIntegerField(_("received quantity"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = user_ref()
    leftover_quantity = models.PositiveIntegerField(_("leftover quantity"), null=True, blank=True)
    leftover_action = models.CharField(_("leftovers"), max_length=10, choices=LeftoverAction.choices, blank=True)
    leftover_place = models.CharField(_("stored at"), max_length=200, blank=True)
    leftover_note = models.CharField(_("leftover note"), max_length=500, blank=True)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta(CampaignCoded.Meta):
        ordering = ["campaign", "sort_order", "id"]
        indexes = [models.Index(fields=["campaign", "status", "due_date"], name="material_due_idx")]
        verbose_name = _("material")
        verbose_name_plural = _("materials")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class PreviewStatus(models.TextChoices):
    PENDING = "pending", _("Preview being made")
    READY = "ready", _("Preview ready")
    NONE = "none", _("No preview for this kind of file")
    FAILED = "failed", _("Preview failed")


class MaterialFile(models.Model):
    """One revision of a material's file; the bytes live in storage under their SHA-256 (core.blobs)."""

    material = models.ForeignKey(Material, on_delete=models.CASCADE, related_name="files")
    revision = models.PositiveIntegerField(_("revision"))
    filename = models.CharField(_("file name"), max_length=255)
    size = models.BigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64, db_index=True)
    content_type = models.CharField(max_length=100)
    kind = models.CharField(max_length=20)  # core.domain.filetypes kind: image / pdf / video …
    blob = models.CharField(max_length=200)  # storage name
    preview = models.CharField(max_length=200, blank=True)  # storage name of the PNG preview
    preview_status = models.CharField(max_length=10, choices=PreviewStatus.choices, default=PreviewStatus.PENDING)
    width = models.PositiveIntegerField(null=True, blank=True)  # of the preview, for placing comment boxes
    height = models.PositiveIntegerField(null=True, blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    uploaded_by = user_ref(blank=False)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["material", "-revision"]
        constraints = [models.UniqueConstraint(fields=["material", "revision"], name="uniq_material_revision")]

    def __str__(self) -> str:
        return f"{self.material.code} r{self.revision} {self.filename}"


class ReviewSide(models.TextChoices):
    HOST = "host", _("Our side")
    PARTNER = "partner", _("Partner")


class ReviewDecision(models.TextChoices):
    SUBMIT = "submit", _("Submitted for review")
    APPROVE = "approve", _("Approved")
    REQUEST_CHANGES = "request_changes", _("Changes requested")
    ACCEPT = "accept", _("Accepted")


class MaterialReview(models.Model):
    """The review history: every submission and decision, on the revision it was made on."""

    material = models.ForeignKey(Material, on_delete=models.CASCADE, related_name="reviews")
    revision = models.PositiveIntegerField()
    side = models.CharField(max_length=10, choices=ReviewSide.choices)
    decision = models.CharField(max_length=20, choices=ReviewDecision.choices)
    comment = models.TextField(blank=True)
    actor = user_ref(blank=False)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["material", "at", "id"]

    def __str__(self) -> str:
        return f"{self.material_id} r{self.revision} {self.side} {self.decision}"


class MaterialComment(VersionedModel):
    """A comment on a revision, optionally pinned to a region (fractions 0–1 of the preview, a PDF page)."""

    material = models.ForeignKey(Material, on_delete=models.CASCADE, related_name="comments")
    file = models.ForeignKey(MaterialFile, null=True, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies")
    body = models.TextField(_("comment"))
    page = models.PositiveIntegerField(null=True, blank=True)
    x = models.FloatField(null=True, blank=True)
    y = models.FloatField(null=True, blank=True)
    w = models.FloatField(null=True, blank=True)
    h = models.FloatField(null=True, blank=True)
    author = user_ref(blank=False)
    resolved = models.BooleanField(default=False)
    resolved_by = user_ref()
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["material", "created_at", "id"]

    def __str__(self) -> str:
        return self.body[:60]
