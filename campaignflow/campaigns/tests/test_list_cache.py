"""The cached campaign list (campaigns.read_cache.cached_user_response) is never staler than the last
audited change, is per user, and per filter."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def names(api, query="") -> list[str]:
    response = api.get(f"/campaigns{query}")
    assert response.status_code == 200, response.content
    return [c["name"] for c in response.json()]


def test_list_follows_every_change_and_is_per_user_and_filter(campaign, users, api_for):
    owner, outsider = api_for(users["owner"]), api_for(users["outsider"])
    assert names(owner) == ["2024年夏季新品促销"]
    assert names(outsider) == []  # another user: another entry
    with CaptureQueriesContext(connection) as warm:
        assert names(owner) == ["2024年夏季新品促销"]
    assert len(warm) <= 2  # token and the change stamp: the list is not rebuilt

    renamed = owner.patch(f"/campaigns/{campaign.id}", {"version": campaign.version, "name": "夏季促销"})
    assert renamed.status_code == 200, renamed.content
    assert names(owner) == ["夏季促销"]
    assert names(owner, "?q=夏季") == ["夏季促销"]
    assert names(owner, "?q=冬季") == []  # filters have their own entries
    assert names(owner, "?q=夏 季") == []

    added = owner.post(f"/campaigns/{campaign.id}/members", {"username": users["outsider"].username, "role": "viewer"})
    assert added.status_code in (200, 201), added.content
    listed = outsider.get("/campaigns").json()
    assert [(c["name"], c["my_role"]) for c in listed] == [("夏季促销", "viewer")]


def test_task_counts_follow_task_changes(campaign, users, api_for):
    owner = api_for(users["owner"])
    before = owner.get("/campaigns").json()[0]
    created = owner.post(f"/campaigns/{campaign.id}/tasks", {"name": "新任务", "phase": "筹备"})
    assert created.status_code in (200, 201), created.content
    after = owner.get("/campaigns").json()[0]
    assert after["task_count"] == before["task_count"] + 1


def test_my_tasks_follow_task_changes_and_are_per_user(campaign, users, api_for):
    owner, member = api_for(users["owner"]), api_for(users["member"])
    assert member.get("/me/tasks").json() == []
    created = owner.post(
        f"/campaigns/{campaign.id}/tasks",
        {"name": "写推文", "phase": "筹备", "owner": users["member"].username, "end_date": "2025-06-10"},
    )
    assert created.status_code in (200, 201), created.content
    mine = member.get("/me/tasks").json()
    assert [t["name"] for t in mine] == ["写推文"]
    # another caller: another entry (the owner's list holds the plan's unassigned tasks, not this one)
    assert "写推文" not in [t["name"] for t in owner.get("/me/tasks").json()]
    task = created.json()
    done = owner.patch(f"/tasks/{task['id']}", {"version": task["version"], "status": "done"})
    assert done.status_code == 200, done.content
    assert member.get("/me/tasks").json() == []  # done tasks leave the list at once
