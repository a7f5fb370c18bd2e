"""The team's event pages as a browser posts them: creating an event from the form (errors in the form,
nothing written), the detail (links per channel, the funnel, masked phones for viewers), editing with a stale
version, erasing a person, sending a reminder, and the QR poster."""

from __future__ import annotations

import pytest
from django.core import mail

from campaignflow.events import services
from campaignflow.events.models import Event, Registration, Reminder
from conftest import logged_in

FORM = {"name": "新品发布会", "starts_at": "2025-06-20T14:00", "place": "上海国际会议中心", "channels": "抖音\n小红书",
        "questions": "公司*\n行业: 零售 / 餐饮", "waitlist": "on"}  # fmt: skip


@pytest.fixture
def event(campaign, users):
    event = services.event_create(
        actor=users["owner"], campaign=campaign,
        data={"name": "新品发布会", "starts_at": "2025-06-20T14:00", "channels": ["抖音"]},
    )  # fmt: skip
    services.register(event=event, data={"name": "张三", "phone": "13800138000", "consent": True, "channel": "抖音"})
    return event


def test_a_manager_creates_an_event_from_the_form(campaign, users):
    response = logged_in(users["manager"]).post(f"/campaigns/{campaign.id}/events/", FORM)
    event = Event.objects.get()
    assert response.status_code == 302 and response.url == f"/campaigns/{campaign.id}/events/{event.id}/"
    assert event.channels == ["抖音", "小红书"]
    assert event.questions[0]["required"] is True and event.questions[1]["options"] == ["零售", "餐饮"]
    page = logged_in(users["manager"]).get(response.url).content.decode()
    assert page.count('data-testid="channel-link"') == 3  # direct, 抖音, 小红书
    assert "ch=%E6%8A%96%E9%9F%B3" in page


@pytest.mark.parametrize(("field", "value"), [("starts_at", "明天"), ("name", ""), ("capacity", "0")])
def test_a_bad_event_form_shows_the_error_and_writes_nothing(campaign, users, field, value):
    response = logged_in(users["owner"]).post(f"/campaigns/{campaign.id}/events/", FORM | {field: value})
    assert response.status_code == 422
    assert field in response.context["form"].errors
    assert Event.objects.count() == 0


def test_the_detail_masks_phones_for_viewers_and_shows_them_to_members(campaign, users, event):
    url = f"/campaigns/{campaign.id}/events/{event.id}/"
    assert "13800138000" in logged_in(users["member"]).get(url).content.decode()
    viewer_page = logged_in(users["viewer"]).get(url).content.decode()
    assert "138****8000" in viewer_page and "13800138000" not in viewer_page
    assert 'data-testid="remind-form"' not in viewer_page and 'data-testid="erase"' not in viewer_page
    partner_page = logged_in(users["partner"]).get(url).content.decode()
    assert 'data-testid="export-registrations"' not in partner_page


def test_editing_with_a_stale_version_shows_the_conflict(campaign, users, event):
    url = f"/campaigns/{campaign.id}/events/{event.id}/edit/"
    services.event_update(actor=users["owner"], event=event, version=1, data={"name": "改过的名字"})
    response = logged_in(users["manager"]).post(url, FORM | {"version": "1"})
    assert response.status_code == 409 and response.context["conflict"]
    assert Event.objects.get().name == "改过的名字"


def test_erasing_a_person_from_the_page_keeps_the_count(campaign, users, event):
    registration = Registration.objects.get()
    url = f"/campaigns/{campaign.id}/events/{event.id}/registrations/{registration.id}/erase/"
    assert logged_in(users["owner"]).post(url).status_code == 302
    registration.refresh_from_db()
    assert registration.erased_at and registration.phone == "" and registration.channel == "抖音"
    assert Registration.objects.count() == 1


def test_a_reminder_from_the_page_is_sent_and_listed(campaign, users, event):
    url = f"/campaigns/{campaign.id}/events/{event.id}/"
    response = logged_in(users["owner"]).post(url + "remind/", {"message": "明天见"}, follow=True)
    assert response.status_code == 200
    reminder = Reminder.objects.get()
    assert (reminder.status, reminder.texted) == ("done", 1)
    assert 'data-testid="reminder-list"' in response.content.decode()
    again = logged_in(users["owner"]).post(url + "remind/", {"message": "x" * 301}, follow=True)
    assert Reminder.objects.count() == 1 and "300" in again.content.decode()
    assert not mail.outbox  # nobody gave an e-mail address: text messages only


def test_the_qr_poster_is_an_svg_for_known_channels_only(campaign, users, event):
    client = logged_in(users["viewer"])
    poster = client.get(f"/campaigns/{campaign.id}/events/{event.id}/poster.svg?ch=抖音")
    assert poster.status_code == 200 and poster["Content-Type"].startswith("image/svg+xml")
    assert b"<svg" in poster.content and "新品发布会".encode() in poster.content
    download = client.get(f"/campaigns/{campaign.id}/events/{event.id}/poster.svg?download=1")
    assert download["Content-Disposition"].startswith("attachment")
    assert client.get(f"/campaigns/{campaign.id}/events/{event.id}/poster.svg?ch=微博").status_code == 404


def test_the_registrations_show_fifty_a_page(campaign, users, event):
    for i in range(59):
        services.register(event=event, data={"name": f"报名者{i}", "phone": f"139{i:08d}", "consent": True})
    url = f"/campaigns/{campaign.id}/events/{event.id}/"
    first = logged_in(users["owner"]).get(url).content.decode()
    assert first.count('data-testid="registration-row"') == 50 and 'data-testid="pager"' in first
    assert "1 / 2" in first and "报名者58" in first  # newest first
    second = logged_in(users["owner"]).get(url + "?page=2").content.decode()
    assert second.count('data-testid="registration-row"') == 10 and "张三" in second
    assert logged_in(users["owner"]).get(url + "?page=x").status_code == 200  # a bad page number: the first
