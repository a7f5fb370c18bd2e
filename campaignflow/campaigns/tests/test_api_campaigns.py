"""The API.md contract for playbooks, campaigns, members and lifecycle moves, through HTTP with a token."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Max

from campaignflow.campaigns.domain.builtin_playbooks import BUILTIN_PLAYBOOKS
from campaignflow.campaigns.domain.playbooks import Step, due_date
from campaignflow.campaigns.models import Campaign, Membership, StatusChange
from campaignflow.core.domain.workdays import WorkdayCalendar
from campaignflow.core.models import AuditEntry
from campaignflow.planning.models import Task
from conftest import make_user, satisfy_gates

pytestmark = pytest.mark.django_db

BUILTIN_KEYS = {"enterprise-campaign", "cross-industry", "online-event", "strategy-execution", "execution-followup"}
STEP_FIELDS = {"name", "owner_role", "anchor", "offset_days", "workdays", "output", "remark"}


@pytest.fixture
def api(api_for, users):
    """api(key) → a client for users[key] that asks for English messages (None: anonymous)."""

    clients = {}

    def make(key):
        # One client (one token, whose creation is itself audited) per user and test.
        if key not in clients:
            clients[key] = api_for(users[key] if key else None)
            clients[key].headers["HTTP_ACCEPT_LANGUAGE"] = "en"
        return clients[key]

    return make


def last_audit_id() -> int:
    return AuditEntry.objects.aggregate(m=Max("id"))["m"] or 0


def new_audit_entries(since: int) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(pk__gt=since).order_by("id"))


def the_new_audit_entry(since: int) -> AuditEntry:
    entries = new_audit_entries(since)
    assert len(entries) == 1, [(e.action, e.object_type) for e in entries]
    return entries[0]


def create_via_api(client, **fields):
    payload = {"name": "国庆黄金周大促", "start_date": "2025-09-01", "end_date": "2025-09-30", **fields}
    response = client.post("/campaigns", payload)
    assert response.status_code == 201, response.content
    return response.json()


# --- playbooks ------------------------------------------------------------------------------


def test_playbooks_list_has_the_builtin_keys_with_the_documented_shape(api, playbooks):
    response = api("member").get("/playbooks")
    assert response.status_code == 200
    body = response.json()
    assert {p["key"] for p in body} >= BUILTIN_KEYS
    for p in body:
        assert isinstance(p["name"], str) and p["name"]
        assert isinstance(p["version"], int) and p["version"] >= 1
        assert p["phases"], p["key"]
        for phase in p["phases"]:
            assert phase["name"]
            assert phase["steps"]
            for step in phase["steps"]:
                assert set(step) >= STEP_FIELDS
                assert step["anchor"] in ("start", "end")
                assert isinstance(step["offset_days"], int) and not isinstance(step["offset_days"], bool)
                assert isinstance(step["workdays"], bool)
    enterprise = next(p for p in body if p["key"] == "enterprise-campaign")
    # The API serves exactly the built-in data (its first step field by field, then the same phases and
    # step names, in order); test_builtin_playbooks_data pins that step's values.
    source = next(p for p in BUILTIN_PLAYBOOKS if p["key"] == "enterprise-campaign")
    first = enterprise["phases"][0]["steps"][0]
    assert {k: first[k] for k in STEP_FIELDS} == source["phases"][0]["steps"][0]
    assert [ph["name"] for ph in enterprise["phases"]] == [ph["name"] for ph in source["phases"]]
    assert [s["name"] for ph in enterprise["phases"] for s in ph["steps"]] == [
        s["name"] for ph in source["phases"] for s in ph["steps"]
    ]


def test_playbook_by_key_and_unknown_key(api, playbooks):
    client = api("member")
    response = client.get("/playbooks/online-event")
    assert response.status_code == 200
    assert response.json()["key"] == "online-event"
    missing = client.get("/playbooks/no-such-playbook")
    assert missing.status_code == 404
    assert "detail" in missing.json()


def test_playbook_preview_dates_the_steps_without_writing(api, playbooks):
    client = api("member")
    before = (Campaign.objects.count(), Task.objects.count())
    response = client.get(
        "/playbooks/enterprise-campaign/preview", {"start_date": "2025-09-01", "end_date": "2025-09-30"}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    due = {t["name"]: t["end_date"] for t in body["tasks"]}
    assert due["需求发起与目标确认"] == "2025-08-02"
    assert due["复盘会议与总结报告"] == "2025-10-11"
    assert body["tasks"][0]["code"] == "T001" and body["tasks"][0]["deliverable"] == "《活动目标确认书》"
    assert body["warnings"] == []
    assert (Campaign.objects.count(), Task.objects.count()) == before
    missing = client.get("/playbooks/no-such/preview", {"start_date": "2025-09-01", "end_date": "2025-09-30"})
    assert missing.status_code == 404


# --- create --------------------------------------------------------------------------------


def test_create_campaign_returns_201_preparing_version_1(api, users):
    client = api("member")
    since = last_audit_id()
    response = client.post(
        "/campaigns",
        {
            "name": "  双11预热  ",
            "start_date": "2025-10-20",
            "end_date": "2025-11-11",
            "budget_total": "120000.50",
            "type": "promotion",
            "description": "GMV 提升 20%",
            "tags": ["电商", "大促"],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "双11预热"
    assert body["status"] == "preparing"
    assert body["version"] == 1
    assert body["start_date"] == "2025-10-20"
    assert body["end_date"] == "2025-11-11"
    assert Decimal(str(body["budget_total"])) == Decimal("120000.50")
    assert body["type"] == "promotion"
    assert body["owner"] == "member1"
    assert body["my_role"] == "owner"
    assert body["tags"] == ["电商", "大促"]
    assert body["playbook"] is None
    assert body["task_count"] == 0
    assert body["deleted_at"] is None

    campaign = Campaign.objects.get(pk=body["id"])
    assert campaign.name == "双11预热"
    assert campaign.status == "preparing"
    assert campaign.budget_total == Decimal("120000.50")
    assert campaign.start_date == dt.date(2025, 10, 20)
    assert campaign.owner == users["member"]
    assert campaign.created_by == users["member"]
    assert Membership.objects.get(campaign=campaign, user=users["member"]).role == "owner"
    assert not campaign.tasks.exists()

    entry = the_new_audit_entry(since)
    assert (entry.action, entry.actor, entry.campaign_id) == ("create", users["member"], campaign.id)
    assert entry.object_type == "campaigns.campaign" and entry.object_id == str(campaign.id)
    assert entry.before is None
    assert entry.after["name"] == "双11预热" and entry.after["budget_total"] == "120000.50"


def test_create_from_enterprise_playbook_generates_dated_tasks(api, users, playbooks):
    client = api("owner")
    since = last_audit_id()
    body = create_via_api(
        client, name="夏季新品发布", start_date="2025-06-01", end_date="2025-06-30", playbook="enterprise-campaign"
    )
    assert body["playbook"] == "enterprise-campaign"
    assert body["playbook_version"] == 1
    assert body["type"] == "general"
    source = next(p for p in BUILTIN_PLAYBOOKS if p["key"] == "enterprise-campaign")
    steps = [s for ph in source["phases"] for s in ph["steps"]]
    assert body["task_count"] == len(steps)

    tasks = list(Task.objects.filter(campaign_id=body["id"]).order_by("sort_order"))
    assert [t.code for t in tasks] == [f"T{i:03d}" for i in range(1, len(steps) + 1)]
    assert [t.name for t in tasks] == [s["name"] for s in steps]
    first = tasks[0]
    assert first.name == "需求发起与目标确认"
    assert first.end_date == dt.date(2025, 5, 2)  # 30 calendar days before 2025-06-01
    assert first.deliverable == "《活动目标确认书》"
    assert first.phase == "筹备阶段"
    assert first.owner_role == "活动负责人"
    assert first.owner is None

    listed = client.get(f"/campaigns/{body['id']}/tasks")
    assert listed.status_code == 200
    task = next(t for t in listed.json() if t["name"] == "需求发起与目标确认")
    assert task["end_date"] == "2025-05-02"
    assert task["deliverable"] == "《活动目标确认书》"
    assert task["code"] == "T001"
    assert task["status"] == "not_started"

    # One audit entry for the whole creation (not one per generated task).
    entry = the_new_audit_entry(since)
    assert entry.action == "create" and entry.actor == users["owner"]
    assert entry.after["generated_tasks"] == len(steps)


def test_workday_step_anchored_at_the_end_lands_on_chinas_working_days(api, playbooks):
    """End 2025-09-30: the National Day holiday runs 10-01..10-08 and 10-11 (Saturday) is a make-up workday."""
    body = create_via_api(api("owner"), start_date="2025-09-01", end_date="2025-09-30", playbook="enterprise-campaign")
    due = dict(Task.objects.filter(campaign_id=body["id"]).values_list("name", "end_date"))
    assert due["数据收集与效果评估"] == dt.date(2025, 10, 10)  # end +2 working days
    assert due["复盘会议与总结报告"] == dt.date(2025, 10, 11)  # end +3 working days: the make-up Saturday
    assert due["资源清理与资料归档"] == dt.date(2025, 10, 14)  # end +5 working days (Sun 10-12 is off)
    step = Step(name="复盘", anchor="end", offset_days=3, workdays=True)
    assert due_date(step, dt.date(2025, 9, 1), dt.date(2025, 9, 30), WorkdayCalendar()) == dt.date(2025, 10, 11)
    assert body["warnings"] == []


def test_create_for_a_year_without_holiday_data_warns(api, playbooks):
    body = create_via_api(api("owner"), start_date="2030-03-01", end_date="2030-03-31", playbook="enterprise-campaign")
    assert body["warnings"], "working days of 2030 are guessed and the answer must say so"
    assert "2030" in body["warnings"][0]


# --- list ----------------------------------------------------------------------------------


def test_list_shows_only_visible_campaigns(api, users, campaign):
    other = create_via_api(api("outsider"), name="外部活动")
    owner_ids = {c["id"] for c in api("owner").get("/campaigns").json()}
    assert owner_ids == {campaign.id}
    viewer_ids = {c["id"] for c in api("viewer").get("/campaigns").json()}
    assert viewer_ids == {campaign.id}
    assert {c["id"] for c in api("outsider").get("/campaigns").json()} == {other["id"]}
    assert {c["id"] for c in api("admin").get("/campaigns").json()} == {campaign.id, other["id"]}
    assert api("finance").get("/campaigns").json() == []
    anonymous = api(None).get("/campaigns")
    assert anonymous.status_code == 401
    assert "detail" in anonymous.json()
    row = next(c for c in api("viewer").get("/campaigns").json() if c["id"] == campaign.id)
    assert row["my_role"] == "viewer"
    assert row["task_count"] == campaign.tasks.count()


def test_list_filters_by_status_and_chinese_search(api, users, campaign):
    client = api("owner")
    live = create_via_api(client, name="618直播带货专场", description="抖音直播，新增粉丝")
    winter = create_via_api(client, name="冬季清仓", industry="服装")
    Campaign.objects.filter(pk=winter["id"]).update(status="planning")

    def ids(**params):
        response = client.get("/campaigns", params)
        assert response.status_code == 200, response.content
        return {c["id"] for c in response.json()}

    assert ids() == {campaign.id, live["id"], winter["id"]}
    assert ids(q="夏季") == {campaign.id}
    assert ids(q="直播") == {live["id"]}
    assert ids(q="粉丝") == {live["id"]}  # the description is searched too
    assert ids(q="服装") == {winter["id"]}  # and the industry
    assert ids(q="不存在的词") == set()
    assert ids(status="planning") == {winter["id"]}
    assert ids(status="preparing") == {campaign.id, live["id"]}
    assert ids(status="preparing,planning") == {campaign.id, live["id"], winter["id"]}
    assert ids(status="planning", q="夏季") == set()
    assert ids(status="executing") == set()


# --- get / patch ------------------------------------------------------------------------------


def test_get_campaign(api, campaign):
    response = api("viewer").get(f"/campaigns/{campaign.id}")
    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["name"], body["status"]) == (campaign.id, "2024年夏季新品促销", "preparing")
    assert (body["version"], body["my_role"], body["owner"]) == (1, "viewer", "owner1")
    assert Decimal(str(body["budget_total"])) == Decimal("500000")
    assert body["task_count"] == campaign.tasks.count() > 0


def test_patch_updates_fields_bumps_version_and_audits(api, users, campaign):
    client = api("manager")
    since = last_audit_id()
    response = client.patch(
        f"/campaigns/{campaign.id}",
        {"version": 1, "name": "2025夏季新品促销", "budget_total": 650000, "tags": ["新品"]},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["name"] == "2025夏季新品促销"
    assert body["version"] == 2
    assert Decimal(str(body["budget_total"])) == Decimal("650000")
    campaign.refresh_from_db()
    assert (campaign.name, campaign.version, campaign.budget_total) == ("2025夏季新品促销", 2, Decimal("650000"))
    assert campaign.tags == ["新品"]
    assert campaign.description == "销售额提升30%，新增会员3000人"  # untouched
    entry = the_new_audit_entry(since)
    assert (entry.action, entry.actor) == ("update", users["manager"])
    assert entry.before["name"] == "2024年夏季新品促销" and entry.after["name"] == "2025夏季新品促销"
    assert entry.before["version"] == 1 and entry.after["version"] == 2


def test_patch_without_version_is_refused(api, campaign):
    response = api("owner").patch(f"/campaigns/{campaign.id}", {"name": "无版本"})
    assert response.status_code == 422
    assert "version" in response.content.decode()
    campaign.refresh_from_db()
    assert (campaign.name, campaign.version) == ("2024年夏季新品促销", 1)


def test_patch_with_stale_version_is_409_and_writes_nothing(api, campaign):
    owner, manager = api("owner"), api("manager")
    assert owner.patch(f"/campaigns/{campaign.id}", {"version": 1, "name": "第一次修改"}).status_code == 200
    since = last_audit_id()
    stale = manager.patch(f"/campaigns/{campaign.id}", {"version": 1, "name": "覆盖", "budget_total": 1})
    assert stale.status_code == 409
    body = stale.json()
    assert body["current_version"] == 2
    assert body["detail"]
    campaign.refresh_from_db()
    assert (campaign.name, campaign.version, campaign.budget_total) == ("第一次修改", 2, Decimal("500000"))
    assert new_audit_entries(since) == []
    # With the version it read again, the write goes through.
    assert manager.patch(f"/campaigns/{campaign.id}", {"version": 2, "name": "覆盖"}).json()["version"] == 3


def test_patch_owner_makes_the_new_owner_a_campaign_owner(api, users, campaign):
    response = api("owner").patch(f"/campaigns/{campaign.id}", {"version": 1, "owner": "outsider1"})
    assert response.status_code == 200, response.content
    assert response.json()["owner"] == "outsider1"
    assert Membership.objects.get(campaign=campaign, user=users["outsider"]).role == "owner"
    assert api("outsider").get(f"/campaigns/{campaign.id}").status_code == 200


# --- delete / restore ------------------------------------------------------------------------


def test_a_delete_made_on_an_old_read_is_409_and_deletes_nothing(api, users, campaign):
    """`?version=` is optional on a DELETE (API.md), but when sent it must be current: a stale delete removed
    the task (or campaign) another person had just changed."""
    owner, member = api("owner"), api("member")
    task = owner.post(f"/campaigns/{campaign.id}/tasks", {"name": "待删任务"}).json()
    assert member.patch(f"/tasks/{task['id']}", {"version": 1, "remark": "刚改过"}).status_code == 200
    stale = owner.delete(f"/tasks/{task['id']}?version=1")
    assert stale.status_code == 409 and stale.json()["current_version"] == 2
    assert Task.objects.filter(pk=task["id"]).exists()
    assert owner.delete(f"/tasks/{task['id']}?version=2").status_code == 204
    assert owner.patch(f"/campaigns/{campaign.id}", {"version": 1, "description": "改"}).status_code == 200
    stale = owner.delete(f"/campaigns/{campaign.id}?version=1")
    assert stale.status_code == 409 and stale.json()["current_version"] == 2
    campaign.refresh_from_db()
    assert campaign.deleted_at is None
    hook = owner.post(
        f"/campaigns/{campaign.id}/webhooks",
        {"name": "机器人", "kind": "dingtalk", "url": "https://oapi.dingtalk.com/robot/send?access_token=x"},
    )
    assert hook.status_code == 201, hook.content
    assert owner.patch(f"/webhooks/{hook.json()['id']}", {"version": 1, "name": "群机器人"}).status_code == 200
    assert owner.delete(f"/webhooks/{hook.json()['id']}?version=1").status_code == 409
    assert owner.delete(f"/webhooks/{hook.json()['id']}?version=2").status_code == 204
    current = owner.get(f"/campaigns/{campaign.id}").json()["version"]
    assert owner.delete(f"/campaigns/{campaign.id}?version={current}").status_code == 204


def test_delete_is_soft_and_admin_restores(api, users, campaign):
    owner, member, admin = api("owner"), api("member"), api("admin")
    tasks_before = campaign.tasks.count()
    since = last_audit_id()
    response = owner.delete(f"/campaigns/{campaign.id}")
    assert response.status_code == 204
    campaign.refresh_from_db()
    assert campaign.deleted_at is not None
    assert campaign.deleted_by == users["owner"]
    assert campaign.tasks.count() == tasks_before  # soft: nothing of it is gone
    entry = the_new_audit_entry(since)
    assert (entry.action, entry.actor) == ("delete", users["owner"])
    assert entry.before["deleted_at"] is None and entry.after["deleted_at"] is not None

    task_id = campaign.tasks.first().id
    for client in (owner, member):
        assert client.get(f"/campaigns/{campaign.id}").status_code == 404
        assert client.get(f"/tasks/{task_id}").status_code == 404
        assert client.get(f"/campaigns/{campaign.id}/tasks").status_code == 404
        assert campaign.id not in {c["id"] for c in client.get("/campaigns").json()}
    assert owner.delete(f"/campaigns/{campaign.id}").status_code == 404
    live = create_via_api(member, name="另一个活动")
    assert [c["id"] for c in member.get("/campaigns").json()] == [live["id"]]
    assert member.get("/campaigns", {"deleted": "true"}).json() == []  # only admins list deleted campaigns
    assert [c["id"] for c in admin.get("/campaigns", {"deleted": "true"}).json()] == [campaign.id]
    assert campaign.id not in {c["id"] for c in admin.get("/campaigns").json()}

    since = last_audit_id()
    restored = admin.post(f"/campaigns/{campaign.id}/restore")
    assert restored.status_code == 200, restored.content
    assert restored.json()["deleted_at"] is None
    campaign.refresh_from_db()
    assert campaign.deleted_at is None and campaign.deleted_by is None
    entry = the_new_audit_entry(since)
    assert (entry.action, entry.actor) == ("restore", users["admin"])
    assert member.get(f"/campaigns/{campaign.id}").status_code == 200
    # Restoring a campaign that is not deleted is a conflict.
    assert admin.post(f"/campaigns/{campaign.id}/restore").status_code == 409


def test_only_an_admin_can_restore(api, campaign):
    owner, member, outsider = api("owner"), api("member"), api("outsider")
    assert owner.delete(f"/campaigns/{campaign.id}").status_code == 204
    since = last_audit_id()
    refused = owner.post(f"/campaigns/{campaign.id}/restore")
    assert refused.status_code == 403
    assert "administrator" in refused.json()["detail"]
    assert member.post(f"/campaigns/{campaign.id}/restore").status_code == 403
    assert outsider.post(f"/campaigns/{campaign.id}/restore").status_code == 404
    campaign.refresh_from_db()
    assert campaign.deleted_at is not None
    assert new_audit_entries(since) == []


# --- members -----------------------------------------------------------------------------------


def test_add_member(api, users, campaign):
    client = api("manager")
    since = last_audit_id()
    response = client.post(f"/campaigns/{campaign.id}/members", {"username": "outsider1", "role": "viewer"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["username"], body["role"]) == ("outsider1", "viewer")
    membership = Membership.objects.get(campaign=campaign, user=users["outsider"])
    assert membership.role == "viewer" and body["id"] == membership.id
    entry = the_new_audit_entry(since)
    assert (entry.action, entry.actor, entry.campaign_id) == ("member_add", users["manager"], campaign.id)
    assert entry.after == {"user": "outsider1", "role": "viewer"}
    assert api("outsider").get(f"/campaigns/{campaign.id}").status_code == 200
    listed = api("viewer").get(f"/campaigns/{campaign.id}/members").json()
    assert {m["username"]: m["role"] for m in listed}["outsider1"] == "viewer"


@pytest.mark.parametrize(
    ("payload", "status", "names"),
    [
        ({"username": "nobody-here", "role": "member"}, 422, "username"),
        ({"username": "outsider1", "role": "boss"}, 422, "role"),
        ({"username": "member1", "role": "viewer"}, 409, "member1"),
        ({"username": "owner1", "role": "owner"}, 409, "owner1"),
    ],
    ids=["unknown-user", "unknown-role", "duplicate", "duplicate-owner"],
)
def test_add_member_refusals(api, campaign, payload, status, names):
    client = api("owner")
    count, since = Membership.objects.count(), last_audit_id()
    response = client.post(f"/campaigns/{campaign.id}/members", payload)
    assert response.status_code == status
    body = response.json()
    assert names in response.content.decode()
    if status == 422:
        assert names in {e["field"] for e in body["errors"]}
    assert Membership.objects.count() == count
    assert Membership.objects.get(campaign=campaign, user__username="member1").role == "member"
    assert new_audit_entries(since) == []


def test_the_last_owner_cannot_be_removed_or_demoted(api, users, campaign):
    client = api("owner")
    mine = Membership.objects.get(campaign=campaign, user=users["owner"])
    removed = client.delete(f"/campaigns/{campaign.id}/members/{mine.id}")
    assert removed.status_code == 409
    assert "owner" in removed.json()["detail"]
    demoted = client.patch(f"/campaigns/{campaign.id}/members/{mine.id}", {"role": "member"})
    assert demoted.status_code == 409
    mine.refresh_from_db()
    assert mine.role == "owner"
    # With a second owner, the first one can go.
    manager = Membership.objects.get(campaign=campaign, user=users["manager"])
    promoted = client.patch(f"/campaigns/{campaign.id}/members/{manager.id}", {"role": "owner"})
    assert promoted.status_code == 200 and promoted.json()["role"] == "owner"
    assert client.delete(f"/campaigns/{campaign.id}/members/{mine.id}").status_code == 204
    assert not Membership.objects.filter(pk=mine.id).exists()
    assert client.get(f"/campaigns/{campaign.id}").status_code == 404  # no longer a member


def test_unknown_member_id_is_404(api, users, campaign):
    other = create_via_api(api("outsider"), name="别人的活动")
    foreign = Membership.objects.get(campaign_id=other["id"], user=users["outsider"])
    for member_id in (foreign.id, 987654):
        assert api("owner").delete(f"/campaigns/{campaign.id}/members/{member_id}").status_code == 404
        assert (
            api("owner").patch(f"/campaigns/{campaign.id}/members/{member_id}", {"role": "viewer"}).status_code == 404
        )
    assert Membership.objects.get(pk=foreign.id).role == "owner"


# --- lifecycle -------------------------------------------------------------------------------


def test_preparing_to_planning_names_each_unmet_gate_then_passes(api, users):
    client = api("owner")
    body = create_via_api(client, owner=None)
    cid = body["id"]
    assert body["owner"] is None
    since = last_audit_id()
    refused = client.post(f"/campaigns/{cid}/transition", {"to": "planning"})
    assert refused.status_code == 409
    unmet = refused.json()["unmet"]
    # owner, goals text, budget total — plus the conditions other apps register (e.g. a core KPI).
    assert len(unmet) >= 3, unmet
    text = " | ".join(unmet)
    assert "owner" in text and "description" in text and "budget" in text
    assert all(isinstance(line, str) and line.endswith(".") for line in unmet)
    assert refused.json()["detail"]
    assert Campaign.objects.get(pk=cid).status == "preparing"
    assert not StatusChange.objects.filter(campaign_id=cid).exists()
    assert new_audit_entries(since) == []

    # The lifecycle endpoint shows the same checklist.
    lifecycle = client.get(f"/campaigns/{cid}/lifecycle").json()
    move = next(m for m in lifecycle["moves"] if m["to"] == "planning")
    assert move["gated"] is True and move["allowed"] is False
    assert sorted(c["text"] for c in move["conditions"] if not c["met"]) == sorted(unmet)

    # Meeting one condition leaves two.
    patched = client.patch(f"/campaigns/{cid}", {"version": 1, "description": "新增会员3000人"})
    assert patched.status_code == 200
    left = client.post(f"/campaigns/{cid}/transition", {"to": "planning"}).json()["unmet"]
    assert len(left) == len(unmet) - 1 and not any("description" in line for line in left)

    patched = client.patch(f"/campaigns/{cid}", {"version": 2, "budget_total": "80000", "owner": "owner1"})
    assert patched.status_code == 200, patched.content
    satisfy_gates(Campaign.objects.get(pk=cid), "planning")
    since = last_audit_id()
    moved = client.post(f"/campaigns/{cid}/transition", {"to": "planning", "note": "目标已确认"})
    assert moved.status_code == 200, moved.content
    assert moved.json()["status"] == "planning"
    assert moved.json()["version"] == 4
    assert Campaign.objects.get(pk=cid).status == "planning"
    change = StatusChange.objects.get(campaign_id=cid)
    assert (change.from_status, change.to_status, change.actor, change.note) == (
        "preparing",
        "planning",
        users["owner"],
        "目标已确认",
    )
    entry = the_new_audit_entry(since)
    assert (entry.action, entry.actor) == ("transition", users["owner"])
    assert (entry.before, entry.after) == ({"status": "preparing"}, {"status": "planning"})
    history = client.get(f"/campaigns/{cid}/lifecycle").json()["history"]
    assert [(h["from"], h["to"], h["actor"]) for h in history] == [("preparing", "planning", "owner1")]


def test_planning_to_executing_needs_every_task_to_have_an_owner(api, users, campaign):
    client = api("owner")
    satisfy_gates(campaign, "planning")
    assert client.post(f"/campaigns/{campaign.id}/transition", {"to": "planning"}).status_code == 200
    total = campaign.tasks.count()
    campaign.tasks.filter(code="T001").update(owner=users["member"])
    refused = client.post(f"/campaigns/{campaign.id}/transition", {"to": "executing"})
    assert refused.status_code == 409
    assert f"{total - 1} tasks have no owner." in refused.json()["unmet"]
    assert Campaign.objects.get(pk=campaign.id).status == "planning"
    assert StatusChange.objects.filter(campaign=campaign).count() == 1

    satisfy_gates(campaign, "executing")  # the other apps' conditions (e.g. an approved budget)
    campaign.tasks.update(owner=users["member"])
    satisfy_gates(campaign, "executing")  # the other conditions (e.g. plan.raci: one A per task)
    moved = client.post(f"/campaigns/{campaign.id}/transition", {"to": "executing"})
    assert moved.status_code == 200, moved.content
    assert moved.json()["status"] == "executing"
    assert list(StatusChange.objects.filter(campaign=campaign).values_list("to_status", "actor")) == [
        ("executing", users["owner"].pk),
        ("planning", users["owner"].pk),
    ]
    assert AuditEntry.objects.filter(campaign=campaign, action="transition", actor=users["owner"]).count() == 2


def test_an_empty_plan_cannot_start_executing(api, users):
    client = api("owner")
    cid = create_via_api(client, description="目标", budget_total=1000)["id"]
    satisfy_gates(Campaign.objects.get(pk=cid), "planning")
    assert client.post(f"/campaigns/{cid}/transition", {"to": "planning"}).status_code == 200
    refused = client.post(f"/campaigns/{cid}/transition", {"to": "executing"})
    assert refused.status_code == 409
    assert "The plan has no tasks yet." in refused.json()["unmet"]


def test_illegal_and_unknown_moves(api, campaign):
    client = api("owner")
    since = last_audit_id()
    illegal = client.post(f"/campaigns/{campaign.id}/transition", {"to": "archived"})
    assert illegal.status_code == 409
    assert "archived" in illegal.json()["detail"]
    unknown = client.post(f"/campaigns/{campaign.id}/transition", {"to": "finished"})
    assert unknown.status_code == 422
    assert [e["field"] for e in unknown.json()["errors"]] == ["to"]
    campaign.refresh_from_db()
    assert (campaign.status, campaign.version) == ("preparing", 1)
    assert not StatusChange.objects.filter(campaign=campaign).exists()
    assert new_audit_entries(since) == []


def test_cancel_and_reopen_are_recorded(api, users, campaign):
    client = api("manager")
    assert client.post(f"/campaigns/{campaign.id}/transition", {"to": "cancelled"}).json()["status"] == "cancelled"
    assert client.post(f"/campaigns/{campaign.id}/transition", {"to": "planning"}).status_code == 409
    assert client.post(f"/campaigns/{campaign.id}/transition", {"to": "preparing"}).json()["status"] == "preparing"
    changes = StatusChange.objects.filter(campaign=campaign).order_by("id")
    assert [(c.from_status, c.to_status, c.actor) for c in changes] == [
        ("preparing", "cancelled", users["manager"]),
        ("cancelled", "preparing", users["manager"]),
    ]


# --- every write leaves exactly one audit entry ------------------------------------------------------


def _first_task(campaign):
    return campaign.tasks.order_by("sort_order").first()


WRITES = {
    # name: (actor, call(client, campaign) → response, expected status, action, object type, before?, after?)
    "create campaign": (
        "member",
        lambda c, cp: c.post("/campaigns", {"name": "新活动", "start_date": "2025-07-01", "end_date": "2025-07-31"}),
        201,
        "create",
        "campaigns.campaign",
        False,
        True,
    ),
    "update campaign": (
        "owner",
        lambda c, cp: c.patch(f"/campaigns/{cp.id}", {"version": cp.version, "description": "新目标"}),
        200,
        "update",
        "campaigns.campaign",
        True,
        True,
    ),
    "delete campaign": (
        "owner",
        lambda c, cp: c.delete(f"/campaigns/{cp.id}"),
        204,
        "delete",
        "campaigns.campaign",
        True,
        True,
    ),
    "add member": (
        "owner",
        lambda c, cp: c.post(f"/campaigns/{cp.id}/members", {"username": "finance1", "role": "viewer"}),
        201,
        "member_add",
        "campaigns.membership",
        False,
        True,
    ),
    "transition": (
        "owner",
        lambda c, cp: (satisfy_gates(cp, "planning"), c.post(f"/campaigns/{cp.id}/transition", {"to": "planning"}))[1],
        200,
        "transition",
        "campaigns.campaign",
        True,
        True,
    ),
    "create task": (
        "member",
        lambda c, cp: c.post(f"/campaigns/{cp.id}/tasks", {"name": "物料采购", "owner": "member1"}),
        201,
        "create",
        "planning.task",
        False,
        True,
    ),
    "update task": (
        "member",
        lambda c, cp: c.patch(
            f"/tasks/{_first_task(cp).id}",
            {"version": _first_task(cp).version, "status": "in_progress", "progress": 40},
        ),
        200,
        "update",
        "planning.task",
        True,
        True,
    ),
    "delete task": (
        "member",
        lambda c, cp: c.delete(f"/tasks/{_first_task(cp).id}"),
        204,
        "delete",
        "planning.task",
        True,
        False,
    ),
}


@pytest.mark.parametrize("name", list(WRITES))
def test_every_write_leaves_exactly_one_audit_entry(api, users, campaign, name):
    actor, call, status, action, object_type, has_before, has_after = WRITES[name]
    client = api(actor)  # (issuing the client's token is itself audited, so take the mark after it)
    since = last_audit_id()
    response = call(client, campaign)
    assert response.status_code == status, response.content
    entry = the_new_audit_entry(since)
    assert entry.actor == users[actor]
    assert (entry.action, entry.object_type) == (action, object_type)
    assert (entry.before is not None, entry.after is not None) == (has_before, has_after)
    if object_type != "campaigns.campaign" or action != "create":
        assert entry.campaign_id == campaign.id
    if has_before and has_after:
        assert entry.before != entry.after


def test_task_writes_through_the_api(api, users, campaign):
    client = api("member")
    created = client.post(
        f"/campaigns/{campaign.id}/tasks",
        {
            "name": "直播设备调试",
            "owner": "member1",
            "start_date": "2025-06-10",
            "end_date": "2025-06-12",
            "milestone": True,
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    n = campaign.tasks.count()
    assert body["code"] == f"T{n:03d}"  # next free code after the generated ones
    assert (body["owner"], body["milestone"], body["version"], body["status"]) == ("member1", True, 1, "not_started")
    task = Task.objects.get(pk=body["id"])
    assert (task.owner, task.end_date) == (users["member"], dt.date(2025, 6, 12))

    patched = client.patch(
        f"/tasks/{task.id}", {"version": 1, "status": "delayed", "delay_reason": "供应商延期", "progress": 30}
    )
    assert patched.status_code == 200, patched.content
    assert (patched.json()["status"], patched.json()["version"]) == ("delayed", 2)
    stale = client.patch(f"/tasks/{task.id}", {"version": 1, "progress": 90})
    assert stale.status_code == 409 and stale.json()["current_version"] == 2
    task.refresh_from_db()
    assert (task.status, task.progress, task.delay_reason, task.version) == ("delayed", 30, "供应商延期", 2)
    done = client.patch(f"/tasks/{task.id}", {"version": 2, "status": "done"})
    assert done.json()["progress"] == 100

    assert client.delete(f"/tasks/{task.id}").status_code == 204
    assert not Task.objects.filter(pk=task.id).exists()
    assert client.get(f"/tasks/{task.id}").status_code == 404


def test_history_lists_the_campaigns_audit_entries(api, users, campaign):
    client = api("owner")
    client.patch(f"/campaigns/{campaign.id}", {"version": 1, "name": "改名"})
    response = client.get(f"/campaigns/{campaign.id}/history")
    assert response.status_code == 200
    rows = response.json()
    assert [r["action"] for r in rows][:2] == ["update", "create"]
    assert rows[0]["actor"] == "owner1"
    assert rows[0]["before"]["name"] == "2024年夏季新品促销" and rows[0]["after"]["name"] == "改名"


def test_an_inactive_users_token_is_refused(api_for):
    user = make_user("gone1")
    client = api_for(user)
    assert client.get("/campaigns").status_code == 200
    user.is_active = False
    user.save()
    assert client.get("/campaigns").status_code == 401
