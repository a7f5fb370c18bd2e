"""Field factories for the fields every app declares the same way.

Each returns exactly the field the apps wrote out before (same options, so the same migration state).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def user_ref(*, blank: bool = True, related_name: str = "+", **options) -> models.ForeignKey:
    """A person a row names (owner, creator, approver, …): optional, set to null when the account is
    deleted, and no reverse accessor on the user unless `related_name` is given. `blank=False` for the
    people the code records (the actor of a change), which no form asks for."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=blank,
        on_delete=models.SET_NULL,
        related_name=related_name,
        **options,
    )


def status_field(
    choices: type[models.TextChoices], *, default: str, max_length: int = 20, **options
) -> models.CharField:
    """A row's `status`: one of `choices`, starting at `default`."""
    return models.CharField(_("status"), max_length=max_length, choices=choices.choices, default=default, **options)
