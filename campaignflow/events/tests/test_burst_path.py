"""The registration path as a burst meets it: through the WSGI application gunicorn runs (the public lane,
core.lanes: its own middleware, the same headers, CSRF, limits and checks), one prepared INSERT that reads
back as the ORM writes rows, the blank form from its cache, and one recount queued per window."""

from __future__ import annotations

import datetime as dt
import io
import json
import time

import pytest
from django.core import signals, signing
from django.core.cache import cache
from django.db import close_old_connections
from django.utils import timezone

from campaignflow.events import jobs, services
from campaignflow.events.models import Registration, Visit
from campaignflow.events.public_views import FORM_SALT
from config.wsgi import application

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The real handler closes the connection around each request; the test's transaction needs it open."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


def wsgi(method: str, path: str, body: bytes = b"", content_type: str = "", address: str = "10.1.2.3", **headers):
    """(status, headers, body) of one request through config.wsgi.application."""
    environ = {
        "REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": "", "SERVER_NAME": "testserver",
        "SERVER_PORT": "80", "HTTP_HOST": "testserver", "REMOTE_ADDR": address, "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": str(len(body)), "wsgi.input": io.BytesIO(body), "wsgi.url_scheme": "http",
        "wsgi.errors": io.StringIO(), "wsgi.multithread": False, "wsgi.multiprocess": True, "wsgi.run_once": False,
        "wsgi.version": (1, 0), **headers,
    }  # fmt: skip
    answer = {}
    content = b"".join(application(environ, lambda status, head, exc=None: answer.update(status=status, head=head)))
    return int(answer["status"][:3]), dict(answer["head"]), content


@pytest.fixture
def event(campaign, users):
    return services.event_create(
        actor=users["owner"], campaign=campaign, data={"name": "新品发布会", "starts_at": "2025-06-20T14:00"}
    )


def post_registration(event, phone: str, address: str = "10.1.2.3"):
    body = json.dumps({"name": "张三", "phone": phone, "consent": True, "channel": "抖音"}).encode()
    path = f"/api/v1/public/events/{event.slug}/registrations"
    return wsgi("POST", path, body, "application/json", address=address)


def test_the_public_lane_registers_with_the_same_security_headers_and_limits(event, settings):
    settings.EVENTS_RATE_PER_IP = "2/60"
    status, headers, body = post_registration(event, "13800138000")
    assert status == 201 and json.loads(body)["status"] == "registered"
    assert headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert (headers["X-Frame-Options"], headers["X-Content-Type-Options"]) == ("DENY", "nosniff")
    assert headers["Referrer-Policy"] == "same-origin" and "Set-Cookie" not in headers
    assert post_registration(event, "13800138000")[0] == 200  # the same phone: its ticket again
    status, headers, _body = post_registration(event, "13800138001")
    assert status == 429 and int(headers["Retry-After"]) > 0
    assert Registration.objects.count() == 1


def test_the_public_lane_answers_bad_input_and_wrong_methods_in_json(event):
    status, _headers, body = post_registration(event, "12345", address="10.9.9.9")
    assert status == 422 and json.loads(body)["errors"][0]["field"] == "phone"
    status, headers, body = wsgi("GET", f"/api/v1/public/events/{event.slug}/registrations")
    assert status == 405 and headers["Content-Type"].startswith("application/json")
    assert Registration.objects.count() == 0


def test_the_public_form_in_the_lane_still_needs_its_csrf_token_and_refuses_bots(event):
    stamp = signing.dumps(time.time() - 30, salt=FORM_SALT)
    form = f"name=a&phone=13912345678&consent=on&t={stamp}".encode()
    status, _headers, _body = wsgi("POST", f"/e/{event.slug}/", form, "application/x-www-form-urlencoded")
    assert status == 403  # no CSRF token
    status, headers, page = wsgi("GET", f"/e/{event.slug}/")
    token = page.decode().split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    cookie = headers["Set-Cookie"].split(";")[0]
    bot = form + f"&website=x&csrfmiddlewaretoken={token}".encode()
    status, headers, _body = wsgi(
        "POST", f"/e/{event.slug}/", bot, "application/x-www-form-urlencoded", HTTP_COOKIE=cookie
    )
    assert status == 429 and headers["Retry-After"] == "5"  # the honeypot
    person = form + f"&csrfmiddlewaretoken={token}".encode()
    status, headers, _body = wsgi(
        "POST", f"/e/{event.slug}/", person, "application/x-www-form-urlencoded", HTTP_COOKIE=cookie
    )
    assert status == 302 and Registration.objects.count() == 1


def test_pages_of_the_team_keep_the_full_stack(event):
    status, headers, _body = wsgi("GET", "/campaigns/")
    assert status == 302 and headers["Location"].startswith("/login/")


def test_each_visitor_gets_own_token_and_channel_in_the_cached_form(event, users, django_capture_on_commit_callbacks):
    first = wsgi("GET", f"/e/{event.slug}/")[2].decode()
    second = wsgi("GET", f"/e/{event.slug}/", QUERY_STRING="ch=%3Cb%3E%E6%8A%96%E9%9F%B3")[2].decode()
    assert 'name="channel" value="直接访问"' in first and 'name="channel" value="&lt;b&gt;抖音"' in second
    token = 'name="csrfmiddlewaretoken" value="'
    assert first.split(token)[1][:20] != second.split(token)[1][:20]
    assert Visit.objects.filter(event=event).count() == 2
    with django_capture_on_commit_callbacks(execute=True):  # a change forgets the cached event at its commit
        services.event_update(actor=users["owner"], event=event, version=event.version, data={"name": "改名的发布会"})
    assert "改名的发布会" in wsgi("GET", f"/e/{event.slug}/")[2].decode()  # a new version: rendered again
    event.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.event_update(
            actor=users["owner"], event=event, version=event.version,
            data={"closes_at": (timezone.now() + dt.timedelta(seconds=1)).isoformat()},
        )  # fmt: skip
    assert 'data-testid="register-form"' in wsgi("GET", f"/e/{event.slug}/")[2].decode()
    time.sleep(1.1)
    assert 'data-testid="register-form"' not in wsgi("GET", f"/e/{event.slug}/")[2].decode()  # closed: no form


def test_a_registration_written_by_one_insert_reads_back_as_the_orm_writes_it(event):
    now = timezone.now()
    registration, created = services.register(
        event=event, data={"name": "王五", "phone": "13700000000", "consent": True, "answers": {}}, now=now
    )
    assert created and registration.pk
    stored = Registration.objects.get(pk=registration.pk)
    assert (stored.name, stored.phone, stored.channel, stored.answers) == ("王五", "13700000000", "直接访问", {})
    assert stored.consented_at == now and abs((stored.created_at - now).total_seconds()) < 5
    assert stored.ticket_code == registration.ticket_code and stored.checked_in_at is None


def test_the_recount_is_queued_once_per_window(event, settings, monkeypatch):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.EVENTS_METRICS_DELAY = 5
    backend = jobs.sync_metrics.get_backend()
    backend.clear()
    jobs._queued_until.clear()
    for _ in range(3):
        jobs.queue_metrics_sync(event.campaign_id)
    assert len(backend.results) == 1
    later = time.monotonic() + 6
    monkeypatch.setattr(jobs.time, "monotonic", lambda: later)
    cache.delete(f"events:sync:{event.campaign_id}")  # the window's mark expired
    jobs.queue_metrics_sync(event.campaign_id)
    assert len(backend.results) == 2
