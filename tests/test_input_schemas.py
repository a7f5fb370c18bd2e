"""Everything a client sends is read by a `core.api_types.InputSchema`: among what it adds, JSON true/false is not a
whole number (pydantic's lax mode had read `"progress": true` as 1 %, a stored change nobody typed)."""

from typing import get_args

import pytest
from ninja.params.models import ParamModel
from pydantic import BaseModel

from campaignflow.core.api_types import InputSchema
from campaignflow.planning.models import Task

pytestmark = pytest.mark.django_db


def _schemas_in(annotation, found: set) -> None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel) and annotation not in found:
        found.add(annotation)
        for field in annotation.model_fields.values():
            _schemas_in(field.annotation, found)
    for member in get_args(annotation):
        _schemas_in(member, found)


def _input_schemas() -> set[type]:
    """The schemas of every operation's body, query and path parameters, nested ones included (not ninja's own
    per-operation wrappers)."""
    from config.api import api

    found: set = set()
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in operation.models:
                    for field in model.model_fields.values():
                        _schemas_in(field.annotation, found)
    return {s for s in found if not issubclass(s, ParamModel)}


def test_every_schema_a_client_sends_is_an_input_schema():
    schemas = _input_schemas()
    assert len(schemas) > 50  # the walk found the API's inputs (about 80)
    plain = sorted(f"{s.__module__}.{s.__name__}" for s in schemas if not issubclass(s, InputSchema))
    assert plain == []


def test_true_is_not_a_whole_number(api_for, users, campaign):
    client = api_for(users["owner"])
    created = client.post(f"/campaigns/{campaign.id}/tasks", {"name": "排期", "progress": True})
    assert created.status_code == 422, created.content
    assert created.json()["errors"] == [{"field": "progress", "message": "请填写数字，不能是 true/false。"}]
    assert not Task.objects.filter(name="排期").exists()
    task = client.post(f"/campaigns/{campaign.id}/tasks", {"name": "排期", "progress": 10}).json()
    for body in ({"progress": False}, {"version": True}):
        changed = client.patch(f"/tasks/{task['id']}", {"version": task["version"], **body})
        assert changed.status_code == 422, (body, changed.content)
        assert [e["field"] for e in changed.json()["errors"]] == list(body)
    assert Task.objects.get(pk=task["id"]).progress == 10
    # a number as JSON text and a real number still go through
    ok = client.patch(f"/tasks/{task['id']}", {"version": task["version"], "progress": 30})
    assert ok.status_code == 200 and ok.json()["progress"] == 30
