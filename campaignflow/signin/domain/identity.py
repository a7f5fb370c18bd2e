"""What a sign-in source (directory, IdP, chat app) says about a person, as plain values."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Identity:
    """One person as a source vouches for them at a sign-in or a directory read.

    `method` is the sign-in method's id (`ldap`, `oidc`, `dingtalk`, …) and `subject` the source's stable id
    for the person (LDAP entryUUID / AD objectGUID, else the DN; OIDC `sub`; the chat app's union id): the pair
    names one `ExternalIdentity`. `username_hint` is what a new account's username is made from (made unique).
    `email_verified`: the source vouches that the person owns `email`; only then may a first sign-in join an
    existing account with that e-mail. `groups`: the group names (and/or DNs) and `department` are what
    SSO_ROLE_MAP is matched against. `maps_roles`: False for a source that says nothing about groups or
    departments (then the person's role is left as it is rather than mapped to `member`).
    """

    method: str
    subject: str
    username_hint: str = ""
    display_name: str = ""
    email: str = ""
    email_verified: bool = False
    department: str = ""
    groups: tuple[str, ...] = field(default=())
    maps_roles: bool = True

    def __post_init__(self) -> None:
        if not self.method or not self.subject:
            raise ValueError("An identity needs its method and its subject.")
        if not isinstance(self.groups, tuple):
            object.__setattr__(self, "groups", tuple(self.groups))
