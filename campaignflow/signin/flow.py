"""The end of an external sign-in (OIDC, DingTalk, Feishu, WeCom callbacks), one way for every method.

    def callback(request):
        ...check state/nonce, exchange the code, read the user...
        if failed:
            return flow.sign_in_failed(request, method_id="oidc", reason="bad_token")  # nothing created
        return flow.complete_sign_in(request, Identity(method="oidc", subject=claims["sub"], ...))

Before sending the browser away, the start view keeps where to go afterwards: `flow.remember_next(request)`.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpResponse
from django.shortcuts import redirect, resolve_url
from django.utils.translation import gettext as _

from campaignflow.accounts.views import set_language_cookie

from . import audit
from .domain.identity import Identity
from .domain.next_url import safe_next
from .errors import SignInRefused
from .provisioning import provision

SESSION_BACKEND = "campaignflow.signin.backends.SessionBackend"
NEXT_KEY = "signin_next"


def remember_next(request, value: str | None = None) -> None:
    """Keep the `next` path (default: the request's ?next=) for after the round trip; only this site's paths."""
    target = safe_next(value if value is not None else request.GET.get("next"))
    if target:
        request.session[NEXT_KEY] = target
    else:
        request.session.pop(NEXT_KEY, None)


def _pop_next(request) -> str:
    return safe_next(request.session.pop(NEXT_KEY, None)) or resolve_url(settings.LOGIN_REDIRECT_URL)


def complete_sign_in(request, identity: Identity) -> HttpResponse:
    """Provision the account, log the browser in, audit the sign-in, go to the remembered page. A refusal (a
    disabled account, …) goes back to the login page with its message; nothing is created."""
    try:
        user = provision(identity)
    except SignInRefused as exc:
        return sign_in_failed(
            request, method_id=identity.method, reason=exc.reason, message=exc.message, username=identity.username_hint
        )
    target = _pop_next(request)
    login(request, user, backend=SESSION_BACKEND)
    audit.signed_in(request, user, identity.method)
    return set_language_cookie(redirect(target), user.language)


def sign_in_failed(request, *, method_id: str, reason: str, message: str = "", username: str = "") -> HttpResponse:
    """The source failed or refused (an error from the IdP, a bad token, state/nonce mismatch…): audited, then the
    login page with a clear message. `reason` is a short code for the log, never a token or secret."""
    audit.sign_in_failed(request, method_id=method_id, reason=reason, username=username)
    messages.error(request, message or _("Sign-in with your company account did not succeed. Please try again."))
    return redirect("login")
