"""REST endpoints: the caller's inbox and preferences; a campaign's webhooks and delivery log."""

from __future__ import annotations

import datetime as dt

from ninja import Query, Router, Schema, Status
from pydantic import Field

from campaignflow import lookups
from campaignflow.campaigns.access import MANAGE, campaign_for_user
from campaignflow.core.api_types import IdField, InputSchema, PathId, VersionQuery, patch_data, patch_schema

from . import services
from .models import Delivery, Notification, WebhookEndpoint

router = Router(tags=["notifications"])
MAX_EVENTS = 20  # event kinds a robot listens to


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    url: str
    campaign: int | None = Field(alias="campaign_id")
    created_at: dt.datetime
    read_at: dt.datetime | None
    count: int = 1  # how often the same event (e.g. an alert) came up; counted here, not as new entries

    @staticmethod
    def resolve_title(note: Notification) -> str:
        return note.shown_title  # in the request's language (notifications.texts)

    @staticmethod
    def resolve_body(note: Notification) -> str:
        return note.shown_body


class InboxFilter(InputSchema):
    unread: bool = False
    limit: int = Field(50, ge=1, le=500)


class ReadIn(InputSchema):
    ids: list[IdField] | None = Field(None, max_length=1000)


@router.get("/me/notifications", response=list[NotificationOut])
def inbox(request, filters: Query[InboxFilter]):
    qs = Notification.objects.filter(recipient=request.user)
    if filters.unread:
        qs = qs.filter(read_at__isnull=True)
    return qs[: filters.limit]


@router.post("/me/notifications/read")
def mark_read(request, payload: ReadIn):
    return {"marked": services.mark_read(user=request.user, ids=payload.ids)}


class PreferenceIn(InputSchema):
    preferences: dict[str, dict[str, bool]]


@router.put("/me/notification-preferences")
def save_preferences(request, payload: PreferenceIn):
    services.preferences_save(user=request.user, choices=payload.preferences)
    return {"saved": len(payload.preferences)}


class WebhookIn(InputSchema):
    name: str = Field(..., max_length=100)
    kind: str = Field(..., max_length=20)
    url: str = Field(..., max_length=500)
    secret: str = Field("", max_length=200)
    events: list[str] = Field(default_factory=list, max_length=MAX_EVENTS)
    active: bool = True


# A robot's type is fixed once made. `events` is given again because its default is a factory, which
# patch_schema cannot make optional (pydantic refuses a default and a default_factory together).
WebhookPatch = patch_schema(
    WebhookIn, exclude=("kind", "events"), events=(list[str] | None, Field(None, max_length=MAX_EVENTS))
)


class WebhookOut(Schema):
    id: int
    name: str
    kind: str
    url: str
    has_secret: bool
    events: list[str]
    active: bool
    version: int

    @staticmethod
    def resolve_has_secret(endpoint: WebhookEndpoint) -> bool:
        return bool(endpoint.secret)  # the secret itself is never shown


class DeliveryOut(Schema):
    id: int
    channel: str
    kind: str
    title: str
    status: str
    attempts: int
    last_error: str
    response_status: int | None
    created_at: dt.datetime
    sent_at: dt.datetime | None
    next_attempt_at: dt.datetime

    @staticmethod
    def resolve_title(delivery: Delivery) -> str:
        return delivery.shown_title


@router.get("/campaigns/{campaign_id}/webhooks", response=list[WebhookOut])
def list_webhooks(request, campaign_id: PathId):
    campaign = campaign_for_user(request.user, campaign_id, MANAGE)
    return WebhookEndpoint.objects.filter(campaign=campaign)


@router.post("/campaigns/{campaign_id}/webhooks", response={201: WebhookOut})
def create_webhook(request, campaign_id: PathId, payload: WebhookIn):
    campaign = campaign_for_user(request.user, campaign_id, MANAGE)
    endpoint = services.endpoint_create(actor=request.user, campaign=campaign, data=payload.dict())
    return Status(201, endpoint)


@router.patch("/webhooks/{webhook_id}", response=WebhookOut)
def update_webhook(request, webhook_id: PathId, payload: WebhookPatch):
    endpoint = lookups.webhook_for_user(request.user, webhook_id, MANAGE)
    version, data = patch_data(payload)
    return services.endpoint_update(actor=request.user, endpoint=endpoint, version=version, data=data)


@router.delete("/webhooks/{webhook_id}", response={204: None})
def delete_webhook(request, webhook_id: PathId, q: Query[VersionQuery]):
    """`?version=` (optional): the version read; a stale one is 409 and nothing is deleted."""
    endpoint = lookups.webhook_for_user(request.user, webhook_id, MANAGE)
    services.endpoint_delete(actor=request.user, endpoint=endpoint, version=q.version)
    return Status(204, None)


@router.post("/webhooks/{webhook_id}/test", response={202: DeliveryOut})
def test_webhook(request, webhook_id: PathId):
    delivery = services.endpoint_test(
        actor=request.user, endpoint=lookups.webhook_for_user(request.user, webhook_id, MANAGE)
    )
    return Status(202, delivery)


@router.get("/campaigns/{campaign_id}/deliveries", response=list[DeliveryOut])
def list_deliveries(request, campaign_id: PathId):
    """The campaign's delivery log (the last 500 messages sent to robots and by e-mail, alert texts
    included): owners and managers, as on the notifications page."""
    campaign = campaign_for_user(request.user, campaign_id, MANAGE)
    return list(Delivery.objects.filter(campaign=campaign)[:500])
