"""The error paths of the review tab's forms: the refusal shows (as a message, or above the promotion form)
and nothing is written."""

import pytest
from django.test import Client

from campaignflow.campaigns.models import Campaign, Playbook
from campaignflow.execution.tests.test_form_views import post
from campaignflow.goals.models import Kpi
from campaignflow.review.models import EvaluationNote, Retrospective

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(users):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(users["owner"])
    return client


@pytest.mark.parametrize(
    ("data", "says"),
    [
        ({"version": "0", "dimension": "x" * 101}, "Dimension: At most 100 characters."),
        ({"version": "3", "analysis": "x"}, "changed by someone else"),
        ({"version": "abc", "analysis": "x"}, "version"),
    ],
)
def test_a_refused_evaluation_row_is_a_message_and_writes_nothing(owner, campaign, data, says):
    kpi = Kpi.objects.create(campaign=campaign, name="销售额", metric="销售额", target=1)
    response = post(owner, f"/campaigns/{campaign.pk}/review/evaluation/{kpi.pk}/", data)
    assert response.status_code == 302 and response["Location"].endswith("#evaluation")
    [message] = response.said
    assert says in message
    assert not EvaluationNote.objects.exists()
    saved = post(owner, f"/campaigns/{campaign.pk}/review/evaluation/{kpi.pk}/", {"version": "0", "analysis": "x"})
    assert saved.said == ["The evaluation row is saved."]


@pytest.mark.parametrize(
    ("data", "says"),
    [
        ({"version": "0", "worked": "好", "complete": "1"}, "Improve: Required to complete the retrospective."),
        ({"version": "0", "assets": "x | javascript:alert(1)"}, "Use an http(s) link or a path on this site."),
        ({"version": "abc", "worked": "好"}, "version"),
    ],
)
def test_a_refused_retrospective_is_a_message_and_writes_nothing(owner, campaign, data, says):
    response = post(owner, f"/campaigns/{campaign.pk}/review/retrospective/", data)
    assert response.status_code == 302 and response["Location"].endswith("#retrospective")
    [message] = response.said
    assert says in message
    assert not Retrospective.objects.exists()


def test_a_refused_promotion_shows_above_the_form_and_saves_nothing(owner, campaign):
    url = f"/campaigns/{campaign.pk}/review/promote/"
    draft = owner.get(url)
    assert draft.status_code == 200 and 'data-testid="promote-error"' in draft.content.decode()  # not finished
    Campaign.objects.filter(pk=campaign.pk).update(status="reviewing")
    playbooks = Playbook.objects.count()
    refused = post(owner, url, {"version": "", "name": "", "note": "x"})
    html = refused.content.decode()
    assert (
        refused.status_code == 200 and 'data-testid="promote-error"' in html and "Name: Name the new playbook" in html
    )
    assert Playbook.objects.count() == playbooks
    saved = post(owner, url, {"version": "", "name": "夏季模板", "key": "summer"})
    assert saved.status_code == 302 and saved.said == ["Saved as 夏季模板 v1."]


def test_a_refused_start_from_a_case_goes_back_with_the_message(owner, campaign):
    Campaign.objects.filter(pk=campaign.pk).update(status="archived")
    back = f"/campaigns/{campaign.pk}/review/"
    count = Campaign.objects.count()
    response = post(
        owner,
        f"/campaigns/{campaign.pk}/review/start-from-case/",
        {"name": "新", "start_date": "2026-13-01", "back": back},
    )
    assert response.status_code == 302 and response["Location"] == back
    assert response.said == ["Start date: Not a valid date (use YYYY-MM-DD)."]  # the field in words
    assert Campaign.objects.count() == count
    started = post(
        owner, f"/campaigns/{campaign.pk}/review/start-from-case/", {"name": "新", "start_date": "2026-06-01"}
    )
    assert started.status_code == 302 and Campaign.objects.count() == count + 1
    assert started.said == [f"A new campaign was started from the case {campaign.name}."]


def test_a_refused_start_never_goes_back_to_another_site(owner, campaign):
    """The posted `back` is followed only within this site (it was an open redirect)."""
    Campaign.objects.filter(pk=campaign.pk).update(status="archived")
    url = f"/campaigns/{campaign.pk}/review/start-from-case/"
    for back in ("https://evil.example/phish", "//evil.example/", "javascript:alert(1)"):
        response = post(owner, url, {"name": "新", "start_date": "2026-13-01", "back": back})
        assert response.status_code == 302 and response["Location"] == "/cases/", back
