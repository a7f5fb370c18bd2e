"""The table of the shared read cache (settings.CACHES["shared"] when there is no Redis; ADR 0019).

`createcachetable` creates the tables of the database caches that settings name and skips those that exist, so
this also runs harmlessly where the shared cache is Redis or memory; re-run `manage.py createcachetable` after
switching a deployment from Redis to the database."""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0001_initial")]

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]
