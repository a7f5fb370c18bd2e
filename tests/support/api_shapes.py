"""The one comparison of the API shape tests: the same answer, and its fields in the same order.

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
