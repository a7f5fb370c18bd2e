"""Visitors of the public page, registrations and check-ins counted into the campaign's metrics 访问, 报名 and
签到 per day and channel (API.md: nobody types them in). The counts are recomputed from the rows themselves
— a sync run twice writes the same rows — and written through tracking's ingestion, so the board (its funnel
访问 → 报名 → 签到 included), its caches and the alert rules see them like any other metric."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone

from campaignflow.campaigns.models import Campaign
from campaignflow.tracking.domain.parsers import ParseResult, Row
from campaignflow.tracking.services import metrics_ingest

from .models import Registration, RegistrationStatus, Visit

VISITS = "访问"
REGISTRATIONS = "报名"
CHECK_INS = "签到"


def counts(campaign_id: int) -> dict[tuple, int]:
    """(day, channel, metric) → count, the day in the app's time zone. Erased registrations still count."""
    tz = timezone.get_current_timezone()
    base = Registration.objects.filter(event__campaign_id=campaign_id).exclude(status=RegistrationStatus.CANCELLED)
    out: dict[tuple, int] = {}
    for metric, qs in (
        (REGISTRATIONS, base.annotate(day=TruncDate("created_at", tzinfo=tz))),
        (CHECK_INS, base.filter(checked_in_at__isnull=False).annotate(day=TruncDate("checked_in_at", tzinfo=tz))),
    ):
        for row in qs.values("day", "channel").annotate(n=Count("id")).order_by():
            out[(row["day"], row["channel"], metric)] = row["n"]
    visits = Visit.objects.filter(event__campaign_id=campaign_id).annotate(day=TruncDate("at", tzinfo=tz))
    for row in visits.values("day", "channel").annotate(n=Count("id")).order_by():
        out[(row["day"], row["channel"], VISITS)] = row["n"]
    return out


@transaction.atomic
def sync(campaign) -> int:
    """Write the campaign's registration counts as metric rows (one batch); returns the rows written.

    Two recounts of a campaign at once (two workers) take turns on the campaign's row: otherwise the one
    that counted first could write last and put back an older, smaller count."""
    Campaign.objects.select_for_update().filter(pk=campaign.pk).values_list("pk", flat=True).first()
    rows = [
        Row(day.isoformat(), channel, metric, str(n))
        for (day, channel, metric), n in sorted(counts(campaign.pk).items())
    ]
    if rows:
        metrics_ingest(actor=None, campaign=campaign, parsed=ParseResult(rows=rows), source="api", filename="报名/签到")
    return len(rows)
