"""`BENCH_QUICK=1` creates its database from the models (bench/data.py `create_schema_from_models`) instead of
running the migrations, as a deployment does: the two must give the same tables, columns, indexes and
constraints, or the QUICK figures would be measured on another database than the product's."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BUILD = """
import os, sys
sys.path.insert(0, os.getcwd())
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
import django
django.setup()
if sys.argv[1] == "models":
    from bench.data import create_schema_from_models
    create_schema_from_models()
else:
    from django.core.management import call_command
    call_command("migrate", verbosity=0)
"""


def _build(how: str, path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}  # a SQLite file, whichever database runs
    env |= {"SQLITE_PATH": str(path), "READ_CACHE_SHARED": "database"}
    done = subprocess.run([sys.executable, "-c", BUILD, how], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]


def _parts(body: str) -> list[str]:
    """A CREATE TABLE's column and constraint clauses (split at the commas outside parentheses), sorted: the
    models list a table's columns in another order than the migrations that added them one by one."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(body):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if ch == "," and depth == 0:
            parts.append(body[start:i].strip())
            start = i + 1
    parts.append(body[start:].strip())
    return sorted(parts)


def _schema(path: Path) -> dict:
    with sqlite3.connect(path) as con:
        rows = con.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND tbl_name != 'django_migrations'"
        ).fetchall()
    return {(kind, name): _parts(sql[sql.index("(") + 1 : sql.rindex(")")]) if kind == "table" else sql
            for kind, name, sql in rows}  # fmt: skip


def test_schema_from_models_is_the_migrated_schema(tmp_path):
    _build("migrate", tmp_path / "migrated.sqlite3")
    _build("models", tmp_path / "models.sqlite3")
    migrated, from_models = _schema(tmp_path / "migrated.sqlite3"), _schema(tmp_path / "models.sqlite3")
    assert len(migrated) > 200  # tables and indexes of every app, the read cache's among them
    assert ("table", "cf_shared_cache") in migrated
    assert sorted(set(migrated) ^ set(from_models)) == []
    assert {k: v for k, v in migrated.items() if from_models[k] != v} == {}
