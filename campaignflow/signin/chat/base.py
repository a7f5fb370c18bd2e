"""What the DingTalk, Feishu and WeCom providers share (the pattern of django-allauth's providers: one class per
platform with its id, name, login URL and `complete_login(code) → identity`), plus what allauth's providers do not
do for us: the in-app 免登 code, the directory (membership, departments, leavers) and the platforms' error codes.

HTTP goes through `ChatProvider.call`: a timeout on every request (SSO_HTTP_TIMEOUT), the answer read as JSON and
judged by the platform's documented error codes (domain/chat_people.py). The app's access token (valid 7200 s at
all three) is kept in the cache until shortly before it expires and fetched again once when the platform says it is
expired or unknown. Nothing here logs a code, a token or a secret: only the platform's error code and the path."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Sequence
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import gettext as _

from ..domain import chat_people as people
from ..domain.identity import Identity
from ..errors import SourceUnavailable
from ..methods import Method

log = logging.getLogger(__name__)

TOKEN_MARGIN = 300  # seconds before its expiry a cached app token is fetched anew
DEPARTMENT_NAME_SECONDS = 600  # how long a department's name is kept (a rename shows within ten minutes)


class PlatformError(Exception):
    """A platform's refusal or failure: `kind` (domain.chat_people: invalid_code, app_credentials, …) and `code`
    (the platform's own error code, for the log and the audit entry; never a token)."""

    def __init__(self, kind: str, code: str = ""):
        super().__init__(f"{kind} {code}".strip())
        self.kind = kind
        self.code = code


class ChatLoginError(Exception):
    """A sign-in that did not happen: `reason` for the audit log, `message` for the person."""

    def __init__(self, reason: str, message: str):
        super().__init__(reason)
        self.reason = reason
        self.message = message


class ChatProvider:
    """One chat platform. Subclasses set `id` and `name` and implement the platform's calls."""

    id = ""
    name = ""
    uses_pkce = False  # the QR login sends a PKCE S256 challenge (Feishu)
    in_app_redirect = False  # 免登 inside the app is a redirect (WeCom's OAuth), not a JSAPI code

    # --- settings ---------------------------------------------------------------------------------------------
    def configured(self) -> bool:
        raise NotImplementedError

    def credentials_key(self) -> str:
        """Names the app and its secret (hashed) in cache keys: a new secret or another server gets new tokens."""
        raise NotImplementedError

    def method(self) -> Method | None:
        if not self.configured():
            return None
        return Method(
            id=self.id,
            kind=self.id,
            name=self.name,
            login_url=reverse("signin:chat-start", args=[self.id]),
            refresh=self.refresh,
        )

    # --- the flows (per platform) ------------------------------------------------------------------------------
    def authorize_url(self, *, redirect_uri: str, state: str, code_challenge: str | None = None) -> str:
        """The platform's QR-code / web login page."""
        raise NotImplementedError

    def in_app_url(self, *, redirect_uri: str, state: str) -> str:
        """Inside the app, where 免登 is a redirect (in_app_redirect)."""
        raise NotImplementedError

    def jsapi(self) -> dict:
        """For the in-app page: {"script": the platform's JSAPI URL, and what the page's script needs}."""
        raise NotImplementedError

    def login_person(self, code: str, *, redirect_uri: str = "", code_verifier: str | None = None, in_app: bool):
        """The code (QR login or 免登) → the person in the directory (`people.Person`). Raises PlatformError."""
        raise NotImplementedError

    def lookup(self, subject: str) -> people.Person:
        """The person with this subject as the directory has them now. Raises PlatformError."""
        raise NotImplementedError

    def fetch_app_token(self) -> tuple[str, int]:
        """(the app's access token, its lifetime in seconds)."""
        raise NotImplementedError

    # --- what the views and the sync call -----------------------------------------------------------------------
    def complete_login(
        self, code: str, *, redirect_uri: str = "", code_verifier: str | None = None, in_app: bool = False
    ) -> Identity:
        """The identity of the person who scanned the QR code / opened the app; ChatLoginError with a message for
        them otherwise (nothing is created)."""
        code = (code or "").strip()
        if not code or len(code) > 512:
            raise ChatLoginError("no_code", self.message(people.INVALID_CODE))
        try:
            person = self.login_person(code, redirect_uri=redirect_uri, code_verifier=code_verifier, in_app=in_app)
        except PlatformError as exc:
            log.info("%s sign-in refused: %s", self.id, exc)
            raise ChatLoginError(f"{exc.kind}:{exc.code}" if exc.code else exc.kind, self.message(exc.kind)) from None
        if person.state == people.GONE:
            raise ChatLoginError("not_member", self.message(people.NOT_FOUND))
        if person.state != people.ACTIVE or person.identity is None or not person.identity.subject:
            raise ChatLoginError("disabled_at_source", self.message(people.DISABLED))
        return person.identity

    def refresh(self, subjects: Sequence[str]) -> dict[str, Identity | None]:
        """`Method.refresh`: each person as the directory has them now, None when gone or inactive there;
        SourceUnavailable when the platform cannot be asked (down, wrong credentials, no permission)."""
        found: dict[str, Identity | None] = {}
        for subject in subjects:
            try:
                person = self.lookup(subject)
            except PlatformError as exc:
                raise SourceUnavailable(f"{self.id}: {exc}") from None
            found[subject] = person.identity if person.state == people.ACTIVE else None
        return found

    def message(self, kind: str) -> str:
        """What the login page tells the person, in their language."""
        platform = str(self.name)
        texts = {
            people.INVALID_CODE: _(
                "The sign-in code from %(platform)s is invalid or has expired. Please sign in again."
            ),
            people.APP_CREDENTIALS: _(
                "%(platform)s refused this site's app credentials. Ask an administrator to check the configuration."
            ),
            people.TOKEN_INVALID: _(
                "%(platform)s refused this site's access token. Please try again; if it keeps failing, ask an "
                "administrator."
            ),
            people.NOT_FOUND: _("You are not in this company's %(platform)s directory, so you cannot sign in here."),
            people.DISABLED: _(
                "Your %(platform)s account is disabled or you have left the company, so you cannot sign in here."
            ),
            people.NO_PERMISSION: _(
                "The %(platform)s app may not read the company directory. Ask an administrator to grant it the "
                "contact permissions."
            ),
            "cancelled": _("The sign-in at %(platform)s was cancelled."),
        }
        text = texts.get(kind) or _("%(platform)s cannot be reached right now. Please try again later.")
        return text % {"platform": platform}

    # --- HTTP ---------------------------------------------------------------------------------------------------
    def call(self, method: str, url: str, **kwargs) -> dict:
        """One request to the platform; its JSON answer, or PlatformError (the platform's code judged)."""
        try:
            response = requests.request(method, url, timeout=settings.SSO_HTTP_TIMEOUT, allow_redirects=False, **kwargs)
        except requests.RequestException as exc:  # its text may hold the URL's query (a secret): not logged
            log.warning("%s %s: %s", self.id, urlsplit(url).path, type(exc).__name__)
            raise PlatformError(people.UNAVAILABLE, type(exc).__name__) from None
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            raise PlatformError(people.UNAVAILABLE, f"HTTP {response.status_code}")
        problem = people.PROBLEMS[self.id](response.status_code, body)
        if problem is not None:
            log.info("%s %s answered %s (%s)", self.id, urlsplit(url).path, problem[1], problem[0])
            raise PlatformError(*problem)
        return body

    def _token_key(self) -> str:
        digest = hashlib.sha256(self.credentials_key().encode("utf-8")).hexdigest()[:32]
        return f"signin:{self.id}:app-token:{digest}"

    def app_token(self, *, fresh: bool = False) -> str:
        key = self._token_key()
        token = None if fresh else cache.get(key)
        if not token:
            token, lifetime = self.fetch_app_token()
            cache.set(key, token, max(60, int(lifetime) - TOKEN_MARGIN))
        return token

    def with_app_token(self, call: Callable[[str], dict]) -> dict:
        """`call(token)` with the app's token; once more with a new token when the platform says it is expired or
        unknown (a token revoked early, or the cache shared with another secret)."""
        try:
            return call(self.app_token())
        except PlatformError as exc:
            if exc.kind != people.TOKEN_INVALID:
                raise
        return call(self.app_token(fresh=True))

    def department_names(self, ids: Sequence, read: Callable[[object], str]) -> dict:
        """{department id: name} for the ids the app may read (a department it may not read is left out); names
        kept DEPARTMENT_NAME_SECONDS in the cache."""
        names = {}
        for dept in ids:
            digest = hashlib.sha256(f"{self.credentials_key()}|{dept}".encode()).hexdigest()[:32]
            key = f"signin:{self.id}:dept:{digest}"
            name = cache.get(key)
            if name is None:
                try:
                    name = read(dept)
                except PlatformError as exc:
                    if exc.kind in (people.NOT_FOUND, people.NO_PERMISSION):
                        continue
                    raise
                cache.set(key, name, DEPARTMENT_NAME_SECONDS)
            if name:
                names[dept] = name
        return names
