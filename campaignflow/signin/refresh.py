"""Roles follow the directory between sign-ins: a person removed from a mapped group loses the role at their next
request (ADR 0011).

On a request of a signed-in user (session: `RoleRefreshMiddleware`; API token: the `accounts.signals.token_user`
signal) whose last check is older than SSO_ROLE_REFRESH_SECONDS (300 s; 0 turns it off), each of their identities
at a method that can be asked again (`Method.refresh`: LDAP, and the chat apps where their user API is configured)
is read from its source: the person gone or disabled there → `leavers.deactivate` (the request is then refused);
otherwise profile and mapped role are brought up to date (`provisioning.apply_source`). A source that cannot be
asked changes nothing (logged); the leavers' sync catches up. The time of the last check is kept in the cache
(`CACHE_URL`: shared by all web workers when it is Redis; per process otherwise, so each worker checks at most
once per period). Accounts without such an identity cost one cache read per request, and nothing at all while no
method with `refresh` is configured.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import logout
from django.core.cache import cache

from . import methods
from .errors import SourceUnavailable
from .leavers import deactivate
from .models import ExternalIdentity
from .provisioning import apply_source

log = logging.getLogger(__name__)


def _key(user_id: int) -> str:
    return f"signin:checked:{user_id}"


def refreshable() -> dict:
    """{method id: Method} of the configured methods that can re-read a person."""
    if not settings.SSO_ROLE_REFRESH_SECONDS:
        return {}
    return {m.id: m for m in methods.configured() if m.refresh is not None}


def check_user(user, *, force: bool = False) -> None:
    """Re-read `user` at their sources when due (`force`: now). May deactivate them or change their role, on the
    instance given."""
    sources = refreshable()
    if not sources or not getattr(user, "is_authenticated", False) or not user.is_active:
        return
    if not force and cache.get(_key(user.pk)):
        return
    cache.set(_key(user.pk), 1, settings.SSO_ROLE_REFRESH_SECONDS)
    for identity in ExternalIdentity.objects.filter(user=user, method__in=list(sources)):
        method = sources[identity.method]
        try:
            found = method.refresh([identity.subject]).get(identity.subject)
        except SourceUnavailable as exc:
            log.warning("could not re-read %s at %s: %s", user.pk, identity.method, exc)
            continue
        if found is None:
            deactivate(user, source=identity.method, reason="not active at the source (checked on a request)")
            return
        apply_source(user, found)


class RoleRefreshMiddleware:
    """After AuthenticationMiddleware: the session user's sources re-read when due; a person disabled at the
    source is logged out there and then (the page redirects to the login, the API answers 401)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if refreshable():
            user = request.user
            if user.is_authenticated:
                check_user(user)
                if not user.is_active:
                    logout(request)
        return self.get_response(request)


def _on_token_user(sender, user, **kwargs) -> None:
    check_user(user)


def connect() -> None:
    from campaignflow.accounts.signals import token_user

    token_user.connect(_on_token_user, dispatch_uid="signin.refresh")
