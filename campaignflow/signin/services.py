"""Admin writes of sign-in data: linking a person's identity at a source to an existing account."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from campaignflow.core.audit import audit_record
from campaignflow.core.errors import Conflict, InvalidInput

from .models import ExternalIdentity


@transaction.atomic
def identity_link(*, actor, user, method: str, subject: str, email: str = "") -> ExternalIdentity:
    """Link (method, subject) to `user`, so the person signing in there gets this account rather than a new one.
    An identity already linked to another account is moved only by unlinking it first (Conflict)."""
    method, subject = (method or "").strip(), (subject or "").strip()
    errors = {}
    if not method:
        errors["method"] = _("Name the sign-in method (ldap, oidc, dingtalk, feishu, wecom).")
    if not subject:
        errors["subject"] = _("Give the person's id at the source.")
    if errors:
        raise InvalidInput(errors)
    existing = ExternalIdentity.objects.select_for_update().filter(method=method, subject=subject).first()
    if existing is not None:
        if existing.user_id == user.pk:
            return existing
        raise Conflict(
            _("%(identity)s is linked to %(user)s already; unlink it there first.")
            % {"identity": f"{method}:{subject}", "user": existing.user.username}
        )
    identity = ExternalIdentity.objects.create(user=user, method=method, subject=subject, email=email[:254])
    audit_record(
        actor=actor, action="identity_link", obj=user, after={"method": method, "subject": subject, "by": "admin"}
    )
    return identity


@transaction.atomic
def identity_unlink(*, actor, identity: ExternalIdentity) -> None:
    user = identity.user
    audit_record(
        actor=actor,
        action="identity_unlink",
        obj=user,
        before={"method": identity.method, "subject": identity.subject},
    )
    identity.delete()
