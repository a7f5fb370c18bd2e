"""The claims the provider gives: name, preferred_username, e-mail with `email_verified`, and `groups` (the
group names, as an IdP with a groups mapper would: Keycloak, Authing, Azure AD)."""

from oidc_provider.lib.claims import ScopeClaims


def _groups(user) -> list[str]:
    return sorted(user.groups.values_list("name", flat=True))


def userinfo(claims: dict, user) -> dict:
    profile = getattr(user, "idp_profile", None)
    claims["name"] = profile.name if profile else user.get_username()
    claims["preferred_username"] = user.get_username()
    claims["email"] = user.email
    claims["email_verified"] = profile.email_verified if profile else False
    return claims


class GroupsClaims(ScopeClaims):
    """`groups` with every `openid` request (so in every ID token and userinfo answer); a `groups` scope is
    accepted too, for clients that ask for it."""

    info_groups = ("Groups", "The groups you belong to.")

    def scope_openid(self):
        return {"groups": _groups(self.user)}

    def scope_groups(self):
        return {"groups": _groups(self.user)}
