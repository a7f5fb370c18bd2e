"""In-app inbox, per-user preferences, webhook endpoints and the delivery log (the outbox)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from campaignflow.core.model_fields import user_ref
from campaignflow.core.models import VersionedModel

from .texts import SaidText


class EventKind(models.TextChoices):
    ALERT = "alert", _("Alert")
    APPROVAL = "approval", _("Approval waiting")
    TASK_DUE = "task_due", _("Task due")
    TASK_OVERDUE = "task_overdue", _("Task overdue")
    SLA_BREACH = "sla_breach", _("Issue SLA breached")
    REPORT = "report", _("Report published")
    NUMBERS_MISSING = "numbers_missing", _("Today's numbers missing")
    OTHER = "other", _("Other")


class Notification(SaidText, models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    campaign = models.ForeignKey(
        "campaigns.Campaign", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices, default=EventKind.OTHER)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    # What the title and body say, said again in the reader's language (notifications.texts); empty: old rows.
    message_key = models.CharField(max_length=60, blank=True)
    message_params = models.JSONField(default=dict, blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # The same event again (e.g. one alert rule × subject) is counted here instead of a new inbox entry.
    group_key = models.CharField(max_length=300, blank=True)
    count = models.PositiveIntegerField(_("times"), default=1)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["recipient", "group_key"], name="notif_recipient_group"),
        ]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return self.shown_title


class Preference(models.Model):
    """A user's choice per event kind: in the inbox, by e-mail, in the company's chat app (all on by default)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_prefs")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    inapp = models.BooleanField(_("in-app"), default=True)
    email = models.BooleanField(_("e-mail"), default=True)
    chatapp = models.BooleanField(_("chat app"), default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="uniq_pref_kind")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}"


class CampaignMute(models.Model):
    """A user who does not want notifications from one campaign."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "campaign"], name="uniq_campaign_mute")]

    def __str__(self) -> str:
        return f"{self.user_id} mutes {self.campaign_id}"


class WebhookKind(models.TextChoices):
    DINGTALK = "dingtalk", _("DingTalk robot")
    WECOM = "wecom", _("WeCom (企业微信) robot")
    FEISHU = "feishu", _("Feishu / Lark robot")
    SLACK = "slack", _("Slack")
    GENERIC = "generic", _("Generic JSON")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed, will retry")
    DEAD = "dead", _("Gave up")
    WITHDRAWN = "withdrawn", _("Withdrawn: no longer needed")  # its request was decided before it went out


class WebhookEndpoint(VersionedModel):
    """A group chat robot or an integration that receives a campaign's events (all campaigns when unset)."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", null=True, blank=True, on_delete=models.CASCADE, related_name="webhooks"
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("type"), max_length=20, choices=WebhookKind.choices)
    url = models.URLField(_("URL"), max_length=500)
    secret = models.CharField(_("signing secret"), max_length=200, blank=True)
    events = models.JSONField(_("events"), default=list, blank=True, help_text=_("Empty: every event"))
    active = models.BooleanField(_("active"), default=True)
    created_by = user_ref(blank=False)

    class Meta:
        ordering = ["campaign", "name"]
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")

    def __str__(self) -> str:
        return f"{self.name} ({self.kind})"


class Delivery(SaidText, models.Model):
    """One message to send (e-mail, webhook or a person's chat app), kept as the delivery log; retried until sent
    or dead. `target` is the object the message is about (an expense waiting for approval, an alert), when there
    is one: a chat app card offers its actions."""

    channel = models.CharField(
        max_length=10, choices=[("email", "e-mail"), ("webhook", "webhook"), ("chatapp", "chat app")]
    )
    endpoint = models.ForeignKey(
        WebhookEndpoint, null=True, blank=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    recipient = user_ref()
    campaign = models.ForeignKey(
        "campaigns.Campaign", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    title = models.CharField(max_length=200)  # as sent: in its recipient's language (texts.localize)
    body = models.TextField(blank=True)
    message_key = models.CharField(max_length=60, blank=True)  # see Notification.message_key
    message_params = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=500, blank=True)
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(db_index=True)
    last_error = models.CharField(max_length=500, blank=True)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    group_key = models.CharField(max_length=300, blank=True, db_index=True)  # see Notification.group_key
    target_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("delivery")
        verbose_name_plural = _("delivery log")

    def __str__(self) -> str:
        return f"{self.channel} {self.kind} {self.status}"
