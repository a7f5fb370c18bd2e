"""Issue #10: every GET endpoint that returns a collection answers with as many queries for 12 items as
for 2 (no N+1). The same factories feed `make bench` (bench/bench_lists.py, 10 vs 1,000 items); they
are in tests/support/list_factories.py, with the list of endpoints left out and why."""

import pytest

from campaignflow.accounts.models import Role
from conftest import make_user
from tests.support.list_factories import CASES, LEFT_OUT, count_queries

pytestmark = pytest.mark.django_db

FEW, MORE = 2, 12


@pytest.fixture
def admin(db):
    return make_user("lists-admin", Role.ADMIN)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_query_count_does_not_grow_with_items(case, admin):
    few, more = count_queries(case, FEW, admin), count_queries(case, MORE, admin)
    assert few == more, (
        f"GET {case.route}: {few} queries with {FEW} items, {more} with {MORE} ({case.items}): "
        "a query per item? Load the related rows with select_related/prefetch_related or one query."
    )


def test_every_get_route_has_a_case_or_a_reason():
    """A new GET endpoint needs a case in list_factories.CASES (when it returns a collection) or an
    entry in LEFT_OUT saying why not."""
    from config.api import api

    prefix = "/api/v1"
    routes = {path.removeprefix(prefix) for path, ops in api.get_openapi_schema()["paths"].items() if "get" in ops}
    covered = {c.route for c in CASES}
    assert not covered & set(LEFT_OUT), "a route is both covered and left out"
    assert routes - covered - set(LEFT_OUT) == set(), "GET routes with no query-count case and no reason"
    assert (covered | set(LEFT_OUT)) - routes == set(), "cases or reasons for routes that do not exist"
