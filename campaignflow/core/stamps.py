"""Change stamps: the id of a campaign's newest audit entry (or of all), the key of its cached reads
(campaigns.read_cache, ADR 0004). Every committed change of a campaign's data records an audit entry, so a
new stamp means new data.

The lookups behind every API request read the stamp in the same query and `carry` it on what they found:
the campaign (campaigns.access.campaign_for_user) its own, the Bearer token's user (accounts.services.
user_for_token) the stamp of all. That saves a round trip to the database on each cached read (ADR 0022).
A carried stamp is used only in the request (or the second) it was read in, and only while this process
has recorded no audit entry since: a request that changes the campaign and then reads it asks the
database again."""

from __future__ import annotations

import time

from django.core.signals import request_started
from django.db import connection
from django.db.models.signals import post_save

from .models import AuditEntry

_TABLE = AuditEntry._meta.db_table
# As SQL text (also inside the lookups' queries): compiling the ORM aggregate cost ~2 ms, ten times the query.
GLOBAL_STAMP_SQL = f"SELECT MAX(g.id) FROM {_TABLE} g"

_generation = [0]  # requests begun and audit entries recorded by this process (only compared for equality)
CARRY_SECONDS = 1.0


def stamp_sql(campaign_expr: str) -> str:
    """The stamp of the campaign whose id is `campaign_expr` (a parameter or a column), as SQL: one seek
    on the (campaign, id) index."""
    return f"SELECT MAX(a.id) FROM {_TABLE} a WHERE a.campaign_id = {campaign_expr}"


_STAMP_SQL = stamp_sql("%s")


def _scalar(sql: str, params=()) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0] or 0


def carry(obj, stamp: int | None) -> None:
    """Keep the stamp read with `obj` (a campaign, or a user for the stamp of all) on it, for the cached
    reads of the same request."""
    obj._stamp = (stamp or 0, _generation[0], time.monotonic())


def carried_stamp(obj) -> int | None:
    """The stamp `obj` carries from this request's lookup, if nothing was written since; else None."""
    carried = getattr(obj, "_stamp", None)
    if carried is not None and carried[1] == _generation[0] and time.monotonic() - carried[2] < CARRY_SECONDS:
        return carried[0]
    return None


def change_stamp(campaign) -> int:
    """The campaign's stamp (a campaign, or its id): the one it carries if nothing was written since."""
    carried = carried_stamp(campaign)
    return carried if carried is not None else _scalar(_STAMP_SQL, [getattr(campaign, "pk", campaign)])


def global_stamp(user=None) -> int:
    """The id of the newest audit entry of all (one seek on the primary key): the change stamp of reads
    that span campaigns, such as a user's campaign list. The one `user` carries if nothing was written since."""
    carried = carried_stamp(user)
    return carried if carried is not None else _scalar(GLOBAL_STAMP_SQL)


def _next_generation(sender=None, created=True, **kwargs) -> None:
    if created:
        _generation[0] += 1


post_save.connect(_next_generation, sender=AuditEntry, dispatch_uid="campaigns.stamps.recorded")
request_started.connect(_next_generation, dispatch_uid="campaigns.stamps.request")
