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


def test_a_risk_is_rated_again_and_closed_on_its_page_and_leaves_the_heat_map(client, users, campaign):
    from campaignflow.core.models import AuditEntry

    risk = Risk.objects.create(campaign=campaign, code="R001", title="天气突变", likelihood=4, impact=5)
    base = f"/campaigns/{campaign.id}/execution/risks/"
    assert f'href="{base}{risk.id}/"' in client.get(base).content.decode()  # the register links each risk
    page = client.get(f"{base}{risk.id}/").content.decode()
    assert 'value="天气突变"' in page and '<option value="4" selected>' in page
    edit = {"title": "天气突变（暴雨）", "category": "resource", "likelihood": 2, "impact": 5, "status": "monitoring",
            "mitigation": "备好室内场地", "owner": "member1", "version": 1}  # fmt: skip
    assert client.post(f"{base}{risk.id}/", edit).status_code == 302
    risk.refresh_from_db()
    assert (risk.title, risk.score, risk.status, risk.owner.username, risk.version) == (
        "天气突变（暴雨）",
        10,
        "monitoring",
        "member1",
        2,
    )
    entry = AuditEntry.objects.filter(object_id=str(risk.pk)).latest("id")
    assert entry.before["likelihood"] == 4 and entry.after["likelihood"] == 2
    # a stale page: the conflict and a reload link, nothing written; a rating out of 1–5: said on its field
    stale = client.post(f"{base}{risk.id}/", edit | {"status": "closed", "version": 1})
    assert stale.status_code == 422 and 'data-testid="conflict"' in stale.content.decode()
    bad = client.post(f"{base}{risk.id}/", edit | {"likelihood": 9, "version": 2})
    assert bad.status_code == 422 and "likelihood" in bad.context["form"].errors
    assert Risk.objects.get().status == "monitoring"
    # closed, it leaves the heat map (the register still lists it)
    assert client.post(f"{base}{risk.id}/", edit | {"status": "closed", "version": 2}).status_code == 302
    register = client.get(base)
    assert "天气突变（暴雨）" in register.content.decode()
    assert all(not cell["count"] for row in register.context["heat"] for cell in row["cells"])


def test_a_viewer_reads_a_risk_and_may_not_change_it(campaign, users):
    risk = Risk.objects.create(campaign=campaign, code="R001", title="天气突变")
    viewer = Client()
    viewer.force_login(users["viewer"])
    url = f"/campaigns/{campaign.id}/execution/risks/{risk.id}/"
    page = viewer.get(url)
    card = page.content.decode().split('data-testid="risk-edit"')[1].split("</section>")[0]
    assert page.status_code == 200 and 'type="submit"' not in card and "天气突变" in card
    assert viewer.post(url, {"title": "改", "category": "other", "likelihood": 1, "impact": 1, "status": "closed",
                             "version": 1}).status_code == 403  # fmt: skip
    assert Risk.objects.get().status == "open"
