"""Budget test fixtures: the conftest campaign with finance and director users as viewers."""

import pytest

from campaignflow.campaigns.models import Membership


@pytest.fixture
def bc(campaign, users):
    """The shared campaign; finance1 and director1 are members (viewers) so they can see and approve."""
    for key in ("finance", "director"):
        Membership.objects.create(campaign=campaign, user=users[key], role="viewer")
    return campaign


@pytest.fixture
def api(api_for, users):
    clients = {}

    def make(key):
        if key not in clients:
            clients[key] = api_for(users[key])
            clients[key].headers["HTTP_ACCEPT_LANGUAGE"] = "en"
        return clients[key]

    return make


def add_line(client, campaign, **fields):
    payload = {"category": "channel", "item": "小红书KOC合作", "planned": 80000, **fields}
    response = client.post(f"/campaigns/{campaign.id}/budget-lines", payload)
    assert response.status_code == 201, response.content
    return response.json()


def seed_lines(client, campaign):
    """Seed 004's table plus an 11% contingency line."""
    lines = [
        add_line(client, campaign),
        add_line(client, campaign, category="物料制作", item="直播场景搭建", planned="2万"),
        add_line(client, campaign, category="prizes", item="试用装礼品", planned="15,000.00"),
        add_line(client, campaign, category="people", item="兼职主播费用", planned="30000"),
        add_line(client, campaign, category="contingency", item="应急预备金", planned=18000),
    ]
    return {ln["item"]: ln for ln in lines}
