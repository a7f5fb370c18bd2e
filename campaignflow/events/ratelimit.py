"""Limits on the public registration endpoints: per client address and per event, fixed windows counted
in the cache (per process by default; set CACHE_URL to Redis so that every worker shares the counts)."""

from __future__ import annotations

import math
import time

from django.conf import settings
from django.core.cache import cache

DEFAULTS = {"EVENTS_RATE_PER_IP": "20/60", "EVENTS_RATE_PER_EVENT": "5000/10"}  # requests / seconds


def _limit(name: str) -> tuple[int, int] | None:
    text = str(getattr(settings, name, DEFAULTS[name]) or "")
    if not text or text == "0":
        return None  # switched off
    count, _, seconds = text.partition("/")
    return int(count), int(seconds or 60)


def _over(key: str, limit: tuple[int, int]) -> int | None:
    """Seconds until the window ends when this request is over the limit, else None."""
    count, window = limit
    now = time.time()
    bucket = f"rl:{key}:{int(now // window)}"
    if cache.add(bucket, 1, window + 1):
        hits = 1
    else:
        try:
            hits = cache.incr(bucket)
        except ValueError:  # expired between add and incr
            cache.add(bucket, 1, window + 1)
            hits = 1
    if hits <= count:
        return None
    return max(1, math.ceil(window - now % window))


def retry_after(*, client: str, event_slug: str) -> int | None:
    """None when the request may go on, else the Retry-After seconds (the larger of the limits hit)."""
    waits = []
    for name, key in (("EVENTS_RATE_PER_IP", f"ip:{client}"), ("EVENTS_RATE_PER_EVENT", f"ev:{event_slug}")):
        limit = _limit(name)
        if limit and (wait := _over(key, limit)) is not None:
            waits.append(wait)
    return max(waits) if waits else None


def client_address(request) -> str:
    """The client's address. Behind the reverse proxy (BEHIND_PROXY=1) every request comes from the proxy, so
    the address is the last one the proxy added to X-Forwarded-For (earlier entries are the client's to forge)."""
    if getattr(settings, "BEHIND_PROXY", False):
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if forwarded:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR", "") or "unknown"
