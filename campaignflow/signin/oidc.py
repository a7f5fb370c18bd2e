"""OpenID Connect sign-in (Keycloak, Authing, Azure AD, …) with authlib's Django client (ADR 0015).

The protocol checks are authlib's (joserfc underneath), none of them written here: the authorization code flow
with PKCE S256; `state` (random, kept in the session, used once: a replayed or forged callback finds nothing);
`nonce` (random, kept with the state, must come back in the ID token); the ID token's signature against the IdP's
JWKS (fetched from the discovery document's `jwks_uri` and kept; fetched again once when a token names a key id it
does not know, as after a key rotation; `alg: none` and algorithms the IdP does not list are refused); `iss` = the
discovered issuer, which must be OIDC_ISSUER; `aud` contains OIDC_CLIENT_ID (and `azp` is us when there are other
audiences); `exp`, `iat` and `nbf` with a clock skew of ±60 s and no more; `at_hash` when present.

Discovery (OIDC_ISSUER + /.well-known/openid-configuration) is read once and kept DISCOVERY_SECONDS per process (an
IdP that changes its endpoints or keys is followed within the hour; a new key id at once). The redirect URI is
fixed: SITE_URL + /signin/oidc/callback/ — never the request's Host header, so a request with a forged host cannot
send the code elsewhere; it is the one to register at the IdP.

The claims then: the ID token's, completed by the userinfo endpoint's when its `sub` is the same (domain/
oidc_claims.py) → `Identity` → `flow.complete_sign_in`. Any failure is an `OidcFailure` with a short reason for the
audit log (never a token) and a message for the login page."""

from __future__ import annotations

import logging
import threading
import time

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.base_client.errors import MismatchingStateError
from authlib.integrations.django_client import DjangoIntegration, DjangoOAuth2App
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from joserfc.errors import ClaimError, JoseError

from . import methods
from .domain.identity import Identity
from .domain.oidc_claims import identity_from_claims, merge_userinfo

log = logging.getLogger(__name__)

METHOD_ID = "oidc"
LEEWAY = 60  # seconds of clock skew tolerated on exp / iat / nbf, and no more
DISCOVERY_SECONDS = 3600


class OidcFailure(Exception):
    """A sign-in that did not happen: `reason` for the audit log, `message` for the person."""

    def __init__(self, reason: str, message: str):
        super().__init__(reason)
        self.reason = reason
        self.message = message


def configured() -> bool:
    return bool(settings.OIDC_ISSUER and settings.OIDC_CLIENT_ID)


def oidc_method() -> methods.Method | None:
    if not configured():
        return None
    return methods.Method(
        id=METHOD_ID,
        kind="oidc",
        name=settings.OIDC_NAME or gettext_lazy("Company account"),
        login_url=reverse("signin:oidc-start"),
    )


def register() -> None:
    methods.register(METHOD_ID, oidc_method)


def redirect_uri() -> str:
    return settings.SITE_URL.rstrip("/") + reverse("signin:oidc-callback")


def scopes() -> str:
    asked = settings.OIDC_SCOPES.replace(",", " ").split()
    return " ".join(dict.fromkeys(["openid", *asked]))


def issuer() -> str:
    return settings.OIDC_ISSUER.rstrip("/")


_clients: dict[tuple, tuple[float, DjangoOAuth2App]] = {}
_lock = threading.Lock()


def client() -> DjangoOAuth2App:
    """authlib's client for the settings in force, with its discovery document and JWKS kept DISCOVERY_SECONDS."""
    key = (issuer(), settings.OIDC_CLIENT_ID, settings.OIDC_CLIENT_SECRET, scopes(), settings.SSO_HTTP_TIMEOUT)
    now = time.monotonic()
    with _lock:
        made = _clients.get(key)
        if made is not None and now - made[0] < DISCOVERY_SECONDS:
            return made[1]
        app = DjangoOAuth2App(
            DjangoIntegration(METHOD_ID),
            name=METHOD_ID,
            client_id=settings.OIDC_CLIENT_ID,
            client_secret=settings.OIDC_CLIENT_SECRET,
            server_metadata_url=f"{issuer()}/.well-known/openid-configuration",
            client_kwargs={
                "scope": scopes(),
                "code_challenge_method": "S256",
                "default_timeout": settings.SSO_HTTP_TIMEOUT,
            },
        )
        _clients.clear()  # one IdP at a time: a changed setting drops the old client
        _clients[key] = (now, app)
        return app


def _unavailable(reason: str = "idp_unavailable") -> OidcFailure:
    return OidcFailure(
        reason, _("The company's identity provider cannot be reached right now. Please try again later.")
    )


def _refused(reason: str) -> OidcFailure:
    return OidcFailure(
        reason,
        _(
            "The identity provider's answer could not be verified, so the sign-in was refused. Please try again; if "
            "it happens again, ask an administrator."
        ),
    )


def _expired_request() -> OidcFailure:
    return OidcFailure(
        "bad_state", _("This sign-in link has expired or was already used. Please sign in again from the login page.")
    )


def metadata(app: DjangoOAuth2App) -> dict:
    """The discovery document (read once per client); its issuer must be OIDC_ISSUER (OIDC Discovery 4.3)."""
    try:
        found = app.load_server_metadata()
    except (requests.RequestException, ValueError) as exc:
        log.warning("OIDC discovery at %s failed: %s", issuer(), type(exc).__name__)
        raise _unavailable() from None
    if str(found.get("issuer", "")).rstrip("/") != issuer():
        log.error("OIDC discovery of %s names the issuer %r", issuer(), found.get("issuer"))
        app.server_metadata.clear()
        raise _refused("discovery_issuer_mismatch")
    for endpoint in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        if not found.get(endpoint):
            app.server_metadata.clear()
            raise _refused(f"discovery_without_{endpoint}")
    return found


def claims_options(found: dict) -> dict:
    """What the ID token must say besides its signature, nonce and times: the discovered issuer, us as audience."""
    return {
        "iss": {"essential": True, "value": found["issuer"]},
        "aud": {"essential": True, "value": settings.OIDC_CLIENT_ID},
        "sub": {"essential": True},
    }


def verify_id_token(token: dict, nonce: str) -> dict:
    """The checks the callback makes of a token response's ID token (authlib's, with this module's options and
    leeway): its claims, or a joserfc error."""
    app = client()
    return dict(app.parse_id_token(token, nonce=nonce, claims_options=claims_options(metadata(app)), leeway=LEEWAY))


def start(request):
    """The redirect to the IdP's authorization endpoint (state, nonce and the PKCE verifier kept in the session)."""
    app = client()
    metadata(app)
    try:
        return app.authorize_redirect(request, redirect_uri())
    except (requests.RequestException, ValueError, RuntimeError, AuthlibBaseError) as exc:
        log.warning("OIDC authorization request failed: %s", type(exc).__name__)
        raise _unavailable() from None


def complete(request) -> Identity:
    """The callback: the IdP's answer checked, the code exchanged, the ID token verified → the person."""
    app = client()
    state = request.GET.get("state") or ""
    error = request.GET.get("error")
    if error:
        if state:
            app.framework.clear_state_data(request.session, state)
        if error in ("access_denied", "login_required", "consent_required", "interaction_required"):
            raise OidcFailure(
                f"idp_error:{error}",
                _("The identity provider did not sign you in (the sign-in was refused or cancelled there)."),
            )
        raise OidcFailure(f"idp_error:{error[:40]}", _("The identity provider refused the sign-in request."))
    if not state or not app.framework.get_state_data(request.session, state):
        raise _expired_request()
    found = metadata(app)
    try:
        token = app.authorize_access_token(request, leeway=LEEWAY, claims_options=claims_options(found))
    except MismatchingStateError:
        raise _expired_request() from None
    except AuthlibBaseError as exc:  # the token endpoint said no (a used or expired code, a wrong client secret, …)
        log.warning("OIDC token request refused: %s", exc.error)
        raise _refused(f"token_refused:{exc.error}") from None
    except ClaimError as exc:
        raise _refused(f"bad_id_token:{exc.error}:{exc.claim}") from None
    except JoseError as exc:
        raise _refused(f"bad_id_token:{exc.error}") from None
    except (requests.RequestException, ValueError) as exc:
        log.warning("OIDC token request failed: %s", type(exc).__name__)
        raise _unavailable() from None
    claims = token.get("userinfo")
    if not claims:
        raise _refused("no_id_token")
    info = None
    if found.get("userinfo_endpoint"):
        try:
            info = app.userinfo(token=token)
        except (AuthlibBaseError, requests.RequestException, ValueError) as exc:
            log.warning("OIDC userinfo failed (the ID token's claims are used): %s", type(exc).__name__)
    try:
        return identity_from_claims(merge_userinfo(dict(claims), info), groups_claim=settings.OIDC_GROUPS_CLAIM)
    except ValueError:
        raise _refused("bad_id_token:no_subject") from None
