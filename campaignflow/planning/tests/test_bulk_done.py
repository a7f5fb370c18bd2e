"""Bulk "mark done" records each task's real finish date, not today's date for every task (issue 19)."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from campaignflow.planning.models import Task

pytestmark = pytest.mark.django_db


@pytest.fixture
def four(campaign):
    """T001 in progress since 10 days, T002 not started, T003 done 15 days ago, T004 started 3 days ago."""
    today = timezone.localdate()
    days = lambda n: today - dt.timedelta(days=n)  # noqa: E731
    Task.objects.filter(campaign=campaign).exclude(code__in=["T001", "T002", "T003", "T004"]).delete()
    Task.objects.filter(campaign=campaign).update(status="not_started", actual_start=None, actual_finish=None)
    Task.objects.filter(campaign=campaign, code="T001").update(status="in_progress", actual_start=days(10))
    Task.objects.filter(campaign=campaign, code="T003").update(
        status="done", progress=100, actual_start=days(20), actual_finish=days(15)
    )
    Task.objects.filter(campaign=campaign, code="T004").update(status="in_progress", actual_start=days(3))
    return {t.code: t for t in Task.objects.filter(campaign=campaign)}, days


def _items(tasks):
    return [{"id": t.pk, "version": t.version} for t in tasks.values()]


def _dates(campaign):
    return {t.code: (t.status, t.actual_start, t.actual_finish) for t in Task.objects.filter(campaign=campaign)}


def test_bulk_done_with_a_date_records_each_tasks_finish(api_for, users, campaign, four):
    tasks, days = four
    r = api_for(users["owner"]).post(
        f"/campaigns/{campaign.id}/tasks/bulk",
        {"tasks": _items(tasks), "status": "done", "actual_finish": days(5).isoformat()},
    )
    assert r.status_code == 200, r.content
    rows = _dates(campaign)
    assert rows["T001"] == ("done", days(10), days(5))  # the date given
    assert rows["T002"] == ("done", days(5), days(5))  # no recorded start: it started on that day at the latest
    assert rows["T003"] == ("done", days(20), days(15))  # already done: keeps its recorded finish
    assert rows["T004"] == ("done", days(3), days(3))  # never before its actual start
    out = {t["code"]: t for t in r.json()}
    assert out["T001"]["actual_finish"] == days(5).isoformat()


def test_bulk_done_without_a_date_means_today(api_for, users, campaign, four):
    tasks, days = four
    r = api_for(users["owner"]).post(f"/campaigns/{campaign.id}/tasks/bulk", {"tasks": _items(tasks), "status": "done"})
    assert r.status_code == 200, r.content
    rows = _dates(campaign)
    assert rows["T001"][2] == days(0) and rows["T003"][2] == days(15)


@pytest.mark.parametrize("value", ["2030-13-01", "tomorrow", "future"])
def test_bulk_done_refuses_a_bad_or_future_date(api_for, users, campaign, four, value):
    tasks, days = four
    if value == "future":
        value = (days(0) + dt.timedelta(days=1)).isoformat()
    r = api_for(users["owner"]).post(
        f"/campaigns/{campaign.id}/tasks/bulk", {"tasks": _items(tasks), "status": "done", "actual_finish": value}
    )
    assert r.status_code == 422 and "actual_finish" in r.json()["detail"]
    assert _dates(campaign)["T001"][0] == "in_progress"  # nothing written


def test_bulk_form_takes_the_finish_date(users, campaign, four):
    tasks, days = four
    client = Client()
    client.force_login(users["owner"])
    r = client.post(
        f"/campaigns/{campaign.id}/plan/bulk/",
        {"task": [f"{t.pk}:{t.version}" for t in tasks.values()], "status": "done", "actual_finish": days(4)},
    )
    assert r.status_code == 302
    rows = _dates(campaign)
    assert rows["T001"][2] == days(4) and rows["T002"][2] == days(4) and rows["T003"][2] == days(15)
    assert rows["T004"][2] == days(3)
