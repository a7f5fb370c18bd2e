"""Sign-in settings checked when the app starts: a typo in SSO_ROLE_MAP must stop the start, not demote people."""

from __future__ import annotations

from pathlib import Path

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
    check_ldap_settings()
    check_redirect_sign_in_settings()


def check_ldap_settings() -> None:
    uri = settings.LDAP_URI
    if not uri:
        return
    if not uri.lower().startswith(("ldap://", "ldaps://")):
        raise ImproperlyConfigured(f"LDAP_URI {uri!r} must start with ldap:// or ldaps://.")
    if not settings.LDAP_USER_SEARCH_BASE:
        raise ImproperlyConfigured("LDAP_URI is set: set LDAP_USER_SEARCH_BASE too (e.g. ou=people,dc=example,dc=com).")
    for name, keys in (("LDAP_USER_FILTER", ("user",)), ("LDAP_GROUP_FILTER", ("dn", "user"))):
        template = getattr(settings, name)
        try:
            template % dict.fromkeys(keys, "x")
        except (KeyError, ValueError, TypeError) as exc:
            raise ImproperlyConfigured(
                f"{name} {template!r} is not a filter template: use %(user)s for the username"
                + (" and %(dn)s for the person's DN" if "dn" in keys else "")
                + f" ({exc})."
            ) from None
        if not template.startswith("(") or (name == "LDAP_USER_FILTER" and "%(user)s" not in template):
            raise ImproperlyConfigured(f"{name} {template!r} must be a filter in parentheses naming %(user)s.")
    if settings.LDAP_CA_FILE and not Path(settings.LDAP_CA_FILE).is_file():
        raise ImproperlyConfigured(f"LDAP_CA_FILE {settings.LDAP_CA_FILE!r} is not a readable file.")
    if settings.LDAP_SYNC_MINUTES < 1:
        raise ImproperlyConfigured("LDAP_SYNC_MINUTES must be 1 or more.")


# A chat app is offered when all of its settings are present; some of them without the others is a mistake.
CHAT_APP_SETTINGS = {
    "DingTalk": ("DINGTALK_APP_KEY", "DINGTALK_APP_SECRET", "DINGTALK_CORP_ID"),
    "Feishu": ("FEISHU_APP_ID", "FEISHU_APP_SECRET"),
    "WeCom": ("WECOM_CORP_ID", "WECOM_AGENT_ID", "WECOM_SECRET"),
}


def check_redirect_sign_in_settings() -> None:
    """OpenID Connect and the chat apps (ADR 0015): half a configuration stops the start, naming what is missing."""
    if settings.OIDC_ISSUER or settings.OIDC_CLIENT_ID:
        if not settings.OIDC_ISSUER.lower().startswith(("https://", "http://")):
            raise ImproperlyConfigured(
                f"OIDC_ISSUER {settings.OIDC_ISSUER!r} must be the issuer's URL (https://idp.example.com/realms/x)."
            )
        if not settings.OIDC_CLIENT_ID:
            raise ImproperlyConfigured("OIDC_ISSUER is set: set OIDC_CLIENT_ID (and OIDC_CLIENT_SECRET) too.")
    for app, names in CHAT_APP_SETTINGS.items():
        missing = [name for name in names if not getattr(settings, name)]
        if missing and len(missing) < len(names):
            raise ImproperlyConfigured(f"{app} sign-in is half configured: set {', '.join(missing)} too.")
    if settings.SSO_HTTP_TIMEOUT <= 0:
        raise ImproperlyConfigured("SSO_HTTP_TIMEOUT must be more than 0 seconds.")
    if settings.CHAT_SYNC_MINUTES < 1:
        raise ImproperlyConfigured("CHAT_SYNC_MINUTES must be 1 or more.")
