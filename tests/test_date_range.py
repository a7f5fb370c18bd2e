"""Issue #19's loose end: the years a date may fall in (2000–2100) are said once (core.domain.dates) and
core.parsing.date_input enforces them, so every date field refuses a far-off year with the one message, naming
the field, and writes nothing; the first and last days of the range are taken."""

import datetime as dt

import pytest
from django.utils import translation

from campaignflow.core.domain import dates
from campaignflow.core.errors import InvalidInput
from campaignflow.core.models import AuditEntry
from campaignflow.core.parsing import date_input
from campaignflow.tracking.domain.parsers import parse_csv, parse_date

RANGE_MESSAGE = "日期须在 2000 年至 2100 年之间。"  # "The date must be between 2000 and 2100." in Chinese


def _posts(client, campaign):
    """(path, payload without the date, date field, the field that must not be before it) per endpoint."""
    c = campaign.id
    line = client.post(f"/campaigns/{c}/budget-lines", {"category": "channel", "item": "投放", "planned": 100})
    assert line.status_code == 201, line.content
    return {
        "task start": (f"/campaigns/{c}/tasks", {"name": "排期"}, "start_date", "end_date"),
        "task end": (f"/campaigns/{c}/tasks", {"name": "排期"}, "end_date", None),
        "expense date": (f"/campaigns/{c}/expenses", {"budget_line": line.json()["id"], "amount": 5}, "date", None),
        "kpi deadline": (f"/campaigns/{c}/kpis", {"name": "曝光", "metric": "曝光", "target": 100}, "deadline", None),
        "campaign start": ("/campaigns", {"name": "新活动"}, "start_date", "end_date"),
        "campaign end": ("/campaigns", {"name": "新活动", "start_date": "2025-06-01"}, "end_date", None),
    }


KINDS = ["task start", "task end", "expense date", "kpi deadline", "campaign start", "campaign end"]


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("far", ["1999-12-31", "2101-01-01", "0001-01-01", "9999-12-31"])
def test_a_year_outside_2000_to_2100_is_422_naming_the_field(campaign, users, api_for, kind, far):
    client = api_for(users["owner"])
    path, payload, field, later = _posts(client, campaign)[kind]
    if later:
        payload = {**payload, later: "2025-07-31"}
    before = AuditEntry.objects.count()
    response = client.post(path, {**payload, field: far})
    assert response.status_code == 422, response.content
    assert {"field": field, "message": RANGE_MESSAGE} in response.json()["errors"]
    assert AuditEntry.objects.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("edge", ["2000-01-01", "2100-12-31"])
def test_the_first_and_last_day_of_the_range_are_taken(campaign, users, api_for, kind, edge):
    client = api_for(users["owner"])
    path, payload, field, later = _posts(client, campaign)[kind]
    if later:
        payload = {**payload, later: edge}
    if kind == "campaign end":
        payload = {**payload, "start_date": "2000-01-01"}
    response = client.post(path, {**payload, field: edge})
    assert response.status_code == 201, response.content
    assert response.json()[field] == edge


@pytest.mark.django_db
def test_a_changed_date_is_held_to_the_range_too(campaign, users, api_for):
    client = api_for(users["owner"])
    task = client.post(f"/campaigns/{campaign.id}/tasks", {"name": "排期", "start_date": "2025-06-01"}).json()
    response = client.patch(f"/tasks/{task['id']}", {"version": task["version"], "start_date": "2101-01-01"})
    assert response.status_code == 422, response.content
    assert response.json()["errors"] == [{"field": "start_date", "message": RANGE_MESSAGE}]


@translation.override("en")
def test_date_input_and_the_metric_parser_read_the_one_range():
    assert (dates.FIRST_YEAR, dates.LAST_YEAR) == (2000, 2100)
    assert dates.in_range(dt.date(2000, 1, 1)) and dates.in_range(dt.datetime(2100, 12, 31, 23, 59))
    assert not dates.in_range(dt.date(1999, 12, 31)) and not dates.in_range(dt.date(2101, 1, 1))
    assert date_input("2000-01-01", "d") == dates.FIRST_DAY and date_input("2100-12-31", "d") == dates.LAST_DAY
    assert date_input("", "d") is None  # empty stays empty
    errors: dict = {}
    assert date_input("1999-12-31", "d", errors) is None
    assert errors == {"d": "The date must be between 2000 and 2100."}
    with pytest.raises(InvalidInput) as refused:
        date_input(dt.date(2101, 1, 1), "when")
    assert refused.value.errors == [{"field": "when", "message": "The date must be between 2000 and 2100."}]
    assert parse_date("2100-12-31") == dates.LAST_DAY
    with pytest.raises(ValueError, match="range"):
        parse_date("2101-01-01")
    result = parse_csv("日期,指标,数值\n1999-12-31,曝光,1\n".encode())
    assert [(e["field"], e["code"], e["message"]) for e in result.errors] == [
        ("rows[0].date", "date_range", "date must be between 2000 and 2100")
    ]
