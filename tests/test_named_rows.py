"""named_rows (the cursor read without Django's converters) returns exactly what values_list does, on
SQLite (with the memoised date converter) and PostgreSQL alike."""

import datetime as dt
import sqlite3

import pytest

from campaignflow.core.named_rows import named_rows
from campaignflow.planning.models import Task, TaskDependency
from campaignflow.planning.selectors import GANTT_FIELDS, LINK_FIELDS, tasks_for
from tests.support.list_factories import Env, plan


@pytest.mark.django_db
def test_named_rows_equal_values_list(users, campaign):
    before = Task.objects.filter(campaign=campaign).count()  # the playbook's own tasks
    plan(Env(users["admin"]), campaign, 12)
    Task.objects.filter(campaign=campaign, code="T0003").update(start_date=None, end_date=None, owner=None)
    qs = tasks_for(users["owner"], campaign)
    expected = list(qs.values_list(*GANTT_FIELDS, named=True))
    rows = named_rows(qs, *GANTT_FIELDS)
    assert len(rows) == before + 12
    assert rows == expected
    assert [r._fields for r in rows[:1]] == [tuple(GANTT_FIELDS)]
    first = rows[0]
    assert isinstance(first.start_date, dt.date) and isinstance(first.milestone, bool)
    assert first.owner__display_name == expected[0].owner__display_name
    unscheduled = next(r for r in rows if r.code == "T0003")
    assert unscheduled.start_date is None and unscheduled.owner__username is None

    links = TaskDependency.objects.filter(campaign=campaign)
    assert named_rows(links, *LINK_FIELDS) == list(links.values_list(*LINK_FIELDS, named=True))
    assert any(r.workdays is True for r in named_rows(links, *LINK_FIELDS))


def test_memoised_sqlite_date_converter_parses_like_django():
    from django.db import connection

    from campaignflow.core.sqlite_dates import _date

    # installed when the database is SQLite (the PostgreSQL driver returns dates itself)
    assert (sqlite3.converters.get("DATE") is _date) == (connection.vendor == "sqlite")
    assert _date(b"2025-06-01") == dt.date(2025, 6, 1)
    assert _date(b"2025-06-01") is _date(b"2025-06-01")  # memoised: the same immutable object
