"""Write audit entries. Services call `audit_record` inside their transaction."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import models

from .errors import StaleVersion
from .models import AuditEntry


def _jsonable(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


def snapshot(obj: models.Model, exclude: tuple[str, ...] = ("created_at", "updated_at")) -> dict:
    """The object's concrete field values as JSON-able data (foreign keys as ids)."""
    data = {}
    for f in obj._meta.concrete_fields:
        if f.name in exclude:
            continue
        data[f.attname if f.is_relation else f.name] = _jsonable(getattr(obj, f.attname))
    return data


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model,
    before: dict | None = None,
    after: dict | None = None,
    campaign=None,
) -> AuditEntry:
    if campaign is None and obj._meta.label == "campaigns.Campaign":
        campaign = obj
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        campaign=campaign,
        before=_jsonable(before) if before is not None else None,
        after=_jsonable(after) if after is not None else None,
    )


def delete_versioned(
    *, actor, obj: models.Model, version: int | None, action: str = "delete", before: dict | None = None
) -> None:
    """Delete a campaign's row if it still has the `version` the caller saw, audited with what it held (`before`,
    else its `snapshot`); else StaleVersion (409) with the version it has now. The check and the delete are one
    statement, so a change committed meanwhile is never removed unseen. `version` None: the API's DELETE without
    `?version=` (API.md fixes it as optional), deleted whatever its version. Call it inside the caller's
    transaction."""
    before = snapshot(obj) if before is None else before
    rows = type(obj)._base_manager.filter(pk=obj.pk)
    matching = rows if version is None else rows.filter(version=version)
    if (version is not None and obj.version != version) or not matching.delete()[0]:
        current = rows.values_list("version", flat=True).first()
        raise StaleVersion(current_version=obj.version if current is None else current)
    audit_record(actor=actor, action=action, obj=obj, before=before, campaign=obj.campaign)
