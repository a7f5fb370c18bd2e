"""The data board, cached: it is opened far more often than its inputs change (metrics arrive daily or
hourly, while the whole team keeps the board open), and building it costs ~30 ms of queries and Python
per request (ADR 0004).

An entry is keyed by what the board depends on:
- the campaign's change stamp: the id of its newest audit entry. Every write of the board's inputs
  (metric imports, pushes, grid saves and undo; KPIs and their plans; channels and their sharing; the
  campaign's dates) records an audit entry with the campaign in its own transaction, so a committed
  change always gives a new key, for every worker process, without any invalidation message;
- the day (pace, forecast and the daily table depend on today), the language (labels are translated),
  and the audience: the team, or partners (who see only what is shared with them).

Entries also expire after `BOARD_CACHE_SECONDS` (default 60; 0 turns the cache off). That bounds the one
case a stamp cannot see: two writers whose audit ids commit out of order, with a board built between
the two commits (metric writes are serialised per campaign, so it takes e.g. a KPI edit racing an
import).
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import get_language

from campaignflow.campaigns.access import is_partner
from campaignflow.core.json_out import dumps
from campaignflow.core.models import AuditEntry

from . import selectors


def change_stamp(campaign_id: int) -> int:
    """The id of the campaign's newest audit entry (one seek on the (campaign, id) index)."""
    return AuditEntry.objects.filter(campaign_id=campaign_id).aggregate(m=Max("id"))["m"] or 0


def _key(campaign, user, kind: str) -> str:
    audience = "partner" if user is not None and is_partner(user, campaign) else "team"
    stamp = change_stamp(campaign.pk)
    return f"board:{kind}:{campaign.pk}:{stamp}:{timezone.localdate().isoformat()}:{get_language()}:{audience}"


def _seconds() -> int:
    return int(getattr(settings, "BOARD_CACHE_SECONDS", 60))


def board_data(campaign, *, user=None) -> dict:
    """`tracking.selectors.board`, from the cache when nothing it reads has changed."""
    seconds = _seconds()
    if seconds <= 0:
        return selectors.board(campaign, user=user)
    key = _key(campaign, user, "data")
    data = cache.get(key)
    if data is None:
        data = selectors.board(campaign, user=user)
        cache.set(key, data, seconds)
    return data


def board_json(campaign, *, user=None) -> bytes:
    """The board as UTF-8 JSON bytes (what the API returns), from the cache when nothing changed."""
    seconds = _seconds()
    if seconds <= 0:
        return dumps(selectors.board(campaign, user=user))
    key = _key(campaign, user, "json")
    body = cache.get(key)
    if body is None:
        body = dumps(selectors.board(campaign, user=user))
        cache.set(key, body, seconds)
    return body
