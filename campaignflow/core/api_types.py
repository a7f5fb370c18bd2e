"""Shared API types."""

import datetime as dt
import math
from copy import copy
from decimal import Decimal
from typing import Annotated, get_args

from django.utils.translation import gettext as _
from ninja import Path, Schema
from pydantic import BeforeValidator, Field, ValidationInfo, WithJsonSchema, create_model, field_validator
from pydantic_core import PydanticCustomError

from .domain.dates import in_range
from .errors import InvalidInput
from .parsing import range_message

MAX_ID = 2**63 - 1

# A database id in a URL: anything outside the 64-bit range is refused with 422, never a 500.
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]
IdField = Annotated[int, Field(ge=1, le=MAX_ID)]


def _finite_or_text(value):
    # JSON NaN/Infinity and true/false as text, so the service refuses them naming the field (the union would
    # fail with one error per member type: "planned.str", "planned.int", "planned.decimal"; and pydantic's int
    # takes true as 1: an expense of ¥1.00).
    return str(value) if isinstance(value, bool) or (isinstance(value, float) and not math.isfinite(value)) else value


def _takes_whole_numbers(annotation) -> bool:
    """Whether a field's type is an int (or int | None, list[int], …) and not also a bool."""
    if annotation is int:
        return True
    members = get_args(annotation)
    return bool not in members and any(_takes_whole_numbers(m) for m in members if m is not type(None))


class InputSchema(Schema):
    """What a client sends (a body, a query): every input schema extends it (tests/test_input_schemas.py walks the
    API's operations). JSON true/false is refused where a whole number is meant: pydantic's lax mode reads true
    as 1 (progress 1 %, a position, an id). A date keeps to the years 2000–2100, as every form's does. Money is
    `Amount`, which the service refuses naming the field."""

    @field_validator("*", mode="before")
    @classmethod
    def _truth_is_not_a_number(cls, value, info: ValidationInfo):
        truths = isinstance(value, bool) or (isinstance(value, list) and any(isinstance(v, bool) for v in value))
        if truths and _takes_whole_numbers(cls.model_fields[info.field_name].annotation):
            raise PydanticCustomError("whole_number", _("Enter a number, not true/false."))
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _dates_in_range(cls, value, info: ValidationInfo):
        """A date (or date and time) outside the years core.domain.dates keeps to: a week of 9999-12-27 would
        overflow the arithmetic built on it (a 500), a check-in of 0001 mean nothing."""
        if isinstance(value, dt.date) and not in_range(value):
            raise PydanticCustomError("date_range", range_message())
        return value


# An amount as a number or typed text ("1.2万", "12,000.00"), parsed and range-checked by the service
# (so every refusal is a translated message naming the field and the limit).
Amount = Annotated[str | int | Decimal | None, BeforeValidator(_finite_or_text)]

# A date and time the client sends: ISO text, read by the service (core.parsing.datetime_input names the field and
# keeps to the years 2000–2100). pydantic's datetime would take a JSON number as seconds since 1970 (0: an issue
# found in 1970, its SLA long breached).
MomentText = Annotated[
    str | None, WithJsonSchema({"anyOf": [{"type": "string", "format": "date-time"}, {"type": "null"}]})
]

# A person in an output schema: the field reads the user relation (select_related in the selector) and
# shows its username, null when none.
Username = Annotated[str | None, BeforeValidator(lambda user: user.username if user is not None else None)]


def patch_schema(schema: type[Schema], *, exclude: tuple[str, ...] = (), **extra) -> type[Schema]:
    """`<Name>Patch` for an input schema: the same fields, types and limits, each optional (absent: unchanged),
    less `exclude`, plus the required `version` of the optimistic lock and any `extra` fields given as
    pydantic `(type, default)` pairs. A field keeps its type, so an explicit null is refused (422 naming it)
    unless the input schema takes null there too: the default stands for "absent" and is never validated.
    (ninja's PatchDict keeps no `max_length`/`ge` on pydantic 2 and would make `version` optional too.)"""
    fields = {"version": (int, ...)}
    for name, info in schema.model_fields.items():
        if name not in exclude:
            optional = copy(info)
            optional.default = None
            optional.default_factory = None  # a list/dict default (tags, events): absent means unchanged too
            fields[name] = (info.annotation, optional)
    name = schema.__name__.removesuffix("In") + "Patch"
    return create_model(name, __base__=InputSchema, __module__=schema.__module__, **fields, **extra)


def patch_data(payload: Schema) -> tuple[int, dict]:
    """The expected version and the fields the client sent (an absent field stays as it is)."""
    data = payload.dict(exclude_unset=True)
    return data.pop("version"), data


class VersionQuery(InputSchema):
    version: int | None = None  # required; checked after access so that outsiders get 404, not 422


def required_version(query: VersionQuery) -> int:
    """The `?version=` of a DELETE, once the caller may see the record."""
    if query.version is None:
        raise InvalidInput({"version": _("Send the version you read (?version=…).")})
    return query.version
