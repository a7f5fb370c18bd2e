"""Shared API types."""

from typing import Annotated

from ninja import Path
from pydantic import Field

MAX_ID = 2**63 - 1

# A database id in a URL: anything outside the 64-bit range is refused with 422, never a 500.
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]
IdField = Annotated[int, Field(ge=1, le=MAX_ID)]
