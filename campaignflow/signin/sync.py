"""The leavers' sync of one method: every identity at it re-read from the source (`Method.refresh`), in batches.

Gone or disabled there → `leavers.deactivate`; still there → profile and mapped role brought up to date. A source
that cannot be asked stops the run with nothing changed for the rest (SourceUnavailable propagates: the scheduler
logs it and tries again next period). When the source answers that EVERY one of more than MASS_GONE people is gone,
nobody is deactivated (`MassRemoval`): that is what a wrong search base or filter looks like, not a company that
lost all its staff at once. `ldap_sync.sync_ldap` is this for the directory."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from .leavers import deactivate
from .methods import Method
from .models import ExternalIdentity
from .provisioning import apply_source

BATCH = 200
MASS_GONE = 3


class MassRemoval(Exception):
    """The source says everybody is gone: refused as a configuration error."""


@dataclass
class SyncReport:
    method: str
    checked: int = 0
    deactivated: list[str] = field(default_factory=list)  # usernames
    updated: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"{self.method}: {self.checked} checked, {len(self.deactivated)} deactivated"
            f"{' (' + ', '.join(self.deactivated) + ')' if self.deactivated else ''}, {len(self.updated)} updated"
        )


def sync_method(method: Method) -> SyncReport:
    if method.refresh is None:
        raise ValueError(f"The sign-in method {method.id} cannot re-read people (no refresh).")
    report = SyncReport(method=method.id)
    identities = list(
        ExternalIdentity.objects.filter(method=method.id, user__is_active=True).select_related("user").order_by("pk")
    )
    found: dict = {}
    for start in range(0, len(identities), BATCH):
        found.update(method.refresh([i.subject for i in identities[start : start + BATCH]]))
    if len(identities) > MASS_GONE and all(found.get(i.subject) is None for i in identities):
        raise MassRemoval(
            f"{method.id}: all {len(identities)} people are gone at the source; check its search base and filter."
            " Nobody was deactivated."
        )
    for identity in identities:
        report.checked += 1
        current = found.get(identity.subject)
        with transaction.atomic():
            if current is None:
                deactivate(identity.user, source=method.id, reason="not active at the source (sync)")
                report.deactivated.append(identity.user.username)
            elif apply_source(identity.user, current):
                report.updated.append(identity.user.username)
    return report
