"""The registry of sign-in methods: what the login page and `GET /api/v1/auth/methods` offer.

A method's module registers a *factory* once (from `SigninConfig.ready()`): a function that reads the settings
and returns the `Method`, or None while its settings are missing. So `configured()` always reflects the
settings in force (tests change them with `settings`/`override_settings`), and a method without its settings is
simply not offered.

    def oidc_method() -> Method | None:
        if not settings.OIDC_ISSUER:
            return None
        return Method(id="oidc", kind="oidc", name=_("Company account (SSO)"), login_url=reverse("signin:oidc-start"))

    methods.register("oidc", oidc_method)

A method whose source can be asked again about a person without their password (a directory, a chat app's user
API) gives `refresh`: `refresh(subjects) -> {subject: Identity | None}` — the person as the source has them now,
None when they are gone or disabled there; it raises `errors.SourceUnavailable` when the source cannot be asked.
The per-request role check (`refresh.py`) and the leavers' sync (`sync.py`) use it; a method without it gets
roles applied at each sign-in only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .domain.identity import Identity

KINDS = ("password", "oidc", "ldap", "dingtalk", "feishu", "wecom")
# The order the login page and the API list them in: the Chinese chat apps first, then the company's IdP, the
# directory, and the local password last.
KIND_ORDER = {kind: rank for rank, kind in enumerate(("dingtalk", "feishu", "wecom", "oidc", "ldap", "password"))}
# Kinds signed in through the login form (username + password) rather than a button that leaves the site.
FORM_KINDS = ("password", "ldap")

Refresh = Callable[[Sequence[str]], dict[str, Identity | None]]


@dataclass(frozen=True)
class Method:
    id: str  # also ExternalIdentity.method of the identities it signs in
    kind: str  # one of KINDS
    name: str  # what the login page shows (a lazy translation is fine)
    login_url: str  # where its button goes (form kinds: the login page)
    refresh: Refresh | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"Unknown sign-in method kind {self.kind!r}; use one of {', '.join(KINDS)}.")

    @property
    def is_form(self) -> bool:
        return self.kind in FORM_KINDS

    def as_json(self) -> dict:
        return {"id": self.id, "kind": self.kind, "name": str(self.name), "login_url": self.login_url}


_FACTORIES: dict[str, Callable[[], Method | None]] = {}


def register(key: str, factory: Callable[[], Method | None]) -> None:
    """Add (or replace) the factory known as `key`."""
    _FACTORIES[key] = factory


def unregister(key: str) -> None:
    _FACTORIES.pop(key, None)


def configured() -> list[Method]:
    """The methods whose settings are present, in the login page's order."""
    found = [method for factory in list(_FACTORIES.values()) if (method := factory()) is not None]
    return sorted(found, key=lambda m: KIND_ORDER.get(m.kind, len(KIND_ORDER)))


def by_id(method_id: str) -> Method | None:
    return next((m for m in configured() if m.id == method_id), None)


def password_login_mode() -> str:
    """PASSWORD_LOGIN: `all` (anyone with a local password) or `admins` (only superusers / the admin role)."""
    return settings.PASSWORD_LOGIN


def password_method() -> Method:
    admins_only = password_login_mode() == "admins"
    return Method(
        id="password",
        kind="password",
        name=_("Administrator log-in") if admins_only else _("Username and password"),
        login_url=reverse("login"),
    )
