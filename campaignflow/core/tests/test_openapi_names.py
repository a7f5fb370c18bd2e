"""Two apps' schemas with the same class name silently share one OpenAPI component (one of them then
documents the wrong response): every schema class name must be unique across the API."""

from collections import Counter

from ninja import Schema

from config.api import api


def _schemas(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _schemas(sub)


def test_schema_class_names_are_unique():
    api.get_openapi_schema()  # imports every router
    ours = [c for c in set(_schemas(Schema)) if c.__module__.startswith(("campaignflow.", "config."))]
    counts = Counter(c.__name__ for c in ours)
    assert [name for name, n in counts.items() if n > 1] == []
