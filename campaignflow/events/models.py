"""Events of a campaign with public registration (seed 003: H5一键报名 → 填写信息 → 电子票), the
registrations with their e-tickets and check-ins, and the public page's visits (the funnel's first step)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from campaignflow.core.model_fields import status_field, user_ref
from campaignflow.core.models import VersionedModel


class Event(VersionedModel):
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="events")
    name = models.CharField(_("name"), max_length=200)
    slug = models.CharField(_("public link code"), max_length=32, unique=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    stream_url = models.URLField(_("live-stream link"), max_length=500, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    waitlist = models.BooleanField(_("waiting list"), default=True)
    questions = models.JSONField(_("questions"), default=list, blank=True)
    consent_text = models.TextField(_("consent text"))
    consent_version = models.PositiveIntegerField(_("consent version"), default=1)
    opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    channels = models.JSONField(_("channels"), default=list, blank=True)
    allow_international = models.BooleanField(_("numbers from outside mainland China"), default=False)
    created_by = user_ref()

    class Meta:
        ordering = ["campaign_id", "starts_at", "id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return self.name


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    WAITLISTED = "waitlisted", _("Waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class Registration(models.Model):
    """One person's registration. Erasing it (PIPL) blanks the person's data and keeps the row, so the
    day's and channel's counts stay as they were."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    name = models.CharField(_("name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    channel = models.CharField(_("channel"), max_length=100)
    status = status_field(RegistrationStatus, default=RegistrationStatus.REGISTERED, max_length=12)
    ticket_code = models.CharField(_("ticket code"), max_length=20, unique=True)
    consent_version = models.PositiveIntegerField(_("consent version"))
    consented_at = models.DateTimeField(_("consented at"))
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True, db_index=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_in_by = user_ref()
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True)

    class Meta:
        ordering = ["event_id", "-created_at", "-id"]
        constraints = [
            # One registration per phone and event: the same phone again gets its ticket back. Erased
            # registrations have no phone and are outside the rule.
            models.UniqueConstraint(fields=["event", "phone"], condition=~Q(phone=""), name="events_one_per_phone")
        ]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")

    def __str__(self) -> str:
        return f"{self.event_id}:{self.ticket_code}"


class Visit(models.Model):
    """A visitor's first view of the public page on a day (a cookie marks the day): the funnel's first step.
    Append-only, so a burst of views never waits on one counter row."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="visits")
    at = models.DateTimeField(_("at"), auto_now_add=True)
    channel = models.CharField(_("channel"), max_length=100)

    class Meta:
        indexes = [models.Index(fields=["event", "at"], name="events_visit_event_at")]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")

    def __str__(self) -> str:
        return f"{self.event_id} {self.at:%Y-%m-%d} {self.channel}"


class ReminderStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    DONE = "done", _("Sent")
    FAILED = "failed", _("Failed")


class Reminder(models.Model):
    """A reminder sent to an event's registrants (e-mail where they gave one, else SMS), in the background:
    who asked, the text, and how many went out by which channel."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="reminders")
    message = models.TextField(_("message"), blank=True)
    include_waitlist = models.BooleanField(_("also the waiting list"), default=False)
    status = status_field(ReminderStatus, default=ReminderStatus.QUEUED)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)
    emailed = models.PositiveIntegerField(_("e-mails"), default=0)
    texted = models.PositiveIntegerField(_("text messages"), default=0)
    failed = models.PositiveIntegerField(_("failed"), default=0)
    created_by = user_ref(blank=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["event_id", "-created_at", "-id"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")

    def __str__(self) -> str:
        return f"{self.event_id} {self.created_at:%Y-%m-%d %H:%M}"
