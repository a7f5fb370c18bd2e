"""`manage.py backup [PATH]`: an online backup of the database; prints the file and a data checksum."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection
from django.utils import timezone

from campaignflow.core.backup import backup, data_checksum


class Command(BaseCommand):
    help = "Back up the database (SQLite online backup, or pg_dump for PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="Backup file (default: backups/campaignflow-<time>.<ext>)")

    def handle(self, *args, path=None, **options):
        ext = "sqlite3" if connection.vendor == "sqlite" else "dump"
        target = (
            Path(path)
            if path
            else Path(settings.BASE_DIR) / "backups" / (f"campaignflow-{timezone.now():%Y%m%d-%H%M%S}.{ext}")
        )
        backup(target)
        self.stdout.write(f"backup written: {target} ({target.stat().st_size:,} bytes)")
        self.stdout.write(f"data checksum: {data_checksum()}")
