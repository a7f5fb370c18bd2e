"""Scale data for the benchmarks: `manage.py generate_data` (bulk paths) and the users who read it."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

from bench import quick


def setup(tmp: Path, before_migrate=None, *, sqlite: bool = False):
    """Django on the bench's database, migrated, with the bench superuser (returned): DATABASE_URL's PostgreSQL
    when it names one (a database private to the bench: data is added to it), else, or always with `sqlite`, a
    temporary SQLite file in `tmp`; never the dev db.sqlite3. Alert evaluation is not queued (nothing times it).
    `before_migrate` runs once Django is set up (QUICK: the servers that boot while the database is migrated)."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres") and not sqlite:
        print(f"database: PostgreSQL {url.rsplit('/', 1)[-1]} (private to the bench)")
    else:
        os.environ.pop("DATABASE_URL", None)
        os.environ["SQLITE_PATH"] = str(tmp / "bench.sqlite3")
        print(f"database: temporary SQLite {tmp / 'bench.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["TASKS_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"
    import django

    django.setup()
    from django.core.management import call_command

    if before_migrate is not None:
        before_migrate()
    if quick():
        create_schema_from_models()
    else:
        call_command("migrate", verbosity=0)
    from campaignflow.accounts.models import User

    user, _ = User.objects.get_or_create(username="bench", defaults={"display_name": "bench", "is_superuser": True})
    return user


class _NoMigrations(dict):
    """settings.MIGRATION_MODULES naming no migrations for any app (as Django's test runner does for MIGRATE False)."""

    def __contains__(self, app_label) -> bool:
        return True

    def __getitem__(self, app_label) -> None:
        return None


def create_schema_from_models() -> None:
    """QUICK: the tables, columns, indexes and constraints of the models, created from them in one pass, then the
    shared read cache's table, the one thing a migration adds besides the models (campaigns 0002). The 75
    migrations take 6–10 s from an empty database, most of it Django rendering the model state again for each
    (docs/performance.md); this takes ~1 s. The schema is the same: lint's `makemigrations --check` keeps models and
    migrations equal, and tests/test_bench_schema.py compares the two schemas table by table. Full-size runs
    migrate, as a deployment does."""
    from django.conf import settings
    from django.core.management import call_command

    kept = settings.MIGRATION_MODULES
    settings.MIGRATION_MODULES = _NoMigrations()
    try:
        call_command("migrate", run_syncdb=True, verbosity=0)
    finally:
        settings.MIGRATION_MODULES = kept
    call_command("createcachetable", verbosity=0)


@contextmanager
def standalone(prefix: str, *, sqlite: bool = False):
    """A bench module run on its own (`python -m bench.bench_…`): (a temporary folder, the bench user) with the
    database set up as `setup` does; the folder, and a SQLite database in it, removed afterwards."""
    tmp = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield tmp, setup(tmp, sqlite=sqlite)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


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
