"""Execution pages render and their forms write through the services."""

import pytest
from django.test import Client

from campaignflow.execution.models import Issue, Risk, Standup


@pytest.fixture
def client(users):
    c = Client()
    c.force_login(users["owner"])
    return c


@pytest.mark.parametrize("section", ["", "issues/", "risks/", "logs/", "reports/"])
def test_pages_render_for_members_and_hide_from_partners(client, users, campaign, section):
    url = f"/campaigns/{campaign.id}/execution/{section}"
    assert client.get(url).status_code == 200
    partner = Client()
    partner.force_login(users["partner"])
    assert partner.get(url).status_code == 403


def test_forms_write_and_show_errors(client, campaign):
    base = f"/campaigns/{campaign.id}/execution/"
    assert client.post(base, {"date": "2025-06-10", "done": "线下场地布置完成"}).status_code == 302
    assert Standup.objects.get().done == "线下场地布置完成"
    bad = client.post(base, {"date": "2025-06-10", "not_done": "物料未到"})
    assert bad.status_code == 422 and "not_done_reason" in bad.context["form"].errors
    assert (
        client.post(base + "issues/", {"description": "到场率低", "severity": "medium", "owner": ""}).status_code == 302
    )
    issue = Issue.objects.get()
    client.post(
        base + f"issues/{issue.id}/",
        {f"i{issue.id}-version": 1, f"i{issue.id}-status": "in_progress", f"i{issue.id}-solution": ""},
    )
    issue.refresh_from_db()
    assert issue.status == "in_progress" and issue.first_response_at is not None
    client.post(
        base + "risks/",
        {"title": "天气突变", "category": "resource", "likelihood": 3, "impact": 4, "status": "open", "owner": ""},
    )
    assert Risk.objects.get().score == 12
    page = client.get(base + "risks/").content.decode()
    assert "天气突变" in page and "heat-medium" in page
    report = client.post(base + "reports/", {"week_start": "2025-06-09"})
    assert report.status_code == 302
