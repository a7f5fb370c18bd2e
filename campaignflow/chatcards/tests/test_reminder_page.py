"""The campaign's reminder setting page: members set it (versioned, audited), a bad time is named in the form, a
stale version is a conflict, viewers only see it."""

import pytest

from campaignflow.chatcards.models import NumbersReminder
from campaignflow.core.models import AuditEntry
from conftest import logged_in

pytestmark = pytest.mark.django_db


def url(campaign) -> str:
    return f"/campaigns/{campaign.pk}/execution/numbers-reminder/"


def test_a_member_sets_the_time_and_switches_it_off(campaign, users):
    client = logged_in(users["member"])
    page = client.get(url(campaign))
    assert page.status_code == 200 and 'value="10:00"' in page.content.decode()
    assert client.post(url(campaign), {"enabled": "on", "remind_at": "17:30", "version": 1}).status_code == 302
    saved = NumbersReminder.objects.get(campaign=campaign)
    assert (saved.enabled, saved.remind_at.strftime("%H:%M"), saved.version) == (True, "17:30", 1)
    assert client.post(url(campaign), {"remind_at": "17:30", "version": 1}).status_code == 302
    saved.refresh_from_db()
    assert (saved.enabled, saved.version) == (False, 2)
    assert AuditEntry.objects.filter(object_type__endswith="numbersreminder").count() == 2


def test_a_bad_time_is_named_and_nothing_is_written(campaign, users):
    answer = logged_in(users["member"]).post(url(campaign), {"enabled": "on", "remind_at": "25点", "version": 1})
    assert answer.status_code == 422 and "HH:MM" in answer.content.decode()
    assert not NumbersReminder.objects.exists()


def test_a_stale_version_is_a_conflict(campaign, users):
    client = logged_in(users["member"])
    client.post(url(campaign), {"enabled": "on", "remind_at": "09:00", "version": 1})
    client.post(url(campaign), {"enabled": "on", "remind_at": "09:30", "version": 1})
    stale = client.post(url(campaign), {"enabled": "on", "remind_at": "11:00", "version": 1})
    assert stale.status_code == 409 and 'data-testid="conflict"' in stale.content.decode()
    assert NumbersReminder.objects.get().remind_at.strftime("%H:%M") == "09:30"


def test_a_viewer_sees_it_but_cannot_change_it(campaign, users):
    client = logged_in(users["viewer"])
    assert client.get(url(campaign)).status_code == 200
    assert client.post(url(campaign), {"remind_at": "08:00", "version": 1}).status_code == 403
    assert not NumbersReminder.objects.exists()
