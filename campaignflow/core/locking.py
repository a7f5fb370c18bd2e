"""Optimistic locking: a write succeeds only against the version the client read."""

from __future__ import annotations

from django.db import models
from django.db.models import F
from django.utils import timezone

from .api_types import MAX_ID
from .errors import StaleVersion


def changed_only(obj: models.Model, changes: dict) -> dict:
    """The entries of `changes` that differ from the object's current values (models compare by pk)."""
    return {k: v for k, v in changes.items() if getattr(obj, k) != v}


def refuse_if_stale(obj: models.Model, version: int) -> None:
    """A write that changes nothing still has to name the current version, else 409."""
    if version != obj.version:
        raise StaleVersion(current_version=obj.version)


def update_versioned(obj: models.Model, *, expected_version: int, changes: dict) -> models.Model:
    """Apply `changes` to `obj` iff its stored version is still `expected_version`.

    One conditional UPDATE, so two concurrent writers cannot both win; the loser gets
    StaleVersion carrying the current version. `obj` is refreshed on success.
    """
    model = type(obj)
    if not isinstance(expected_version, int) or not 0 <= expected_version <= MAX_ID:
        # A version no row can have (e.g. 2**70 from a client) is simply stale; never a database overflow.
        current = model._base_manager.filter(pk=obj.pk).values_list("version", flat=True).first()
        raise StaleVersion(current_version=current if current is not None else 0)
    values = dict(changes)
    if any(f.name == "updated_at" for f in model._meta.concrete_fields):
        values["updated_at"] = timezone.now()
    rows = model._base_manager.filter(pk=obj.pk, version=expected_version).update(**values, version=F("version") + 1)
    if rows == 0:
        current = model._base_manager.filter(pk=obj.pk).values_list("version", flat=True).first()
        raise StaleVersion(current_version=current if current is not None else 0)
    obj.refresh_from_db()
    return obj
