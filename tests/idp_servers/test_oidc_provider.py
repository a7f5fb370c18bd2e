"""The test OpenID Connect provider itself (tests/support/oidc.py), spoken to over HTTP as the product will:
discovery, the code flow with PKCE and nonce, an ID token verified against the published JWKS, userinfo, the
refusals (wrong code_verifier, no PKCE, a code used twice, a wrong password), and the bad ID tokens the product
must refuse."""

from __future__ import annotations

import secrets
import time

import jwt
import pytest
import requests

from tests.support.oidc import pkce_pair
from tests.support.oidc_tokens import MUTATIONS, claims_of

REDIRECT = "http://127.0.0.1:8765/accounts/oidc/callback/"


@pytest.fixture(scope="module")
def provider(oidc_provider):
    oidc_provider.register_redirect_uri(REDIRECT)
    return oidc_provider


def person(provider, **kwargs):
    username = f"user-{secrets.token_hex(4)}"
    defaults = {"email": f"{username}@example.com", "name": "王芳", "groups": ["finance", "marketing-directors"]}
    return provider.add_user(username, "Pass-1234!", **{**defaults, **kwargs})


def code_flow(provider, user, scope="openid profile email"):
    """(token response, nonce, access code verifier) of a complete code flow with PKCE."""
    verifier, challenge = pkce_pair()
    state, nonce = secrets.token_urlsafe(8), secrets.token_urlsafe(8)
    url = provider.authorize_url(REDIRECT, state, nonce, challenge, scope=scope)
    callback = provider.sign_in(url, user.username, user.password)
    assert callback.startswith(REDIRECT)
    assert f"state={state}" in callback
    code = callback.split("code=")[1].split("&")[0]
    return provider.exchange_code(code, REDIRECT, verifier), nonce


def jwks_client(provider):
    discovery = requests.get(provider.discovery_url, timeout=10).json()
    return jwt.PyJWKClient(discovery["jwks_uri"])


def verify(provider, id_token: str) -> dict:
    """What a careful client does: signature against the published JWKS, issuer, audience, expiry."""
    key = jwks_client(provider).get_signing_key_from_jwt(id_token)
    return jwt.decode(
        id_token, key.key, algorithms=["RS256"], audience=provider.client_id, issuer=provider.issuer, leeway=60
    )


def test_discovery_document_names_the_issuer_and_its_endpoints(provider):
    response = requests.get(provider.discovery_url, timeout=10)
    assert response.status_code == 200
    info = response.json()
    assert info["issuer"] == provider.issuer
    assert provider.issuer.startswith("http://127.0.0.1:")
    assert provider.issuer.endswith("/openid")
    for endpoint in ("authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri"):
        assert info[endpoint].startswith(provider.issuer + "/")
    assert "code" in info["response_types_supported"]
    assert "RS256" in info["id_token_signing_alg_values_supported"]
    assert info["code_challenge_methods_supported"] == ["S256"]
    assert "groups" in info["claims_supported"]
    jwks = requests.get(info["jwks_uri"], timeout=10).json()
    assert [key["kid"] for key in jwks["keys"]] == [provider.kid]
    assert jwks["keys"][0]["kty"] == "RSA"
    assert "d" not in jwks["keys"][0]  # the public half only


def test_code_flow_with_pkce_gives_an_id_token_that_verifies_against_the_jwks(provider):
    user = person(provider)
    response, nonce = code_flow(provider, user)
    assert response.status_code == 200, response.text
    tokens = response.json()
    assert tokens["token_type"].lower() == "bearer"
    claims = verify(provider, tokens["id_token"])
    assert claims["sub"] == user.sub
    assert claims["nonce"] == nonce
    assert claims["aud"] == provider.client_id
    assert claims["email"] == user.email
    assert claims["email_verified"] is True
    assert claims["name"] == "王芳"
    assert claims["preferred_username"] == user.username
    assert claims["groups"] == ["finance", "marketing-directors"]
    assert claims["iat"] <= time.time() + 5 < claims["exp"]


def test_userinfo_answers_the_access_token_with_the_same_person(provider):
    user = person(provider, groups=["finance"], email_verified=False)
    tokens = code_flow(provider, user)[0].json()
    response = requests.get(
        f"{provider.issuer}/userinfo", headers={"Authorization": f"Bearer {tokens['access_token']}"}, timeout=10
    )
    assert response.status_code == 200
    info = response.json()
    assert info["sub"] == user.sub
    assert info["email"] == user.email
    assert info["email_verified"] is False
    assert info["groups"] == ["finance"]
    refused = requests.get(f"{provider.issuer}/userinfo", headers={"Authorization": "Bearer nope"}, timeout=10)
    assert refused.status_code == 401


def test_a_group_change_at_the_provider_shows_at_the_next_sign_in(provider):
    user = person(provider, groups=["finance"])
    assert verify(provider, code_flow(provider, user)[0].json()["id_token"])["groups"] == ["finance"]
    user = provider.add_user(user.username, user.password, email=user.email, name=user.name, groups=[])
    assert verify(provider, code_flow(provider, user)[0].json()["id_token"])["groups"] == []


def test_a_wrong_code_verifier_is_refused(provider):
    user = person(provider)
    verifier, challenge = pkce_pair()
    url = provider.authorize_url(REDIRECT, "s", "n", challenge)
    code = provider.code_for(url, user.username, user.password)
    other_verifier, _ = pkce_pair()
    response = provider.exchange_code(code, REDIRECT, other_verifier)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"
    assert provider.exchange_code(code, REDIRECT, None).status_code == 400  # no verifier at all
    assert provider.exchange_code(code, REDIRECT, verifier).status_code == 200  # the right one still works


def test_a_code_is_used_once_and_the_client_secret_is_checked(provider):
    user = person(provider)
    verifier, challenge = pkce_pair()
    code = provider.code_for(provider.authorize_url(REDIRECT, "s", "n", challenge), user.username, user.password)
    wrong_secret = requests.post(
        f"{provider.issuer}/token",
        data={"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT, "code_verifier": verifier},
        auth=(provider.client_id, "not-the-secret"),
        timeout=10,
    )
    assert wrong_secret.status_code == 400
    assert wrong_secret.json()["error"] == "invalid_client"
    assert provider.exchange_code(code, REDIRECT, verifier).status_code == 200
    assert provider.exchange_code(code, REDIRECT, verifier).json()["error"] == "invalid_grant"


def test_an_authorization_request_without_pkce_is_refused(provider):
    url = provider.authorize_url(REDIRECT, "s-no-pkce", "n", None)
    response = requests.get(url, allow_redirects=False, timeout=10)
    assert response.status_code == 302
    assert response.headers["Location"].startswith(REDIRECT)
    assert "error=invalid_request" in response.headers["Location"]
    assert "state=s-no-pkce" in response.headers["Location"]


def test_an_unregistered_redirect_uri_gets_no_code(provider):
    _verifier, challenge = pkce_pair()
    url = provider.authorize_url("http://127.0.0.1:9999/elsewhere/", "s", "n", challenge)
    response = requests.get(url, allow_redirects=False, timeout=10)
    assert response.status_code == 200  # an error page at the provider, never a redirect
    assert "redirect" in response.text.lower()


def test_a_wrong_password_or_a_disabled_person_does_not_sign_in(provider):
    user = person(provider)
    _verifier, challenge = pkce_pair()
    url = provider.authorize_url(REDIRECT, "s", "n", challenge)
    with pytest.raises(ValueError):
        provider.sign_in(url, user.username, "wrong")
    provider.disable_user(user.username)
    with pytest.raises(ValueError):
        provider.sign_in(url, user.username, user.password)


@pytest.mark.parametrize("mutation", MUTATIONS)
def test_the_token_endpoint_returns_a_bad_id_token_when_armed(provider, mutation):
    user = person(provider)
    provider.next_id_token(mutation)
    response, nonce = code_flow(provider, user)
    assert response.status_code == 200
    bad = response.json()["id_token"]
    if mutation in ("tampered", "wrong_key", "alg_none"):
        with pytest.raises(jwt.PyJWTError):
            verify(provider, bad)
    else:
        claims = claims_of(bad)
        if mutation == "wrong_nonce":
            assert verify(provider, bad)["nonce"] != nonce  # signature fine, nonce not ours
        elif mutation == "expired":
            with pytest.raises(jwt.ExpiredSignatureError):
                verify(provider, bad)
            assert claims["exp"] < time.time() - 60
        elif mutation == "wrong_audience":
            with pytest.raises(jwt.InvalidAudienceError):
                verify(provider, bad)
        elif mutation == "wrong_issuer":
            with pytest.raises(jwt.InvalidIssuerError):
                verify(provider, bad)
        elif mutation == "not_yet_valid":
            with pytest.raises(jwt.ImmatureSignatureError):
                verify(provider, bad)
    # once only: the next exchange is good again
    good = code_flow(provider, user)[0].json()["id_token"]
    assert verify(provider, good)["sub"] == user.sub


def test_tokens_made_by_the_test_with_the_provider_key(provider):
    token = provider.id_token(sub="42", nonce="n", email="x@example.com")
    assert verify(provider, token)["sub"] == "42"
    assert provider.private_jwk["kid"] == provider.kid
    assert "d" in provider.private_jwk
    with pytest.raises(jwt.InvalidSignatureError):
        verify(provider, provider.bad_id_token(token, "tampered"))
