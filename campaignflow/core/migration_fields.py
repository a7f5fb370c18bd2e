"""The field tuples every CreateModel repeats, written once for the migrations.

`makemigrations` writes Django's id and the three fields of `core.models.VersionedModel` into each
CreateModel of a versioned model; the migrations call `versioned_fields()` instead, and models without
VersionedModel call `id_field()`. These return exactly what makemigrations wrote, so the migration
state and the SQL are the same as with the written-out lines.

Applied migrations are history: never change what these return. A change of VersionedModel's fields
gets a new migration (AlterField) like any other model change.
"""

from django.db import models


def id_field() -> tuple[str, models.Field]:
    """Django's implicit primary key (DEFAULT_AUTO_FIELD = BigAutoField)."""
    return ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"))


def versioned_fields() -> list[tuple[str, models.Field]]:
    """The id, then VersionedModel's created_at, updated_at and version, in makemigrations' order."""
    return [
        id_field(),
        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
        ("version", models.PositiveIntegerField(default=1, verbose_name="version")),
    ]
