"""Issue #19: every form and endpoint reads a typed date the same way (core.parsing). A wrong one is a 422
naming the field with the one message "Not a valid date (use YYYY-MM-DD)." whether the API schema or the
service read it; spaces around a date the service reads are ignored; a wrong date and time names its field too. Nothing is written on a refusal."""

import datetime as dt

import pytest

from campaignflow.core.models import AuditEntry

pytestmark = pytest.mark.django_db

DATE_MESSAGE = "日期格式无效（请使用 YYYY-MM-DD）。"  # "Not a valid date (use YYYY-MM-DD)." in Chinese, the default


def _posts(client, campaign):
    """(path, payload without the date, date field) for endpoints that take a typed date."""
    c = campaign.id
    line = client.post(f"/campaigns/{c}/budget-lines", {"category": "channel", "item": "投放", "planned": 100})
    assert line.status_code == 201, line.content
    return {
        "task start": (f"/campaigns/{c}/tasks", {"name": "排期", "end_date": "2025-06-20"}, "start_date"),
        "expense date": (f"/campaigns/{c}/expenses", {"budget_line": line.json()["id"], "amount": 5}, "date"),
        "kpi deadline": (f"/campaigns/{c}/kpis", {"name": "曝光", "metric": "曝光", "target": 100}, "deadline"),
        "campaign start": ("/campaigns", {"name": "新活动", "end_date": "2025-07-31"}, "start_date"),
    }


@pytest.mark.parametrize("kind", ["task start", "expense date", "kpi deadline", "campaign start"])
@pytest.mark.parametrize("bad", ["2025-13-01", "2025/06/01", "6月1日"])
def test_a_wrong_date_is_422_naming_the_field_with_one_message(campaign, users, api_for, kind, bad):
    client = api_for(users["owner"])
    path, payload, field = _posts(client, campaign)[kind]
    before = AuditEntry.objects.count()
    response = client.post(path, {**payload, field: bad})
    assert response.status_code == 422, response.content
    assert {"field": field, "message": DATE_MESSAGE} in response.json()["errors"]
    assert AuditEntry.objects.count() == before


def test_spaces_around_an_expense_date_are_ignored(campaign, users, api_for):
    client = api_for(users["owner"])
    path, payload, field = _posts(client, campaign)["expense date"]
    response = client.post(path, {**payload, field: " 2025-06-05 "})
    assert response.status_code == 201, response.content
    assert response.json()[field] == "2025-06-05"


@pytest.mark.parametrize("bad", ["2025-06-01 25:00", "2025/06/01 09:00", "明天上午"])
def test_a_wrong_log_time_is_422_naming_at(campaign, users, api_for, bad):
    client = api_for(users["owner"])
    response = client.post(f"/campaigns/{campaign.id}/logs", {"event": "直播卡顿", "at": bad})
    assert response.status_code == 422, response.content
    assert response.json()["errors"] == [{"field": "at", "message": "日期时间格式无效（请使用 YYYY-MM-DDTHH:MM）。"}]


def test_a_log_time_with_an_offset_keeps_the_instant(campaign, users, api_for):
    client = api_for(users["owner"])
    response = client.post(f"/campaigns/{campaign.id}/logs", {"event": "开播", "at": "2025-06-01T20:00+08:00"})
    assert response.status_code == 201, response.content
    assert dt.datetime.fromisoformat(response.json()["at"]) == dt.datetime(2025, 6, 1, 12, tzinfo=dt.UTC)
