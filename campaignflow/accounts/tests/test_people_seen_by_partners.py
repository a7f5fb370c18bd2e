"""Which people a partner user sees (issue #18, item 5): not the team's user directory (GET /users is refused
them), only the people of their own campaigns where the campaign's pages show them; the team's own users still
list everyone."""

import pytest
from django.test import Client
from django.utils import timezone

from campaignflow.accounts.models import User
from campaignflow.campaigns.models import Campaign

pytestmark = pytest.mark.django_db

CAMPAIGN_PEOPLE = ["manager1", "member1", "owner1", "partner1", "viewer1"]


@pytest.fixture
def people(users, campaign):
    for user in User.objects.all():
        user.email = f"{user.username}@corp.example"
        user.save(update_fields=["email"])
    return users


def test_a_partner_cannot_list_users_and_the_team_lists_everyone(api_for, people):
    partner = api_for(people["partner"])
    for params in (None, {"q": "own"}, {"q": "outsider"}):
        response = partner.get("/users", params)
        assert response.status_code == 403, params
        assert "@corp.example" not in response.content.decode() and "owner1" not in response.content.decode()
    # A member of the team still lists every account, with e-mails and roles (to pick members and owners).
    everyone = api_for(people["member"]).get("/users").json()
    assert len(everyone) == User.objects.count()
    assert {"admin1": ("admin1@corp.example", "admin")}.items() <= {
        u["username"]: (u["email"], u["role"]) for u in everyone
    }.items()
    assert [u["username"] for u in api_for(people["member"]).get("/users", {"q": "own"}).json()] == ["owner1"]


def test_a_partner_of_a_deleted_campaign_still_cannot_list_users(api_for, people, campaign):
    # Still a partner member, but of a deleted campaign: that does not make them one of the team.
    Campaign.objects.filter(pk=campaign.pk).update(deleted_at=timezone.now())
    assert api_for(people["partner"]).get("/users").status_code == 403


def test_the_people_pickers_offer_a_partner_only_the_people_of_their_campaigns(api_for, people):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(people["partner"])
    strangers = ('value="outsider1"', 'value="admin1"', 'value="finance1"')
    new = client.get("/campaigns/new/")  # a partner creates no campaign: no owner picker at all
    assert new.status_code == 403 and not any(s in new.content.decode() for s in strangers)
    # In a campaign the team made them a manager of: the owner and member pickers are limited to their campaigns.
    own = api_for(people["owner"]).post(
        "/campaigns", {"name": "合作方参与活动", "start_date": "2025-07-01", "end_date": "2025-07-31"}
    )
    api_for(people["owner"]).post(f"/campaigns/{own.json()['id']}/members", {"username": "partner1", "role": "manager"})
    for page in (f"/campaigns/{own.json()['id']}/", f"/campaigns/{own.json()['id']}/edit/"):
        html = client.get(page).content.decode()
        assert 'value="member1"' in html or page.endswith("/edit/"), page
        assert not any(s in html for s in strangers), page
