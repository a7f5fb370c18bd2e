"""The pages of the redirect sign-ins (ADR 0015), under /signin/: OpenID Connect, and the chat apps' QR-code login
and in-app 免登. All are open pages (the person is not signed in yet); each ends in `flow.complete_sign_in` or, on
any failure, `flow.sign_in_failed` (audited, the login page with a Chinese message, nothing created).

    /signin/oidc/                      → the IdP (state, nonce, PKCE)     /signin/oidc/callback/
    /signin/<platform>/                → the platform's QR page (state)   /signin/<platform>/callback/
    /signin/app/                       the page a link inside DingTalk / Feishu / WeCom opens: it asks the app's
                                       JSAPI for a 免登 code (WeCom: a redirect) and posts it to
    /signin/<platform>/app/            (POST, CSRF-checked) → exchanged server-side → signed in
"""

from __future__ import annotations

import secrets
from base64 import urlsafe_b64encode
from hashlib import sha256
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import ensure_csrf_cookie

from campaignflow.core.middleware import SecurityHeadersMiddleware
from campaignflow.core.pages import Pages

from . import chat, flow, oidc, states
from .chat import ChatLoginError
from .domain.chat_people import chat_app
from .domain.next_url import safe_next

page = Pages()

IN_APP_TRIED = "signin_in_app_tried"


# --- OpenID Connect -----------------------------------------------------------------------------------------------
@page("oidc/", "oidc-start", public=True)
@never_cache
def oidc_start(request):
    if not oidc.configured():
        raise Http404
    flow.remember_next(request)
    try:
        return oidc.start(request)
    except oidc.OidcFailure as failure:
        return flow.sign_in_failed(request, method_id=oidc.METHOD_ID, reason=failure.reason, message=failure.message)


@page("oidc/callback/", "oidc-callback", public=True)
@never_cache
def oidc_callback(request):
    if not oidc.configured():
        raise Http404
    try:
        identity = oidc.complete(request)
    except oidc.OidcFailure as failure:
        return flow.sign_in_failed(request, method_id=oidc.METHOD_ID, reason=failure.reason, message=failure.message)
    return flow.complete_sign_in(request, identity)


# --- in-app 免登 --------------------------------------------------------------------------------------------------
def in_app_platform(request) -> chat.ChatProvider | None:
    """The configured chat app whose built-in browser this request comes from."""
    return chat.provider(chat_app(request.headers.get("User-Agent")))


def in_app_redirect(request):
    """For the login page: inside DingTalk / Feishu / WeCom (configured), the 免登 page — once per session, so a
    failed attempt leaves the person on the login page with its message and the buttons."""
    if in_app_platform(request) is None or request.session.get(IN_APP_TRIED):
        return None
    target = reverse("signin:in-app")
    next_path = safe_next(request.GET.get("next"))
    return redirect(f"{target}?{urlencode({'next': next_path})}" if next_path else target)


def _policy_with_script(script_url: str) -> str:
    """The site's Content-Security-Policy with one more script origin: the platform's JSAPI host, on this page
    only (its script cannot be copied into static/vendor: it is not published as a browser file we could ship)."""
    parts = urlsplit(script_url)
    origin = f"{parts.scheme}://{parts.netloc}"
    return SecurityHeadersMiddleware.POLICY.replace("script-src 'self'", f"script-src 'self' {origin}", 1)


@page("app/", "in-app", public=True)
@never_cache
@ensure_csrf_cookie
def in_app(request):
    if request.user.is_authenticated:
        return redirect(safe_next(request.GET.get("next")) or settings.LOGIN_REDIRECT_URL)
    platform = in_app_platform(request)
    flow.remember_next(request)
    if platform is None:  # an ordinary browser, or an app that is not configured: the login page
        return redirect("login")
    request.session[IN_APP_TRIED] = True
    if platform.in_app_redirect:
        callback = _callback_uri(platform.id)
        state = states.issue(request, platform.id, redirect_uri=callback, in_app=True)
        return redirect(platform.in_app_url(redirect_uri=callback, state=state))
    jsapi = platform.jsapi()
    response = render(
        request,
        "signin/in_app.html",
        {
            "platform": platform,
            "jsapi": jsapi,
            "post_url": reverse("signin:chat-app-code", args=[platform.id]),
        },
    )
    response["Content-Security-Policy"] = _policy_with_script(jsapi["script"])
    return response


# --- the chat apps' QR login and the in-app code ----------------------------------------------------------------
def _provider_or_404(platform: str) -> chat.ChatProvider:
    found = chat.provider(platform)
    if found is None:
        raise Http404
    return found


def _callback_uri(platform: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("signin:chat-callback", args=[platform])


def _pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = urlsafe_b64encode(sha256(verifier.encode("ascii")).digest()).rstrip(b"=").decode("ascii")
    return verifier, challenge


@page("<slug:platform>/app/", "chat-app-code", public=True, post=True)
@never_cache
def chat_app_code(request, platform):
    return _complete_chat_login(request, _provider_or_404(platform), request.POST.get("code", ""), in_app=True)


@page("<slug:platform>/callback/", "chat-callback", public=True)
@never_cache
def chat_callback(request, platform):
    provider = _provider_or_404(platform)
    issued = states.take(request, provider.id, request.GET.get("state"))
    if issued is None:
        return flow.sign_in_failed(
            request,
            method_id=provider.id,
            reason="bad_state",
            message=_("This sign-in link has expired or was already used. Please sign in again from the login page."),
        )
    code = request.GET.get("authCode") or request.GET.get("code") or ""  # DingTalk's QR login says authCode
    if not code:
        return flow.sign_in_failed(
            request, method_id=provider.id, reason="cancelled", message=provider.message("cancelled")
        )
    return _complete_chat_login(
        request,
        provider,
        code,
        redirect_uri=issued.get("redirect_uri", ""),
        code_verifier=issued.get("verifier"),
        in_app=False,
    )


def _complete_chat_login(request, provider, code: str, **login):
    """The platform's code → the person's identity → signed in; a refusal shows its reason on the login page."""
    try:
        identity = provider.complete_login(code, **login)
    except ChatLoginError as failure:
        return flow.sign_in_failed(request, method_id=provider.id, reason=failure.reason, message=failure.message)
    return flow.complete_sign_in(request, identity)


@page("<slug:platform>/", "chat-start", public=True)
@never_cache
def chat_start(request, platform):
    provider = _provider_or_404(platform)
    flow.remember_next(request)
    callback = _callback_uri(provider.id)
    verifier = challenge = None
    if provider.uses_pkce:
        verifier, challenge = _pkce_pair()
    state = states.issue(request, provider.id, redirect_uri=callback, verifier=verifier)
    return redirect(provider.authorize_url(redirect_uri=callback, state=state, code_challenge=challenge))
