"""Issue #18: names made only of zero-width, direction-control or other invisible characters are refused
(422 naming the field); invisible characters around a name are stripped; real names with Chinese, emoji
and a ZWJ inside an emoji sequence are kept as typed."""

import pytest

pytestmark = pytest.mark.django_db

INVISIBLE = [
    "\u200b",
    "\u200b\u200c\u200d\u2060\ufeff",
    "\u200e\u200f\u202a\u202b\u202c\u202d\u202e",
    "\u2066\u2067\u2068\u2069",
    " \u3000\u00a0\u200b ",
    "\x07\u00ad\u180e",
]
FAMILY = "👨\u200d👩\u200d👧 家庭日"  # a ZWJ emoji sequence plus Chinese


def _endpoints(campaign):
    c = campaign.id
    return {
        "campaign": ("/campaigns", {"start_date": "2025-07-01", "end_date": "2025-07-31"}, "name"),
        "task": (f"/campaigns/{c}/tasks", {"start_date": "2025-06-02", "end_date": "2025-06-03"}, "name"),
        "kpi": (f"/campaigns/{c}/kpis", {"metric": "曝光", "target": 100}, "name"),
        "channel": (f"/campaigns/{c}/channels", {}, "name"),
        "budget line": (f"/campaigns/{c}/budget-lines", {"category": "channel", "planned": 100}, "item"),
        "partner": ("/partners", {}, "name"),
        "risk": (f"/campaigns/{c}/risks", {}, "title"),
        "issue": (f"/campaigns/{c}/issues", {}, "description"),
        "playbook": ("/playbooks/enterprise-campaign/copy", {"key": "my-copy"}, "name"),
        "webhook": (
            f"/campaigns/{c}/webhooks",
            {"kind": "generic", "url": "https://hooks.slack.com/services/T0/B0/x"},
            "name",
        ),
        "baseline": (f"/campaigns/{c}/baselines", {}, "name"),
    }


KINDS = [
    "campaign",
    "task",
    "kpi",
    "channel",
    "budget line",
    "partner",
    "risk",
    "issue",
    "playbook",
    "webhook",
    "baseline",
]


@pytest.fixture
def admin_api(api_for, users):
    client = api_for(users["admin"])
    client.headers["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("name", INVISIBLE, ids=range(len(INVISIBLE)))
def test_a_name_of_only_invisible_characters_is_refused_naming_the_field(admin_api, campaign, kind, name):
    path, payload, field = _endpoints(campaign)[kind]
    response = admin_api.post(path, {**payload, field: name})
    assert response.status_code == 422, (kind, response.content)
    assert field in [e["field"] for e in response.json()["errors"]], response.content


@pytest.mark.parametrize("kind", KINDS)
def test_real_names_are_kept_and_invisible_edges_stripped(admin_api, campaign, kind):
    path, payload, field = _endpoints(campaign)[kind]
    response = admin_api.post(path, {**payload, field: f"\u200b\u202e {FAMILY}\u200d\ufeff"})
    assert response.status_code == 201, (kind, response.content)
    assert response.json()[field] == FAMILY


def test_the_html_form_refuses_an_invisible_campaign_name(client, users):
    from campaignflow.campaigns.models import Campaign

    client.force_login(users["owner"])
    before = Campaign.objects.count()
    response = client.post(
        "/campaigns/new/",
        {"name": "\u200b\u2066\u2069", "type": "general", "start_date": "2025-07-01", "end_date": "2025-07-31"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 200 and Campaign.objects.count() == before
    assert "name" in response.context["form"].errors, response.context["form"].errors
