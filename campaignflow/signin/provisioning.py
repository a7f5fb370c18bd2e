"""An identity a source vouched for → the person's one account (ADR 0011).

`provision(identity)` at every sign-in: the account linked to the identity; else an active account with the same
e-mail when the source vouches for it (then linked); else a new account made just-in-time. Disabled accounts are
refused. The profile (display name, e-mail, department) is refreshed from the source, and SSO_ROLE_MAP applied
when it is configured. All in one transaction; two first sign-ins at the same moment make one account (the unique
(method, subject) and username constraints decide, the loser retries and finds the winner's account).
"""

from __future__ import annotations

import logging
import re

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaignflow.core.audit import audit_record, snapshot

from .checks import role_map
from .domain.identity import Identity
from .domain.role_map import role_for
from .errors import SignInRefused
from .models import ExternalIdentity

log = logging.getLogger(__name__)

ATTEMPTS = 4
USER_EXCLUDE = ("password", "last_login", "date_joined")
_NOT_IN_USERNAME = re.compile(r"[^\w.@+-]+")


def provision(identity: Identity):
    """The account (a User) signing in as `identity`. Raises SignInRefused (nothing written) when the person may not
    sign in."""
    for attempt in range(ATTEMPTS):
        try:
            with transaction.atomic():
                return _provision(identity)
        except IntegrityError:
            # Someone else made the account or the link between our read and our write: read again.
            if attempt == ATTEMPTS - 1:
                raise
            log.info("sign-in of %s:%s raced another; retrying", identity.method, identity.subject)
    raise AssertionError("unreachable")


def _provision(identity: Identity):
    User = get_user_model()
    link = (
        ExternalIdentity.objects.select_for_update()
        .select_related("user")
        .filter(method=identity.method, subject=identity.subject)
        .first()
    )
    created = False
    if link is not None:
        user = link.user
        _refuse_disabled(user)
    else:
        user = _account_by_email(User, identity)
        if user is None:
            user = _create_account(User, identity)
            created = True
        link = ExternalIdentity.objects.create(user=user, method=identity.method, subject=identity.subject)
        audit_record(
            actor=None,
            action="identity_link",
            obj=user,
            after={"method": identity.method, "subject": identity.subject, "by": "sign-in"},
        )
    link.email = identity.email[:254]
    link.last_sign_in_at = timezone.now()
    link.save(update_fields=["email", "last_sign_in_at"])
    if not created:
        apply_source(user, identity)
    return user


def _refuse_disabled(user) -> None:
    if not user.is_active:
        raise SignInRefused(_("This account is disabled. Ask an administrator."), reason="account_disabled")


def _account_by_email(User, identity: Identity):
    """The one active account with the identity's e-mail, when the source vouches for the address."""
    if not (identity.email_verified and identity.email.strip()):
        return None
    matches = list(User.objects.filter(email__iexact=identity.email.strip(), is_active=True)[:2])
    if not matches:
        return None
    if len(matches) > 1:
        raise SignInRefused(
            _("Several accounts have the e-mail %(email)s. Ask an administrator to link your company account.")
            % {"email": identity.email},
            reason="ambiguous_email",
        )
    user = matches[0]
    if user.is_admin:
        # The break-glass administrator is never taken over by an e-mail address a source reports.
        raise SignInRefused(
            _("The e-mail %(email)s belongs to an administrator account. Ask an administrator to link it first.")
            % {"email": identity.email},
            reason="admin_email_match",
        )
    return user


def unique_username(User, hint: str, email: str = "", method: str = "") -> str:
    base = _NOT_IN_USERNAME.sub("-", (hint or "").strip()).strip("-.")
    if not base and email:
        base = _NOT_IN_USERNAME.sub("-", email.split("@", 1)[0]).strip("-.")
    base = (base or f"{method or 'user'}-user")[:140]
    candidate, n = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _create_account(User, identity: Identity):
    mapping = role_map()
    user = User(
        username=unique_username(User, identity.username_hint, identity.email, identity.method),
        display_name=identity.display_name.strip()[:100],
        email=identity.email.strip()[:254],
        department=identity.department.strip()[:200],
        role=role_for(identity.groups, mapping, identity.department) if mapping and identity.maps_roles else "member",
    )
    user.set_unusable_password()
    user.save()
    audit_record(
        actor=None,
        action="create",
        obj=user,
        after={**snapshot(user, exclude=USER_EXCLUDE), "source": identity.method},
    )
    return user


def apply_source(user, identity: Identity) -> list[str]:
    """Bring the account in line with what the source says now: display name, e-mail and department (when the
    source gives them) and, with SSO_ROLE_MAP configured, the mapped role. Returns the fields changed. A
    superuser's role is never changed (the break-glass administrator stays one)."""
    changes: dict[str, object] = {}
    for field, value, limit in (
        ("display_name", identity.display_name, 100),
        ("email", identity.email, 254),
        ("department", identity.department, 200),
    ):
        value = (value or "").strip()[:limit]
        if value and getattr(user, field) != value:
            changes[field] = value
    role_change = None
    mapping = role_map()
    if mapping and identity.maps_roles and not user.is_superuser:
        new_role = role_for(identity.groups, mapping, identity.department)
        if new_role != user.role:
            role_change = (user.role, new_role)
            changes["role"] = new_role
    if not changes:
        return []
    before = {field: getattr(user, field) for field in changes}
    for field, value in changes.items():
        setattr(user, field, value)
    user.version += 1
    user.save(update_fields=[*changes, "version"])
    profile = [f for f in changes if f != "role"]
    if profile:
        audit_record(
            actor=None,
            action="update",
            obj=user,
            before={f: before[f] for f in profile},
            after={**{f: changes[f] for f in profile}, "source": identity.method},
        )
    if role_change:
        audit_record(
            actor=None,
            action="role_change",
            obj=user,
            before={"role": role_change[0]},
            after={"role": role_change[1], "source": identity.method, "by": "SSO_ROLE_MAP"},
        )
    return list(changes)
