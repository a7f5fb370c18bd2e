"""REST endpoints of events: the team's (events, registrations, check-in, erasure, funnel) and the one
public write, registering (no login; rate-limited)."""

from __future__ import annotations

from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from campaignflow import lookups
from campaignflow.campaigns.access import EDIT, MANAGE, VIEW, campaign_for_user, role_in
from campaignflow.campaigns.models import MemberRole
from campaignflow.core.api_types import PathId, patch_data
from campaignflow.core.errors import Forbidden
from campaignflow.core.json_out import json_response

from . import exports, jobs, ratelimit, reminders, selectors, services
from .schemas import (
    CheckInIn,
    EventIn,
    EventOut,
    EventPatch,
    FunnelOut,
    RegistrationIn,
    RegistrationOut,
    ReminderIn,
    ReminderOut,
    TicketOut,
)

router = Router(tags=["events"])


def _with_counts(event):
    return selectors.with_counts(type(event).objects.filter(pk=event.pk)).get()


@router.get("/campaigns/{campaign_id}/events", response=list[EventOut])
def list_events(request, campaign_id: PathId):
    return list(selectors.events(campaign_for_user(request.user, campaign_id, VIEW)))


@router.post("/campaigns/{campaign_id}/events", response={201: EventOut})
def create_event(request, campaign_id: PathId, payload: EventIn):
    campaign = campaign_for_user(request.user, campaign_id, MANAGE)
    event = services.event_create(actor=request.user, campaign=campaign, data=payload.dict())
    return Status(201, _with_counts(event))


@router.get("/events/{event_id}", response=EventOut)
def get_event(request, event_id: PathId):
    return lookups.event_for_user(request.user, event_id, VIEW)


@router.patch("/events/{event_id}", response=EventOut)
def update_event(request, event_id: PathId, payload: EventPatch):
    event = lookups.event_for_user(request.user, event_id, MANAGE)
    version, data = patch_data(payload)
    return _with_counts(services.event_update(actor=request.user, event=event, version=version, data=data))


@router.delete("/events/{event_id}", response={204: None})
def delete_event(request, event_id: PathId, version: int = Query(...)):
    event = lookups.event_for_user(request.user, event_id, MANAGE)
    services.event_delete(actor=request.user, event=event, version=version)
    return Status(204, None)


@router.get("/events/{event_id}/registrations", response=list[RegistrationOut])
def list_registrations(request, event_id: PathId, status: str | None = None, channel: str | None = None):
    event = lookups.event_for_user(request.user, event_id, VIEW)
    return json_response(selectors.registration_rows(event, request.user, status=status, channel=channel))


@router.get("/events/{event_id}/registrations.xlsx")
def export_registrations(request, event_id: PathId):
    """The registrations as a sheet (报名名单) for the team; partners 403, viewers get masked phones."""
    event = lookups.event_for_user(request.user, event_id, VIEW)
    if role_in(request.user, event.campaign) == MemberRole.PARTNER:
        raise Forbidden(_("The list of registrants is internal to the campaign team."))
    return exports.registrations_xlsx_response(event, selectors.registration_rows(event, request.user))


@router.get("/events/{event_id}/reminders", response=list[ReminderOut])
def list_reminders(request, event_id: PathId):
    return list(lookups.event_for_user(request.user, event_id, VIEW).reminders.all()[:100])


@router.post("/events/{event_id}/reminders", response={202: ReminderOut})
def send_reminder(request, event_id: PathId, payload: ReminderIn):
    """Queued for the worker: e-mail where a registrant gave one, else a text message (EVENTS_SMS_SENDER)."""
    event = lookups.event_for_user(request.user, event_id, MANAGE)
    reminder = reminders.reminder_create(actor=request.user, event=event, data=payload.dict())
    jobs.queue_reminder(reminder.pk)
    return Status(202, reminder)


@router.get("/events/{event_id}/funnel", response=FunnelOut)
def event_funnel(request, event_id: PathId):
    return selectors.funnel(lookups.event_for_user(request.user, event_id, VIEW))


@router.post("/events/{event_id}/checkin", response=RegistrationOut)
def check_in(request, event_id: PathId, payload: CheckInIn):
    event = lookups.event_for_user(request.user, event_id, EDIT)
    return services.check_in(actor=request.user, event=event, code=payload.ticket_code, at=payload.at)


@router.delete("/registrations/{registration_id}", response={204: None})
def erase_registration(request, registration_id: PathId):
    registration = lookups.registration_for_user(request.user, registration_id, MANAGE)
    services.registration_erase(actor=request.user, registration=registration)
    return Status(204, None)


# --- public -------------------------------------------------------------------------------------------------


def ticket_out(request, registration) -> dict:
    """TicketOut's fields, written as the schema would write them (times as the API's other times)."""
    event = registration.event
    path = reverse("events:ticket", args=[event.slug, registration.ticket_code])
    return {
        "ticket_code": registration.ticket_code,
        "status": registration.status,
        "ticket_url": request.build_absolute_uri(path),
        "event": event.name,
        "starts_at": services.json_time(event.starts_at),
    }


def too_many(wait: int) -> HttpResponse:
    response = json_response({"detail": _("Too many registrations from here: try again in a moment.")}, status=429)
    response["Retry-After"] = str(wait)
    return response


@router.post("/public/events/{slug}/registrations", auth=None, response={200: TicketOut, 201: TicketOut, 429: dict})
def register(request, slug: str, payload: RegistrationIn):
    """No login. The same phone again → 200 with the same ticket; abuse → 429 with Retry-After.

    The ticket is written straight to JSON: a burst's every answer skips validating five known fields
    through TicketOut (the document still shows it; test_api checks the answers against it)."""
    wait = ratelimit.retry_after(client=ratelimit.client_address(request), event_slug=slug[:32])
    if wait:
        return too_many(wait)
    event = selectors.public_event(slug)
    registration, created = services.register(event=event, data=payload.dict())
    return json_response(ticket_out(request, registration), status=201 if created else 200)
