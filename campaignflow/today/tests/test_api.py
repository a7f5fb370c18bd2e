"""GET /api/v1/me/today: the Today screen's sections as the OpenAPI document says, for the caller only."""

import pytest
from django.utils import timezone

from campaignflow.alerts.models import Alert
from campaignflow.planning.models import Task
from conftest import assert_matches_openapi
from tests.support.list_factories import CASES, count_queries

pytestmark = pytest.mark.django_db


def test_my_today_lists_the_same_sections_as_the_page(live, users, api_for):
    Task.objects.create(
        campaign=live, code="T900", name="投放复盘", owner=users["manager"], end_date=timezone.localdate()
    )
    Alert.objects.create(campaign=live, rule="task_overdue", subject="task:T900", message="T900 已逾期")
    response = api_for(users["manager"]).get("/me/today")
    assert response.status_code == 200
    body = response.json()
    assert_matches_openapi("/api/v1/me/today", body)
    assert body["date"] == timezone.localdate().isoformat()
    assert [t["code"] for t in body["tasks"]] == ["T900"]
    assert [s["written"] for s in body["standups"]] == [False]
    assert [n["channel"] for n in body["numbers"]] == ["抖音", "小红书"]
    assert [a["message"] for a in body["alerts"]] == ["T900 已逾期"]
    assert body["approvals"] == []


def test_an_outsider_gets_an_empty_today_and_anonymous_the_documented_401(live, users, api_for):
    Alert.objects.create(campaign=live, rule="task_overdue", subject="task:x", message="x")
    body = api_for(users["outsider"]).get("/me/today").json()
    assert {k: v for k, v in body.items() if k != "date"} == {
        "tasks": [],
        "standups": [],
        "numbers": [],
        "alerts": [],
        "approvals": [],
    }
    refused = api_for(None).get("/me/today")
    assert refused.status_code == 401
    assert_matches_openapi("/api/v1/me/today", refused.json(), "get", 401)


def test_the_query_count_case_lists_every_item(users):
    """The list-query-count case builds what it says: n campaigns, each with one of every section."""
    from django.test import Client

    from campaignflow.accounts.services import token_create
    from tests.support.list_factories import Env

    case = next(c for c in CASES if c.name == "me/today")
    target = case.build(Env(users["admin"]), 3)
    _token, raw = token_create(user=target.user, name="t")
    body = Client().get("/api/v1/me/today", HTTP_AUTHORIZATION=f"Bearer {raw}").json()
    assert [len(body[k]) for k in ("tasks", "standups", "numbers", "alerts", "approvals")] == [3, 3, 3, 3, 9]
    assert count_queries(case, 2, users["admin"]) == count_queries(case, 5, users["admin"])
