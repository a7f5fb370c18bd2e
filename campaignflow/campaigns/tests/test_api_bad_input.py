"""Bad input gets a 4xx whose JSON text names the field, never a 5xx, and nothing is written."""

import pytest

from campaignflow.campaigns.models import Campaign, Membership
from campaignflow.core.models import AuditEntry
from campaignflow.execution.models import Risk
from campaignflow.planning.models import Task

pytestmark = pytest.mark.django_db

VALID = {"name": "双12年终盛典", "start_date": "2025-12-01", "end_date": "2025-12-31"}
MISSING = object()


@pytest.fixture
def owner(api_for, users):
    client = api_for(users["owner"])
    client.headers["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def counts() -> dict:
    return {
        "campaigns": Campaign.objects.count(),
        "tasks": Task.objects.count(),
        "members": Membership.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


def assert_refused(response, field: str, statuses=(422,)):
    assert response.status_code in statuses, (response.status_code, response.content)
    body = response.json()
    assert field in body["detail"], body
    if "errors" in body:
        named = {e["field"] for e in body["errors"]}
        assert any(f == field or f.startswith(f"{field}.") for f in named), body["errors"]


# --- POST /campaigns ----------------------------------------------------------------------------

# each date is refused as the start and as the end
BAD_DATES = {"month-13": "2025-13-01", "words": "tomorrow", "feb-30": "2025-02-30", "empty": "", "year-1": "0001-01-01"}

CREATE_CASES = [
    *(
        (f"{side}-{name}", {f"{side}_date": date}, f"{side}_date")
        for side in ("start", "end")
        for name, date in BAD_DATES.items()
    ),
    ("end-missing", {"end_date": MISSING}, "end_date"),
    ("end-before-start", {"start_date": "2025-12-31", "end_date": "2025-12-01"}, "end_date"),
    ("unknown-playbook", {"playbook": "no-such-playbook"}, "playbook"),
    ("name-missing", {"name": MISSING}, "name"),
    ("name-empty", {"name": ""}, "name"),
    ("name-blank", {"name": "   "}, "name"),
    ("name-201-chars", {"name": "活" * 201}, "name"),
    ("name-not-text", {"name": 12}, "name"),
    ("name-nul", {"name": "双12\x00盛典"}, "name"),
    ("description-nul", {"description": "\x00"}, "description"),
    ("budget-negative", {"budget_total": -1}, "budget_total"),
    ("budget-negative-text", {"budget_total": "-0.01"}, "budget_total"),
    ("budget-abc", {"budget_total": "abc"}, "budget_total"),
    ("budget-nan", {"budget_total": "NaN"}, "budget_total"),
    ("budget-infinite", {"budget_total": "Infinity"}, "budget_total"),
    ("budget-huge", {"budget_total": 1e20}, "budget_total"),
    ("budget-3-decimals", {"budget_total": "10.001"}, "budget_total"),
    ("tags-21", {"tags": [f"标签{i}" for i in range(21)]}, "tags"),
    ("tag-41-chars", {"tags": ["x" * 41]}, "tags"),
    ("tags-not-list", {"tags": "a,b"}, "tags"),
    ("tag-nul", {"tags": ["ok", "b\x00d"]}, "tags"),
    ("unknown-owner", {"owner": "nobody-here"}, "owner"),
    ("unknown-type", {"type": "party"}, "type"),
]


@pytest.mark.parametrize(("changes", "field"), [c[1:] for c in CREATE_CASES], ids=[c[0] for c in CREATE_CASES])
def test_create_campaign_refuses_bad_input(owner, playbooks, changes, field):
    payload = {**VALID, "playbook": "enterprise-campaign"}
    payload.update(changes)
    payload = {k: v for k, v in payload.items() if v is not MISSING}
    before = counts()
    response = owner.post("/campaigns", payload)
    assert_refused(response, field)
    assert counts() == before


def test_the_valid_payload_of_those_cases_is_accepted(owner, playbooks):
    """The cases above differ from a payload that works, so each refusal is about its one field."""
    before = counts()
    response = owner.post("/campaigns", {**VALID, "playbook": "enterprise-campaign"})
    assert response.status_code == 201, response.content
    assert counts()["campaigns"] == before["campaigns"] + 1
    assert counts()["tasks"] > before["tasks"]


def test_every_bad_field_is_named_at_once(owner):
    response = owner.post("/campaigns", {"name": "", "start_date": "2025-13-01", "end_date": "x", "budget_total": -5})
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields >= {"start_date", "end_date", "budget_total"}


# --- PATCH /campaigns/{id} ------------------------------------------------------------------------

PATCH_CASES = [
    ("name-empty", {"name": ""}, "name"),
    ("name-null", {"name": None}, "name"),
    ("name-201-chars", {"name": "x" * 201}, "name"),
    ("start-words", {"start_date": "tomorrow"}, "start_date"),
    ("end-before-start", {"end_date": "2025-05-31"}, "end_date"),  # the campaign starts 2025-06-01
    ("start-after-end", {"start_date": "2025-07-01"}, "end_date"),
    ("budget-negative", {"budget_total": -100}, "budget_total"),
    ("budget-abc", {"budget_total": "abc"}, "budget_total"),
    ("tags-21", {"tags": ["t"] * 21}, "tags"),
    ("unknown-owner", {"owner": "nobody-here"}, "owner"),
    ("version-missing", {"version": MISSING, "name": "新名字"}, "version"),
    ("version-text", {"version": "one"}, "version"),
]


@pytest.mark.parametrize(("changes", "field"), [c[1:] for c in PATCH_CASES], ids=[c[0] for c in PATCH_CASES])
def test_patch_campaign_refuses_bad_input(owner, campaign, changes, field):
    payload = {"version": 1, **changes}
    payload = {k: v for k, v in payload.items() if v is not MISSING}
    before = counts()
    response = owner.patch(f"/campaigns/{campaign.id}", payload)
    assert_refused(response, field)
    assert counts() == before
    campaign.refresh_from_db()
    assert (campaign.version, campaign.name) == (1, "2024年夏季新品促销")


# --- ids in paths -------------------------------------------------------------------------------------

BAD_IDS = [2**70, 2**63, 0, -1, "abc", "1.5"]
ID_ROUTES = [
    ("get", "/campaigns/{id}"),
    ("patch", "/campaigns/{id}"),
    ("delete", "/campaigns/{id}"),
    ("post", "/campaigns/{id}/restore"),
    ("post", "/campaigns/{id}/transition"),
    ("get", "/campaigns/{id}/lifecycle"),
    ("get", "/campaigns/{id}/history"),
    ("get", "/campaigns/{id}/members"),
    ("post", "/campaigns/{id}/members"),
    ("get", "/campaigns/{id}/tasks"),
    ("post", "/campaigns/{id}/tasks"),
    ("get", "/tasks/{id}"),
    ("patch", "/tasks/{id}"),
    ("delete", "/tasks/{id}"),
]
BODIES = {
    "/campaigns/{id}": {"version": 1, "name": "x"},
    "/campaigns/{id}/transition": {"to": "planning"},
    "/campaigns/{id}/members": {"username": "viewer1", "role": "viewer"},
    "/campaigns/{id}/tasks": {"name": "x"},
    "/tasks/{id}": {"version": 1, "name": "x"},
}


def _call(client, method, route, ident):
    path = route.replace("{id}", str(ident))
    if method in ("get", "delete"):
        return getattr(client, method)(path)
    return getattr(client, method)(path, BODIES.get(route, {}))


@pytest.mark.parametrize(("method", "route"), ID_ROUTES, ids=[f"{m} {r}" for m, r in ID_ROUTES])
def test_out_of_range_and_malformed_ids_are_404_or_422(owner, campaign, method, route):
    before = counts()
    for ident in BAD_IDS:
        response = _call(owner, method, route, ident)
        assert response.status_code in (404, 422), (ident, response.status_code, response.content)
        body = response.json()
        assert body["detail"]
        if response.status_code == 422:
            assert ("task_id" if route.startswith("/tasks") else "campaign_id") in body["detail"]
    # The largest id the database can hold, and an unused one, do not exist: 404.
    for ident in (2**63 - 1, 987654321):
        response = _call(owner, method, route, ident)
        assert response.status_code == 404, (ident, response.content)
        assert response.json() == {"detail": "Not found."}
    assert counts() == before


def test_member_id_out_of_range(owner, campaign):
    for ident in (2**70, 0, -1):
        response = owner.delete(f"/campaigns/{campaign.id}/members/{ident}")
        assert response.status_code == 422
        assert "member_id" in response.json()["detail"]
    assert owner.delete(f"/campaigns/{campaign.id}/members/{2**63 - 1}").status_code == 404


def test_playbook_keys_that_are_not_slugs_are_refused(owner, playbooks):
    for key in ("a\x00b", "a b", "活动"):
        response = owner.get(f"/playbooks/{key}")
        assert response.status_code in (404, 422), (key, response.content)
    assert owner.get("/playbooks/" + "a" * 81).status_code in (404, 422)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start_date": "2025-09-01", "end_date": "2025-08-31"}, "end_date"),
        ({"start_date": "1900-01-01", "end_date": "2025-09-30"}, "start_date"),
        ({"start_date": "0001-01-01", "end_date": "9999-12-31"}, "end_date"),  # overflowed to a 500 before
        ({"start_date": "tomorrow", "end_date": "2025-09-30"}, "start_date"),
        ({"start_date": "2025-09-01"}, "end_date"),
    ],
    ids=["end-before-start", "year-1900", "year-9999", "words", "end-missing"],
)
def test_playbook_preview_refuses_bad_dates(owner, playbooks, params, field):
    assert_refused(owner.get("/playbooks/enterprise-campaign/preview", params), field)


def test_playbook_version_with_bad_phases_names_the_path(api_for, users, playbooks):
    client = api_for(users["owner"])
    copied = client.post("/playbooks/enterprise-campaign/copy", {"key": "my-playbook", "name": "我的模板"})
    assert copied.status_code == 201, copied.content
    before = counts()
    bad = [{"name": "筹备", "steps": [{"name": "a"}, {"name": "b", "offset_days": "3"}]}]
    response = client.post("/playbooks/my-playbook/versions", {"version": 1, "phases": bad})
    assert_refused(response, "phases[0].steps[1].offset_days")
    assert counts() == before
    builtin = client.post("/playbooks/enterprise-campaign/versions", {"version": 1, "phases": bad})
    assert builtin.status_code == 403


# --- bodies that are not JSON objects -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    ["not json{", "", "[1, 2]", '"just text"', "null", '{"name": "x", "start_date": '],
    ids=["garbage", "empty", "array", "string", "null", "truncated"],
)
def test_non_json_bodies_are_400_or_422(owner, campaign, raw):
    before = counts()
    for method, path in (
        ("post", "/api/v1/campaigns"),
        ("patch", f"/api/v1/campaigns/{campaign.id}"),
        ("post", f"/api/v1/campaigns/{campaign.id}/tasks"),
        ("post", f"/api/v1/campaigns/{campaign.id}/transition"),
    ):
        response = getattr(owner.client, method)(path, data=raw, content_type="application/json", **owner.headers)
        assert response.status_code in (400, 422), (method, path, response.status_code, response.content)
        assert response.json()["detail"]
    assert counts() == before
    campaign.refresh_from_db()
    assert (campaign.version, campaign.status) == (1, "preparing")


@pytest.mark.parametrize("raw", ['"hello world"', "[]", "[1, 2]", "3", "true"])
def test_a_body_that_is_not_an_object_is_refused_naming_the_body(owner, campaign, raw):
    """A schema whose fields all have defaults took a JSON string as an object: "hello world" made a risk
    titled "Hello World" (its fields were read as the string's attributes)."""
    before, risks = counts(), Risk.objects.count()
    for path in (f"/api/v1/campaigns/{campaign.id}/risks", f"/api/v1/campaigns/{campaign.id}/weekly-reports",
                 "/api/v1/me/notifications/read"):  # fmt: skip
        response = owner.client.post(path, data=raw, content_type="application/json", **owner.headers)
        assert response.status_code == 422, (path, response.status_code, response.content)
        assert response.json()["errors"][0]["field"] == "body"
    assert (counts(), Risk.objects.count()) == (before, risks)


def test_form_encoded_body_is_refused(owner):
    before = counts()
    response = owner.client.post("/api/v1/campaigns", data={"name": "x"}, **owner.headers)
    assert response.status_code in (400, 422)
    assert response.json()["detail"]
    assert counts() == before


def test_nul_in_query_string_is_422_naming_the_parameter(owner, campaign):
    response = owner.get("/campaigns", {"q": "夏\x00季"})
    assert_refused(response, "q")
    nested = owner.patch(f"/campaigns/{campaign.id}", {"version": 1, "tags": ["ok", "x\x00"]})
    assert_refused(nested, "tags.1")


@pytest.mark.parametrize(
    ("params", "field"),
    [({"limit": 0}, "limit"), ({"limit": "many"}, "limit"), ({"offset": -1}, "offset"), ({"q": "x" * 101}, "q")],
)
def test_list_filters_refuse_bad_values(owner, campaign, params, field):
    assert_refused(owner.get("/campaigns", params), field)


# --- unknown campaign ---------------------------------------------------------------------------------------


def test_unknown_campaign_is_404_everywhere(owner, campaign):
    missing = campaign.id + 1000
    before = counts()
    for method, route in ID_ROUTES:
        if route.startswith("/tasks"):
            continue
        response = _call(owner, method, route, missing)
        assert response.status_code == 404, (method, route, response.content)
        assert response.json() == {"detail": "Not found."}
    assert counts() == before


# --- tasks -------------------------------------------------------------------------------------------------

TASK_PATCH_CASES = [
    ("delayed-without-reason", {"status": "delayed"}, "delay_reason"),
    ("delayed-blank-reason", {"status": "delayed", "delay_reason": "   "}, "delay_reason"),
    ("progress-101", {"progress": 101}, "progress"),
    ("progress-negative", {"progress": -1}, "progress"),
    ("progress-fraction", {"progress": 50.5}, "progress"),
    ("progress-text", {"progress": "half"}, "progress"),
    ("end-before-start", {"start_date": "2025-06-10", "end_date": "2025-06-01"}, "end_date"),
    ("end-before-existing-start", {"end_date": "2025-01-01"}, "end_date"),
    ("bad-date", {"start_date": "2025-13-01"}, "start_date"),
    ("owner-not-member", {"owner": "outsider1"}, "owner"),
    ("owner-unknown", {"owner": "nobody-here"}, "owner"),
    ("unknown-status", {"status": "finished"}, "status"),
    ("name-empty", {"name": ""}, "name"),
    ("name-201-chars", {"name": "x" * 201}, "name"),
    ("deliverable-501-chars", {"deliverable": "x" * 501}, "deliverable"),
    ("version-missing", {"version": MISSING, "progress": 10}, "version"),
]


@pytest.mark.parametrize(("changes", "field"), [c[1:] for c in TASK_PATCH_CASES], ids=[c[0] for c in TASK_PATCH_CASES])
def test_task_patch_refuses_bad_input(owner, campaign, changes, field):
    task = campaign.tasks.order_by("sort_order").first()
    snapshot = (task.version, task.status, task.progress, task.start_date, task.end_date, task.owner_id, task.name)
    payload = {k: v for k, v in {"version": task.version, **changes}.items() if v is not MISSING}
    before = counts()
    response = owner.patch(f"/tasks/{task.id}", payload)
    assert_refused(response, field)
    assert counts() == before
    task.refresh_from_db()
    assert (task.version, task.status, task.progress, task.start_date, task.end_date, task.owner_id, task.name) == (
        snapshot
    )


TASK_CREATE_CASES = [
    ("name-missing", {"name": MISSING}, "name"),
    ("name-blank", {"name": "  "}, "name"),
    ("delayed-without-reason", {"status": "delayed"}, "delay_reason"),
    ("progress-101", {"progress": 101}, "progress"),
    ("end-before-start", {"start_date": "2025-06-10", "end_date": "2025-06-01"}, "end_date"),
    ("owner-not-member", {"owner": "outsider1"}, "owner"),
    ("code-21-chars", {"code": "T" * 21}, "code"),
    ("unknown-status", {"status": "finished"}, "status"),
]


@pytest.mark.parametrize(
    ("changes", "field"), [c[1:] for c in TASK_CREATE_CASES], ids=[c[0] for c in TASK_CREATE_CASES]
)
def test_task_create_refuses_bad_input(owner, campaign, changes, field):
    payload = {k: v for k, v in {"name": "场地布置", **changes}.items() if v is not MISSING}
    before = counts()
    response = owner.post(f"/campaigns/{campaign.id}/tasks", payload)
    assert_refused(response, field)
    assert counts() == before


def test_duplicate_task_code_is_409(owner, campaign):
    before = counts()
    response = owner.post(f"/campaigns/{campaign.id}/tasks", {"name": "重复编号", "code": "T001"})
    assert response.status_code == 409
    assert "T001" in response.json()["detail"]
    assert counts() == before


def test_huge_version_is_a_conflict_not_a_crash(owner, campaign):
    task = campaign.tasks.first()
    for path in (f"/tasks/{task.id}", f"/campaigns/{campaign.id}"):
        response = owner.patch(path, {"version": 2**70, "name": "x"})
        assert response.status_code in (409, 422), response.content
    campaign.refresh_from_db()
    task.refresh_from_db()
    assert (campaign.version, task.version) == (1, 1)
