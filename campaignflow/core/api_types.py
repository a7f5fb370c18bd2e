"""Shared API types."""

import math
from decimal import Decimal
from typing import Annotated

from ninja import Path
from pydantic import BeforeValidator, Field

MAX_ID = 2**63 - 1

# A database id in a URL: anything outside the 64-bit range is refused with 422, never a 500.
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]
IdField = Annotated[int, Field(ge=1, le=MAX_ID)]


def _finite_or_text(value):
    # JSON NaN/Infinity as text, so the service refuses them naming the field (the union would fail
    # with one error per member type: "planned.str", "planned.int", "planned.decimal").
    return str(value) if isinstance(value, float) and not math.isfinite(value) else value


# An amount as a number or typed text ("1.2万", "12,000.00"), parsed and range-checked by the service
# (so every refusal is a translated message naming the field and the limit).
Amount = Annotated[str | int | Decimal | None, BeforeValidator(_finite_or_text)]
