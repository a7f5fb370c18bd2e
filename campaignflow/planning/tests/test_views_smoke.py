"""Every plan page renders for members (and RACI/plan pages refuse outsiders)."""

import pytest
from django.test import Client

from campaignflow.planning import services

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.mark.parametrize("who", ["owner", "viewer", "partner"])
@pytest.mark.parametrize("page", ["plan/", "gantt/", "raci/", "gantt/data/"])
def test_pages_render(users, campaign, who, page):
    services.baseline_create(actor=users["owner"], campaign=campaign, name="V1")
    r = login(users[who]).get(f"/campaigns/{campaign.id}/{page}")
    assert r.status_code == 200, r.content[:500]


@pytest.mark.parametrize("page", ["plan/", "gantt/", "raci/", "gantt/data/"])
def test_outsiders_get_404(users, campaign, page):
    assert login(users["outsider"]).get(f"/campaigns/{campaign.id}/{page}").status_code == 404


def test_my_tasks_and_portfolio(users, campaign):
    campaign.tasks.update(owner=users["member"])
    c = login(users["member"])
    r = c.get("/my/tasks/")
    assert r.status_code == 200
    assert "需求发起与目标确认" in r.content.decode()
    assert c.get("/portfolio/").status_code == 200
