"""The provider's own views around django-oidc-provider's: the login form a person (or a browser test) types
into, PKCE required at the authorize endpoint, discovery that states PKCE support, the token endpoint's
"next ID token" switch for negative tests, and the control endpoints the test fixture drives."""

from __future__ import annotations

import json
import threading
from functools import wraps
from hashlib import md5
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.models import Group
from django.contrib.auth.views import LoginView
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from oidc_provider.lib.errors import AuthorizeError
from oidc_provider.models import Client
from oidc_provider.views import AuthorizeView, ProviderInfoView, TokenView

from tests.support import oidc_tokens

from .models import Profile

_pending = []  # ID token mutations for the next successful code exchanges, in order
_pending_lock = threading.Lock()


class IdpLoginView(LoginView):
    template_name = "login.html"


def logout_view(request):
    logout(request)
    return HttpResponse("signed out")


class PkceAuthorizeView(AuthorizeView):
    """django-oidc-provider's authorize endpoint; with IDP_REQUIRE_PKCE (the default) a code request without
    an S256 code_challenge is refused with `invalid_request`, as a provider configured to require PKCE does."""

    def get(self, request, *args, **kwargs):
        pkce = request.GET.get("code_challenge_method") == "S256" and request.GET.get("code_challenge")
        if settings.IDP_REQUIRE_PKCE and request.GET.get("response_type") == "code" and not pkce:
            client = Client.objects.filter(client_id=request.GET.get("client_id", "")).first()
            redirect_uri = request.GET.get("redirect_uri", "")
            if client is not None and redirect_uri in client.redirect_uris:
                error = AuthorizeError(redirect_uri, "invalid_request", "authorization_code")
                return HttpResponseRedirect(error.create_uri(redirect_uri, request.GET.get("state", "")))
        return super().get(request, *args, **kwargs)


class DiscoveryView(ProviderInfoView):
    def _build_response_dict(self, request):
        info = super()._build_response_dict(request)
        info["code_challenge_methods_supported"] = ["S256"]
        info["scopes_supported"] = ["openid", "profile", "email", "groups"]
        info["response_modes_supported"] = ["query"]
        info["grant_types_supported"] = ["authorization_code", "refresh_token"]
        info["claims_supported"] = [
            "sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "name", "preferred_username",
            "email", "email_verified", "groups",
        ]  # fmt: skip
        return info


def _signing_key():
    pem = Path(settings.IDP_PRIVATE_KEY_PATH).read_text()
    return oidc_tokens.load_private_key(pem), md5(pem.encode("utf-8")).hexdigest()  # the kid RSAKey gives


@csrf_exempt
def token_view(request, *args, **kwargs):
    """The package's token endpoint; when a test armed a mutation, the ID token of this (successful) answer
    is replaced by the bad one, once."""
    response = TokenView.as_view()(request, *args, **kwargs)
    if response.status_code != 200:
        return response
    with _pending_lock:
        mutation = _pending.pop(0) if _pending else None
    if mutation is None:
        return response
    body = json.loads(response.content)
    key, kid = _signing_key()
    body["id_token"] = oidc_tokens.mutate(body["id_token"], mutation, key, kid)
    bad = JsonResponse(body)
    for header in ("Cache-Control", "Pragma"):
        if header in response:
            bad[header] = response[header]
    return bad


def control(view):
    """Control endpoints: JSON in and out, only with the fixture's token."""

    @csrf_exempt
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.headers.get("X-Control-Token") != settings.IDP_CONTROL_TOKEN:
            return JsonResponse({"error": "forbidden"}, status=403)
        data = json.loads(request.body or b"{}") if request.method in ("POST", "PUT") else {}
        return view(request, data, *args, **kwargs)

    return wrapped


@require_POST
@control
def control_user(request, data):
    """Create or update a person: password, e-mail, name, groups, email_verified, active."""
    user_model = get_user_model()
    user, _created = user_model.objects.get_or_create(username=data["username"])
    user.email = data.get("email", "")
    user.is_active = data.get("active", True)
    if "password" in data:
        user.set_password(data["password"])
    user.save()
    Profile.objects.update_or_create(
        user=user, defaults={"name": data.get("name", ""), "email_verified": data.get("email_verified", True)}
    )
    user.groups.set([Group.objects.get_or_create(name=name)[0] for name in data.get("groups", [])])
    return JsonResponse({"sub": str(user.pk), "username": user.username})


@csrf_exempt
@control
def control_user_delete(request, data, username):
    if request.method != "DELETE":
        return JsonResponse({"error": "method"}, status=405)
    deleted, _ = get_user_model().objects.filter(username=username).delete()
    return JsonResponse({"deleted": bool(deleted)})


@require_POST
@control
def control_redirect_uri(request, data):
    client = Client.objects.get(client_id=data["client_id"])
    uris = client.redirect_uris
    if data["uri"] not in uris:
        client.redirect_uris = [*uris, data["uri"]]
        client.save()
    return JsonResponse({"redirect_uris": client.redirect_uris})


@require_POST
@control
def control_next_id_token(request, data):
    mutation = data["mutation"]
    if mutation not in oidc_tokens.MUTATIONS:
        return JsonResponse({"error": f"unknown mutation {mutation}"}, status=400)
    with _pending_lock:
        _pending.append(mutation)
    return JsonResponse({"pending": list(_pending)})


@require_POST
@control
def control_reset(request, data):
    """Forget armed mutations (between tests)."""
    with _pending_lock:
        _pending.clear()
    return JsonResponse({"pending": []})
