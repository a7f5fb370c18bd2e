"""deactivate(): the account inactive, its sessions ended, API and calendar-feed tokens revoked, history kept."""

import pytest
from django.test import Client

from campaignflow.accounts.models import ApiToken
from campaignflow.core.models import AuditEntry
from campaignflow.planning.models import CalendarFeed
from campaignflow.planning.services import calendar_feed_create
from campaignflow.signin.leavers import deactivate
from conftest import ApiClient, logged_in

pytestmark = pytest.mark.django_db


def test_deactivate_ends_sessions_and_revokes_tokens_keeping_history(users, campaign):
    leaver = users["owner"]
    other = users["member"]
    browser, second_browser, others_browser = logged_in(leaver), logged_in(leaver), logged_in(other)
    api, others_api = ApiClient(leaver), ApiClient(other)
    raw_feed = calendar_feed_create(actor=leaver)
    assert browser.get("/campaigns/").status_code == 200
    assert api.get("/me").status_code == 200
    assert feed_status(raw_feed) == 200
    history = AuditEntry.objects.filter(actor=leaver).count()

    done = deactivate(leaver, source="ldap", reason="gone from the directory")

    assert done == {"sessions": 2, "api_tokens": 1, "calendar_feeds": 1}
    leaver.refresh_from_db()
    assert not leaver.is_active
    response = browser.get("/campaigns/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert second_browser.get("/api/v1/me").status_code == 401
    assert api.get("/me").status_code == 401
    assert feed_status(raw_feed) == 404
    assert ApiToken.objects.get(user=leaver).revoked_at is not None
    assert CalendarFeed.objects.get(user=leaver).revoked_at is not None
    # others untouched, history and authorship kept
    assert others_browser.get("/campaigns/").status_code == 200 and others_api.get("/me").status_code == 200
    campaign.refresh_from_db()
    assert campaign.owner_id == leaver.pk
    assert AuditEntry.objects.filter(actor=leaver).count() == history
    entry = AuditEntry.objects.get(action="deactivate")
    assert entry.object_id == str(leaver.pk) and entry.before == {"is_active": True}
    assert entry.after == {"is_active": False, "source": "ldap", "reason": "gone from the directory", **done}


def feed_status(raw: str) -> int:
    return Client().get(f"/api/v1/calendar/{raw}.ics").status_code


def test_deactivating_twice_writes_one_entry(users):
    deactivate(users["member"], source="admin", reason="left")
    assert deactivate(users["member"], source="admin", reason="left") == {
        "sessions": 0,
        "api_tokens": 0,
        "calendar_feeds": 0,
    }
    assert AuditEntry.objects.filter(action="deactivate").count() == 1


def test_an_inactive_user_with_a_live_session_is_sent_to_log_in(users):
    """Even a session the sweep did not see (another engine): an inactive account's session does not load."""
    browser = logged_in(users["member"])
    type(users["member"]).objects.filter(pk=users["member"].pk).update(is_active=False)
    response = browser.get("/campaigns/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert browser.get("/api/v1/me").status_code == 401
