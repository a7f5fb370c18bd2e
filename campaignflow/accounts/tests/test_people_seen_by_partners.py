"""Which people a partner user sees (issue #18, item 5): only those of their own campaigns, and neither
their e-mails nor their global roles; the team's own users still see everyone."""

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


def test_a_partner_lists_only_the_people_of_their_campaigns_without_emails_or_roles(api_for, people):
    response = api_for(people["partner"]).get("/users")
    assert response.status_code == 200
    rows = response.json()
    assert [u["username"] for u in rows] == CAMPAIGN_PEOPLE
    assert all(u["email"] is None and u["role"] is None for u in rows)
    assert "@corp.example" not in response.content.decode() and "admin" not in response.content.decode()
    assert [u["username"] for u in api_for(people["partner"]).get("/users", {"q": "own"}).json()] == ["owner1"]
    # Someone who is in none of the partner's campaigns is not found by name either.
    assert api_for(people["partner"]).get("/users", {"q": "outsider"}).json() == []
    # A member of the team still lists every account, with e-mails and roles (to pick members and owners).
    everyone = api_for(people["member"]).get("/users").json()
    assert len(everyone) == User.objects.count()
    assert {"admin1": ("admin1@corp.example", "admin")}.items() <= {
        u["username"]: (u["email"], u["role"]) for u in everyone
    }.items()


def test_a_partner_with_no_campaign_left_sees_only_themselves(api_for, people, campaign):
    # Still a partner member, but of a deleted campaign: that does not make them one of the team.
    Campaign.objects.filter(pk=campaign.pk).update(deleted_at=timezone.now())
    assert [u["username"] for u in api_for(people["partner"]).get("/users").json()] == ["partner1"]


def test_the_people_pickers_offer_a_partner_only_the_people_of_their_campaigns(api_for, people):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(people["partner"])
    strangers = ('value="outsider1"', 'value="admin1"', 'value="finance1"')
    html = client.get("/campaigns/new/").content.decode()
    assert 'value="owner1"' in html and 'value="partner1"' in html
    assert not any(s in html for s in strangers)
    # In a campaign of their own they manage: the owner and member pickers are limited the same way.
    own = api_for(people["partner"]).post(
        "/campaigns", {"name": "合作方自建活动", "start_date": "2025-07-01", "end_date": "2025-07-31"}
    )
    for page in (f"/campaigns/{own.json()['id']}/", f"/campaigns/{own.json()['id']}/edit/"):
        html = client.get(page).content.decode()
        assert 'value="member1"' in html or page.endswith("/edit/"), page
        assert not any(s in html for s in strangers), page
