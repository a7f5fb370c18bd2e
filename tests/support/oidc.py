"""The test side of the real OpenID Connect provider (tests/support/oidc_provider/): start it in its own
process on 127.0.0.1, add people, register redirect URIs, sign in at its login form with `requests`, and make
the ID tokens the product must refuse.

    provider = OidcProvider(tmp_dir).start()
    provider.register_redirect_uri(f"{live_server.url}/signin/oidc/callback/")
    provider.add_user("wang", "Pass-1234", email="wang@example.com", name="王芳", groups=["finance"])
    # OIDC_ISSUER=provider.issuer, OIDC_CLIENT_ID=provider.client_id, OIDC_CLIENT_SECRET=provider.client_secret
    callback = provider.sign_in(authorize_url, "wang", "Pass-1234")   # → the product's callback URL with ?code=&state=
    provider.next_id_token("wrong_nonce")                               # the next code exchange returns a bad ID token

The pytest fixtures (`oidc_provider`, session-scoped) are in tests/support/identity_fixtures.py.
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import requests

from . import oidc_tokens

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 60


@dataclass
class IdpUser:
    username: str
    password: str
    sub: str
    email: str
    name: str
    groups: list[str] = field(default_factory=list)
    email_verified: bool = True


class _FormReader(HTMLParser):
    """The login form's action and fields (hidden ones included), from the provider's HTML."""

    def __init__(self):
        super().__init__()
        self.action = None
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and self.action is None:
            self.action = attrs.get("action", "")
        elif tag == "input" and attrs.get("name"):
            self.fields[attrs["name"]] = attrs.get("value") or ""


def pkce_pair() -> tuple[str, str]:
    """(code_verifier, S256 code_challenge)."""
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii")).digest()).rstrip(b"=").decode()
    return verifier, challenge


class OidcProvider:
    """A django-oidc-provider server in a subprocess; `start()` returns self once it answers."""

    def __init__(self, workdir: Path, redirect_uris: tuple[str, ...] = (), require_pkce: bool = True):
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.client_id = "campaignflow-test"
        self.client_secret = secrets.token_urlsafe(24)
        self.control_token = secrets.token_urlsafe(24)
        self.require_pkce = require_pkce
        self._initial_redirect_uris = tuple(redirect_uris)
        self.private_key = oidc_tokens.new_private_key()
        self.private_key_pem = oidc_tokens.private_key_pem(self.private_key)
        self.kid = hashlib.md5(self.private_key_pem.encode("utf-8")).hexdigest()  # as the provider names it
        self.users: dict[str, IdpUser] = {}
        self.base_url = ""
        self.log_path = self.workdir / "oidc_provider.log"
        self._process: subprocess.Popen | None = None

    # --- life cycle -------------------------------------------------------------------------------------------
    def start(self) -> OidcProvider:
        key_path = self.workdir / "signing-key.pem"
        key_path.write_text(self.private_key_pem)
        key_path.chmod(0o600)
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "SQLITE_PATH")
        }
        env.update(
            IDP_DB_PATH=str(self.workdir / "idp.sqlite3"),
            IDP_SECRET_KEY=secrets.token_urlsafe(32),
            IDP_CONTROL_TOKEN=self.control_token,
            IDP_PRIVATE_KEY_PATH=str(key_path),
            IDP_CLIENT_ID=self.client_id,
            IDP_CLIENT_SECRET=self.client_secret,
            IDP_REDIRECT_URIS=" ".join(self._initial_redirect_uris),
            IDP_REQUIRE_PKCE="1" if self.require_pkce else "0",
            PYTHONUNBUFFERED="1",
        )
        log = self.log_path.open("ab")
        self._process = subprocess.Popen(
            [sys.executable, "-m", "tests.support.oidc_provider.serve"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,  # the provider exits when this process ends and the pipe closes
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )
        log.close()
        line = self._first_line(START_TIMEOUT)
        if not line.startswith("READY "):
            self.stop()
            raise RuntimeError(f"the test OIDC provider did not start ({line!r}); see {self.log_path}")
        self.base_url = line.split(" ", 1)[1].strip()
        return self

    def _first_line(self, timeout: float) -> str:
        result: list[str] = []
        reader = threading.Thread(target=lambda: result.append(self._process.stdout.readline()), daemon=True)
        reader.start()
        reader.join(timeout)
        return result[0] if result else ""

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.stdin.close()
            self._process.terminate()
            try:
                self._process.wait(10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(10)
        self._process = None

    def __enter__(self) -> OidcProvider:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # --- what the product is configured with ------------------------------------------------------------------
    @property
    def issuer(self) -> str:
        return f"{self.base_url}/openid"

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    @property
    def login_url(self) -> str:
        """The provider's own login form (where a browser test types the username and password)."""
        return f"{self.base_url}/login/"

    @property
    def private_jwk(self) -> dict:
        """The provider's signing key as a private JWK (kid included): sign your own tokens with it."""
        return oidc_tokens.private_jwk(self.private_key, self.kid)

    def settings(self) -> dict:
        """The product's environment for this provider (shared/API.md, "Sign-in")."""
        return {"OIDC_ISSUER": self.issuer, "OIDC_CLIENT_ID": self.client_id, "OIDC_CLIENT_SECRET": self.client_secret}

    # --- control ----------------------------------------------------------------------------------------------
    def _control(self, method: str, path: str, payload: dict | None = None) -> dict:
        response = requests.request(
            method,
            f"{self.base_url}/_control/{path}",
            json=payload,
            headers={"X-Control-Token": self.control_token},
            timeout=10,
        )
        response.raise_for_status()
        return response.json()

    def add_user(
        self,
        username: str,
        password: str,
        email: str = "",
        name: str = "",
        groups: list[str] | tuple[str, ...] = (),
        email_verified: bool = True,
        active: bool = True,
    ) -> IdpUser:
        """Create (or update: a new password, other groups) a person at the provider; returns them with `sub`."""
        answer = self._control(
            "POST",
            "users",
            {
                "username": username,
                "password": password,
                "email": email,
                "name": name,
                "groups": list(groups),
                "email_verified": email_verified,
                "active": active,
            },
        )
        user = IdpUser(username, password, answer["sub"], email, name, list(groups), email_verified)
        self.users[username] = user
        return user

    def disable_user(self, username: str) -> None:
        """The person can no longer sign in at the provider (the account stays)."""
        user = self.users[username]
        self._control(
            "POST",
            "users",
            {
                "username": username,
                "email": user.email,
                "name": user.name,
                "groups": user.groups,
                "email_verified": user.email_verified,
                "active": False,
            },
        )

    def remove_user(self, username: str) -> None:
        self._control("DELETE", f"users/{username}")
        self.users.pop(username, None)

    def register_redirect_uri(self, uri: str) -> None:
        """Allow `uri` as a redirect URI of the test client (exact match, as the provider checks it)."""
        self._control("POST", "redirect-uris", {"client_id": self.client_id, "uri": uri})

    def next_id_token(self, mutation: str) -> None:
        """The next successful code exchange at the token endpoint returns an ID token made bad this way
        (tests/support/oidc_tokens.py: tampered, wrong_key, alg_none, wrong_nonce, expired, wrong_audience,
        wrong_issuer, not_yet_valid); the one after is good again."""
        self._control("POST", "next-id-token", {"mutation": mutation})

    def reset(self) -> None:
        """Forget armed ID token mutations."""
        self._control("POST", "reset", {})

    # --- the browser's part, with requests ----------------------------------------------------------------------
    def authorize_url(
        self, redirect_uri: str, state: str, nonce: str, code_challenge: str | None, scope: str = "openid profile email"
    ) -> str:
        """An authorization request as a client makes it (code flow, PKCE S256 when a challenge is given)."""
        params = {
            "response_type": "code",
            "client_id": self.client_id,
            "redirect_uri": redirect_uri,
            "scope": scope,
            "state": state,
            "nonce": nonce,
        }
        if code_challenge is not None:
            params.update(code_challenge=code_challenge, code_challenge_method="S256")
        return f"{self.issuer}/authorize?{urlencode(params)}"

    def sign_in(self, authorize_url: str, username: str, password: str) -> str:
        """Do what a browser does with the product's authorization URL: open it at the provider, sign in at the
        login form, skip consent, and return the redirect URL the provider sends the browser to (the product's
        callback with `code` and `state`, or with `error`). A wrong password raises ValueError."""
        session = requests.Session()
        response = session.get(authorize_url, allow_redirects=False, timeout=10)
        for _ in range(10):
            if response.status_code not in (301, 302, 303, 307, 308):
                break
            location = urljoin(response.url, response.headers["Location"])
            if not location.startswith(self.base_url + "/"):
                return location  # back to the client: code (already signed in) or error
            response = session.get(location, allow_redirects=False, timeout=10)
        if not response.url.startswith(self.login_url):
            raise ValueError(f"the provider answered {response.status_code} at {response.url}: {response.text[:300]}")
        form = _FormReader()
        form.feed(response.text)
        fields = {**form.fields, "username": username, "password": password}
        response = session.post(
            urljoin(response.url, form.action or ""), data=fields, allow_redirects=False, timeout=10,
            headers={"Referer": response.url},
        )  # fmt: skip
        if response.status_code != 302:
            raise ValueError(f"the provider refused the sign-in of {username!r}")
        location = urljoin(response.url, response.headers["Location"])
        for _ in range(10):
            if not location.startswith(self.base_url + "/"):
                return location
            response = session.get(location, allow_redirects=False, timeout=10)
            if response.status_code not in (301, 302, 303, 307, 308):
                raise ValueError(f"the provider stopped at {location}: {response.status_code} {response.text[:300]}")
            location = urljoin(response.url, response.headers["Location"])
        raise ValueError("too many redirects at the provider")

    def code_for(self, authorize_url: str, username: str, password: str) -> str:
        """The authorization code the provider gives for this request after the person signs in."""
        query = parse_qs(urlsplit(self.sign_in(authorize_url, username, password)).query)
        if "code" not in query:
            raise ValueError(f"no code: {query}")
        return query["code"][0]

    # --- tokens --------------------------------------------------------------------------------------------------
    def exchange_code(self, code: str, redirect_uri: str, code_verifier: str | None) -> requests.Response:
        """The client's token request (client_secret_basic), as the product makes it."""
        data = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
        if code_verifier is not None:
            data["code_verifier"] = code_verifier
        return requests.post(f"{self.issuer}/token", data=data, auth=(self.client_id, self.client_secret), timeout=10)

    def id_token(self, **claims) -> str:
        """An ID token signed with the provider's real key carrying exactly `claims` plus defaults (iss, aud,
        iat, exp 10 min ahead) — for a test that hands the product a token of its own making."""
        now = int(time.time())
        full = {"iss": self.issuer, "aud": self.client_id, "iat": now, "exp": now + 600, **claims}
        return oidc_tokens.sign(full, self.private_key, self.kid)

    def bad_id_token(self, good_token: str, mutation: str) -> str:
        """`good_token` made bad the way `mutation` names (see tests/support/oidc_tokens.py)."""
        return oidc_tokens.mutate(good_token, mutation, self.private_key, self.kid)
