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


PLAYBOOK_REFUSAL = "流程模板是团队内部的方法：合作方联系人无法查看。"


@pytest.mark.parametrize("who", ["partner", "contact"])
def test_a_partner_user_cannot_read_or_copy_the_team_playbooks_through_the_api(api_for, users, campaign, contact, who):
    from campaignflow.campaigns.models import Playbook

    api = api_for(contact if who == "contact" else users["partner"])
    before = (Playbook.objects.count(), AuditEntry.objects.count())
    dates = {"start_date": "2025-07-01", "end_date": "2025-07-31"}
    for response in (
        api.get("/playbooks"),
        api.get("/playbooks/enterprise-campaign"),
        api.get("/playbooks/enterprise-campaign/preview", dates),
        api.post("/playbooks/enterprise-campaign/copy", {"name": "合作方的副本", "key": "partner-copy"}),
        api.post("/playbooks/enterprise-campaign/versions", {"phases": [], "note": "", "version": 1}),
    ):
        assert response.status_code == 403, response.request
        assert response.json()["detail"] == PLAYBOOK_REFUSAL
    assert (Playbook.objects.count(), AuditEntry.objects.count()) == before
    team = api_for(users["member"])
    assert team.get("/playbooks").status_code == 200
    assert (
        team.post("/playbooks/enterprise-campaign/copy", {"name": "团队的副本", "key": "team-copy"}).status_code == 201
    )


@pytest.mark.parametrize("who", ["partner", "contact"])
def test_the_playbook_pages_refuse_a_partner_user_and_are_not_offered(users, campaign, contact, who):
    from campaignflow.campaigns.models import Playbook

    client = logged_in(contact if who == "contact" else users["partner"])
    for url in (
        "/playbooks/",
        "/playbooks/enterprise-campaign/",
        "/campaigns/new/preview/?playbook=enterprise-campaign",
    ):
        assert client.get(url).status_code == 403, url
    before = Playbook.objects.count()
    copy = client.post("/playbooks/enterprise-campaign/copy/", {"name": "合作方的副本", "key": "partner-copy"})
    assert copy.status_code == 403 and Playbook.objects.count() == before
    # not in the menu; the campaign page names its playbook without a link to it
    Campaign.objects.filter(pk=campaign.pk).update(
        playbook_version=Playbook.objects.get(key="enterprise-campaign").latest()
    )
    page = client.get("/campaigns/").content.decode()
    assert 'href="/playbooks/"' not in page
    if who == "partner":
        detail = client.get(f"/campaigns/{campaign.id}/").content.decode()
        assert "/playbooks/enterprise-campaign/" not in detail
        assert Playbook.objects.get(key="enterprise-campaign").name in detail
    team = logged_in(users["member"])
    assert 'href="/playbooks/"' in team.get("/campaigns/").content.decode()
    assert "/playbooks/enterprise-campaign/?v=" in team.get(f"/campaigns/{campaign.id}/").content.decode()
