"""Notify people and integrations. Nothing is sent inside the user's request: `notify` writes the
in-app notifications and queues deliveries (the outbox); `deliver_due` sends them from the worker or
the scheduler (notifications.delivery), with retries and a delivery log. A failing webhook never loses the message: the
in-app notification is already stored and the delivery stays in the log."""

from __future__ import annotations

import datetime as dt
import urllib.parse

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from campaignflow.core.audit import audit_record, delete_versioned, snapshot
from campaignflow.core.domain.text import clean_text
from campaignflow.core.errors import InvalidInput
from campaignflow.core.locking import update_versioned

from . import chat_channel, outbound, texts
from .models import (
    CampaignMute,
    Delivery,
    DeliveryStatus,
    EventKind,
    Notification,
    Preference,
    WebhookEndpoint,
    WebhookKind,
)
from .tasks import deliver_pending


def notify(
    *,
    kind: str,
    title: str = "",
    body: str = "",
    text: tuple[str, dict] | None = None,
    url: str = "",
    campaign=None,
    recipients=(),
    group_key: str = "",
    target=None,
) -> list[Notification]:
    """Inbox entries for each recipient (per their preferences) and queued e-mails, chat app messages and webhooks.

    `text` is (message key, params) of `texts.TEXTS`: the entries are then read in each reader's language (the
    inbox, the API), and e-mails and chat app messages are sent in their recipient's (`texts.localize`). The
    stored title and body are said from it in the site's language; `title` is stored instead when the params
    cannot say it, `body` when the key has none (text people typed). Without `text`, `title` and `body` are what
    everyone reads.

    `target` is the object the event is about (an expense waiting for approval, an alert): a chat app message
    offers its actions as buttons (chatcards).

    `group_key` names the event (e.g. one alert rule × subject): a person who already has it unread,
    or was told within NOTIFICATION_REPEAT_HOURS, gets no new entry or e-mail; their entry counts the
    repeat (×2, ×3 …) and shows the newest text. A robot gets it once in that period."""
    key, params = text if text is not None else ("", {})
    if key:
        said = texts.first_written(key, params)
        if said is None and not title:
            raise ValueError(f"notification text {key!r} cannot be said with {sorted(params)}")
        if said is not None:
            title, body = said[0], body if said[1] is None else said[1]
    now = timezone.now()
    users = {u.pk: u for u in recipients if u is not None and u.is_active}
    muted = set()
    if campaign is not None and users:
        muted = set(CampaignMute.objects.filter(campaign=campaign, user_id__in=users).values_list("user_id", flat=True))
    prefs = {p.user_id: p for p in Preference.objects.filter(user_id__in=users, kind=kind)}
    since = now - dt.timedelta(hours=settings.NOTIFICATION_REPEAT_HOURS)
    repeated, told = _repeats(group_key, users, since) if group_key else ({}, set())
    if repeated:
        Notification.objects.filter(pk__in=repeated.values()).update(
            count=F("count") + 1,
            title=title[:200],
            body=body,
            url=url[:500],
            message_key=key,
            message_params=params,
        )
    # What every inbox entry, e-mail and robot message of this event carries.
    message = {
        "campaign": campaign,
        "kind": kind,
        "title": title[:200],
        "body": body,
        "url": url[:500],
        "group_key": group_key,
        "message_key": key,
        "message_params": params,
    }
    about = {"target_type": ContentType.objects.get_for_model(target), "target_id": target.pk} if target else {}
    chat = chat_channel.current()
    in_chat = chat.reachable(list(users)) if chat is not None and users else set()
    notes, deliveries = [], []
    for user in users.values():
        if user.pk in muted or user.pk in told:
            continue
        pref = prefs.get(user.pk)
        if pref is None or pref.inapp:
            notes.append(Notification(recipient=user, **message))
        if (pref is None or pref.email) and user.email:
            deliveries.append(Delivery(channel="email", recipient=user, next_attempt_at=now, **message))
        if (pref is None or pref.chatapp) and user.pk in in_chat:
            deliveries.append(Delivery(channel="chatapp", recipient=user, next_attempt_at=now, **message, **about))
    endpoints = WebhookEndpoint.objects.filter(active=True).filter(Q(campaign=campaign) | Q(campaign__isnull=True))
    if group_key:
        sent_to = Delivery.objects.filter(channel="webhook", group_key=group_key, created_at__gte=since)
        endpoints = endpoints.exclude(pk__in=sent_to.values("endpoint_id"))
    for endpoint in endpoints:
        if not endpoint.events or kind in endpoint.events:
            deliveries.append(Delivery(channel="webhook", endpoint=endpoint, next_attempt_at=now, **message, **about))
    Notification.objects.bulk_create(notes)
    Delivery.objects.bulk_create(deliveries)
    if deliveries:
        transaction.on_commit(_enqueue_delivery)
    return notes


def _repeats(group_key: str, users: dict, since: dt.datetime) -> tuple[dict[int, int], set[int]]:
    """({user: their open entry for the event}, {users already told}): an unread entry, or anything
    (entry or e-mail) since `since`."""
    entries = (
        Notification.objects.filter(recipient_id__in=users, group_key=group_key)
        .filter(Q(read_at__isnull=True) | Q(created_at__gte=since))
        .order_by("created_at", "id")
        .values_list("recipient_id", "id")
    )
    repeated = dict(entries)  # the newest entry per person
    mailed = Delivery.objects.filter(
        channel__in=("email", "chatapp"), group_key=group_key, recipient_id__in=users, created_at__gte=since
    ).values_list("recipient_id", flat=True)
    return repeated, set(repeated) | set(mailed)


def _enqueue_delivery() -> None:
    try:
        deliver_pending.enqueue()
    except Exception:
        import logging

        logging.getLogger(__name__).warning("could not enqueue delivery; the scheduler will send it", exc_info=True)


# --- webhook endpoints ------------------------------------------------------------------


def validate_webhook_url(url: str) -> str:
    """http(s) only, to allowed hosts (the chat platforms, plus WEBHOOK_EXTRA_HOSTS), on an allowed port
    (80/443), not to an internal address. Sending checks the address again (outbound.post): the name
    may resolve elsewhere by then."""
    url = (url or "").strip()
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise InvalidInput({"url": _("The webhook address must start with https:// (or http://).")})
    host = parsed.hostname.lower()
    allowed = [h.lower() for h in settings.WEBHOOK_ALLOWED_HOSTS]
    if not any(host == h or host.endswith("." + h) for h in allowed):
        raise InvalidInput(
            {
                "url": _("Webhooks may only go to %(hosts)s (ask an administrator to allow another host).")
                % {"hosts": ", ".join(allowed)}
            }
        )
    try:
        port = outbound.port_of(parsed)
    except outbound.Refused:
        raise InvalidInput({"url": _("The port must be a number from 1 to 65535.")}) from None
    if port not in settings.WEBHOOK_ALLOWED_PORTS:
        ports = ", ".join(map(str, settings.WEBHOOK_ALLOWED_PORTS))
        raise InvalidInput(
            {
                "url": _("Port %(port)s is not allowed; webhooks may only use %(ports)s.")
                % {"port": port, "ports": ports}
            }
        ) from None
    try:
        outbound.resolve(host, port)
    except outbound.Refused:
        raise InvalidInput(
            {"url": _("%(host)s is an internal address; webhooks may not go there.") % {"host": host}}
        ) from None
    except OSError:
        pass  # not resolvable from here now: sending will tell (and check the address then)
    return url


def _clean_endpoint(data: dict, *, creating: bool) -> dict:
    errors, out = {}, {}
    if "name" in data or creating:
        name = clean_text(data.get("name"))
        if not name or len(name) > 100:
            errors["name"] = _("A name of 1 to 100 characters is required.")
        out["name"] = name
    if "kind" in data or creating:
        if data.get("kind") not in WebhookKind.values:
            errors["kind"] = _("Unknown type; use one of %(choices)s.") % {"choices": ", ".join(WebhookKind.values)}
        out["kind"] = data.get("kind")
    if "url" in data or creating:
        try:
            out["url"] = validate_webhook_url(data.get("url", ""))
        except InvalidInput as exc:
            errors.update(exc.as_field_dict())
    if "secret" in data:
        secret = (data.get("secret") or "").strip()
        if len(secret) > 200:
            errors["secret"] = _("At most %(n)d characters.") % {"n": 200}
        out["secret"] = secret
    if "events" in data:
        events = data.get("events") or []
        if not isinstance(events, list) or any(e not in EventKind.values for e in events):
            errors["events"] = _("Unknown event; use any of %(choices)s.") % {"choices": ", ".join(EventKind.values)}
        out["events"] = list(dict.fromkeys(events)) if isinstance(events, list) else []
    if "active" in data:
        out["active"] = bool(data["active"])
    if errors:
        raise InvalidInput(errors)
    return out


@transaction.atomic
def endpoint_create(*, actor, campaign, data: dict) -> WebhookEndpoint:
    endpoint = WebhookEndpoint.objects.create(
        campaign=campaign, created_by=actor, **_clean_endpoint(data, creating=True)
    )
    audit_record(
        actor=actor,
        action="create",
        obj=endpoint,
        campaign=campaign,
        after={**snapshot(endpoint), "secret": "***" if endpoint.secret else ""},
    )
    return endpoint


@transaction.atomic
def endpoint_update(*, actor, endpoint: WebhookEndpoint, version: int, data: dict) -> WebhookEndpoint:
    changes = _clean_endpoint(data, creating=False)
    before = {**snapshot(endpoint), "secret": "***"}
    update_versioned(endpoint, expected_version=version, changes=changes)
    audit_record(
        actor=actor,
        action="update",
        obj=endpoint,
        campaign=endpoint.campaign,
        before=before,
        after={**snapshot(endpoint), "secret": "***"},
    )
    return endpoint


@transaction.atomic
def endpoint_delete(*, actor, endpoint: WebhookEndpoint, version: int | None = None) -> None:
    delete_versioned(actor=actor, obj=endpoint, version=version, before={**snapshot(endpoint), "secret": "***"})


@transaction.atomic
def endpoint_test(*, actor, endpoint: WebhookEndpoint) -> Delivery:
    """Queue a test message to the endpoint (sent by the worker like any other)."""
    delivery = Delivery.objects.create(
        channel="webhook",
        endpoint=endpoint,
        campaign=endpoint.campaign,
        kind=EventKind.OTHER,
        title=_("CampaignFlow test message"),
        body=_("If you can read this, the robot is set up."),
        message_key="webhook.test",
        next_attempt_at=timezone.now(),
    )
    audit_record(actor=actor, action="test", obj=endpoint, campaign=endpoint.campaign, after={"delivery": delivery.pk})
    transaction.on_commit(_enqueue_delivery)
    return delivery


# --- inbox ------------------------------------------------------------------------------


def mark_read(*, user, ids: list[int] | None = None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())


def resolve(*, campaign, group_key_prefix: str) -> int:
    """The thing these entries asked someone to do is done (an approval was decided, by anyone): every unread
    entry of the campaign whose `group_key` starts with `group_key_prefix` is marked read for every recipient, so
    it no longer counts as waiting, and its e-mails, chat cards and robot messages not sent yet are withdrawn (a
    card asking to approve what is already approved would only mislead; the sender skips them). Returns how many
    inbox entries were closed."""
    if not group_key_prefix:
        raise ValueError("a group key prefix is needed")
    Delivery.objects.filter(
        campaign=campaign,
        group_key__startswith=group_key_prefix,
        status__in=[DeliveryStatus.PENDING, DeliveryStatus.FAILED],
    ).update(status=DeliveryStatus.WITHDRAWN)
    return Notification.objects.filter(
        campaign=campaign, group_key__startswith=group_key_prefix, read_at__isnull=True
    ).update(read_at=timezone.now())


def preferences_save(*, user, choices: dict[str, dict[str, bool]]) -> None:
    for kind, channels in choices.items():
        if kind not in EventKind.values:
            raise InvalidInput({"kind": _("Unknown event %(kind)s.") % {"kind": kind}})
        Preference.objects.update_or_create(
            user=user,
            kind=kind,
            defaults={channel: bool(channels.get(channel, True)) for channel in ("inapp", "email", "chatapp")},
        )


def mute(*, user, campaign, muted: bool) -> None:
    if muted:
        CampaignMute.objects.get_or_create(user=user, campaign=campaign)
    else:
        CampaignMute.objects.filter(user=user, campaign=campaign).delete()
