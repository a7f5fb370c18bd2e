"""The campaigns API's JSON, field by field and in order: campaigns, members, history and playbooks."""

from campaignflow.campaigns.models import Playbook
from tests.support.api_shapes import call, same

CLOCK = {"created_at", "updated_at", "deleted_at", "at", "object_id"}

CAMPAIGN = {
    "id": "<int>",
    "name": "2024年夏季新品促销",
    "type": "general",
    "description": "销售额提升30%，新增会员3000人",
    "status": "preparing",
    "start_date": "2025-06-01",
    "end_date": "2025-06-30",
    "budget_total": "500000.00",
    "currency": "CNY",
    "owner": "owner1",
    "industry": "",
    "tags": [],
    "playbook": "enterprise-campaign",
    "playbook_version": 1,
    "my_role": "owner",
    "task_count": 15,  # the enterprise playbook's steps, 场地搭建与物料布置 among them (#20)
    "tasks_done": 0,
    "progress": 0.0,
    "version": 1,
    "created_at": "<str>",
    "updated_at": "<str>",
    "deleted_at": None,
    "warnings": [],
}


def test_campaign_get_list_patch_json(owner_api, campaign):
    same(call(owner_api, "get", f"/campaigns/{campaign.id}", clock=CLOCK), (200, CAMPAIGN))
    same(call(owner_api, "get", "/campaigns", clock=CLOCK), (200, [CAMPAIGN]))
    change = {"version": 1, "name": "改名", "tags": ["x"], "budget_total": None}
    patched = CAMPAIGN | {"name": "改名", "tags": ["x"], "budget_total": None, "version": 2}
    same(call(owner_api, "patch", f"/campaigns/{campaign.id}", change, clock=CLOCK), (200, patched))


def test_campaign_create_json(owner_api, campaign):
    create = {
        "name": "新品发布",
        "start_date": "2020-01-01",
        "end_date": "2020-02-01",
        "playbook": "enterprise-campaign",
        "budget_total": "1000",
        "tags": ["a"],
        "owner": "manager1",
    }
    made = CAMPAIGN | {
        "name": "新品发布",
        "description": "",
        "start_date": "2020-01-01",
        "end_date": "2020-02-01",
        "budget_total": "1000.00",
        "owner": "manager1",
        "tags": ["a"],
    }
    same(call(owner_api, "post", "/campaigns", create, clock=CLOCK), (201, made))
    empty = {"name": "空计划", "start_date": "2020-01-01", "end_date": "2020-02-01"}
    blank = CAMPAIGN | {
        "name": "空计划",
        "description": "",
        "start_date": "2020-01-01",
        "end_date": "2020-02-01",
        "budget_total": None,
        "playbook": None,
        "playbook_version": None,
        "task_count": 0,
    }
    same(call(owner_api, "post", "/campaigns", empty, clock=CLOCK), (201, blank))


def test_a_created_campaign_answers_the_playbooks_warnings(owner_api, campaign):
    # a year beyond the holiday calendar: the working-day steps are counted without holidays, and it says so
    body = {"name": "远期", "start_date": "2099-01-01", "end_date": "2099-02-01", "playbook": "enterprise-campaign"}
    answer = owner_api.post("/campaigns", body).json()
    assert answer["warnings"] and all(isinstance(w, str) for w in answer["warnings"])
    assert owner_api.get(f"/campaigns/{answer['id']}").json()["warnings"] == []


def test_transition_delete_restore_json(api_for, owner_api, users, campaign):
    cancelled = CAMPAIGN | {"status": "cancelled", "version": 2}
    transition = call(owner_api, "post", f"/campaigns/{campaign.id}/transition", {"to": "cancelled"}, clock=CLOCK)
    same(transition, (200, cancelled))
    same(call(owner_api, "delete", f"/campaigns/{campaign.id}"), (204, None))
    restored = call(api_for(users["admin"]), "post", f"/campaigns/{campaign.id}/restore", clock=CLOCK)
    same(restored, (200, cancelled | {"my_role": "owner", "version": 4}))


def test_members_json(owner_api, campaign):
    base = f"/campaigns/{campaign.id}/members"
    members = [
        {"id": "<int>", "username": "owner1", "display_name": "王经理", "role": "owner"},
        *(
            {"id": "<int>", "username": name, "display_name": name, "role": role}
            for name, role in (
                ("manager1", "manager"),
                ("member1", "member"),
                ("viewer1", "viewer"),
                ("partner1", "partner"),
            )
        ),
    ]
    same(call(owner_api, "get", base), (200, members))
    added = {"id": "<int>", "username": "outsider1", "display_name": "outsider1", "role": "viewer"}
    same(call(owner_api, "post", base, {"username": "outsider1", "role": "viewer"}), (201, added))
    member_id = owner_api.get(base).json()[-1]["id"]
    same(call(owner_api, "patch", f"{base}/{member_id}", {"role": "member"}), (200, added | {"role": "member"}))


def test_history_json(owner_api, campaign):
    owner_api.post(f"/campaigns/{campaign.id}/members", {"username": "outsider1", "role": "viewer"})
    status, entries = call(owner_api, "get", f"/campaigns/{campaign.id}/history", clock=CLOCK)
    entry = {
        "id": "<int>",
        "at": "<str>",
        "actor": "owner1",
        "action": "member_add",
        "object_type": "campaigns.membership",
        "object_id": "<str>",
        "object_repr": "outsider1 @ 2024年夏季新品促销 (viewer)",
        "before": None,
        "after": {"user": "outsider1", "role": "viewer"},
    }
    same((status, entries[0]), (200, entry))
    assert [e["action"] for e in entries] == ["member_add", "create"]


STEP_FIELDS = ("name", "owner_role", "anchor", "offset_days", "workdays", "output", "remark")


def _phases_json(phases: list[dict]) -> list[dict]:
    """The stored phases as PhaseOut/StepOut show them (other keys, e.g. a phase's name_en, left out)."""
    return [
        {"name": p["name"], "goal": p.get("goal", ""), "steps": [{k: s[k] for k in STEP_FIELDS} for s in p["steps"]]}
        for p in phases
    ]


def _playbook_json(playbook: Playbook, **extra) -> dict:
    version = playbook.latest()
    return {
        "key": playbook.key,
        "name": playbook.name,
        "name_en": playbook.name_en,
        "description": playbook.description,
        "campaign_type": playbook.campaign_type,
        "builtin": playbook.is_builtin,
        "version": version.number,
        "phases": _phases_json(version.phases),
    } | extra


def test_playbook_json(owner_api, campaign):
    enterprise = Playbook.objects.get(key="enterprise-campaign")
    assert enterprise.name_en and enterprise.description and enterprise.is_builtin
    same(call(owner_api, "get", "/playbooks/enterprise-campaign"), (200, _playbook_json(enterprise)))
    listed = owner_api.get("/playbooks").json()
    same(next(p for p in listed if p["key"] == "enterprise-campaign"), _playbook_json(enterprise))
    assert len(listed) == Playbook.objects.count()
    copy = call(owner_api, "post", "/playbooks/enterprise-campaign/copy", {"key": "my-copy", "name": "我的流程"})
    mine = Playbook.objects.get(key="my-copy")
    same(copy, (201, _playbook_json(mine, name="我的流程", builtin=False)))
    phases = _phases_json(mine.latest().phases[:1])
    saved = call(owner_api, "post", "/playbooks/my-copy/versions", {"version": mine.version, "phases": phases})
    new_version = _playbook_json(mine, name="我的流程", builtin=False, version=2, phases=phases)
    same(saved, (201, new_version))
    same(call(owner_api, "get", "/playbooks/my-copy"), (200, new_version))
