"""Scale data for the benchmarks: `manage.py generate_data` (bulk paths) and the users who read it."""

from __future__ import annotations

import os
import time
import uuid


def generate(**kw) -> list[int]:
    """Run generate_data; return the ids of the campaigns it made."""
    from django.core.management import call_command

    from campaignflow.campaigns.models import Campaign

    before = Campaign.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    t0 = time.perf_counter()
    with open(os.devnull, "w") as devnull:
        call_command("generate_data", **kw, stdout=devnull)
    print(f"  generate_data {kw}: {time.perf_counter() - t0:.1f} s", flush=True)
    return list(Campaign.objects.filter(pk__gt=before).order_by("pk").values_list("pk", flat=True))


def settle() -> None:
    """After a bulk load, before reads are timed: write the load's dirty pages out now (PostgreSQL CHECKPOINT,
    SQLite's WAL checkpoint) and, on PostgreSQL, gather the statistics autovacuum would gather after such a load
    (VACUUM ANALYZE; the bench machine's server runs with autovacuum off). Otherwise the reads timed next share
    the cores with the write-back of gigabytes (p95 up to 2× in the phase after the load, on PostgreSQL)."""
    from django.db import connection

    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")
            cursor.execute("CHECKPOINT")
        elif connection.vendor == "sqlite":
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    print(f"  settle (checkpoint{', vacuum analyze' if connection.vendor == 'postgresql' else ''}): "
          f"{time.perf_counter() - t0:.1f} s", flush=True)  # fmt: skip


def api_token(user) -> str:
    """A Bearer token for `user`, used once so that its first-use write is not measured."""
    from django.test import Client

    from campaignflow.accounts.services import token_create

    _t, raw = token_create(user=user, name="bench")
    Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/campaigns")
    return raw


def planner(campaign_ids: list[int], *, owns_every: int = 20):
    """A team member (not an admin) in the given campaigns, owner of every n-th task of them: the user
    whose lists are measured, so that what they see stays the same while the database grows."""
    from campaignflow.accounts.models import User
    from campaignflow.campaigns.models import Membership
    from campaignflow.planning.models import Task

    user, _created = User.objects.get_or_create(username="planner", defaults={"display_name": "计划员"})
    Membership.objects.bulk_create(
        [Membership(campaign_id=cid, user=user, role="member") for cid in campaign_ids], ignore_conflicts=True
    )
    for cid in campaign_ids:
        ids = list(Task.objects.filter(campaign_id=cid).order_by("pk").values_list("pk", flat=True)[::owns_every])
        Task.objects.filter(pk__in=ids).update(owner=user)
    return user


def postgres_scratch() -> tuple[str, callable] | None:
    """(URL of a new scratch database, drop) when a PostgreSQL server answers, else None."""
    if os.environ.get("BENCH_POSTGRES", "1") == "0":
        return None
    base = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    try:
        import psycopg

        name = f"cf_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(base, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except Exception as exc:
        print(f"PostgreSQL not used ({type(exc).__name__}: {exc})".strip(), flush=True)
        return None

    def drop():
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return f"{base.rsplit('/', 1)[0]}/{name}", drop
