"""API schemas of events (ADR 0005: In, the Patch derived from it, an Out that reads the model)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.urls import reverse
from ninja import Schema
from pydantic import Field

from campaignflow.core.api_types import InputSchema, patch_schema


class EventIn(InputSchema):
    name: str = Field(max_length=200)
    starts_at: Any = None  # datetime text, read by the service (its message names the field)
    ends_at: Any = None
    opens_at: Any = None
    closes_at: Any = None
    place: str = Field("", max_length=300)
    stream_url: str = Field("", max_length=500)
    capacity: int | None = None
    waitlist: bool = True
    allow_international: bool = False
    questions: list[Any] = Field(default_factory=list, max_length=20)
    channels: list[str] = Field(default_factory=list, max_length=50)
    consent_text: str = Field("", max_length=2000)


EventPatch = patch_schema(EventIn)


class EventOut(Schema):
    id: int
    campaign_id: int
    name: str
    slug: str
    public_url: str
    starts_at: datetime
    ends_at: datetime | None
    opens_at: datetime | None
    closes_at: datetime | None
    place: str
    stream_url: str
    capacity: int | None
    waitlist: bool
    allow_international: bool
    questions: list[dict]
    channels: list[str]
    consent_text: str
    consent_version: int
    registered_count: int = 0
    waitlisted_count: int = 0
    checked_in_count: int = 0
    version: int

    @staticmethod
    def resolve_public_url(event, context) -> str:
        path = reverse("events:public", args=[event.slug])
        request = (context or {}).get("request")
        return request.build_absolute_uri(path) if request is not None else path


class RegistrationIn(InputSchema):
    name: Any = None
    phone: Any = None
    email: str | None = Field(None, max_length=254)
    consent: Any = None
    channel: str | None = Field(None, max_length=200)
    answers: dict[str, Any] | None = None


class TicketOut(Schema):
    ticket_code: str
    status: str
    ticket_url: str
    event: str
    starts_at: datetime


class RegistrationOut(Schema):
    id: int
    name: str
    phone: str
    email: str
    status: str
    channel: str
    ticket_code: str
    created_at: datetime
    checked_in_at: datetime | None
    erased_at: datetime | None
    consent_version: int
    answers: dict


class CheckInIn(InputSchema):
    ticket_code: str = Field(max_length=300)
    at: datetime | None = None  # when it was scanned (a check-in queued offline)


class FunnelStep(Schema):
    channel: str | None = None
    visits: int
    registrations: int
    check_ins: int
    conversion_rate: float | None
    attendance_rate: float | None


class FunnelOut(Schema):
    totals: FunnelStep
    channels: list[FunnelStep]


class ReminderIn(InputSchema):
    message: str = Field("", max_length=300)
    include_waitlist: bool = False


class ReminderOut(Schema):
    id: int
    event_id: int
    message: str
    include_waitlist: bool
    status: str
    recipients: int
    emailed: int
    texted: int
    failed: int
    created_at: datetime
    finished_at: datetime | None
