"""The claims an OpenID Connect provider vouched for (a checked ID token, then userinfo) → an `Identity`.

Plain values in and out: the signature, issuer, audience, nonce and times are checked before this (signin/oidc.py
with authlib); here only what the claims say about the person is read."""

from __future__ import annotations

from collections.abc import Mapping

from .identity import Identity


def claim_at(claims: Mapping, path: str) -> object:
    """The claim at `path`; a dotted path reads nested objects (Keycloak's `realm_access.roles`). A claim whose own
    name has dots (`https://example.com/groups`) is found as it is first."""
    if not path:
        return None
    if path in claims:
        return claims[path]
    value: object = claims
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def group_names(value: object) -> tuple[str, ...]:
    """A groups claim as names: a list of strings (or of {"name": …} objects), or one string with commas or
    spaces. Anything else is no groups."""
    if isinstance(value, str):
        items: list[object] = [part for chunk in value.split(",") for part in chunk.split()]
    elif isinstance(value, list | tuple):
        items = list(value)
    else:
        return ()
    names = []
    for item in items:
        if isinstance(item, Mapping):
            item = item.get("name") or item.get("displayName")
        if isinstance(item, str | int) and str(item).strip():
            names.append(str(item).strip())
    return tuple(dict.fromkeys(names))


def is_true(value: object) -> bool:
    """`email_verified` as the IdP sent it: true, or the string "true" some IdPs send."""
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def merge_userinfo(id_claims: Mapping, userinfo: Mapping | None) -> dict:
    """The ID token's claims, completed by the userinfo answer (OIDC Core 5.3.2: only when its `sub` is the ID
    token's). A claim the ID token has is kept; `email_verified` comes with the `email` it speaks about."""
    claims = dict(id_claims)
    if not userinfo or userinfo.get("sub") != id_claims.get("sub"):
        return claims
    email_from_token = bool(claims.get("email"))
    for key, value in userinfo.items():
        if key == "email_verified" and email_from_token:
            continue
        if key == "email" and email_from_token:
            continue
        if claims.get(key) in (None, "", [], {}):
            claims[key] = value
    if not email_from_token and userinfo.get("email"):
        claims["email"] = userinfo["email"]
        claims["email_verified"] = userinfo.get("email_verified", False)
    return claims


def identity_from_claims(claims: Mapping, *, method: str = "oidc", groups_claim: str = "groups") -> Identity:
    """The person the provider vouches for. `sub` is the subject (stable and unique at one issuer, OIDC Core 2);
    the username is made from `preferred_username`, else the e-mail's local part. Roles are always mapped (with
    SSO_ROLE_MAP set): a provider that leaves the groups claim out for someone without groups gives `member`,
    never the role of a group they were taken out of. An empty `groups_claim` (OIDC_GROUPS_CLAIM="") says this
    provider tells nothing about groups: the role is then left as it is."""
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject.strip():
        raise ValueError("The ID token names no subject (sub).")
    email = claims.get("email") if isinstance(claims.get("email"), str) else ""
    name = claims.get("name") if isinstance(claims.get("name"), str) else ""
    if not name.strip():
        # Chinese order: family name first, no space (张 + 三); other scripts keep a space.
        family, given = str(claims.get("family_name") or ""), str(claims.get("given_name") or "")
        name = f"{given} {family}" if (family + given).isascii() else family + given
    username = claims.get("preferred_username") if isinstance(claims.get("preferred_username"), str) else ""
    department = claims.get("department")
    return Identity(
        method=method,
        subject=subject.strip(),
        username_hint=(username or email.split("@", 1)[0] or "").strip(),
        display_name=(name or username or "").strip(),
        email=email.strip(),
        email_verified=is_true(claims.get("email_verified")) and bool(email.strip()),
        department=department.strip() if isinstance(department, str) else "",
        groups=group_names(claim_at(claims, groups_claim)),
        maps_roles=bool(groups_claim),
    )
