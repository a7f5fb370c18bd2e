"""Registrations at the same moment (issue #21 "Scale": 0 lost, 0 duplicated under 64 concurrent clients).

Real threads, each with its own database connection, call services.register together (a barrier lets
them go at once) against committed data (transactional_db): on SQLite (IMMEDIATE transactions, WAL, a
busy timeout: config/settings.py) and on PostgreSQL (the CI's second run). The tests' task backend is
the immediate one, so every registration also recounts the metrics 报名 at once: the worst case for
the counting, which must neither fail a registration nor count one twice.

On SQLite the threads work on a file copy of the tests' database (tests.support.database_file says why)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.utils import timezone

from campaignflow.campaigns.services import campaign_create
from campaignflow.core.errors import Conflict
from campaignflow.events.metrics import REGISTRATIONS
from campaignflow.events.models import Event, Registration, RegistrationStatus
from campaignflow.events.services import register
from campaignflow.tracking.models import MetricRow

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 64
CAPACITY = 10


@pytest.fixture
def new_event(users, database_file):
    """new_event(**fields) → a committed event open for registration, of a campaign of its own."""

    def make(**fields) -> Event:
        campaign, _warnings = campaign_create(
            actor=users["owner"], data={"name": "并发报名", "start_date": "2025-06-01", "end_date": "2025-06-30"}
        )
        return Event.objects.create(
            campaign=campaign, name="新品发布会", slug=f"race{campaign.pk}", starts_at=timezone.now(),
            consent_text="同意", **fields,
        )  # fmt: skip

    return make


def register_at_once(event: Event, phones: list[str]) -> list[Registration | Conflict]:
    """Register every phone from a thread of its own, all released together; each thread's registration,
    or the Conflict it was refused with."""
    barrier = threading.Barrier(len(phones))

    def one(phone: str) -> Registration | Conflict:
        try:
            own = Event.objects.get(pk=event.pk)  # each thread reads the event on its own connection
            barrier.wait(timeout=30)
            registration, _created = register(event=own, data={"name": "张三", "phone": phone, "consent": True})
            return registration
        except Conflict as exc:
            return exc
        finally:
            connection.close()

    with ThreadPoolExecutor(len(phones)) as pool:
        return list(pool.map(one, phones))


def phones(n: int) -> list[str]:
    return [f"139{i:08d}" for i in range(n)]


def sixty_four_people_get_64_registrations_with_distinct_tickets(event: Event):
    results = register_at_once(event, phones(THREADS))
    assert all(isinstance(r, Registration) for r in results), results
    rows = Registration.objects.filter(event=event)
    assert rows.count() == THREADS
    assert len(set(rows.values_list("ticket_code", flat=True))) == THREADS
    assert {r.ticket_code for r in results} == set(rows.values_list("ticket_code", flat=True))
    counted = MetricRow.objects.filter(campaign=event.campaign, metric=REGISTRATIONS)
    assert sum(row.value for row in counted) == THREADS  # the last recount saw every registration


def the_same_phone_from_16_threads_is_one_registration(event: Event):
    results = register_at_once(event, ["13800138000"] * 16)
    assert Registration.objects.filter(event=event).count() == 1
    ticket = Registration.objects.get(event=event).ticket_code
    assert [r.ticket_code for r in results] == [ticket] * 16


def the_last_seats_go_to_10_and_the_rest_wait(event: Event):
    results = register_at_once(event, phones(THREADS))
    assert all(isinstance(r, Registration) for r in results), results
    statuses = list(Registration.objects.filter(event=event).values_list("status", flat=True))
    assert statuses.count(RegistrationStatus.REGISTERED) == CAPACITY
    assert statuses.count(RegistrationStatus.WAITLISTED) == THREADS - CAPACITY


def without_a_waiting_list_10_register_and_the_others_are_refused(event: Event):
    results = register_at_once(event, phones(THREADS))
    refused = [r for r in results if isinstance(r, Conflict)]
    assert len(refused) == THREADS - CAPACITY
    assert all(r.status == 409 for r in refused)
    assert Registration.objects.filter(event=event).count() == CAPACITY
    assert Registration.objects.filter(event=event, status=RegistrationStatus.REGISTERED).count() == CAPACITY


CASES = [  # (the case, the event's fields)
    (sixty_four_people_get_64_registrations_with_distinct_tickets, {}),
    (the_same_phone_from_16_threads_is_one_registration, {}),
    (the_last_seats_go_to_10_and_the_rest_wait, {"capacity": CAPACITY, "waitlist": True}),
    (without_a_waiting_list_10_register_and_the_others_are_refused, {"capacity": CAPACITY, "waitlist": False}),
]


def test_registrations_at_the_same_moment(new_event, subtests):
    """The cases as subtests of one test, each with an event of its own: one emptying of the database
    afterwards instead of four (seconds each on PostgreSQL)."""
    for case, fields in CASES:
        with subtests.test(case.__name__):
            case(new_event(**fields))
