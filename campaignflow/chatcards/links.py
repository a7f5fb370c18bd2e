"""The phone pages of the daily loop that cards and reminders link to (campaignflow/today/, issue #23): each link is
built here once, from its path, so the page's URL name can replace the path in one place."""

from __future__ import annotations

from urllib.parse import urlencode


def numbers_link(campaign_id: int, channels: list[str] | tuple[str, ...] = ()) -> str:
    """Today's numbers form of a campaign, showing only these channels (all when none)."""
    path = f"/campaigns/{campaign_id}/today/numbers/"
    return f"{path}?{urlencode([('channel', name) for name in channels])}" if channels else path


def standup_link(campaign_id: int) -> str:
    return f"/campaigns/{campaign_id}/today/standup/"
