"""What a partner user (a partner company's contact, or a partner member of a campaign) may not do: start a
campaign (and so become its owner and pick owners from the team), read the team's user directory, or follow a tab
to a section internal to the team. The rule of who creates campaigns is `access.may_create_campaigns`, used by
the API, the pages and the services alike."""

import pytest

from campaignflow.budgets.models import Partner, PartnerContact
from campaignflow.campaigns.models import Campaign
from campaignflow.core.models import AuditEntry
from conftest import logged_in, make_user

pytestmark = pytest.mark.django_db

NEW = {"name": "合作方自建活动", "start_date": "2025-07-01", "end_date": "2025-07-31"}


@pytest.fixture
def contact(db):
    """A partner company's contact who is a member of no campaign yet (the demo's `partner` before sharing)."""
    user = make_user("contact1")
    PartnerContact.objects.create(user=user, partner=Partner.objects.create(name="健康科技"))
    return user


@pytest.mark.parametrize("who", ["partner", "contact"])
def test_a_partner_user_cannot_create_a_campaign_through_the_api(api_for, users, campaign, contact, who):
    api = api_for(contact if who == "contact" else users["partner"])  # partner1: a partner member of `campaign`
    before = (Campaign.objects.count(), AuditEntry.objects.count())
    response = api.post("/campaigns", NEW)
    assert response.status_code == 403
    assert response.json()["detail"] == "合作方联系人不能新建活动。"
    assert (Campaign.objects.count(), AuditEntry.objects.count()) == before
    assert api_for(users["member"]).post("/campaigns", NEW).status_code == 201  # the team still may


@pytest.mark.parametrize("who", ["partner", "contact"])
def test_the_new_campaign_page_refuses_a_partner_user_and_is_not_offered(users, campaign, contact, who):
    client = logged_in(contact if who == "contact" else users["partner"])
    page = client.get("/campaigns/new/")
    assert page.status_code == 403
    assert "owner1" not in page.content.decode() and "outsider1" not in page.content.decode()
    assert client.post("/campaigns/new/", {**NEW, "owner": "partner1"}).status_code == 403
    assert not Campaign.objects.filter(name=NEW["name"]).exists()
    assert 'data-testid="new-campaign"' not in client.get("/campaigns/").content.decode()
    assert "/campaigns/new/" not in client.get("/playbooks/enterprise-campaign/").content.decode()
    team = logged_in(users["member"])
    assert 'data-testid="new-campaign"' in team.get("/campaigns/").content.decode()
    assert (
        "/campaigns/new/?playbook=enterprise-campaign" in team.get("/playbooks/enterprise-campaign/").content.decode()
    )
    assert team.get("/campaigns/new/").status_code == 200


@pytest.mark.parametrize("who", ["partner", "contact"])
def test_a_partner_user_cannot_read_the_user_directory(api_for, users, campaign, contact, who):
    api = api_for(contact if who == "contact" else users["partner"])
    for params in (None, {"q": ""}, {"q": "own"}, {"q": "a"}):
        response = api.get("/users", params)
        assert response.status_code == 403, params
        assert response.json()["detail"] == "合作方联系人不能查询团队的用户。"
        assert "owner1" not in response.content.decode()
    # the people of a campaign shared with them stay visible where the product shows them
    members = api_for(users["partner"]).get(f"/campaigns/{campaign.id}/members")
    assert members.status_code == 200 and "owner1" in members.content.decode()


def test_a_partner_gets_no_tab_to_the_team_only_sections(users, campaign):
    base = f"/campaigns/{campaign.id}"
    partner = logged_in(users["partner"]).get(f"{base}/").content.decode()
    for section in ("execution", "alerts", "review"):
        assert f'href="{base}/{section}/"' not in partner, section
        assert logged_in(users["partner"]).get(f"{base}/{section}/").status_code == 403
    assert logged_in(users["partner"]).get(f"{base}/execution/numbers-reminder/").status_code == 403
    viewer = logged_in(users["viewer"]).get(f"{base}/").content.decode()
    assert all(f'href="{base}/{section}/"' in viewer for section in ("execution", "alerts", "review"))
