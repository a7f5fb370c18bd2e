"""Queueing the count of registrations into metrics; apart from the services so that the task and the
services import in one direction."""

from __future__ import annotations

import datetime as dt
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from .tasks import send_reminder, sync_metrics

log = logging.getLogger(__name__)

_queued_until: dict[int, float] = {}  # campaign id → end of the window whose recount this process queued


def queue_metrics_sync(campaign_id: int) -> None:
    """One recount per campaign per EVENTS_METRICS_DELAY seconds, run at the end of that window: a burst
    of registrations queues one recount, which (reading every registration) counts them all. A backend
    that cannot defer (the tests' immediate one) recounts at once, every time."""
    delay = getattr(settings, "EVENTS_METRICS_DELAY", 5)
    try:
        if not sync_metrics.get_backend().supports_defer or delay <= 0:
            sync_metrics.enqueue(campaign_id)
            return
        started = time.monotonic()
        if _queued_until.get(campaign_id, 0) > started:
            return  # this process queued the window's recount: no need to ask the cache on every registration
        if not cache.add(f"events:sync:{campaign_id}", 1, delay):
            return  # a recount is already queued for the end of this window
        sync_metrics.using(run_after=timezone.now() + dt.timedelta(seconds=delay)).enqueue(campaign_id)
        _queued_until[campaign_id] = started + delay  # ends before the cache's mark and before the recount runs
    except Exception:  # a queue that is down never fails a registration; the next one queues again
        cache.delete(f"events:sync:{campaign_id}")
        log.warning("could not queue the registration count of campaign %s", campaign_id, exc_info=True)


def queue_reminder(reminder_id: int) -> None:
    """The reminder (committed by the service) goes to the worker."""
    send_reminder.enqueue(reminder_id)
