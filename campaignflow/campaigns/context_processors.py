from django.utils.functional import SimpleLazyObject

from .access import is_partner_user


def team(request):
    """`is_team_user` for the menus: whether the reader is of the team (not a partner company's contact), so that
    the team's own pages (the playbooks) are offered only to those who may open them. Lazy: one query, only on a
    page that asks."""
    user = getattr(request, "user", None)
    return {
        "is_team_user": SimpleLazyObject(lambda: bool(user and user.is_authenticated) and not is_partner_user(user))
    }
