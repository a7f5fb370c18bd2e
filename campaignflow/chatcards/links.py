"""The phone pages of the daily loop that cards and reminders link to (campaignflow/today/, issue #23)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse


def numbers_link(campaign_id: int, channels: list[str] | tuple[str, ...] = ()) -> str:
    """Today's numbers form of a campaign, showing only these channels (all when none)."""
    path = reverse("today:numbers", args=[campaign_id])
    return f"{path}?{urlencode([('channel', name) for name in channels])}" if channels else path


def standup_link(campaign_id: int) -> str:
    return reverse("today:standup", args=[campaign_id])
