"""Alerts (预警): per-campaign rule settings and the alerts they raise, never silently dropped."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from campaignflow.core.model_fields import status_field, user_ref
from campaignflow.core.models import VersionedModel

from .messages import rendered_message


class RuleSetting(VersionedModel):
    """A campaign's own thresholds for a rule (defaults come from alerts/domain/conditions.py)."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="alert_rules")
    rule = models.CharField(_("rule"), max_length=40)
    enabled = models.BooleanField(_("enabled"), default=True)
    params = models.JSONField(_("thresholds"), default=dict, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "rule"], name="uniq_rule_setting")]
        verbose_name = _("alert rule setting")
        verbose_name_plural = _("alert rule settings")

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.rule}"


class AlertStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    RESOLVED = "resolved", _("Resolved")


class Decision(models.TextChoices):
    CONTINUE = "continue", _("Continue as planned")
    ADJUST = "adjust", _("Adjust the strategy")
    PAUSE = "pause", _("Pause")


class Alert(VersionedModel):
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="alerts")
    rule = models.CharField(_("rule"), max_length=40)
    subject = models.CharField(_("subject"), max_length=200)
    severity = models.CharField(_("severity"), max_length=10, default="medium")
    message = models.CharField(_("message"), max_length=500)  # as first said; shown: `shown_message`
    data = models.JSONField(default=dict, blank=True)
    status = status_field(AlertStatus, default=AlertStatus.OPEN, db_index=True)
    last_seen_at = models.DateTimeField(_("last seen"), auto_now_add=True)
    acknowledged_by = user_ref()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    resolved_by = user_ref()
    resolved_at = models.DateTimeField(null=True, blank=True)
    # The evaluation (seed 004: a deviation over 10% starts an evaluation: analysis + adjustment decision).
    evaluation = models.TextField(_("evaluation / analysis"), blank=True)
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices, blank=True)
    follow_up_task = models.ForeignKey(
        "planning.Task",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("follow-up task"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # One open (or acknowledged) alert per rule × subject: re-imports never duplicate it.
            models.UniqueConstraint(
                fields=["campaign", "rule", "subject"], condition=~Q(status="resolved"), name="uniq_open_alert"
            ),
        ]
        indexes = [models.Index(fields=["campaign", "status"])]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")

    def __str__(self) -> str:
        return self.shown_message

    @property
    def shown_message(self) -> str:
        """The message in the reader's (active) language, said from the rule and its figures; the stored text
        when they cannot say it (alerts of older versions)."""
        return rendered_message(self.rule, self.data) or self.message
