"""A directory entry (OpenLDAP or Active Directory) → the person it describes, as plain values.

Attributes arrive as the server sent them: {name: [bytes, …]} (names compared case-insensitively). Each setting
names one attribute or several separated by commas, the first present one wins, so one default fits both
OpenLDAP and AD (e.g. department: `department,departmentNumber,ou`)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .identity import Identity

AD_ACCOUNTDISABLE = 0x2  # userAccountControl bit: the account is disabled


@dataclass(frozen=True)
class EntryAttributes:
    """Which attributes mean what (comma-separated alternatives, first present wins)."""

    username: str = "uid,sAMAccountName"
    display_name: str = "displayName,cn"
    email: str = "mail"
    department: str = "department,departmentNumber,ou"
    uuid: str = "entryUUID"  # AD: objectGUID

    def requested(self) -> list[str]:
        names = {"memberOf", "userAccountControl", "pwdAccountLockedTime"}
        for value in (self.username, self.display_name, self.email, self.department, self.uuid):
            names.update(_names(value))
        return sorted(names)


def _names(value: str) -> list[str]:
    return [n.strip() for n in value.split(",") if n.strip()]


def _values(attrs: Mapping[str, Sequence], name: str) -> list:
    lowered = {k.lower(): v for k, v in attrs.items()}
    found = lowered.get(name.lower())
    if found is None:
        return []
    return list(found) if isinstance(found, (list, tuple)) else [found]


def _text(value) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)


def first_text(attrs: Mapping[str, Sequence], names: str) -> str:
    for name in _names(names):
        for value in _values(attrs, name):
            text = _text(value).strip()
            if text:
                return text
    return ""


def subject_of(dn: str, attrs: Mapping[str, Sequence], uuid_attr: str) -> str:
    """The person's stable id: the UUID attribute (entryUUID as text; AD's binary objectGUID as its usual text
    form), else `dn:<the entry's DN>` (survives no rename, but names the entry)."""
    for value in _values(attrs, uuid_attr):
        if isinstance(value, bytes) and len(value) == 16:
            return str(uuid.UUID(bytes_le=value))
        text = _text(value).strip().lower()
        if text:
            return text
    return f"dn:{dn}"


def guid_filter_value(subject: str) -> bytes:
    """AD's objectGUID bytes for a subject made by `subject_of`."""
    return uuid.UUID(subject).bytes_le


def is_disabled(attrs: Mapping[str, Sequence]) -> bool:
    """AD: userAccountControl has ACCOUNTDISABLE (2). OpenLDAP ppolicy: pwdAccountLockedTime is set."""
    for value in _values(attrs, "userAccountControl"):
        try:
            if int(_text(value)) & AD_ACCOUNTDISABLE:
                return True
        except ValueError:
            continue
    return any(_text(v).strip() for v in _values(attrs, "pwdAccountLockedTime"))


def rdn_value(dn: str) -> str:
    """ "cn=Finance,ou=groups,dc=x" → "Finance" (escaped commas kept as they are written)."""
    first = dn
    i = 0
    while i < len(dn):
        if dn[i] == "\\":
            i += 2
            continue
        if dn[i] == ",":
            first = dn[:i]
            break
        i += 1
    return first.partition("=")[2].replace("\\", "").strip()


def group_names(group_dns: Sequence[str]) -> tuple[str, ...]:
    """Each group as its name and its DN, so SSO_ROLE_MAP may name either."""
    names: list[str] = []
    for dn in group_dns:
        dn = dn.strip()
        if not dn:
            continue
        for name in (rdn_value(dn), dn):
            if name and name not in names:
                names.append(name)
    return tuple(names)


def identity_of(
    *,
    method: str,
    dn: str,
    attrs: Mapping[str, Sequence],
    names: EntryAttributes,
    group_dns: Sequence[str] = (),
    trust_email: bool = True,
    typed_username: str = "",
) -> Identity:
    member_of = [_text(v) for v in _values(attrs, "memberOf")]
    return Identity(
        method=method,
        subject=subject_of(dn, attrs, names.uuid),
        username_hint=first_text(attrs, names.username) or typed_username,
        display_name=first_text(attrs, names.display_name),
        email=first_text(attrs, names.email),
        email_verified=trust_email,
        department=first_text(attrs, names.department),
        groups=group_names([*member_of, *group_dns]),
    )
