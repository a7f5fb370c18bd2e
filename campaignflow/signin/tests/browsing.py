"""What the sign-in tests share: a browser that asks for Chinese pages, the account it is signed in as, and the
profile a sign-in source fills on that account."""

from django.test import Client

from campaignflow.accounts.models import User

# The account fields a source fills at each sign-in, in the order `profile` returns them.
PROFILE = ("username", "display_name", "email", "department", "role")


def browser() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="zh-hans")


def signed_in(client: Client) -> User | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def profile(user: User) -> tuple:
    """The account's PROFILE fields: username, display name, e-mail, department, role."""
    return tuple(getattr(user, field) for field in PROFILE)
