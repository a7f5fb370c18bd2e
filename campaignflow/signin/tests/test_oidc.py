"""OpenID Connect sign-in against a REAL provider (django-oidc-provider in its own process, tests/support/oidc.py):
the product's own start view and callback, the provider's login form driven with `requests` as a browser would.
The bad ID tokens come from the provider's token endpoint itself (`provider.next_id_token(mutation)`), so what
refuses them is the product's real callback."""

from __future__ import annotations

import secrets
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from joserfc.errors import JoseError

from campaignflow.accounts.models import Role, User
from campaignflow.core.models import AuditEntry
from campaignflow.signin import oidc
from campaignflow.signin.models import ExternalIdentity
from campaignflow.signin.tests.browsing import browser, profile, signed_in
from conftest import ApiClient, make_user

pytestmark = pytest.mark.django_db

CALLBACK = "http://testserver/signin/oidc/callback/"
REFUSED = "身份提供方返回的身份凭证无法验证"
UNAVAILABLE = "身份提供方暂时无法连接"


@pytest.fixture
def idp(oidc_provider, settings):
    settings.SITE_URL = "http://testserver"
    settings.SSO_ROLE_MAP = ""
    oidc_provider.register_redirect_uri(CALLBACK)
    for name, value in oidc_provider.settings().items():
        setattr(settings, name, value)
    yield oidc_provider
    oidc_provider.reset()


def person(provider, **kwargs):
    username = f"u{secrets.token_hex(4)}"
    fields = {"email": f"{username}@example.com", "name": "王芳", "groups": ["marketing"], **kwargs}
    return provider.add_user(username, "Idp-pass-2025!", **fields)


def sign_in(client: Client, provider, user, next_: str | None = None):
    """The product's button → the provider (its login form, as a person types into it) → the product's callback."""
    start = client.get("/signin/oidc/", {"next": next_} if next_ is not None else {})
    assert start.status_code == 302, start
    callback = provider.sign_in(start["Location"], user.username, user.password)
    assert callback.startswith(CALLBACK), callback
    return client.get(callback.removeprefix("http://testserver"))


def failure_message(client: Client, response) -> str:
    assert response.status_code == 302 and response["Location"] == "/login/", response
    return client.get("/login/").content.decode()


def test_the_authorization_request_uses_pkce_state_nonce_and_the_fixed_redirect_uri(idp):
    client = browser()
    response = client.get("/signin/oidc/", HTTP_HOST="evil.example.com", SERVER_NAME="evil.example.com")
    assert response.status_code == 400  # a forged Host is refused (ALLOWED_HOSTS); the redirect URI is SITE_URL's
    response = client.get("/signin/oidc/")
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{idp.issuer}/authorize"
    query = {key: values[0] for key, values in parse_qs(location.query).items()}
    assert query["response_type"] == "code" and query["client_id"] == idp.client_id
    assert query["redirect_uri"] == CALLBACK
    assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) == 43
    assert len(query["state"]) >= 20 and len(query["nonce"]) >= 20
    assert set(query["scope"].split()) == {"openid", "profile", "email"}
    again = parse_qs(urlsplit(client.get("/signin/oidc/")["Location"]).query)
    assert again["state"][0] != query["state"] and again["nonce"][0] != query["nonce"]


def test_first_sign_in_makes_the_account_with_name_email_and_mapped_role(idp, settings):
    settings.SSO_ROLE_MAP = "finance=finance,marketing-directors=director"
    user = person(idp, name="王芳", groups=["finance", "marketing"])
    client = browser()
    response = sign_in(client, idp, user)
    assert response.status_code == 302 and response["Location"] == "/campaigns/"
    account = signed_in(client)
    assert profile(account) == (user.username, "王芳", user.email, "", Role.FINANCE)
    assert not account.has_usable_password()
    link = ExternalIdentity.objects.get(user=account)
    assert (link.method, link.subject) == ("oidc", user.sub)
    assert AuditEntry.objects.filter(action="create", object_id=str(account.pk)).exists()
    entry = AuditEntry.objects.get(action="sign_in", object_id=str(account.pk))
    assert entry.after["method"] == "oidc"
    assert client.get("/campaigns/").status_code == 200


def test_second_sign_in_is_the_same_account_and_follows_the_groups(idp, settings):
    settings.SSO_ROLE_MAP = "finance=finance"
    user = person(idp, groups=["finance"])
    sign_in(browser(), idp, user)
    account = User.objects.get(username=user.username)
    assert account.role == Role.FINANCE
    idp.add_user(user.username, user.password, email=user.email, name="王芳芳", groups=[])
    client = browser()
    assert sign_in(client, idp, user)["Location"] == "/campaigns/"
    assert signed_in(client) == account
    account.refresh_from_db()
    assert (account.display_name, account.role) == ("王芳芳", Role.MEMBER)
    assert User.objects.filter(email=user.email).count() == 1
    change = AuditEntry.objects.filter(action="role_change", object_id=str(account.pk)).latest("id")
    assert change.after["by"] == "SSO_ROLE_MAP" and change.after["role"] == Role.MEMBER


def test_a_verified_email_links_to_the_existing_account(idp):
    existing = make_user("liuyang", email="liuyang@example.com", display_name="刘洋")
    user = person(idp, email="liuyang@example.com", email_verified=True)
    client = browser()
    sign_in(client, idp, user)
    assert signed_in(client) == existing
    assert ExternalIdentity.objects.get(method="oidc", subject=user.sub).user == existing
    assert User.objects.filter(email="liuyang@example.com").count() == 1


def test_an_unverified_email_does_not_take_over_an_account(idp):
    existing = make_user("zhaolei", email="zhaolei@example.com")
    user = person(idp, email="zhaolei@example.com", email_verified=False)
    client = browser()
    sign_in(client, idp, user)
    account = signed_in(client)
    assert account != existing and account.username == user.username
    assert ExternalIdentity.objects.get(method="oidc", subject=user.sub).user == account
    assert not ExternalIdentity.objects.filter(user=existing).exists()


@pytest.mark.parametrize(
    ("mutation", "reason"),
    [
        ("tampered", "bad_id_token:bad_signature"),
        ("wrong_key", "bad_id_token:bad_signature"),
        ("alg_none", "bad_id_token:unsupported_algorithm"),
        ("wrong_nonce", "bad_id_token:invalid_claim:nonce"),
        ("expired", "bad_id_token:expired_token:exp"),
        ("wrong_audience", "bad_id_token:invalid_claim:aud"),
        ("wrong_issuer", "bad_id_token:invalid_claim:iss"),
        ("not_yet_valid", "bad_id_token:invalid_claim:iat"),
    ],
)
def test_a_bad_id_token_is_refused_and_nothing_is_created(idp, mutation, reason):
    user = person(idp)
    accounts_before = User.objects.count()
    idp.next_id_token(mutation)
    client = browser()
    page = failure_message(client, sign_in(client, idp, user))
    assert REFUSED in page
    assert signed_in(client) is None
    assert User.objects.count() == accounts_before and not ExternalIdentity.objects.exists()
    entry = AuditEntry.objects.get(action="sign_in_failed")
    assert entry.after["method"] == "oidc" and entry.after["reason"] == reason, entry.after
    assert "eyJ" not in str(entry.after)  # no token in the log
    # the next sign-in (a good token) works
    assert sign_in(browser(), idp, user)["Location"] == "/campaigns/"


@pytest.mark.parametrize(
    ("times", "accepted"),
    [
        ({"exp": -30}, True),  # the IdP's clock 30 s behind ours
        ({"exp": -62}, False),
        ({"iat": 30, "nbf": 30}, True),  # 30 s ahead
        ({"iat": 62}, False),
        ({"nbf": 62}, False),
    ],
)
def test_clock_skew_of_sixty_seconds_is_tolerated_and_no_more(idp, times, accepted):
    """The callback's own check (oidc.verify_id_token: authlib with the product's claims options and leeway) of
    tokens signed with the provider's real key, at the edges of ±60 s."""
    now = int(time.time())
    claims = {"sub": "someone", "nonce": "n-1", "iat": now - 10, "exp": now + 600}
    claims.update({name: now + offset for name, offset in times.items()})
    token = {"id_token": idp.id_token(**claims), "access_token": "at"}
    if accepted:
        assert oidc.verify_id_token(token, nonce="n-1")["sub"] == "someone"
    else:
        with pytest.raises(JoseError):
            oidc.verify_id_token(token, nonce="n-1")


def test_a_replayed_callback_is_refused(idp):
    user = person(idp)
    client = browser()
    start = client.get("/signin/oidc/")
    callback = idp.sign_in(start["Location"], user.username, user.password).removeprefix("http://testserver")
    assert client.get(callback)["Location"] == "/campaigns/"
    client.logout()
    page = failure_message(client, client.get(callback))
    assert "已过期或已被使用" in page
    assert AuditEntry.objects.filter(action="sign_in_failed").latest("id").after["reason"] == "bad_state"


def test_a_callback_with_a_state_this_browser_was_not_given_is_refused(idp):
    """Login CSRF: a code and state made for another browser (the attacker's) do not sign this one in."""
    attacker = person(idp)
    other = browser()
    start = other.get("/signin/oidc/")
    callback = idp.sign_in(start["Location"], attacker.username, attacker.password).removeprefix("http://testserver")
    victim = browser()
    victim.get("/login/")
    page = failure_message(victim, victim.get(callback))
    assert "已过期或已被使用" in page and signed_in(victim) is None
    assert not User.objects.filter(username=attacker.username).exists()


@pytest.mark.parametrize("evil", ["https://evil.com/", "//evil.com/x", "/\\evil.com", "http://testserver@evil.com"])
def test_next_never_leaves_the_site(idp, evil):
    user = person(idp)
    assert sign_in(browser(), idp, user, next_=evil)["Location"] == "/campaigns/"


def test_next_to_an_own_path_is_followed(idp):
    user = person(idp)
    assert sign_in(browser(), idp, user, next_="/my/tasks/?x=1")["Location"] == "/my/tasks/?x=1"


def test_access_denied_at_the_provider_is_a_clear_message(idp):
    client = browser()
    start = client.get("/signin/oidc/")
    state = parse_qs(urlsplit(start["Location"]).query)["state"][0]
    response = client.get("/signin/oidc/callback/", {"error": "access_denied", "state": state})
    assert "身份提供方没有让你登录" in failure_message(client, response)
    assert AuditEntry.objects.get(action="sign_in_failed").after["reason"] == "idp_error:access_denied"
    assert not User.objects.filter(is_superuser=False).exists()


def test_a_provider_that_cannot_be_reached_is_a_clear_message(idp, settings):
    settings.OIDC_ISSUER = "http://127.0.0.1:9/openid"  # nothing listens on the discard port
    client = browser()
    response = client.get("/signin/oidc/")
    assert UNAVAILABLE in failure_message(client, response)
    assert AuditEntry.objects.get(action="sign_in_failed").after["reason"] == "idp_unavailable"


def test_a_provider_that_goes_down_during_the_sign_in(oidc_provider_factory, settings):
    """The discovery document is kept: the button still leads to the provider's login while it is down, and the
    callback (the code exchange) answers with the clear message."""
    provider = oidc_provider_factory(redirect_uris=(CALLBACK,))
    settings.SITE_URL = "http://testserver"
    for name, value in provider.settings().items():
        setattr(settings, name, value)
    user = person(provider)
    client = browser()
    start = client.get("/signin/oidc/")
    callback = provider.sign_in(start["Location"], user.username, user.password).removeprefix("http://testserver")
    provider.stop()
    assert client.get("/signin/oidc/")["Location"].startswith(provider.issuer)  # discovery kept, not asked again
    page = failure_message(client, client.get(callback))
    assert UNAVAILABLE in page
    assert not User.objects.filter(username=user.username).exists()


def test_a_new_signing_key_id_is_fetched_once(idp):
    """After a key rotation the kept JWKS does not know the token's key id: it is fetched again, once."""
    client = browser()
    client.get("/signin/oidc/")
    kept = oidc.client().load_server_metadata()
    kept["jwks"] = {"keys": [{**idp.private_jwk, "kid": "retired-key", "d": None}]}
    kept["jwks"]["keys"][0] = {k: v for k, v in kept["jwks"]["keys"][0].items() if k in ("kty", "kid", "n", "e")}
    user = person(idp)
    assert sign_in(client, idp, user)["Location"] == "/campaigns/"
    assert [key["kid"] for key in oidc.client().load_server_metadata()["jwks"]["keys"]] == [idp.kid]


def test_the_api_token_of_an_oidc_account_works_and_methods_lists_it(idp, client):
    user = person(idp)
    sign_in(browser(), idp, user)
    api = ApiClient(User.objects.get(username=user.username))
    assert api.get("/auth/methods").status_code == 200
    body = client.get("/api/v1/auth/methods", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert {"id": "oidc", "kind": "oidc", "name": "公司账号", "login_url": "/signin/oidc/"} in body


def test_oidc_name_names_the_button(idp, settings, client):
    settings.OIDC_NAME = "集团统一身份认证"
    body = client.get("/api/v1/auth/methods").json()
    assert [m["name"] for m in body if m["id"] == "oidc"] == ["集团统一身份认证"]


def test_pages_are_not_found_while_oidc_is_not_configured(client, settings):
    settings.OIDC_ISSUER = ""
    assert client.get("/signin/oidc/").status_code == 404
    assert client.get("/signin/oidc/callback/", {"code": "x", "state": "y"}).status_code == 404


def test_no_secret_code_or_token_is_logged_even_at_debug(idp, caplog):
    import logging

    caplog.set_level(logging.DEBUG)
    user = person(idp)
    client = browser()
    start = client.get("/signin/oidc/")
    callback = idp.sign_in(start["Location"], user.username, user.password)
    code = parse_qs(urlsplit(callback).query)["code"][0]
    assert client.get(callback.removeprefix("http://testserver"))["Location"] == "/campaigns/"
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for value in (idp.client_secret, code, "eyJ", "code_verifier", user.password):
        assert value not in logged


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"code": ""},
        {"code": "not-a-code"},
        {"code": "x" * 5000},
        {"code": "码\u0001'\"<>"},
        {"error": "x" * 500, "error_description": "<script>"},
        {"error": "server_error"},
    ],
)
def test_odd_callbacks_are_a_message_never_an_error_page(idp, query):
    client = browser()
    start = client.get("/signin/oidc/")
    state = parse_qs(urlsplit(start["Location"]).query)["state"][0]
    response = client.get("/signin/oidc/callback/", {"state": state, **query})
    assert response.status_code == 302 and response["Location"] == "/login/"
    assert signed_in(client) is None and not User.objects.exists()
    entry = AuditEntry.objects.get(action="sign_in_failed")
    assert len(entry.after["reason"]) < 80
