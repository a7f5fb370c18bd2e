"""Cases of the bad-input tests: a payload that works with one field made bad, and the field the refusal
must name."""

from __future__ import annotations

import pytest


def one_bad_field(valid: dict, bad: dict) -> list:
    """(payload, field) parameters, one per field of `bad`: `valid` with that field set to its bad value (the
    case's id is the field's name)."""
    return [pytest.param(valid | {field: value}, field, id=field) for field, value in bad.items()]
