"""Service edge cases: ownership hand-over, no-op updates, NUL characters in web forms."""

from django.test import Client

from campaignflow.campaigns import services
from campaignflow.campaigns.models import Campaign, MemberRole, Membership
from campaignflow.core.models import AuditEntry


def test_removing_the_named_owner_hands_ownership_to_another_owner(users, campaign):
    services.member_change_role(
        actor=users["owner"],
        campaign=campaign,
        membership_id=Membership.objects.get(campaign=campaign, user=users["manager"]).id,
        role=MemberRole.OWNER,
    )
    owner_membership = Membership.objects.get(campaign=campaign, user=users["owner"])
    services.member_remove(
        actor=users["manager"], campaign=Campaign.objects.get(pk=campaign.pk), membership_id=owner_membership.id
    )
    assert Campaign.objects.get(pk=campaign.pk).owner == users["manager"]


def test_patch_without_changes_writes_nothing(users, campaign, api_for):
    api = api_for(users["owner"])
    before = AuditEntry.objects.count()
    response = api.patch(f"/campaigns/{campaign.id}", {"version": campaign.version, "name": campaign.name})
    assert response.status_code == 200 and response.json()["version"] == campaign.version
    assert AuditEntry.objects.count() == before
    stale = api.patch(f"/campaigns/{campaign.id}", {"version": campaign.version + 5, "name": campaign.name})
    assert stale.status_code == 409


def test_nul_characters_in_web_forms_are_refused(users, campaign):
    client = Client()
    client.force_login(users["owner"])
    task = campaign.tasks.first()
    response = client.post(f"/tasks/{task.id}/quick/", {"owner": "owner1\x00", "version": task.version})
    assert response.status_code == 400
    assert client.get("/campaigns/", {"q": "a\x00b"}).status_code == 400
