"""SSO_ROLE_MAP: directory/IdP groups or departments → the global roles.

Format: `group=role` entries separated by commas, e.g. `finance=finance,marketing-directors=director,财务部=finance`.
A key that itself holds commas (an LDAP group's full DN) needs semicolons (or new lines) between the entries
instead: `cn=finance,ou=groups,dc=example,dc=com=finance; cn=directors,ou=groups,dc=example,dc=com=director`
(the role is after the last `=`). Keys match case-insensitively against each group name, group DN and the
department the source gives.

Precedence: a person in several mapped groups gets the HIGHEST of their mapped roles, in the order
member < management < finance < director < admin (management reads only: a person who also approves gets the
approver's role); no mapped group → member.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

ROLES = ("member", "management", "finance", "director", "admin")  # lowest to highest
RANK = {role: rank for rank, role in enumerate(ROLES)}
DEFAULT_ROLE = "member"


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def parse_role_map(text: str) -> dict[str, str]:
    """The mapping {casefolded key: role}; an empty text → {} (no mapping: roles stay as they are).

    Raises ValueError naming the bad entry: no `=`, an empty key, an unknown role, or one key mapped to two
    different roles."""
    text = (text or "").strip()
    if not text:
        return {}
    by_semicolon = ";" in text or "\n" in text
    separators = ";\n" if by_semicolon else ","
    for sep in separators[1:]:
        text = text.replace(sep, separators[0])
    mapping: dict[str, str] = {}
    for raw in text.split(separators[0]):
        entry = raw.strip()
        if not entry:
            continue
        key, eq, role = entry.rpartition("=")
        if not eq:
            raise ValueError(f"SSO_ROLE_MAP entry {entry!r} has no '=': write group=role.")
        key, role = _key(key), role.strip().lower()
        if not key:
            raise ValueError(f"SSO_ROLE_MAP entry {entry!r} names no group before '='.")
        if role not in RANK:
            hint = "" if by_semicolon else " (a group's DN as the key? Separate the entries with ';' then)"
            raise ValueError(
                f"SSO_ROLE_MAP entry {entry!r}: unknown role {role!r}; use one of {', '.join(ROLES)}{hint}."
            )
        if mapping.get(key, role) != role:
            raise ValueError(f"SSO_ROLE_MAP entry {entry!r} maps {key!r} again, to another role ({mapping[key]}).")
        mapping[key] = role
    return mapping


def role_for(groups: Iterable[str], mapping: Mapping[str, str], department: str = "") -> str:
    """The highest role `mapping` gives any of `groups` or `department`; `member` when none maps."""
    names = {_key(g) for g in groups if g and g.strip()}
    if department and department.strip():
        names.add(_key(department))
    best = DEFAULT_ROLE
    for name in names:
        role = mapping.get(name)
        if role is not None and RANK[role] > RANK[best]:
            best = role
    return best


def is_higher(role: str, than: str) -> bool:
    return RANK.get(role, 0) > RANK.get(than, 0)
