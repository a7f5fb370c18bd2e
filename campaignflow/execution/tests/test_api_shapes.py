"""The execution API's JSON, field by field and in order, for a fixed data set: what every list, create
and patch answers (and with which status). Ids and the stamps the server takes from the clock are
replaced by their type, so a change of schema or mapping that renames, retypes, drops or reorders a field
fails here."""

import pytest

from tests.support import api_shapes
from tests.support.api_shapes import assert_patch_documents_create, same

CLOCK = {"first_response_at", "resolved_at", "done_at", "published_at", "figures_fixed_at", "sla_seconds_left"}


def shape(body, *, text=()):
    """The body with ids and clock stamps (and the `text` fields, generated prose) replaced by their type."""
    return api_shapes.shape(body, CLOCK | set(text))


def call(api, method, path, payload=None, *, text=()):
    return api_shapes.call(api, method, path, payload, clock=CLOCK | set(text))


RISK = {
    "id": "<int>",
    "code": "R001",
    "title": "场地供电不稳",
    "category": "technical",
    "likelihood": 4,
    "impact": 5,
    "score": 20,
    "level": "high",
    "mitigation": "备用发电机",
    "contingency_plan": "切换到室内场地",
    "trigger": "停电超过5分钟",
    "owner": "owner1",
    "status": "open",
    "version": 1,
}


ISSUE = {
    "id": "<int>",
    "code": "Q001",
    "description": "到场率低于预期",
    "severity": "high",
    "owner": "owner1",
    "status": "open",
    "solution": "",
    "found_at": "2026-03-02T01:00:00Z",
    "first_response_at": None,
    "resolved_at": None,
    "response_due": "2026-03-03T01:00:00Z",
    "resolution_due": "2026-03-04T01:00:00Z",
    "response_breached": True,
    "resolution_breached": True,
    "sla_seconds_left": "<float>",
    "version": 1,
}


LOG = {
    "id": "<int>",
    "at": "2026-03-02T02:30:00Z",
    "event": "签到台排队",
    "handling": "加开通道",
    "result": "",
    "author": "owner1",
    "version": 1,
}


SEGMENT = {
    "id": "<int>",
    "segment": "开场致辞",
    "starts_at": "2026-03-02T06:00:00Z",
    "minutes": 10,
    "owner": "member1",
    "notes": "",
    "done_at": None,
    "version": 1,
}


# Each: the path, the list row, what to create it with, how the create answer differs (a stamp comes back
# as sent, in UTC once read back), a change and how the patch answer differs.
CREATE_LIST_PATCH = [
    pytest.param(
        "risks",
        RISK,
        {
            "title": "场地供电不稳",
            "category": "technical",
            "likelihood": 4,
            "impact": 5,
            "mitigation": "备用发电机",
            "contingency_plan": "切换到室内场地",
            "trigger": "停电超过5分钟",
            "owner": "owner1",
        },
        {},
        {"likelihood": 2, "owner": None},
        {"likelihood": 2, "score": 10, "level": "medium", "owner": None},
        id="risks",
    ),
    pytest.param(
        "issues",
        ISSUE,
        {
            "description": "到场率低于预期",
            "severity": "high",
            "owner": "owner1",
            "found_at": "2026-03-02T09:00:00+08:00",
        },
        {
            "found_at": "2026-03-02T09:00:00+08:00",
            "response_due": "2026-03-03T09:00:00+08:00",
            "resolution_due": "2026-03-04T09:00:00+08:00",
        },
        {"status": "resolved", "solution": "加派引导员"},
        {
            "status": "resolved",
            "solution": "加派引导员",
            "first_response_at": "<str>",
            "resolved_at": "<str>",
            "sla_seconds_left": None,
        },
        id="issues",
    ),
    pytest.param(
        "logs",
        LOG,
        {"event": "签到台排队", "at": "2026-03-02T10:30:00+08:00", "handling": "加开通道"},
        {"at": "2026-03-02T10:30:00+08:00"},
        {"result": "十分钟内疏解"},
        {"result": "十分钟内疏解"},
        id="logs",
    ),
    pytest.param(
        "run-of-show",
        SEGMENT,
        {"segment": "开场致辞", "starts_at": "2026-03-02T14:00:00+08:00", "minutes": 10, "owner": "member1"},
        {"starts_at": "2026-03-02T14:00:00+08:00"},
        {"done": True, "notes": "准时"},
        {"notes": "准时", "done_at": "<str>"},
        id="run-of-show",
    ),
]


@pytest.mark.parametrize(("path", "row", "create", "as_created", "change", "as_patched"), CREATE_LIST_PATCH)
def test_create_list_patch_json(owner_api, campaign, path, row, create, as_created, change, as_patched):
    base = f"/campaigns/{campaign.id}/{path}"
    same(call(owner_api, "post", base, create), (201, row | as_created))
    same(call(owner_api, "get", base), (200, [row]))
    object_id = owner_api.get(base).json()[0]["id"]
    patched = call(owner_api, "patch", f"/{path}/{object_id}", {"version": 1} | change)
    same(patched, (200, row | as_patched | {"version": 2}))


STANDUP = {
    "id": "<int>",
    "user": "owner1",
    "date": "2026-03-02",
    "done": "确认物料",
    "not_done": "",
    "not_done_reason": "",
    "need_support": "设计支持",
    "version": 1,
}


def test_standup_json(owner_api, campaign):
    base = f"/campaigns/{campaign.id}/standups"
    first = {"date": "2026-03-02", "done": "确认物料", "need_support": "设计支持"}
    same(call(owner_api, "post", base, first), (201, STANDUP))
    again = {
        "date": "2026-03-02",
        "done": "确认物料",
        "version": 1,
        "not_done": "彩排",
        "not_done_reason": "场地未开放",
    }
    rewritten = STANDUP | {"not_done": "彩排", "not_done_reason": "场地未开放", "need_support": "", "version": 2}
    same(call(owner_api, "post", base, again), (200, rewritten))
    same(call(owner_api, "get", base, {"user": "owner1"}), (200, [rewritten]))


REPORT = {
    "id": "<int>",
    "week_start": "2025-06-02",
    "status": "draft",
    "key_results": "曝光120万",
    "delayed_tasks": "",
    "next_week_plan": "复盘",
    "resources": "无",
    "published_at": None,
    "published_by": None,
    "version": 2,
    "figures_fixed_at": None,
}
PROSE = {"key_results", "delayed_tasks", "next_week_plan", "resources"}


def test_weekly_report_json(owner_api, campaign):
    base = f"/campaigns/{campaign.id}/weekly-reports"
    draft = REPORT | dict.fromkeys(PROSE, "<str>") | {"version": 1}
    same(call(owner_api, "post", base, {"week_start": "2025-06-02"}, text=PROSE), (201, draft))
    report_id = owner_api.get(base).json()[0]["id"]
    edit = {"version": 1, "key_results": "曝光120万", "delayed_tasks": "", "next_week_plan": "复盘", "resources": "无"}
    same(call(owner_api, "patch", f"/weekly-reports/{report_id}", edit), (200, REPORT))
    published = REPORT | {
        "status": "published",
        "published_at": "<str>",
        "published_by": "owner1",
        "version": 3,
        "figures_fixed_at": "<str>",
    }
    same(call(owner_api, "post", f"/weekly-reports/{report_id}/publish", {"version": 2}), (200, published))
    same(call(owner_api, "get", base), (200, [published]))


def test_execution_settings_json(owner_api, campaign):
    base = f"/campaigns/{campaign.id}/execution-settings"
    same(call(owner_api, "get", base), (200, {"response_sla_hours": 24, "resolution_sla_hours": 48, "version": 1}))
    patched = call(owner_api, "patch", base, {"version": 1, "response_sla_hours": 12})
    same(patched, (200, {"response_sla_hours": 12, "resolution_sla_hours": 48, "version": 2}))


@pytest.mark.parametrize(
    ("path", "create", "change", "field"),
    [
        ("risks", {"title": "断电"}, {"likelihood": 9}, "likelihood"),
        ("risks", {"title": "断电"}, {"title": "长" * 201}, "title"),
        ("issues", {"description": "排队"}, {"solution": "x" * 5001}, "solution"),
        ("logs", {"event": "排队"}, {"event": "x" * 501}, "event"),
        ("run-of-show", {"segment": "开场", "starts_at": "2026-03-02T06:00:00Z"}, {"minutes": 0}, "minutes"),
        ("risks", {"title": "断电"}, {"status": "closed", "version": None}, "version"),
    ],
)
def test_a_refused_patch_names_the_field_and_writes_nothing(owner_api, campaign, path, create, change, field):
    created = owner_api.post(f"/campaigns/{campaign.id}/{path}", create).json()
    response = owner_api.patch(f"/{path}/{created['id']}", {"version": 1} | change)
    assert response.status_code == 422 and field in response.json()["detail"]
    assert shape(owner_api.get(f"/campaigns/{campaign.id}/{path}").json()) == [shape(created)]


@pytest.mark.parametrize(
    ("create", "patch", "left_out", "added"),
    [
        ("RiskIn", "RiskPatch", set(), set()),
        ("IssueIn", "IssuePatch", {"found_at"}, set()),
        ("LogIn", "LogPatch", set(), set()),
        ("SegmentIn", "SegmentPatch", set(), {"done"}),
    ],
)
def test_the_patch_documents_the_create_fields_and_limits_optional_plus_version(
    api_for, users, create, patch, left_out, added
):
    schemas = api_for(users["admin"]).get("/openapi.json").json()["components"]["schemas"]
    assert_patch_documents_create(schemas, create, patch, left_out=left_out, added=added)
