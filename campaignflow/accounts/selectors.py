"""Finding the user a form or API field names, one way for every app."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .models import User


def active_user(value) -> User | None:
    """The active user named by `value`: a User is taken as is, text is a username (spaces around it
    ignored). None when there is no such active user (a deactivated account counts as unknown)."""
    if isinstance(value, User):
        return value
    return User.objects.filter(username=str(value).strip(), is_active=True).first()


def user_input(value, field: str, errors: dict) -> User | None:
    """The active user a field names; None when empty. An unknown one goes into errors[field]."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    user = active_user(value)
    if user is None:
        errors[field] = _("Unknown user %(name)s.") % {"name": str(value).strip()[:150]}
    return user
