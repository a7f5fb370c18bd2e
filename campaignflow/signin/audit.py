"""Audit entries of sign-ins: who signed in by which method, and every failed attempt with its reason.

Never a password, token or code: only the method, the username typed (or the source's hint), a short reason and
the client's address."""

from __future__ import annotations

from campaignflow.core.audit import audit_record
from campaignflow.core.models import AuditEntry


def client_ip(request) -> str:
    return (getattr(request, "META", {}) or {}).get("REMOTE_ADDR", "") if request is not None else ""


def signed_in(request, user, method_id: str) -> None:
    audit_record(actor=user, action="sign_in", obj=user, after={"method": method_id, "ip": client_ip(request)})


def sign_in_failed(request, *, method_id: str, reason: str, username: str = "", user=None) -> None:
    """A refused or failed attempt. `user` when the account is known (then the entry is on it)."""
    after = {"method": method_id, "reason": reason, "username": (username or "")[:150], "ip": client_ip(request)}
    if user is not None and getattr(user, "pk", None):
        audit_record(actor=None, action="sign_in_failed", obj=user, after=after)
        return
    AuditEntry.objects.create(
        actor=None,
        action="sign_in_failed",
        object_type="signin.attempt",
        object_id=method_id[:40],
        object_repr=(username or "")[:300],
        after=after,
    )
