"""PIPL retention: registrants' data is kept for the campaign, not for ever. EVENTS_RETENTION_DAYS after a
campaign is archived (its last move to `archived`), its registrations are anonymised the way an erasure
does it (name, phone, e-mail and answers blanked; the rows and so every count stay). Run daily by the
scheduler (`manage.py run_scheduler --once` runs it by hand)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from campaignflow.campaigns.models import Campaign, StatusChange
from campaignflow.core.audit import audit_record

from .models import Event, Registration


def retention_days() -> int:
    return int(getattr(settings, "EVENTS_RETENTION_DAYS", 30))


def campaigns_due(now: dt.datetime) -> list[int]:
    """Archived campaigns whose archiving is older than the retention period."""
    cutoff = now - dt.timedelta(days=retention_days())
    archived = (
        StatusChange.objects.filter(to_status="archived", campaign__status="archived")
        .values("campaign_id")
        .annotate(at=Max("at"))
        .filter(at__lt=cutoff)
    )
    return [row["campaign_id"] for row in archived]


def purge_expired_registrations(*, now: dt.datetime | None = None) -> int:
    """Anonymise the registrations of every campaign past its retention; the number anonymised."""
    now = now or timezone.now()
    total = 0
    for campaign_id in campaigns_due(now):
        events = Event.objects.filter(campaign_id=campaign_id)
        with transaction.atomic():
            count = Registration.objects.filter(event__in=events, erased_at__isnull=True).update(
                name="", phone="", email="", answers={}, erased_at=now
            )
            if count:
                audit_record(
                    actor=None,
                    action="events.retention",
                    obj=Campaign.objects.get(pk=campaign_id),
                    after={"anonymised": count, "retention_days": retention_days()},
                )
        total += count
    return total
