"""Helpers of the API shape tests of campaigns, alerts, notifications and tracking: an answer's JSON field
by field and in order, with ids and the stamps the server takes from the clock replaced by their type
(as in execution/tests/test_api_shapes.py), so a conversion that renames, retypes, drops or reorders a
field fails."""

from tests.support.api_shapes import same  # noqa: F401 - the shape tests import it from here


def _kind(value):
    return None if value is None else f"<{type(value).__name__}>"


def shape(body, clock=()):
    """The body with ids and the `clock` fields (stamps, generated ids) replaced by their type."""
    if isinstance(body, list):
        return [shape(item, clock) for item in body]
    if not isinstance(body, dict):
        return body
    return {k: _kind(v) if k == "id" or k in clock else v for k, v in body.items()}


def call(api, method, path, payload=None, *, clock=()):
    """(status, shaped body) of one request."""
    response = getattr(api, method)(path, payload) if payload is not None else getattr(api, method)(path)
    return response.status_code, shape(response.json(), clock) if response.content else None
