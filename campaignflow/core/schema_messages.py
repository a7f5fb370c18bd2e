"""What a client is told when an API schema refuses a field (pydantic, before any service runs), in the reader's
language: pydantic's own messages are English only ("Input should be a valid integer"). config/api.py answers
every schema refusal with these, naming the field; a service's refusals are written in our words already."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .parsing import date_message, datetime_message

_DATE = {"date_type", "date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact"}
_DATETIME = {"datetime_type", "datetime_parsing", "datetime_from_date_parsing", "timezone_naive", "timezone_aware"}
_WHOLE = {"int_type", "int_parsing", "int_from_float", "int_parsing_size"}
_NUMBER = {"float_type", "float_parsing", "decimal_type", "decimal_parsing", "finite_number"}
_DIGITS = {"decimal_max_digits", "decimal_max_places", "decimal_whole_digits"}
_LISTS = {"list_type", "tuple_type", "set_type", "frozen_set_type", "iterable_type"}
_OBJECTS = {"dict_type", "model_type", "model_attributes_type", "dataclass_type"}
_CHOICES = {"literal_error", "enum"}
# Our own refusals raised inside a schema (PydanticCustomError, a validator's ValueError): already our words.
_OURS = {"whole_number", "date_range", "value_error", "assertion_error"}


def schema_error_message(error: dict) -> str | None:
    """Our message for one pydantic error (`type`, `ctx`, `msg` as ninja reports it); None for a kind we do not
    word (the caller keeps pydantic's)."""
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind in _OURS:
        return str(error.get("msg", "")).removeprefix("Value error, ").removeprefix("Assertion failed, ")
    if kind == "missing":
        return _("This field is required.")
    if kind in _DATE:
        return date_message()
    if kind in _DATETIME:
        return datetime_message()
    if kind in _WHOLE:
        return _("Enter a whole number.")
    if kind in _NUMBER:
        return _("Enter a number.")
    if kind in _DIGITS:
        return _("The number has too many digits.")
    if kind in ("bool_type", "bool_parsing"):
        return _("Enter true or false.")
    if kind in ("string_type", "string_unicode", "string_sub_type"):
        return _("Enter text.")
    if kind == "string_too_short":
        return _("At least %(n)s characters.") % {"n": ctx.get("min_length", 1)}
    if kind == "string_too_long":
        return _("At most %(n)d characters.") % {"n": ctx.get("max_length", 0)}
    if kind == "string_pattern_mismatch":
        return _("Not in the expected format.")
    if kind in ("too_short", "too_long"):
        limit = ctx.get("min_length") if kind == "too_short" else ctx.get("max_length")
        text = _("At least %(n)s items.") if kind == "too_short" else _("At most %(n)s items.")
        return text % {"n": limit}
    if kind in _LISTS:
        return _("Send a list ([…]).")
    if kind in _OBJECTS:
        return _("Send a JSON object ({…}) with the fields as its keys.")
    if kind in _CHOICES:
        return _("Choose one of: %(choices)s.") % {"choices": ctx.get("expected", "")}
    return _limit_message(kind, ctx)


def _limit_message(kind: str, ctx: dict) -> str | None:
    if kind == "greater_than_equal":
        return _("Must be at least %(limit)s.") % {"limit": ctx.get("ge")}
    if kind == "greater_than":
        return _("Must be more than %(limit)s.") % {"limit": ctx.get("gt")}
    if kind == "less_than_equal":
        return _("Must be at most %(limit)s.") % {"limit": ctx.get("le")}
    if kind == "less_than":
        return _("Must be less than %(limit)s.") % {"limit": ctx.get("lt")}
    if kind in ("url_parsing", "url_type", "url_scheme", "url_syntax_violation"):
        return _("Not a valid web address (URL).")
    if kind in ("uuid_parsing", "uuid_type"):
        return _("Not a valid id.")
    if kind == "json_invalid":
        return _("Not valid JSON.")
    return None
