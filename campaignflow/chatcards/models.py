"""A chat card's buttons (single-use action tokens) and the daily numbers reminder of a campaign."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from campaignflow.core.model_fields import user_ref
from campaignflow.core.models import VersionedModel


class ActionToken(models.Model):
    """One button of one card: what it does to which object, for whom, until when. Only the SHA-256 of the token is
    kept (the token itself is in the card and nowhere else). The buttons of one card share `card`: once one of them
    is used, all of them are (approve and reject of the same request)."""

    token_hash = models.CharField(max_length=64, unique=True)
    card = models.CharField(max_length=32, db_index=True)
    action = models.CharField(_("action"), max_length=40)
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    target_version = models.PositiveIntegerField(_("version when sent"))
    title = models.CharField(_("title"), max_length=200, blank=True)  # the card's, for the answer and the page
    campaign = models.ForeignKey(
        "campaigns.Campaign", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # The person the card was sent to; none for a group robot's card (anyone with the right may use it).
    recipient = user_ref(verbose_name=_("recipient"))
    platform = models.CharField(_("platform"), max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    used_by = user_ref(verbose_name=_("used by"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("chat card button")
        verbose_name_plural = _("chat card buttons")

    def __str__(self) -> str:
        return f"{self.action} {self.target_type_id}:{self.target_id}"


class NumbersReminder(VersionedModel):
    """A campaign's daily "today's numbers are missing" reminder: on or off, and at what time (the site's time
    zone). A campaign without a row is reminded at NUMBERS_REMINDER_DEFAULT."""

    campaign = models.OneToOneField("campaigns.Campaign", on_delete=models.CASCADE, related_name="numbers_reminder")
    enabled = models.BooleanField(_("daily numbers reminder"), default=True)
    remind_at = models.TimeField(_("reminder time"))

    class Meta:
        verbose_name = _("numbers reminder")
        verbose_name_plural = _("numbers reminders")

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.remind_at if self.enabled else 'off'}"


class ReminderSent(models.Model):
    """The reminder of one campaign on one day went out: a second run of the job the same day sends nothing."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    people = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "date"], name="uniq_numbers_reminder_day")]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.date}"
