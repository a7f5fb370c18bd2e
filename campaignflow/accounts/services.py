"""Account writes: users and API tokens. Each writes its audit entry."""

from __future__ import annotations

import functools
import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaignflow.core import stamps
from campaignflow.core.audit import audit_record, snapshot
from campaignflow.core.errors import Conflict, InvalidInput
from campaignflow.core.joined_rows import Part, read_row, select_list

from .models import ApiToken, Role, User, hash_token

TOKEN_PREFIX = "cf_"


@transaction.atomic
def user_create(
    *, actor, username: str, password: str, role: str = Role.MEMBER, display_name: str = "", email: str = ""
) -> User:
    username = (username or "").strip()
    errors: dict[str, str] = {}
    if not username:
        errors["username"] = _("Username is required.")
    elif len(username) > 150:
        errors["username"] = _("Username is at most 150 characters.")
    elif User.objects.filter(username__iexact=username).exists():
        raise Conflict(_("A user named %(name)s already exists.") % {"name": username})
    if role not in Role.values:
        errors["role"] = _("Unknown role %(role)s; use one of %(roles)s.") % {
            "role": role,
            "roles": ", ".join(Role.values),
        }
    candidate = User(username=username, display_name=display_name, email=email)
    try:
        validate_password(password or "", user=candidate)
    except ValidationError as exc:
        errors["password"] = " ".join(exc.messages)
    if errors:
        raise InvalidInput(errors)
    user = User(
        username=username,
        display_name=display_name,
        email=email,
        role=role,
        is_staff=role == Role.ADMIN,
        is_superuser=role == Role.ADMIN,
    )
    user.set_password(password)
    user.save()
    audit_record(
        actor=actor, action="create", obj=user, after=snapshot(user, exclude=("password", "last_login", "date_joined"))
    )
    return user


@transaction.atomic
def token_create(*, user: User, name: str = "API") -> tuple[ApiToken, str]:
    """Create a token; returns (token, raw). The raw value is never stored."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=(name or "API")[:100], prefix=raw[:10], token_hash=hash_token(raw))
    audit_record(actor=user, action="token_create", obj=token, after={"name": token.name, "prefix": token.prefix})
    return token, raw


@transaction.atomic
def token_revoke(*, user: User, token_id: int) -> ApiToken:
    token = ApiToken.objects.select_for_update().filter(pk=token_id, user=user).first()
    if token is None:
        raise InvalidInput({"token": _("No such token.")})
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=user, action="token_revoke", obj=token, after={"revoked_at": token.revoked_at})
    return token


def user_for_token(raw: str) -> User | None:
    if not raw or not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    # As SQL text (core.joined_rows), with the change stamp of all: on every API request, and compiling the
    # ORM's select_related query cost more than running it (0.76 → 0.31 ms)
    found = read_row(_token_sql(connection.vendor), [hash_token(raw)], _TOKEN_PARTS)
    if found is None or not found[0].user.is_active:
        return None
    token, (stamp,) = found
    stamps.carry(token.user, stamp)  # for the reads across campaigns (campaign list, my tasks): ADR 0022
    now = timezone.now()
    # Touch last_used at most once a minute: no write on every request.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


_TOKEN_PARTS = [Part(ApiToken, "t"), Part(User, "u", "user")]


@functools.cache
def _token_sql(vendor: str) -> str:
    """`vendor` keys the cache: the quoting is the connection's."""
    quote = connection.ops.quote_name
    return (
        f"SELECT {select_list(_TOKEN_PARTS, f'({stamps.GLOBAL_STAMP_SQL})')} FROM {quote(ApiToken._meta.db_table)} t "
        f"JOIN {quote(User._meta.db_table)} u ON u.id = t.user_id "
        f"WHERE t.token_hash = %s AND t.revoked_at IS NULL"
    )  # the hash is unique: one row at most


@transaction.atomic
def user_update_preferences(*, user: User, display_name: str, email: str, language: str, timezone_name: str) -> User:
    before = snapshot(user, exclude=("password", "last_login", "date_joined"))
    user.display_name = display_name
    user.email = email
    user.language = language
    user.timezone = timezone_name
    user.version += 1
    user.save(update_fields=["display_name", "email", "language", "timezone", "version"])
    audit_record(
        actor=user,
        action="update",
        obj=user,
        before=before,
        after=snapshot(user, exclude=("password", "last_login", "date_joined")),
    )
    return user
