"""The fields and options every CreateModel repeats, written once for the migrations.

`makemigrations` writes Django's id and the three fields of `core.models.VersionedModel` into each
CreateModel of a versioned model; the migrations call `versioned_fields()` instead, and models without
VersionedModel call `id_field()`; `core.models.CampaignCoded`'s code is `code_field()`. Likewise the
campaign a row belongs to is `campaign_fk(related_name)`, the account a row belongs to `account_fk(…)`, a
person the row names (`core.model_fields.user_ref()`) `user_ref_fk()`, and the options that start with the
verbose names `model_options(singular, plural, …)`. These return exactly what makemigrations wrote, so the
migration state and the SQL are the same as with the written-out lines.

Applied migrations are history: never change what these return. A change of VersionedModel's fields
gets a new migration (AlterField) like any other model change.
"""

from django.conf import settings
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


def code_field() -> tuple[str, models.Field]:
    """CampaignCoded's code (R001, Q001, T001, M001), right after the versioned fields."""
    return ("code", models.CharField(max_length=20, verbose_name="code"))


def campaign_fk(related_name: str, **options) -> models.ForeignKey:
    """The campaign a row belongs to, deleted with it."""
    return models.ForeignKey(on_delete=models.CASCADE, related_name=related_name, to="campaigns.campaign", **options)


def account_fk(related_name: str, **options) -> models.ForeignKey:
    """The account a row belongs to (a membership, a preference, a token), deleted with it."""
    return models.ForeignKey(
        on_delete=models.CASCADE, related_name=related_name, to=settings.AUTH_USER_MODEL, **options
    )


def user_ref_fk(related_name: str = "+", *, blank: bool = True, **options) -> models.ForeignKey:
    """What `core.model_fields.user_ref()` declares: a person, set to null when the account is deleted."""
    return models.ForeignKey(
        blank=blank,
        null=True,
        on_delete=models.SET_NULL,
        related_name=related_name,
        to=settings.AUTH_USER_MODEL,
        **options,
    )


def model_options(verbose_name: str, verbose_name_plural: str, **options) -> dict:
    """A CreateModel's options: the verbose names, then ordering, indexes, constraints as written."""
    return {"verbose_name": verbose_name, "verbose_name_plural": verbose_name_plural, **options}
