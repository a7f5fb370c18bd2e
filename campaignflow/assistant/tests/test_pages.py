"""The assistant in the pages: hidden without AI_*, offered in the weekly report editor, the alert's resolve
form and the retrospective; the admin page tests the connection and never shows the key."""

import datetime as dt
import re

from campaignflow.alerts.models import Alert
from campaignflow.execution.models import WeeklyReport
from conftest import logged_in


def _pages(campaign):
    report = WeeklyReport.objects.create(campaign=campaign, week_start=dt.date(2025, 6, 9))
    Alert.objects.create(campaign=campaign, rule="deviation", subject="点击", message="点击低于计划")
    return [
        f"/campaigns/{campaign.pk}/execution/reports/{report.pk}/",
        f"/campaigns/{campaign.pk}/alerts/",
        f"/campaigns/{campaign.pk}/review/",
    ]


def test_nothing_shows_without_configuration(campaign, users, settings):
    settings.AI_BASE_URL = settings.AI_MODEL = ""
    client = logged_in(users["owner"])
    for url in _pages(campaign):
        page = client.get(url)
        assert page.status_code == 200 and b"data-assist" not in page.content, url


def test_offered_when_configured(campaign, users, fake_ai):
    client = logged_in(users["owner"])
    for url in _pages(campaign):
        page = client.get(url).content.decode()
        assert 'data-testid="assist-run"' in page and "生成草稿" in page, url
        # the form's fields as JSON inside the attribute (quotes escaped, or the attribute ends at "{")
        assert re.search(r'data-fields="\{&quot;\w+&quot;: &quot;', page), url


def test_admin_page_tests_the_connection_without_showing_the_key(users, fake_ai):
    client = logged_in(users["admin"])
    page = client.get("/admin-tools/assistant/").content.decode()
    assert fake_ai.base_url in page and "sk-test-secret" not in page
    result = client.post("/admin-tools/assistant/").content.decode()
    assert "1" in result and 'data-testid="assistant-result"' in result and "sk-test-secret" not in result
    assert fake_ai.requests[-1]["path"] == "/v1/models"


def test_admin_page_is_for_admins(users, fake_ai):
    assert logged_in(users["owner"]).get("/admin-tools/assistant/").status_code == 403
