"""Sending the queued deliveries (webhooks, e-mail and the chat apps' personal messages), from the worker (tasks.deliver_pending) or the
scheduler: retries with back-off, then given up and kept in the log. Apart from the services that queue
them, so the task that sends them and the services that enqueue that task import in one direction."""

from __future__ import annotations

import datetime as dt
import http.client
import time

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from . import chat_channel, outbound, texts
from .domain import webhooks
from .models import Delivery, DeliveryStatus


def _absolute(url: str) -> str:
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    return f"{base}{url}" if url.startswith("/") and base else url


def _send_webhook(delivery: Delivery) -> tuple[bool, int | None, str]:
    endpoint = delivery.endpoint
    if endpoint is None or not endpoint.active:
        return False, None, "endpoint removed or disabled"
    message = webhooks.Message(
        event=delivery.kind,
        title=delivery.title,
        body=delivery.body,
        url=_absolute(delivery.url),
        campaign=delivery.campaign.name if delivery.campaign else "",
        buttons=chat_channel.robot_buttons(delivery) if endpoint.kind in webhooks.BUTTON_KINDS else (),
    )
    request = webhooks.build(endpoint.kind, endpoint.url, endpoint.secret, message, now_ms=int(time.time() * 1000))
    try:
        status, content, location = outbound.post(
            request.url, request.body, request.headers, timeout=settings.WEBHOOK_TIMEOUT_SECONDS
        )
    except outbound.Refused as exc:
        return False, None, f"refused: {exc}"[:500]
    except (OSError, http.client.HTTPException) as exc:  # timeouts, TLS and connection errors
        return False, None, (str(exc) or type(exc).__name__)[:500]
    if 300 <= status < 400:
        return False, status, f"HTTP {status}: redirects are not followed (to {location or '?'})"[:500]
    ok, error = webhooks.accepted(endpoint.kind, status, content)
    return ok, status, error


def _send_email(delivery: Delivery) -> tuple[bool, int | None, str]:
    if delivery.recipient is None or not delivery.recipient.email:
        return False, None, "no e-mail address"
    # the campaign first: an e-mail is read away from the page that would say it
    heading = f"{delivery.campaign.name}\n\n" if delivery.campaign_id else ""
    body = heading + delivery.body + (f"\n\n{_absolute(delivery.url)}" if delivery.url else "")
    try:
        send_mail(f"[CampaignFlow] {delivery.title}", body, settings.DEFAULT_FROM_EMAIL, [delivery.recipient.email])
    except Exception as exc:
        return False, None, str(exc)[:500]
    return True, None, ""


def _send_chat(delivery: Delivery) -> tuple[bool, int | None, str]:
    channel = chat_channel.current()
    if channel is None or not channel.available():
        return False, None, "no chat app is configured"
    return channel.send(delivery)


SENDERS = {"webhook": _send_webhook, "email": _send_email, "chatapp": _send_chat}


def deliver_due(*, now: dt.datetime | None = None, limit: int = 200) -> dict[str, int]:
    """Send the deliveries that are due; failures are retried with back-off, then given up (kept in the log)."""
    now = now or timezone.now()
    counts = {"sent": 0, "failed": 0, "dead": 0}
    ids = list(
        Delivery.objects.filter(status__in=[DeliveryStatus.PENDING, DeliveryStatus.FAILED], next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("id", flat=True)[:limit]
    )
    for delivery_id in ids:
        with transaction.atomic():
            delivery = (
                Delivery.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("endpoint", "recipient", "campaign", "target_type")
                .filter(pk=delivery_id, status__in=[DeliveryStatus.PENDING, DeliveryStatus.FAILED])
                .first()
            )
            if delivery is None:
                continue  # another worker has it
            texts.localize(delivery)  # in its recipient's language (a robot's: the site's), kept as sent
            ok, status, error = SENDERS[delivery.channel](delivery)
            delivery.attempts += 1
            delivery.response_status = status
            if ok:
                delivery.status, delivery.sent_at, delivery.last_error = DeliveryStatus.SENT, timezone.now(), ""
                counts["sent"] += 1
            else:
                delivery.last_error = error
                wait = webhooks.backoff_seconds(delivery.attempts)
                if delivery.attempts >= webhooks.MAX_ATTEMPTS or not wait:
                    delivery.status = DeliveryStatus.DEAD
                    counts["dead"] += 1
                else:
                    delivery.status = DeliveryStatus.FAILED
                    delivery.next_attempt_at = now + dt.timedelta(seconds=wait)
                    counts["failed"] += 1
            delivery.save()
    return counts
