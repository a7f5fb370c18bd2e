"""Reminders to an event's registrants: asked for by the team, sent in the background (e-mail where the
person gave an address, else a text message to their phone), each with the person's own ticket link."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from campaignflow.core.audit import audit_record
from campaignflow.core.errors import Conflict
from campaignflow.core.parsing import text_input

from . import sms
from .models import Event, Registration, RegistrationStatus, Reminder, ReminderStatus

log = logging.getLogger(__name__)
MAX_MESSAGE = 300  # a text message of a few segments; the ticket link is added after it


def default_message(event: Event) -> str:
    when = date_format(timezone.localtime(event.starts_at), "Y-m-d H:i")
    where = event.place or event.stream_url
    return _("Reminder: %(event)s starts at %(when)s%(where)s. Show your e-ticket at the entrance.") % {
        "event": event.name,
        "when": when,
        "where": f" · {where}" if where else "",
    }


def reminder_create(*, actor, event: Event, data: dict) -> Reminder:
    """A reminder for the worker to send (jobs.queue_reminder); one at a time per event (409 while one is)."""
    message = text_input(data.get("message"), "message", MAX_MESSAGE)
    include_waitlist = bool(data.get("include_waitlist"))
    with transaction.atomic():
        Event.objects.select_for_update().filter(pk=event.pk).first()
        busy = event.reminders.filter(status__in=[ReminderStatus.QUEUED, ReminderStatus.SENDING]).exists()
        if busy:
            raise Conflict(_("A reminder for this event is still being sent."))
        reminder = Reminder.objects.create(
            event=event, message=message, include_waitlist=include_waitlist, created_by=actor
        )
        audit_record(
            actor=actor,
            action="events.remind",
            obj=reminder,
            after={"message": message or default_message(event), "include_waitlist": include_waitlist},
            campaign=event.campaign,
        )
    return reminder


def _recipients(reminder: Reminder):
    statuses = [RegistrationStatus.REGISTERED] + ([RegistrationStatus.WAITLISTED] if reminder.include_waitlist else [])
    return (
        Registration.objects.filter(event=reminder.event, status__in=statuses, erased_at__isnull=True)
        .exclude(phone="", email="")
        .order_by("id")
        .only("id", "phone", "email", "ticket_code", "event_id")
    )


def ticket_link(event: Event, code: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("events:ticket", args=[event.slug, code])


def reminder_send(reminder_id: int) -> Reminder | None:
    """The worker's side: every recipient once; a failure is counted, never stops the others."""
    reminder = Reminder.objects.select_related("event").filter(pk=reminder_id).first()
    if reminder is None or reminder.status not in (ReminderStatus.QUEUED, ReminderStatus.SENDING):
        return reminder
    Reminder.objects.filter(pk=reminder.pk).update(status=ReminderStatus.SENDING)
    event = reminder.event
    text = reminder.message or default_message(event)
    subject = _("Reminder: %(event)s") % {"event": event.name}
    texter = sms.sender()
    counts = {"recipients": 0, "emailed": 0, "texted": 0, "failed": 0}
    for person in _recipients(reminder).iterator(chunk_size=500):
        counts["recipients"] += 1
        body = f"{text} {ticket_link(event, person.ticket_code)}"
        try:
            if person.email:
                send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [person.email])
                counts["emailed"] += 1
            else:
                texter.send(person.phone, body)
                counts["texted"] += 1
        except Exception:  # one bad address or a provider hiccup: count it and go on
            counts["failed"] += 1
            log.warning("reminder %s to registration %s failed", reminder.pk, person.pk, exc_info=True)
    Reminder.objects.filter(pk=reminder.pk).update(
        status=ReminderStatus.DONE
        if counts["recipients"] == 0 or counts["failed"] < counts["recipients"]
        else ReminderStatus.FAILED,
        finished_at=timezone.now(),
        **counts,
    )
    reminder.refresh_from_db()
    return reminder
