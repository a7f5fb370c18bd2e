"""Drafts written by the assistant: who asked, for what, with which model and prompt, what it cost, and who
applied what."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from campaignflow.core.model_fields import user_ref
from campaignflow.core.models import VersionedModel


class DraftTask(models.TextChoices):
    WEEKLY_SUMMARY = "weekly_summary", _("Weekly summary")
    ALERT_ANALYSIS = "alert_analysis", _("Alert analysis")
    PLAN_FROM_BRIEF = "plan_from_brief", _("Plan from a brief")
    RETRO_DRAFT = "retro_draft", _("Retrospective draft")


class Draft(VersionedModel):
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="assistant_drafts")
    requested_by = user_ref(blank=False, verbose_name=_("requested by"))
    task = models.CharField(_("task"), max_length=20, choices=DraftTask.choices)
    alert = models.ForeignKey("alerts.Alert", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    brief = models.TextField(_("brief"), blank=True)
    language = models.CharField(_("language"), max_length=5, default="zh")
    model = models.CharField(_("model"), max_length=200)
    prompt_hash = models.CharField(_("prompt hash"), max_length=64)
    draft = models.JSONField(_("draft"), default=dict)
    citations = models.JSONField(_("citations"), default=list, blank=True)
    prompt_tokens = models.PositiveIntegerField(_("prompt tokens"), default=0)
    completion_tokens = models.PositiveIntegerField(_("completion tokens"), default=0)
    total_tokens = models.PositiveIntegerField(_("tokens"), default=0, db_index=True)
    applied_by = user_ref(verbose_name=_("applied by"))
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    applied = models.JSONField(_("what was applied"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["requested_by", "created_at"], name="assist_draft_user_day"),
            models.Index(fields=["campaign", "created_at"], name="assist_draft_campaign_day"),
        ]
        verbose_name = _("assistant draft")
        verbose_name_plural = _("assistant drafts")

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.task} {self.created_at:%Y-%m-%d %H:%M}"
