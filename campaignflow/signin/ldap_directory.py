"""The company directory over LDAP (OpenLDAP, Active Directory), with ldap3 (pure Python; ADR 0012).

Sign-in: bind as the service account (LDAP_BIND_DN; anonymous when empty) → search the person under
LDAP_USER_SEARCH_BASE with LDAP_USER_FILTER (what they typed escaped, so `*)(uid=*` matches nobody) → bind as
them with their password → read their attributes and groups (the memberOf attribute, and the groups under
LDAP_GROUP_SEARCH_BASE naming them as member/uniqueMember/memberUid) → an `Identity`. Re-reading a person (the
per-request role check and the leavers' sync) finds them by their stable id (entryUUID / objectGUID, else the DN)
and still requires LDAP_USER_FILTER to match: someone moved out of what the filter admits counts as gone.

TLS: `ldaps://` URIs, or LDAP_START_TLS=1 on `ldap://`; the server's certificate is checked against LDAP_CA_FILE
(else the system's CAs) and its host name. Every network problem is `SourceUnavailable` (the login page says
"目录服务暂时无法连接"); nothing here logs a password."""

from __future__ import annotations

import logging
import ssl
from collections.abc import Sequence
from contextlib import contextmanager, suppress

import ldap3
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from ldap3.core.exceptions import LDAPException
from ldap3.utils.conv import escape_bytes, escape_filter_chars

from . import methods
from .domain.identity import Identity
from .domain.ldap_entry import EntryAttributes, first_text, guid_filter_value, identity_of, is_disabled
from .errors import SourceUnavailable

log = logging.getLogger(__name__)

METHOD_ID = "ldap"
MAX_USERNAME = 256


def configured() -> bool:
    return bool(settings.LDAP_URI)


def entry_attributes() -> EntryAttributes:
    return EntryAttributes(
        username=settings.LDAP_ATTR_USERNAME,
        display_name=settings.LDAP_ATTR_DISPLAY_NAME,
        email=settings.LDAP_ATTR_EMAIL,
        department=settings.LDAP_ATTR_DEPARTMENT,
        uuid=settings.LDAP_ATTR_UUID,
    )


def user_filter(username: str) -> str:
    """LDAP_USER_FILTER for what the person typed, escaped (RFC 4515): no input can change the filter's shape."""
    return settings.LDAP_USER_FILTER % {"user": escape_filter_chars(username)}


def _server() -> ldap3.Server:
    uri = settings.LDAP_URI
    tls = None
    if uri.lower().startswith("ldaps://") or settings.LDAP_START_TLS:
        tls = ldap3.Tls(
            validate=ssl.CERT_REQUIRED,
            ca_certs_file=settings.LDAP_CA_FILE or None,
            version=ssl.PROTOCOL_TLS_CLIENT,
        )
    return ldap3.Server(
        uri,
        use_ssl=uri.lower().startswith("ldaps://"),
        tls=tls,
        get_info=ldap3.NONE,
        connect_timeout=settings.LDAP_TIMEOUT,
    )


def _connection(user: str | None, password: str | None) -> ldap3.Connection:
    """Opened (and STARTTLS'd when configured), not yet bound."""
    conn = ldap3.Connection(
        _server(),
        user=user or None,
        password=password or None,
        receive_timeout=max(1, round(settings.LDAP_TIMEOUT)),  # whole seconds (a socket option)
        read_only=True,
        check_names=False,
    )
    conn.open()
    if settings.LDAP_START_TLS and not settings.LDAP_URI.lower().startswith("ldaps://"):
        conn.start_tls()
    return conn


@contextmanager
def service_connection():
    """Bound as the service account; any failure (down, TLS, wrong service password) → SourceUnavailable."""
    conn = None
    try:
        conn = _connection(settings.LDAP_BIND_DN, settings.LDAP_BIND_PASSWORD)
        if not conn.bind():
            log.error("LDAP service bind as %s failed: %s", settings.LDAP_BIND_DN, conn.result.get("description"))
            raise SourceUnavailable(f"service bind failed: {conn.result.get('description')}")
        yield conn
    except LDAPException as exc:
        raise SourceUnavailable(f"{type(exc).__name__}: {exc}") from None
    except OSError as exc:
        raise SourceUnavailable(f"{type(exc).__name__}: {exc}") from None
    finally:
        if conn is not None:
            with suppress(LDAPException, OSError):
                conn.unbind()


def _search(conn, base: str, search_filter: str, attributes, scope=ldap3.SUBTREE, size_limit: int = 0) -> list[dict]:
    conn.search(base, search_filter, search_scope=scope, attributes=attributes, size_limit=size_limit)
    result = conn.result.get("result")
    if result not in (0, 4, 32):  # success, sizeLimitExceeded (we asked for 2), noSuchObject
        raise SourceUnavailable(f"search failed: {conn.result.get('description')}")
    return [r for r in conn.response or [] if r.get("type") == "searchResEntry"]


def _group_dns(conn, dn: str, username: str) -> list[str]:
    base = settings.LDAP_GROUP_SEARCH_BASE
    if not base:
        return []
    group_filter = settings.LDAP_GROUP_FILTER % {"dn": escape_filter_chars(dn), "user": escape_filter_chars(username)}
    return [r["dn"] for r in _search(conn, base, group_filter, ["cn"])]


def _identity(conn, entry: dict, typed_username: str = "") -> Identity:
    attrs = entry.get("raw_attributes") or {}
    names = entry_attributes()
    username = typed_username or first_text(attrs, names.username)
    return identity_of(
        method=METHOD_ID,
        dn=entry["dn"],
        attrs=attrs,
        names=names,
        group_dns=_group_dns(conn, entry["dn"], username),
        trust_email=settings.LDAP_TRUST_EMAIL,
        typed_username=typed_username,
    )


def authenticate(username: str, password: str) -> tuple[Identity | None, str]:
    """(identity, "") when the directory knows the person and the password is theirs; else (None, reason):
    `unknown_user`, `ambiguous_user`, `bad_credentials`, `disabled_at_source`. Raises SourceUnavailable."""
    username = (username or "").strip()
    if not username or not password or len(username) > MAX_USERNAME or "\x00" in username:
        # An empty password would be an "unauthenticated bind", which LDAP servers accept: never try one.
        return None, "bad_credentials"
    with service_connection() as conn:
        found = _search(
            conn,
            settings.LDAP_USER_SEARCH_BASE,
            user_filter(username),
            entry_attributes().requested(),
            size_limit=2,
        )
        if not found:
            return None, "unknown_user"
        if len(found) > 1:
            log.warning("LDAP_USER_FILTER matches several entries for one username; refusing the sign-in")
            return None, "ambiguous_user"
        entry = found[0]
        if is_disabled(entry.get("raw_attributes") or {}):
            return None, "disabled_at_source"
        if not _bind_as(entry["dn"], password):
            return None, "bad_credentials"
        return _identity(conn, entry, typed_username=username), ""


def _bind_as(dn: str, password: str) -> bool:
    try:
        conn = _connection(dn, password)
        try:
            return bool(conn.bind())
        finally:
            conn.unbind()
    except LDAPException as exc:
        raise SourceUnavailable(f"{type(exc).__name__}: {exc}") from None
    except OSError as exc:
        raise SourceUnavailable(f"{type(exc).__name__}: {exc}") from None


def _subject_filter(subject: str) -> str:
    attr = settings.LDAP_ATTR_UUID
    if attr.lower() == "objectguid":
        return f"({attr}={escape_bytes(guid_filter_value(subject))})"
    return f"({attr}={escape_filter_chars(subject)})"


def read(subjects: Sequence[str]) -> dict[str, Identity | None]:
    """`Method.refresh` of the directory: each person as the directory has them now; None when their entry is
    gone, disabled (AD userAccountControl bit 2, OpenLDAP pwdAccountLockedTime) or no longer admitted by
    LDAP_USER_FILTER. One service connection for all. Raises SourceUnavailable."""
    admitted = settings.LDAP_USER_FILTER % {"user": "*"}
    attributes = entry_attributes().requested()
    out: dict[str, Identity | None] = {}
    with service_connection() as conn:
        for subject in subjects:
            if subject.startswith("dn:"):
                found = _search(conn, subject[3:], admitted, attributes, scope=ldap3.BASE)
            else:
                try:
                    by_id = _subject_filter(subject)
                except ValueError:  # not a GUID: it cannot be found by objectGUID
                    out[subject] = None
                    continue
                found = _search(conn, settings.LDAP_USER_SEARCH_BASE, f"(&{by_id}{admitted})", attributes, size_limit=2)
            if len(found) != 1 or is_disabled(found[0].get("raw_attributes") or {}):
                out[subject] = None
                continue
            out[subject] = _identity(conn, found[0])
    return out


def ldap_method() -> methods.Method | None:
    if not configured():
        return None
    return methods.Method(
        id=METHOD_ID, kind="ldap", name=_("Company directory (LDAP)"), login_url=reverse("login"), refresh=read
    )


def register() -> None:
    methods.register(METHOD_ID, ldap_method)
