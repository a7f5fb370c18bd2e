"""The helpers of the API shape tests: an answer's JSON field by field and in order, with ids and the stamps
the server takes from the clock replaced by their type, so a change of schema or mapping that renames,
retypes, drops or reorders a field fails.

The order of an answer's own fields is part of what clients see, so it is compared for every object of
the answer (and the objects in its lists). A value that is a stored JSON document (an audit diff, a
retrospective's assets, a channel's targets) is compared as a value only: PostgreSQL's jsonb keeps its
keys in its own order, so its key order says nothing about the API."""

from __future__ import annotations


def _field_order(body):
    if isinstance(body, list | tuple):
        return [_field_order(item) for item in body]
    if isinstance(body, dict):
        return list(body)  # this object's own fields; nested documents by value (above)
    return None


def same(actual, expected) -> None:
    assert actual == expected, (actual, expected)
    assert _field_order(actual) == _field_order(expected), "the answer's fields are in another order"


def _kind(value):
    return None if value is None else f"<{type(value).__name__}>"


def shape(body, clock=(), *, nested: bool = False):
    """The body with ids and the `clock` fields (stamps, generated ids) replaced by their type, in each item
    of a list; with `nested`, in the objects within its objects too."""
    if isinstance(body, list):
        return [shape(item, clock, nested=nested) for item in body]
    if not isinstance(body, dict):
        return body
    return {
        k: _kind(v) if k == "id" or k in clock else shape(v, clock, nested=True) if nested else v
        for k, v in body.items()
    }


def call(api, method, path, payload=None, *, clock=(), nested: bool = False):
    """(status, shaped body) of one request (None for an empty body)."""
    response = getattr(api, method)(path, payload) if payload is not None else getattr(api, method)(path)
    return response.status_code, shape(response.json(), clock, nested=nested) if response.content else None


def _typed(prop: dict) -> dict:
    return {k: v for k, v in prop.items() if k not in ("default", "title", "description")}


def assert_patch_documents_create(schemas: dict, create: str, patch: str, *, left_out=(), added=()) -> None:
    """The OpenAPI document's `patch` schema (core.api_types.patch_schema) has the `create` schema's fields, less
    `left_out`, plus `added`, with the same types and limits, none required but `version`: so a null is taken
    only where the create schema takes one too (an absent field stays as it is)."""
    create_props, patch_doc = schemas[create]["properties"], schemas[patch]
    assert patch_doc["required"] == ["version"]
    assert set(patch_doc["properties"]) == (set(create_props) - set(left_out)) | set(added) | {"version"}
    for name, prop in create_props.items():
        if name not in left_out:
            assert _typed(patch_doc["properties"][name]) == _typed(prop), name
