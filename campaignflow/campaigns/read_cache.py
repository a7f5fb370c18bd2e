"""Cached campaign reads: the board, the task list, the Gantt data. They are opened far more often than
their inputs change (the whole team keeps them open; data arrives daily or hourly), while building them
costs tens of milliseconds (the board's aggregates, the plan's critical-path analysis). ADR 0004.

An entry is keyed by everything the read depends on:
- the campaign's change stamp: the id of its newest audit entry. Every write of a campaign's data
  records an audit entry with the campaign in its own transaction (metric imports, pushes, the grid and
  undo; KPIs, plans, channels and their sharing; tasks, links, RACI, periods; the campaign itself), so
  a committed change always gives a new key, for every worker process, with no invalidation message;
- the day (pace, forecasts, slips and the daily table depend on today) and the language (labels);
- the audience: the team (every team role sees the same), or one partner (partners see only what is
  shared with them, or assigned to them);
- the read's own parameters (`variant`).

Every entry is kept in the worker process's memory (the "local" cache) and, where the worker processes share one,
in Redis (the "shared" cache); without Redis the shared cache is a table of the database, which keeps only the
board. The board is built by the write that changes it (`warm`, called once the write commits), so that after a
change the team's readers find it built instead of each worker process rebuilding it on the first read (ADR 0019).
A read looks in its own process's memory first: the key names the data's state, so a local entry is as current
as Redis's, and the round trip is saved (ADR 0024).

Entries also expire after `READ_CACHE_SECONDS` (default 60; 0 turns the cache off). That bounds what a
stamp cannot see: two writers whose audit ids commit out of order with a read built between the two
commits (metric writes are serialised per campaign, so it takes e.g. a KPI edit racing an import), and
the rare change recorded elsewhere (a user renamed).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.translation import get_language
from ninja.renderers import JSONRenderer
from pydantic import TypeAdapter

from campaignflow.core.json_out import dumps
from campaignflow.core.stamps import change_stamp, global_stamp

from .access import is_partner

T = TypeVar("T")


def _seconds() -> int:
    return int(getattr(settings, "READ_CACHE_SECONDS", 60))


def _key(campaign, user, kind: str, variant: str) -> str:
    audience = f"partner-{user.pk}" if user is not None and is_partner(user, campaign) else "team"
    return _audience_key(campaign, audience, kind, variant)


def _audience_key(campaign, audience: str, kind: str, variant: str) -> str:
    day = timezone.localdate().isoformat()
    return f"read:{kind}:{campaign.pk}:{change_stamp(campaign)}:{day}:{get_language()}:{audience}:{variant}"


def _shared(shared: bool = True):
    """The cache every worker process reads, for this read: Redis for every read, a database table for the
    `shared` ones (the board) only; None for the others."""
    return caches["shared"] if shared or settings.READ_CACHE_SHARED == "redis" else None


def variant_of(*parameters) -> str:
    """A read's own parameters as a key part: hashed, since filters are free text (spaces, any length)."""
    return hashlib.sha256(repr(parameters).encode()).hexdigest()[:32]


def _get_or_build(key: Callable[[], str], build: Callable[[], T], *, shared: bool = False) -> T:
    """What `build()` returned under `key()`, or `build()` stored there; with the cache off, `build()`.
    `shared`: also look in, and store into, the cache every worker process reads."""
    seconds = _seconds()
    if seconds <= 0:
        return build()
    name = key()
    local = caches["local"]
    value = local.get(name)
    if value is None:
        tier = _shared(shared)
        if tier is not None:
            value = tier.get(name)
        if value is None:
            value = build()
            if tier is not None:
                tier.set(name, value, seconds)
        local.set(name, value, seconds)
    return value


def cached(campaign, user, kind: str, build: Callable[[], T], *, variant: str = "", shared: bool = False) -> T:
    """`build()`, or what it returned for the same key (a deep copy: the cache pickles)."""
    return _get_or_build(lambda: _key(campaign, user, kind, variant), build, shared=shared)


def cached_json(
    campaign, user, kind: str, build: Callable[[], object], *, variant: str = "", shared: bool = False
) -> bytes:
    """`build()` serialised as UTF-8 JSON bytes (core.json_out), cached like `cached`."""
    return cached(campaign, user, f"{kind}.json", lambda: dumps(build()), variant=variant, shared=shared)


def warm(campaign, kind: str, build: Callable[[], object]) -> None:
    """Build the team's `kind` read (and its JSON, `kind`.json) now, in the site's language, into this process's
    cache and the shared one: called by a write once it has committed, so that the readers who come after a
    change find it built rather than every worker process rebuilding it (issue #25: the board after a change)."""
    seconds = _seconds()
    if seconds <= 0:
        return
    local, tier = caches["local"], _shared()
    with translation.override(settings.LANGUAGE_CODE):
        value = build()
        for name, entry in ((kind, value), (f"{kind}.json", dumps(value))):
            key = _audience_key(campaign, "team", name, "")
            local.set(key, entry, seconds)
            tier.set(key, entry, seconds)


@functools.cache
def _adapter(schema_type) -> TypeAdapter:
    return TypeAdapter(schema_type)


def schema_json(schema_type, data) -> bytes:
    """`data` validated against the documented response type and rendered exactly as django-ninja
    renders an endpoint's return value (same validation, same `model_dump`, same JSON renderer)."""
    adapter = _adapter(schema_type)
    dumped = adapter.dump_python(adapter.validate_python(data, context={"response_status": 200}))
    return JSONRenderer().render(None, dumped, response_status=200).encode()


def cached_response(request, campaign, kind: str, schema_type, build: Callable[[], object], *, variant: str = ""):
    """For an API list endpoint: its documented body, cached (`build()` returns what the endpoint would
    return). With the cache off, `build()` itself, so django-ninja validates and renders it as usual."""
    if _seconds() <= 0:
        return build()
    body = cached(campaign, request.user, kind, lambda: schema_json(schema_type, build()), variant=variant)
    return HttpResponse(body, content_type="application/json; charset=utf-8")


def cached_for_user(request, kind: str, build: Callable[[], bytes], *, variant: str = "") -> bytes:
    """`build()` (JSON bytes) for a read across the caller's campaigns (their campaign list, their tasks):
    keyed by the caller, the newest audit entry of all (a change to any campaign, membership or task
    gives a new key), the day and the language."""

    def key() -> str:
        day = timezone.localdate().isoformat()
        return f"read:{kind}:user-{request.user.pk}:{global_stamp(request.user)}:{day}:{get_language()}:{variant}"

    return _get_or_build(key, build)


def cached_user_response(request, kind: str, schema_type, build: Callable[[], object], *, variant: str = ""):
    """`cached_for_user` for an API endpoint documented by `schema_type` (see `cached_response`)."""
    if _seconds() <= 0:
        return build()
    body = cached_for_user(request, kind, lambda: schema_json(schema_type, build()), variant=variant)
    return HttpResponse(body, content_type="application/json; charset=utf-8")
