"""The error paths of the campaign and playbook pages: the service's refusal shows where the user reads it
(on the form's field, as the conflict, or as a message after a button) and nothing is written."""

import pytest

from campaignflow.campaigns.models import Campaign, Membership, Playbook
from conftest import logged_in as client_for
from tests.support.pages import last_message, zh

pytestmark = pytest.mark.django_db


def edit_data(campaign, **changes) -> dict:
    """The edit form of the `campaign` fixture as posted unchanged (at its version), with `changes`."""
    data = {
        "name": campaign.name,
        "type": campaign.type,
        "start_date": "2025-06-01",
        "end_date": "2025-06-30",
        "budget_total": "500000",
        "owner": "owner1",
        "version": campaign.version,
    }
    return data | changes


def test_an_edit_the_service_refuses_shows_on_the_field_and_writes_nothing(users, campaign):
    response = client_for(users["owner"]).post(
        f"/campaigns/{campaign.id}/edit/", edit_data(campaign, name="改名", end_date="2025-05-01")
    )
    assert response.status_code == 200 and "end_date" in response.context["form"].errors
    assert not response.context["conflict"]
    campaign.refresh_from_db()
    assert (campaign.name, campaign.version) == ("2024年夏季新品促销", 1)


def test_a_stale_edit_shows_the_conflict_with_its_reload_link(users, campaign):
    response = client_for(users["owner"]).post(f"/campaigns/{campaign.id}/edit/", edit_data(campaign, version=7))
    assert response.status_code == 200 and 'data-testid="conflict"' in response.content.decode()
    assert Campaign.objects.get(pk=campaign.pk).version == 1


def test_a_create_the_service_refuses_shows_on_the_field(users, playbooks):
    response = client_for(users["owner"]).post(
        "/campaigns/new/",
        {"name": "新活动", "start_date": "2025-06-01", "end_date": "2025-06-30", "type": "general", "owner": ""}
        | {"budget_total": "1.234"},
    )
    assert response.status_code == 200 and "budget_total" in response.context["form"].errors
    assert not Campaign.objects.filter(name="新活动").exists()


def test_an_unmet_gate_is_a_message_naming_the_conditions(users, campaign):
    response = client_for(users["owner"]).post(f"/campaigns/{campaign.id}/transition/", {"to": "planning"})
    assert response.status_code == 302
    message = last_message(response)
    assert message.startswith(zh("Cannot move yet: %(unmet)s", unmet="")) and "KPI" in message
    assert Campaign.objects.get(pk=campaign.pk).status == "preparing"


def test_a_move_the_lifecycle_does_not_allow_is_a_message(users, campaign):
    response = client_for(users["owner"]).post(f"/campaigns/{campaign.id}/transition/", {"to": "closed"})
    assert response.status_code == 302 and last_message(response)
    assert Campaign.objects.get(pk=campaign.pk).status == "preparing"


def test_only_an_admin_restores_a_campaign_and_only_a_deleted_one(users, campaign):
    owner = client_for(users["owner"])
    owner.post(f"/campaigns/{campaign.id}/delete/")
    assert owner.post(f"/campaigns/{campaign.id}/restore/").status_code == 404  # hidden once deleted
    assert Campaign.objects.get(pk=campaign.pk).deleted_at is not None
    admin = client_for(users["admin"])
    assert admin.post(f"/campaigns/{campaign.id}/restore/").status_code == 302
    again = admin.post(f"/campaigns/{campaign.id}/restore/")
    assert last_message(again) == zh("This campaign is not deleted.")


def test_adding_a_member_without_a_user_is_a_message_and_writes_nothing(users, campaign):
    response = client_for(users["owner"]).post(f"/campaigns/{campaign.id}/members/", {"role": "member"})
    assert last_message(response) == zh("Choose a user who is not a member yet, and a role.")
    assert not Membership.objects.filter(campaign=campaign, user=users["outsider"]).exists()


def test_member_changes_the_service_refuses_are_messages(users, campaign):
    owner = client_for(users["owner"])
    membership = Membership.objects.get(campaign=campaign, user=users["owner"])
    unknown = owner.post(f"/campaigns/{campaign.id}/members/{membership.id}/", {"role": "boss"})
    assert last_message(unknown) == "角色：" + zh("Unknown role %(role)s.", role="boss")  # the field in words
    last_owner = owner.post(f"/campaigns/{campaign.id}/members/{membership.id}/", {"remove": "1"})
    assert last_message(last_owner) == zh("A campaign needs at least one owner; add another owner first.")
    assert Membership.objects.get(pk=membership.pk).role == "owner"


def test_copying_a_playbook_to_a_taken_key_is_a_message(users, playbooks):
    client = client_for(users["owner"])
    url = "/playbooks/enterprise-campaign/copy/"
    taken = client.post(url, {"name": "副本", "key": "enterprise-campaign"})
    assert taken.status_code == 302 and taken.url == "/playbooks/enterprise-campaign/"
    assert last_message(taken) == "标识：" + zh("This key is taken or empty.")  # the field in words
    bad = client.post(url, {"name": "", "key": "x y"})
    assert bad.status_code == 302 and last_message(bad).startswith(zh("This field is required."))
    assert Playbook.objects.count() == Playbook.objects.filter(is_builtin=True).count()


@pytest.mark.parametrize("version", ["1", "abc"])
def test_a_stale_playbook_edit_names_the_version_and_writes_nothing(users, playbooks, version):
    client = client_for(users["owner"])
    client.post("/playbooks/enterprise-campaign/copy/", {"name": "我们的流程", "key": "ours"})
    playbook = Playbook.objects.get(key="ours")
    Playbook.objects.filter(pk=playbook.pk).update(version=2)
    rows = {"phase": ["筹备"], "step_name": ["调研"], "offset_days": ["-3"], "workdays": ["0"]}
    response = client.post("/playbooks/ours/edit/", {"version": version, "note": "", **rows})
    assert response.status_code == 200
    assert [e["field"] for e in response.context["errors"]] == ["version"]
    assert playbook.versions.count() == 1


def test_deleting_a_campaign_changed_since_the_page_was_read_is_refused(users, campaign):
    owner = client_for(users["owner"])
    page_version = campaign.version
    Campaign.objects.filter(pk=campaign.pk).update(version=page_version + 1)  # someone saved in between
    response = owner.post(f"/campaigns/{campaign.id}/delete/", {"version": page_version})
    assert response.status_code == 302 and response.url == f"/campaigns/{campaign.id}/"
    stale = "This object was changed by someone else (current version %(version)s). Reload and try again."
    assert last_message(response) == zh(stale) % {"version": page_version + 1}
    assert Campaign.objects.get(pk=campaign.pk).deleted_at is None
    assert owner.post(f"/campaigns/{campaign.id}/delete/", {"version": page_version + 1}).url == "/campaigns/"
    assert Campaign.objects.get(pk=campaign.pk).deleted_at is not None
