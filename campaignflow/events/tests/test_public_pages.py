"""The public pages as a phone browser uses them: the form, a visit counted once a day, registering, the
e-ticket with its QR code, the calendar entry, and what bots and mistakes get."""

from __future__ import annotations

import time

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone

from campaignflow.events import services
from campaignflow.events.models import Registration, Visit
from campaignflow.events.public_views import FORM_SALT


@pytest.fixture
def event(campaign, users):
    return services.event_create(
        actor=users["owner"],
        campaign=campaign,
        data={"name": "新品发布会", "starts_at": "2025-06-20T14:00", "place": "上海", "channels": ["抖音"],
              "questions": [{"label": "公司", "required": True}]},
    )  # fmt: skip


def form(event, **data):
    stamp = signing.dumps(time.time() - 30, salt=FORM_SALT)  # served half a minute ago
    return {
        "name": "李四",
        "phone": "13912345678",
        "consent": "on",
        "channel": "抖音",
        "t": stamp,
        "q_q1": "某公司",
    } | data


def test_the_form_counts_a_visitor_once_a_day_per_channel(event):
    phone = Client(HTTP_USER_AGENT="Mozilla/5.0 (iPhone) MicroMessenger/8.0")
    page = phone.get(f"/e/{event.slug}/?ch=抖音")
    assert page.status_code == 200
    html = page.content.decode()
    assert "新品发布会" in html and 'name="phone"' in html and 'inputmode="tel"' in html and "抖音" in html
    phone.get(f"/e/{event.slug}/?ch=抖音")
    assert Visit.objects.filter(event=event, channel="抖音").count() == 1
    Client().get(f"/e/{event.slug}/?utm_source=weibo")
    assert Visit.objects.filter(event=event, channel="weibo").count() == 1


def test_registering_leads_to_the_ticket_with_its_qr_code(event):
    phone = Client()
    response = phone.post(f"/e/{event.slug}/", form(event))
    reg = Registration.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/e/{event.slug}/t/{reg.ticket_code}"
    assert (reg.channel, reg.answers) == ("抖音", {"q1": "某公司"})
    ticket = phone.get(response["Location"])
    html = ticket.content.decode()
    assert ticket.status_code == 200 and "<svg" in html and reg.ticket_code in html
    assert "139****5678" in html and "13912345678" not in html
    assert ticket["Cache-Control"] == "private, no-store" and ticket["Referrer-Policy"] == "no-referrer"
    ics = phone.get(f"/e/{event.slug}/t/{reg.ticket_code}/calendar.ics")
    assert ics["Content-Type"].startswith("text/calendar")
    body = ics.content.decode()
    assert "BEGIN:VEVENT" in body and "SUMMARY:新品发布会" in body and reg.ticket_code in body


def test_the_same_phone_comes_back_to_its_ticket(event):
    first = Client().post(f"/e/{event.slug}/", form(event))
    second = Client().post(f"/e/{event.slug}/", form(event, phone="139 1234 5678"))
    assert first["Location"] == second["Location"] and Registration.objects.count() == 1


def test_mistakes_show_on_the_form_and_write_nothing(event):
    response = Client().post(f"/e/{event.slug}/", form(event, phone="123", consent="", q_q1=""))
    html = response.content.decode()
    assert response.status_code == 422
    assert 'data-testid="error-phone"' in html and 'data-testid="error-consent"' in html
    assert 'value="123"' in html  # what was typed stays
    assert Registration.objects.count() == 0


@pytest.mark.parametrize(
    "data",
    [
        {"website": "http://spam.example"},  # the hidden field
        {"t": "now"},  # sent the moment it was served
        {"t": "forged"},
    ],
)
def test_bots_are_turned_away_with_429(event, data):
    if data.get("t") == "now":
        data = {"t": signing.dumps(time.time(), salt=FORM_SALT)}
    response = Client().post(f"/e/{event.slug}/", form(event, **data))
    assert response.status_code == 429 and response["Retry-After"]
    assert Registration.objects.count() == 0


def test_a_closed_registration_says_so(event, users):
    services.event_update(actor=users["owner"], event=event, version=1, data={"closes_at": timezone.now().isoformat()})
    page = Client().get(f"/e/{event.slug}/")
    assert 'data-testid="register-form"' not in page.content.decode()
    response = Client().post(f"/e/{event.slug}/", form(event))
    assert response.status_code == 409 and Registration.objects.count() == 0


def test_unknown_links_are_404(event):
    assert Client().get("/e/nope/").status_code == 404
    assert Client().get(f"/e/{event.slug}/t/AAAAAAAAAAAAAA").status_code == 404


def test_an_erased_ticket_is_gone(event, users):
    Client().post(f"/e/{event.slug}/", form(event))
    reg = Registration.objects.get()
    services.registration_erase(actor=users["owner"], registration=reg)
    assert Client().get(f"/e/{event.slug}/t/{reg.ticket_code}").status_code == 404
