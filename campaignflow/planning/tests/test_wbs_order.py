"""WBS order: where new and moved tasks go, the reorder service and API (validation, access, audit),
and the plan page, task list and Gantt all following the same order; constant query counts."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from campaignflow.campaigns.models import Membership
from campaignflow.campaigns.services import campaign_create
from campaignflow.core.models import AuditEntry
from campaignflow.planning import services
from campaignflow.planning.models import Task

from .factories import linked_tasks

pytestmark = pytest.mark.django_db


def order(campaign) -> list[str]:
    return list(Task.objects.filter(campaign=campaign).order_by("sort_order", "id").values_list("code", flat=True))


def ids(campaign, *codes) -> list[int]:
    by_code = dict(Task.objects.filter(campaign=campaign).values_list("code", "id"))
    return [by_code[c] for c in codes]


@pytest.fixture
def wbs(users, campaign):
    """T001 预热期/设计, T002 爆发期, T003 预热期/设计, T004 预热期/投放, T005 (no phase)."""
    Task.objects.filter(campaign=campaign).delete()
    owner = users["owner"]
    for name, phase, module in (
        ("预热海报设计", "预热期", "设计"),
        ("直播带货", "爆发期", ""),
        ("KOL种草稿件", "预热期", "设计"),
        ("信息流投放", "预热期", "投放"),
        ("复盘会", "", ""),
    ):
        services.task_create(actor=owner, campaign=campaign, data={"name": name, "phase": phase, "module": module})
    return campaign


# --- placement ------------------------------------------------------------------------------------


def test_new_tasks_go_to_the_end_of_their_phase_and_module(wbs):
    # T003 joins T001 (same phase and module); T004 (a new module of 预热期) follows the phase's last task.
    assert order(wbs) == ["T001", "T003", "T004", "T002", "T005"]
    assert list(Task.objects.filter(campaign=wbs).order_by("sort_order").values_list("sort_order", flat=True)) == [
        1,
        2,
        3,
        4,
        5,
    ]


def test_changing_the_phase_moves_the_task_to_the_end_of_its_new_group(users, wbs):
    task = Task.objects.get(campaign=wbs, code="T001")
    services.task_update(actor=users["owner"], task=task, version=task.version, data={"phase": "爆发期", "module": ""})
    assert order(wbs) == ["T003", "T004", "T002", "T001", "T005"]
    task.refresh_from_db()
    assert task.version == 2
    # A stale version moves nothing.
    from campaignflow.core.errors import StaleVersion

    with pytest.raises(StaleVersion):
        services.task_update(actor=users["owner"], task=task, version=1, data={"phase": "预热期"})
    assert order(wbs) == ["T003", "T004", "T002", "T001", "T005"]


# --- the service ------------------------------------------------------------------------------------


def test_reorder_the_whole_plan_with_one_audit_entry_and_no_new_versions(users, wbs):
    before = AuditEntry.objects.count()
    new = ids(wbs, "T005", "T002", "T004", "T003", "T001")
    assert services.task_reorder(actor=users["member"], campaign=wbs, ordered_ids=new) == new
    assert order(wbs) == ["T005", "T002", "T004", "T003", "T001"]
    assert AuditEntry.objects.count() == before + 1
    entry = AuditEntry.objects.order_by("-id").first()
    assert (entry.action, entry.actor, entry.campaign_id) == ("reorder", users["member"], wbs.pk)
    assert entry.before["tasks"] == ["T001", "T003", "T004", "T002", "T005"]
    assert entry.after["tasks"] == ["T005", "T002", "T004", "T003", "T001"]
    assert set(Task.objects.filter(campaign=wbs).values_list("version", flat=True)) == {1}


def test_a_partial_list_takes_the_places_of_the_listed_tasks(users, wbs):
    services.task_reorder(actor=users["owner"], campaign=wbs, ordered_ids=ids(wbs, "T004", "T001"))
    assert order(wbs) == ["T004", "T003", "T001", "T002", "T005"]


def test_the_same_order_writes_nothing(users, wbs):
    before = AuditEntry.objects.count()
    same = ids(wbs, "T001", "T003", "T004", "T002", "T005")
    assert services.task_reorder(actor=users["owner"], campaign=wbs, ordered_ids=same) == same
    assert AuditEntry.objects.count() == before


def test_unnumbered_tasks_are_renumbered(users, campaign):
    Task.objects.filter(campaign=campaign).update(sort_order=0)
    codes = order(campaign)
    reversed_ids = ids(campaign, *reversed(codes))
    services.task_reorder(actor=users["owner"], campaign=campaign, ordered_ids=reversed_ids)
    assert order(campaign) == codes[::-1]
    numbers = list(Task.objects.filter(campaign=campaign).order_by("sort_order").values_list("sort_order", flat=True))
    assert numbers == list(range(1, len(codes) + 1))


# --- the API ----------------------------------------------------------------------------------------


@pytest.fixture
def api(api_for, users):
    return lambda who="owner": api_for(users[who])


def url(campaign) -> str:
    return f"/campaigns/{campaign.id}/tasks/reorder"


def test_api_reorder_and_every_view_follows_the_order(api, users, wbs):
    new = ids(wbs, "T004", "T003", "T001", "T002", "T005")
    r = api("member").post(url(wbs), {"ids": new})
    assert r.status_code == 200, r.content
    assert r.json() == {"ids": new}
    listed = api("viewer").get(f"/campaigns/{wbs.id}/tasks").json()
    assert [t["code"] for t in listed] == ["T004", "T003", "T001", "T002", "T005"]
    gantt = api("viewer").get(f"/campaigns/{wbs.id}/gantt").json()
    assert [t["code"] for t in gantt["data"] if t["type"] != "project"] == ["T004", "T003", "T001", "T002", "T005"]
    # The page shows the rows in that order too.
    client = Client()
    client.force_login(users["viewer"])
    page = client.get(f"/campaigns/{wbs.id}/plan/").content.decode()
    positions = [page.index(f'data-testid="wbs-{code}"') for code in ("T004", "T003", "T001", "T002", "T005")]
    assert positions == sorted(positions)


def test_api_bad_ids_are_422_naming_each_and_nothing_is_written(api, users, wbs, playbooks):
    other, _w = campaign_create(
        actor=users["owner"], data={"name": "另一个活动", "start_date": "2025-07-01", "end_date": "2025-07-31"}
    )
    foreign = Task.objects.create(campaign=other, code="T001", name="别的活动的任务")
    client = api()
    before = (AuditEntry.objects.count(), order(wbs))
    t1, t2, t3 = ids(wbs, "T001", "T002", "T003")
    r = client.post(url(wbs), {"ids": [t3, foreign.pk, t1, 2**70, t3, t2]})
    assert r.status_code == 422, r.content
    fields = {e["field"]: e["message"] for e in r.json()["errors"]}
    assert set(fields) == {"ids[1]", "ids[3]", "ids[4]"}
    assert str(foreign.pk) in fields["ids[1]"] and str(2**70) in fields["ids[3]"]
    assert "T003" in fields["ids[4]"]
    assert "ids[1]" in r.json()["detail"]
    assert (AuditEntry.objects.count(), order(wbs)) == before
    # An empty list or a wrong shape is refused too.
    assert client.post(url(wbs), {"ids": []}).status_code == 422
    assert client.post(url(wbs), {"ids": "T001"}).status_code == 422
    assert (AuditEntry.objects.count(), order(wbs)) == before


@pytest.mark.parametrize(("who", "status"), [("viewer", 403), ("partner", 403), ("outsider", 404)])
def test_api_reorder_access(api, wbs, who, status):
    client = api(who)  # (making its token leaves an audit entry)
    before = (AuditEntry.objects.count(), order(wbs))
    r = client.post(url(wbs), {"ids": ids(wbs, "T005", "T001")})
    assert r.status_code == status, r.content
    assert (AuditEntry.objects.count(), order(wbs)) == before


def test_api_reorder_of_an_archived_campaign_is_refused(api, wbs):
    type(wbs).objects.filter(pk=wbs.pk).update(status="archived")
    r = api().post(url(wbs), {"ids": ids(wbs, "T005", "T001")})
    assert r.status_code == 403
    assert order(wbs)[0] == "T001"


# --- query counts -----------------------------------------------------------------------------------


def _campaign_with(users, n: int):
    campaign, _w = campaign_create(
        actor=users["owner"], data={"name": f"活动{n}", "start_date": "2030-06-01", "end_date": "2030-06-30"}
    )
    Membership.objects.create(campaign=campaign, user=users["member"], role="member")
    linked_tasks(
        campaign,
        n,
        phase=lambda i: f"阶段{i % 3}",
        owner=lambda i: users["member"] if i % 2 else None,
        start_date=lambda i: f"2030-06-{1 + i % 20:02d}",
        end_date=lambda i: f"2030-06-{3 + i % 20:02d}",
        milestone=lambda i: i % 7 == 6,
        sort_order=lambda i: i + 1,
    )
    return campaign


def _count(client, path) -> int:
    with CaptureQueriesContext(connection) as q:
        r = client.get(path)
    assert r.status_code == 200, r.content
    return len(q)


@pytest.mark.parametrize("who", ["owner", "member"])
def test_task_list_and_gantt_query_counts_do_not_depend_on_the_number_of_tasks(api, users, who):
    campaigns = {n: _campaign_with(users, n) for n in (0, 2, 30)}
    client = api(who)
    client.get("/campaigns")  # the token's first use records last_used_at (one UPDATE): not the endpoint's
    for endpoint in ("tasks", "gantt"):
        counts = {n: _count(client, f"/campaigns/{c.id}/{endpoint}") for n, c in campaigns.items()}
        assert counts[2] == counts[30] == counts[0], (endpoint, counts)
    listed = client.get(f"/campaigns/{campaigns[30].id}/tasks").json()
    assert len(listed) == 30 and listed[1]["depends_on"][0]["task"] == listed[0]["id"]


def test_moving_one_task_costs_the_same_queries_however_long_the_plan(api, users):
    """A drag moves one row: its number changes and the rows it passes shift by one (two UPDATEs)."""
    small, big = _campaign_with(users, 3), _campaign_with(users, 600)
    client = api()
    client.get("/campaigns")
    counts = []
    for campaign in (small, big):
        current = list(Task.objects.filter(campaign=campaign).order_by("sort_order").values_list("id", flat=True))
        with CaptureQueriesContext(connection) as q:
            r = client.post(url(campaign), {"ids": [current[-1], *current[:-1]]})
        assert r.status_code == 200, r.content
        counts.append(len(q))
        assert order(campaign)[0] == Task.objects.get(pk=current[-1]).code
    assert counts[0] == counts[1], counts
