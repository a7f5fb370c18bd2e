"""Sign-in settings checked when the app starts: a typo in SSO_ROLE_MAP must stop the start, not demote people."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .domain.role_map import parse_role_map

PASSWORD_LOGIN_MODES = ("all", "admins")


def role_map() -> dict[str, str]:
    """SSO_ROLE_MAP parsed ({} when unset: roles are then never changed by a sign-in)."""
    return parse_role_map(settings.SSO_ROLE_MAP)


def check_settings() -> None:
    try:
        role_map()
    except ValueError as exc:
        raise ImproperlyConfigured(str(exc)) from None
    if settings.PASSWORD_LOGIN not in PASSWORD_LOGIN_MODES:
        raise ImproperlyConfigured(
            f"PASSWORD_LOGIN is {settings.PASSWORD_LOGIN!r}; use 'all' (the default) or 'admins'."
        )
    if settings.SSO_ROLE_REFRESH_SECONDS < 0:
        raise ImproperlyConfigured("SSO_ROLE_REFRESH_SECONDS must be 0 or more.")
