"""Leavers: a person disabled at the source loses access at once, their history stays.

`deactivate(user, source=, reason=)`: the account is made inactive, every session of theirs ended (database
sessions: the rows whose data holds their id are deleted; other session engines still refuse them, because an
inactive user's session no longer loads), their API tokens and calendar-feed tokens revoked. Nothing they wrote
or own is touched. One audit entry."""

from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.db import transaction
from django.utils import timezone

from campaignflow.accounts.models import ApiToken
from campaignflow.core.audit import audit_record
from campaignflow.planning.models import CalendarFeed

DB_SESSION_ENGINES = ("django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cached_db")


@transaction.atomic
def deactivate(user, *, source: str, reason: str, actor=None) -> dict:
    """Returns what was done ({"sessions": n, "api_tokens": n, "calendar_feeds": n}); one audit entry when
    anything changed."""
    now = timezone.now()
    was_active = user.is_active
    if was_active:
        user.is_active = False
        user.version += 1
        user.save(update_fields=["is_active", "version"])
    done = {
        "sessions": end_sessions(user),
        "api_tokens": ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now),
        "calendar_feeds": CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now),
    }
    if was_active or any(done.values()):
        audit_record(
            actor=actor,
            action="deactivate",
            obj=user,
            before={"is_active": was_active},
            after={"is_active": False, "source": source, "reason": reason, **done},
        )
    return done


def end_sessions(user) -> int:
    """Delete the live sessions of `user` (database-backed session engines); the number ended."""
    if settings.SESSION_ENGINE not in DB_SESSION_ENGINES:
        return 0
    store = import_module(settings.SESSION_ENGINE).SessionStore
    model = store.get_model_class()
    user_id = str(user.pk)
    ended = 0
    rows = model.objects.filter(expire_date__gt=timezone.now()).values_list("session_key", "session_data")
    for key, data in rows.iterator():
        if str(store().decode(data).get(SESSION_KEY)) == user_id:
            store(session_key=key).delete()
            ended += 1
    return ended
