"""The task list and the Gantt data are cached per change stamp (campaigns.read_cache): every write of
the plan shows at once, each partner gets their own entry, and the day is part of the key."""

import datetime as dt
from unittest import mock

import pytest

from campaignflow.campaigns.models import Membership
from campaignflow.planning.models import Task
from conftest import make_user

pytestmark = pytest.mark.django_db


def tasks(client, campaign) -> dict:
    response = client.get(f"/campaigns/{campaign.id}/tasks")
    assert response.status_code == 200, response.content
    return {t["id"]: t for t in response.json()}


def gantt(client, campaign) -> dict:
    response = client.get(f"/campaigns/{campaign.id}/gantt")
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def owner(api_for, users):
    return api_for(users["owner"])


def test_plan_writes_show_at_once(campaign, owner):
    before = tasks(owner, campaign)
    links_before = len(gantt(owner, campaign)["links"])
    first, second = sorted(before)[:2]

    task = before[first]
    patched = owner.patch(f"/tasks/{first}", {"version": task["version"], "name": "预热海报设计（终稿）"})
    assert patched.status_code == 200, patched.content
    assert tasks(owner, campaign)[first]["name"] == "预热海报设计（终稿）"
    assert any(row["text"].endswith(" 预热海报设计（终稿）") for row in gantt(owner, campaign)["data"])

    created = owner.post(f"/campaigns/{campaign.id}/tasks", {"name": "直播彩排", "depends_on": [{"task": second}]})
    assert created.status_code == 201, created.content
    assert created.json()["id"] in tasks(owner, campaign)
    assert len(gantt(owner, campaign)["links"]) == links_before + 1

    assert owner.delete(f"/tasks/{created.json()['id']}").status_code == 204
    assert created.json()["id"] not in tasks(owner, campaign)
    assert len(gantt(owner, campaign)["links"]) == links_before


def test_each_partner_sees_only_their_own_tasks(campaign, users, owner, api_for):
    other = make_user("partner2")
    Membership.objects.create(campaign=campaign, user=other, role="partner")
    ids = sorted(Task.objects.filter(campaign=campaign).values_list("pk", flat=True))
    Task.objects.filter(pk=ids[0]).update(owner=users["partner"])
    Task.objects.filter(pk=ids[1]).update(owner=other)
    assert len(tasks(owner, campaign)) == len(ids)  # the team's entry is built first
    assert list(tasks(api_for(users["partner"]), campaign)) == [ids[0]]
    assert list(tasks(api_for(other), campaign)) == [ids[1]]
    assert [r["id"] for r in gantt(api_for(other), campaign)["data"] if r.get("type") != "project"] == [ids[1]]


def test_slips_follow_the_day(campaign, owner):
    task = Task.objects.filter(campaign=campaign).order_by("end_date").first()
    with mock.patch("django.utils.timezone.localdate", return_value=task.end_date):
        on_time = tasks(owner, campaign)[task.pk]["slip_days"]
    with mock.patch("django.utils.timezone.localdate", return_value=task.end_date + dt.timedelta(days=5)):
        late = tasks(owner, campaign)[task.pk]["slip_days"]
    assert late > on_time
