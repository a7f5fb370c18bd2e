"""Shared models: the versioned and campaign-coded bases, the audit log and the working-day overrides."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from campaignflow.core.model_fields import user_ref


class VersionedModel(models.Model):
    """Base for every mutable model: timestamps and an optimistic-locking `version`."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        abstract = True


class CampaignCoded(models.Model):
    """A row of a campaign (the model declares its `campaign`) with a code unique in that campaign: R001,
    Q001, T001, M001. The model's Meta extends `CampaignCoded.Meta` to keep the `uniq_<model>_code` rule."""

    code = models.CharField(_("code"), max_length=20)

    class Meta:
        abstract = True
        constraints = [models.UniqueConstraint(fields=["campaign", "code"], name="uniq_%(class)s_code")]


class AuditEntry(models.Model):
    """One change: who, when, which object, what action, the fields before and after."""

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    actor = user_ref()
    action = models.CharField(_("action"), max_length=40)
    object_type = models.CharField(_("object type"), max_length=80)
    object_id = models.CharField(_("object id"), max_length=40)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    # Campaign the change belongs to, so a campaign's history is one indexed query.
    campaign = models.ForeignKey(
        "campaigns.Campaign", null=True, blank=True, on_delete=models.CASCADE, related_name="audit_entries"
    )
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            # a campaign's newest entry in one seek: the change stamp of cached reads (campaigns.read_cache)
            models.Index(fields=["campaign", "id"], name="core_audit_campaign_id"),
        ]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"

    def changed_fields(self) -> list[tuple[str, object, object]]:
        before, after = self.before or {}, self.after or {}
        keys = sorted(set(before) | set(after))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]


class WorkdayOverride(models.Model):
    """An admin's correction of China's working-day calendar (years the package does not know yet)."""

    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(_("is a working day"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("working-day override")
        verbose_name_plural = _("working-day overrides")

    def __str__(self) -> str:
        return f"{self.date} {'workday' if self.is_workday else 'holiday'}"
