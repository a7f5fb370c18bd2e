"""Cleaning input field by field: a service's `_clean` collects every field's error, then refuses once."""

from __future__ import annotations

from typing import TypeVar

from .errors import InvalidInput

T = TypeVar("T")


def valid(values: T, errors: dict[str, str]) -> T:
    """The cleaned `values`, unless a field was wrong: then InvalidInput names every such field at once."""
    if errors:
        raise InvalidInput(errors)
    return values
