"""Campaigns, their members, lifecycle moves, and playbooks (versioned process templates)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from campaignflow.core.model_fields import status_field, user_ref
from campaignflow.core.models import VersionedModel


class CampaignType(models.TextChoices):
    GENERAL = "general", _("General campaign")
    CROSS_INDUSTRY = "cross_industry", _("Cross-industry co-marketing")
    ONLINE_EVENT = "online_event", _("Online event")
    STRATEGY = "strategy", _("Strategy execution")
    FOLLOWUP = "followup", _("Execution follow-up")
    PROMOTION = "promotion", _("Promotion")
    LAUNCH = "launch", _("Product launch")
    OTHER = "other", _("Other")


class Status(models.TextChoices):
    PREPARING = "preparing", _("Preparing")
    PLANNING = "planning", _("Planning")
    EXECUTING = "executing", _("Executing")
    REVIEWING = "reviewing", _("Reviewing")
    ARCHIVED = "archived", _("Archived")
    CANCELLED = "cancelled", _("Cancelled")


class MemberRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    MANAGER = "manager", _("Manager")
    MEMBER = "member", _("Member")
    VIEWER = "viewer", _("Viewer")
    PARTNER = "partner", _("Partner")


class Playbook(models.Model):
    """A process template (流程模板). Its content lives in immutable versions."""

    key = models.SlugField(_("key"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    campaign_type = models.CharField(
        _("campaign type"), max_length=30, choices=CampaignType.choices, default=CampaignType.GENERAL
    )
    is_builtin = models.BooleanField(_("built-in"), default=False)
    based_on = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = user_ref()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    version = models.PositiveIntegerField(_("version"), default=1)  # optimistic lock + latest number

    class Meta:
        ordering = ["-is_builtin", "id"]
        verbose_name = _("playbook")
        verbose_name_plural = _("playbooks")

    def __str__(self) -> str:
        return self.name

    def latest(self) -> "PlaybookVersion":
        return self.versions.order_by("-number").first()


class PlaybookVersion(models.Model):
    playbook = models.ForeignKey(Playbook, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    phases = models.JSONField(_("phases"))
    note = models.CharField(_("change note"), max_length=300, blank=True)
    created_by = user_ref()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["playbook", "-number"]
        constraints = [models.UniqueConstraint(fields=["playbook", "number"], name="uniq_playbook_version")]
        verbose_name = _("playbook version")
        verbose_name_plural = _("playbook versions")

    def __str__(self) -> str:
        return f"{self.playbook.name} v{self.number}"

    @property
    def step_count(self) -> int:
        return sum(len(p.get("steps", [])) for p in self.phases)

    @property
    def shown_note(self) -> str:
        """The change note; the two that sync_playbooks writes (campaigns.playbook_sync) in the reader's words."""
        return str(BUILTIN_NOTES.get(self.note, self.note))


# the notes campaigns.playbook_sync writes on the built-in playbooks' versions (stored as these keys)
BUILTIN_NOTES = {"built-in": _("built-in"), "built-in update": _("built-in update")}


class CampaignQuerySet(models.QuerySet):
    def alive(self):
        return self.filter(deleted_at__isnull=True)


class Campaign(VersionedModel):
    name = models.CharField(_("name"), max_length=200)
    type = models.CharField(_("type"), max_length=30, choices=CampaignType.choices, default=CampaignType.GENERAL)
    description = models.TextField(_("description / goals"), blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    budget_total = models.DecimalField(_("budget total"), max_digits=14, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    owner = user_ref(related_name="owned_campaigns", verbose_name=_("owner"))
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    status = status_field(Status, default=Status.PREPARING, db_index=True)
    playbook_version = models.ForeignKey(
        PlaybookVersion,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="campaigns",
        verbose_name=_("playbook"),
    )
    created_by = user_ref()
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True, db_index=True)
    deleted_by = user_ref()

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=MemberRole.choices, default=MemberRole.MEMBER)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["campaign", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "user"], name="uniq_campaign_member")]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.campaign} ({self.role})"


class StatusChange(models.Model):
    """A lifecycle move (stage gate passed, reopen or cancel): who and when."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=Status.choices)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    actor = user_ref(blank=False)
    at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.campaign}: {self.from_status} → {self.to_status}"
