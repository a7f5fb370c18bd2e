"""`manage.py restore PATH [--yes]`: replace the database's contents with a backup."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from campaignflow.core.backup import data_checksum, restore


class Command(BaseCommand):
    help = "Restore the database from a file made by `manage.py backup` (replaces all current data)."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, path, yes, **options):
        source = Path(path)
        if not source.exists():
            raise CommandError(f"No such backup file: {source}")
        if not yes and input("This replaces every record with the backup's. Type 'yes' to go on: ") != "yes":
            raise CommandError("Restore cancelled.")
        restore(source)
        self.stdout.write(f"restored from {source}")
        self.stdout.write(f"data checksum: {data_checksum()}")
