"""The plan API's JSON, field by field and in order, for a fixed plan: what a task's create, read, list and
patch answer, a dependency's create, the baselines, the periods and the plan settings (and with which
status). Ids and the stamps the server takes from the clock are replaced by their type (the helpers of
execution/tests/test_api_shapes.py), so a change of schema or mapping that renames, retypes, drops or
reorders a field fails here."""

import pytest

from campaignflow.execution.tests.test_api_shapes import call, same, shape
from campaignflow.planning.models import Task
from tests.support.api_shapes import assert_patch_documents_create

TODAY = {"actual_start", "actual_finish", "created_at"}  # set from the clock


@pytest.fixture
def owner_api(owner_api, campaign):
    """The owner's client, on a campaign without the playbook's tasks."""
    Task.objects.filter(campaign=campaign).delete()
    return owner_api


POSTER = {
    "id": "<int>",
    "code": "T001",
    "name": "预热海报设计",
    "phase": "预热期",
    "module": "设计",
    "owner": "member1",
    "owner_role": "设计师",
    "start_date": "2030-06-01",
    "end_date": "2030-06-03",
    "status": "not_started",
    "progress": 0,
    "milestone": False,
    "deliverable": "3张海报",
    "acceptance": "品牌部签字",
    "delay_reason": "",
    "remark": "加急",
    "depends_on": [],
    "actual_start": None,
    "actual_finish": None,
    "slip_days": 0,
    "at_risk": False,
    "critical": True,
    "version": 1,
}
BLANK = dict.fromkeys(("phase", "module", "owner_role", "deliverable", "acceptance", "remark"), "")
POSTER_IN = {k: POSTER[k] for k in (*BLANK, "name", "owner", "start_date", "end_date")}  # what it is created with
LAUNCH = POSTER | BLANK | {"code": "M1", "name": "上线", "owner": None, "start_date": None, "end_date": "2030-06-10"}
LAUNCH |= {"milestone": True, "depends_on": [{"task": "<poster id>", "type": "FS", "lag_days": 2, "workdays": False}]}


def _with_poster(row: dict, poster_id: int) -> dict:
    return row | {"depends_on": [d | {"task": poster_id} for d in row["depends_on"]]}


def test_task_create_get_list_patch_delete_json(owner_api, campaign):
    base = f"/campaigns/{campaign.id}/tasks"
    same(call(owner_api, "post", base, POSTER_IN), (201, POSTER))
    poster_id = owner_api.get(base).json()[0]["id"]
    launch_in = {"name": "上线", "code": "M1", "end_date": "2030-06-10", "milestone": True}
    launch_in["depends_on"] = [{"task": "T001", "lag_days": 2}]
    launch = _with_poster(LAUNCH, poster_id)
    same(call(owner_api, "post", base, launch_in), (201, launch))
    poster = POSTER | {"critical": False}  # two days of slack before the lag and the milestone
    same(call(owner_api, "get", base), (200, [poster, launch]))
    same(call(owner_api, "get", f"/tasks/{poster_id}"), (200, poster))

    change = {"version": 1, "status": "in_progress", "progress": 40, "owner": None, "end_date": "2030-06-09"}
    patched = POSTER | {"status": "in_progress", "progress": 40, "owner": None, "end_date": "2030-06-09"}
    patched |= {"actual_start": "<str>", "version": 2}  # its end plus the lag now passes the milestone
    same(call(owner_api, "patch", f"/tasks/{poster_id}", change, text=TODAY), (200, patched))
    slipped = launch | {"slip_days": 1, "at_risk": True}
    same(call(owner_api, "get", base, text=TODAY), (200, [patched, slipped]))

    launch_id = owner_api.get(base).json()[1]["id"]
    relinked = {"version": 1, "depends_on": [{"task": poster_id, "type": "SS", "lag_days": 1, "workdays": True}]}
    as_relinked = launch | {"depends_on": relinked["depends_on"], "version": 2}
    same(call(owner_api, "patch", f"/tasks/{launch_id}", relinked), (200, as_relinked))
    same(call(owner_api, "get", base, text=TODAY), (200, [patched | {"critical": False}, as_relinked]))

    assert owner_api.delete(f"/tasks/{launch_id}").status_code == 204
    assert shape(owner_api.get(base).json(), text=TODAY) == [patched]


def test_dependency_json(owner_api, campaign):
    base = f"/campaigns/{campaign.id}/tasks"
    poster = owner_api.post(base, POSTER_IN).json()
    launch = owner_api.post(base, {"name": "上线", "end_date": "2030-06-10", "milestone": True}).json()
    link = {"predecessor": poster["id"], "successor": launch["id"], "type": "FF", "lag_days": 1}
    expected = {"id": "<int>", **link, "successor_version": 2}
    same(call(owner_api, "post", f"/campaigns/{campaign.id}/dependencies", link), (201, expected))
    with_version = {"predecessor": "T001", "successor": launch["id"], "version": 2}
    refused = owner_api.post(f"/campaigns/{campaign.id}/dependencies", with_version)
    assert refused.status_code == 409  # already linked


def test_baseline_json(owner_api, campaign):
    base = f"/campaigns/{campaign.id}/baselines"
    baseline = {"id": "<int>", "name": "V1.0 批准版", "created_at": "<str>", "created_by": "owner1"}
    same(call(owner_api, "post", base, {"name": "  V1.0 批准版 "}, text=TODAY), (201, baseline))
    same(call(owner_api, "get", base, text=TODAY), (200, [baseline]))


def test_periods_json(owner_api, campaign):
    base = f"/campaigns/{campaign.id}/periods"
    same(call(owner_api, "get", base), (200, {"version": 1, "periods": []}))
    periods = [
        {"kind": "burst", "start_date": "2030-06-08", "end_date": "2030-06-18"},
        {"kind": "warmup", "start_date": "2030-06-01", "end_date": "2030-06-07"},
    ]
    answer = {"version": 2, "periods": [periods[1], periods[0]]}  # by start date
    same(call(owner_api, "put", base, {"version": 1, "periods": periods}), (200, answer))
    same(call(owner_api, "get", base), (200, answer))


def test_plan_settings_json(owner_api, campaign):
    base = f"/campaigns/{campaign.id}/plan-settings"
    same(call(owner_api, "get", base), (200, {"auto_schedule": False, "version": 1}))
    same(
        call(owner_api, "patch", base, {"version": 1, "auto_schedule": True}),
        (200, {"auto_schedule": True, "version": 2}),
    )
    same(call(owner_api, "patch", base, {"version": 2}), (200, {"auto_schedule": True, "version": 3}))


def test_the_task_patch_documents_the_create_fields_and_limits_optional_plus_version(api_for, users):
    schemas = api_for(users["admin"]).get("/openapi.json").json()["components"]["schemas"]
    assert_patch_documents_create(schemas, "TaskIn", "TaskPatch", left_out={"code"})  # fixed once created
    create_props, patch_doc = schemas["TaskIn"]["properties"], schemas["TaskPatch"]
    assert list(patch_doc["properties"]) == ["version", *(name for name in create_props if name != "code")]
    assert patch_doc["properties"]["depends_on"]["description"] == "replaces the whole list"


def test_a_partners_task_json(owner_api, api_for, users, campaign):
    """A partner sees only the tasks they own: the answer still lists every link of their task, and the
    flags come from the plan they see."""
    base = f"/campaigns/{campaign.id}/tasks"
    poster = owner_api.post(base, POSTER_IN).json()
    theirs = {"name": "上线", "owner": "partner1", "end_date": "2030-06-04", "depends_on": [{"task": "T001"}]}
    task = owner_api.post(base, theirs).json()
    partner = api_for(users["partner"])
    row = {
        **POSTER,
        **BLANK,
        "code": "T002",
        "name": "上线",
        "owner": "partner1",
        "start_date": None,
        "end_date": "2030-06-04",
        "depends_on": [{"task": poster["id"], "type": "FS", "lag_days": 0, "workdays": False}],
    }
    same(call(partner, "get", base), (200, [row]))
    same(call(partner, "get", f"/tasks/{task['id']}"), (200, row))
    change = {"version": 1, "status": "delayed", "delay_reason": "档期"}
    as_patched = row | {"status": "delayed", "delay_reason": "档期", "actual_start": "<str>", "version": 2}
    same(call(partner, "patch", f"/tasks/{task['id']}", change, text=TODAY), (200, as_patched))
    assert partner.patch(f"/tasks/{task['id']}", {"version": 2, "name": "改名"}).status_code == 403


def test_a_link_that_moves_its_successor_answers_the_stored_version(owner_api, campaign):
    owner_api.patch(f"/campaigns/{campaign.id}/plan-settings", {"version": 1, "auto_schedule": True})
    base = f"/campaigns/{campaign.id}/tasks"
    poster = owner_api.post(base, POSTER_IN).json()
    print_run = owner_api.post(base, {"name": "印刷", "start_date": "2030-06-02", "end_date": "2030-06-04"}).json()
    link = {"predecessor": poster["id"], "successor": print_run["id"]}
    answer = owner_api.post(f"/campaigns/{campaign.id}/dependencies", link).json()
    moved = Task.objects.get(pk=print_run["id"])
    assert moved.start_date.isoformat() == "2030-06-04"  # after the poster, as auto-scheduling moved it
    assert answer["successor_version"] == moved.version == 3
