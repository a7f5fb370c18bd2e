"""Online backup and restore of the database (SQLite backup API; pg_dump/pg_restore for PostgreSQL),
and a checksum of the application's data to prove a round trip."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.apps import apps
from django.db import connection


def data_checksum() -> str:
    """SHA-256 over every row of every CampaignFlow model, in primary-key order."""
    digest = hashlib.sha256()
    for model in sorted(apps.get_models(), key=lambda m: m._meta.label):
        if not model._meta.app_label or not model.__module__.startswith(("campaignflow.", "django.contrib.auth")):
            continue
        if model._meta.proxy or not model._meta.managed:
            continue
        fields = [f.attname for f in model._meta.concrete_fields]
        digest.update(model._meta.label.encode())
        for row in model._base_manager.order_by("pk").values_list(*fields):
            digest.update(repr(row).encode())
    return digest.hexdigest()


def _pg_env() -> tuple[dict, list[str]]:
    s = connection.settings_dict
    env = {**os.environ}
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = s["PASSWORD"]
    args = ["-h", s.get("HOST") or "127.0.0.1", "-p", str(s.get("PORT") or 5432), "-U", s.get("USER") or "postgres"]
    return env, args


def backup(destination: Path) -> Path:
    destination.parent.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(destination)
        try:
            connection.connection.backup(target)  # consistent while the app keeps running
        finally:
            target.close()
    elif connection.vendor == "postgresql":
        if not shutil.which("pg_dump"):
            raise RuntimeError("pg_dump is not installed (Debian: postgresql-client)")
        env, args = _pg_env()
        subprocess.run(
            ["pg_dump", *args, "-Fc", "-f", str(destination), connection.settings_dict["NAME"]],
            env=env,
            check=True,
            capture_output=True,
        )
    else:
        raise RuntimeError(f"backup is not implemented for {connection.vendor}")
    return destination


def restore(source: Path) -> None:
    if not source.exists():
        raise FileNotFoundError(source)
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        origin = sqlite3.connect(source)
        try:
            origin.backup(connection.connection)
        finally:
            origin.close()
    elif connection.vendor == "postgresql":
        env, args = _pg_env()
        connection.close()
        subprocess.run(
            [
                "pg_restore",
                *args,
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "-d",
                connection.settings_dict["NAME"],
                str(source),
            ],
            env=env,
            check=True,
            capture_output=True,
        )
    else:
        raise RuntimeError(f"restore is not implemented for {connection.vendor}")
