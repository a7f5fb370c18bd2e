"""The project run as separate processes, for tests of what only real processes show (concurrent
workers, a queue worker): a scratch database of their own, `manage.py` commands in that environment."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import uuid
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MANAGE = [sys.executable, str(ROOT / "manage.py")]


def scratch_database_env(tmp_path: Path) -> tuple[dict, Callable[[], None]]:
    """(environment variables, drop): a database of the kind the suite uses (SQLite file, or a scratch
    PostgreSQL database next to DATABASE_URL's) and the function that removes it."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        name = f"cf_conc_{uuid.uuid4().hex[:8]}"
        base, _slash, _db = url.rpartition("/")
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')

        def drop():
            with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        return {"DATABASE_URL": f"{base}/{name}"}, drop
    return {"SQLITE_PATH": str(tmp_path / "concurrency.sqlite3")}, lambda: None


def manage(env: dict, *args: str, timeout: int = 120) -> subprocess.CompletedProcess:
    """`manage.py <args>` in `env`; a failing command fails the test (its output captured)."""
    return subprocess.run(
        [*MANAGE, *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True, timeout=timeout
    )


def manage_shell(env: dict, code: str, timeout: int = 120) -> str:
    """What `manage.py shell -c <code>` prints in `env`."""
    return manage(env, "shell", "-c", code, timeout=timeout).stdout


def redis_up() -> bool:
    """Redis answers on 127.0.0.1:6379 (the tests that need a real one are skipped without it)."""
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False
