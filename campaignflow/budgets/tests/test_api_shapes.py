"""The budgets API's JSON, field by field and in order, for a fixed data set: what each budget line,
expense, partner company, campaign partner and responsibility endpoint answers (and with which status).
Ids and the stamps the server takes from the clock are replaced by their type, so a change of schema or
mapping that renames, retypes, drops or reorders a field fails here."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.support import api_shapes
from tests.support.api_shapes import assert_patch_documents_create, same

pytestmark = pytest.mark.django_db

CLOCK = {"decided_at", "corrected_at", "at"}


def shape(body):
    """The body with ids and clock stamps replaced by their type (nested rows too)."""
    return api_shapes.shape(body, CLOCK, nested=True)


def call(client, method, path, payload=None):
    return api_shapes.call(client, method, path, payload, clock=CLOCK, nested=True)


LINE = {
    "id": "<int>",
    "category": "channel",
    "item": "小红书KOC合作",
    "planned": "10000.00",
    "owner": "member1",
    "note": "达人",
    "channel": "小红书",
    "shared_with_partners": True,
    "version": 1,
}


def test_line_json(api, bc):
    owner = api("owner")
    create = {k: v for k, v in LINE.items() if k not in ("id", "version")} | {"planned": "1万"}
    same(call(owner, "post", f"/campaigns/{bc.id}/budget-lines", create), (201, LINE))
    line_id = owner.get(f"/campaigns/{bc.id}/budget-lines").json()[0]["id"]
    same(call(owner, "get", f"/budget-lines/{line_id}"), (200, LINE))
    patched = call(owner, "patch", f"/budget-lines/{line_id}", {"version": 1, "planned": "2万", "owner": None})
    same(patched, (200, LINE | {"planned": "20000.00", "owner": None, "version": 2}))


def expense(line_id, **changes):
    return {
        "id": "<int>",
        "budget_line": line_id,
        "amount": "500.00",
        "date": "2025-06-01",
        "payee": "某达人",
        "note": "定金",
        "paid_by": "host",
        "status": "approved",
        "needs_director_approval": False,
        "over_reason": "",
        "decided_by": None,
        "decided_at": None,
        "decision_comment": "",
        "receipt": False,
        "receipt_name": "",
        "corrected": False,
        "corrected_by": None,
        "corrected_at": None,
        "version": 1,
    } | changes


def test_expense_json(api, bc, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    owner = api("owner")
    line_id = owner.post(f"/campaigns/{bc.id}/budget-lines", {"category": "channel", "item": "KOC", "planned": "1万"})
    line_id = line_id.json()["id"]
    create = {"budget_line": line_id, "amount": "500", "date": "2025-06-01", "payee": "某达人", "note": "定金"}
    same(call(owner, "post", f"/campaigns/{bc.id}/expenses", create), (201, expense(line_id)))
    expense_id = owner.get(f"/campaigns/{bc.id}/expenses").json()[0]["id"]
    same(call(owner, "get", f"/expenses/{expense_id}"), (200, expense(line_id)))

    corrected = {"amount": "600.00", "status": "pending", "corrected": True, "corrected_by": "owner1"}
    corrected |= {"corrected_at": "<str>", "version": 2}
    same(
        call(owner, "patch", f"/expenses/{expense_id}", {"version": 1, "amount": "600"}),
        (200, expense(line_id, **corrected)),
    )
    approved = corrected | {"status": "approved", "decided_by": "finance1", "decided_at": "<str>", "version": 3}
    same(call(api("finance"), "post", f"/expenses/{expense_id}/approve"), (200, expense(line_id, **approved)))
    pdf = SimpleUploadedFile("单据.pdf", b"%PDF-1.4 test\n%%EOF\n", content_type="application/pdf")
    receipt = owner.client.post(f"/api/v1/expenses/{expense_id}/receipt", {"file": pdf}, **owner.headers)
    with_receipt = approved | {"receipt": True, "receipt_name": "单据.pdf", "version": 4}
    same((receipt.status_code, shape(receipt.json())), (200, expense(line_id, **with_receipt)))

    over = {"budget_line": line_id, "amount": "3万", "date": "2025-06-02"}
    held = expense(line_id, amount="30000.00", date="2025-06-02", payee="", note="", status="held")
    held |= {"needs_director_approval": True, "over_reason": "line"}
    same(call(owner, "post", f"/campaigns/{bc.id}/expenses", over), (201, held))
    queued = held | {"campaign": bc.id, "campaign_name": bc.name}
    same(call(api("director"), "get", "/overruns"), (200, [queued]))
    rejected = held | {"status": "rejected", "needs_director_approval": False, "decided_by": "director1"}
    rejected |= {"decided_at": "<str>", "decision_comment": "超了", "version": 2}
    held_id = owner.get(f"/campaigns/{bc.id}/expenses").json()[0]["id"]
    same(call(api("director"), "post", f"/expenses/{held_id}/reject", {"comment": "超了"}), (200, rejected))
    same(call(owner, "get", f"/campaigns/{bc.id}/expenses"), (200, [rejected, expense(line_id, **with_receipt)]))


PARTNER = {"id": "<int>", "name": "健康科技", "industry": "健康", "contacts": "王经理", "note": "老客户", "version": 1}
NAME_ONLY = {"id": "<int>", "name": "运动装备", "industry": "运动", "contacts": "", "note": "", "version": 1}


def test_partner_company_json(api, bc):
    admin = api("admin")
    create = {k: PARTNER[k] for k in ("name", "industry", "contacts", "note")}
    same(call(admin, "post", "/partners", create), (201, PARTNER))
    partner_id = admin.get("/partners").json()[0]["id"]
    admin.post("/partners", {"name": "运动装备", "industry": "运动", "contacts": "李", "note": "新"})
    patched = PARTNER | {"industry": "大健康", "version": 2}
    same(call(admin, "patch", f"/partners/{partner_id}", {"version": 1, "industry": "大健康"}), (200, patched))
    linked = call(admin, "post", f"/partners/{partner_id}/contacts", {"username": "partner1"})
    same(linked, (201, {"user": "partner1", "partner": partner_id}))
    api("owner").post(f"/campaigns/{bc.id}/partners", {"partner": partner_id})
    for who in ("owner", "member"):  # the company of their campaign in full, the other one by name
        same(call(api(who), "get", "/partners"), (200, [patched, NAME_ONLY]))
    same(call(api("partner"), "get", "/partners"), (200, [patched]))


def test_campaign_partner_and_responsibility_json(api, bc):
    partner_id = api("admin").post("/partners", {"name": "健康科技", "industry": "健康"}).json()["id"]
    api("admin").post(f"/partners/{partner_id}/contacts", {"username": "partner1"})
    owner = api("owner")
    scores = {"industry_relevance": 8, "audience_overlap": 7.5, "resource_strength": 9, "brand_fit": 8}
    create = {"partner": partner_id, "state": "participating", **scores, "resources": "场地", "role_note": "联合主办"}
    added = {
        "id": "<int>",
        "partner": partner_id,
        "name": "健康科技",
        "industry": "健康",
        "state": "participating",
        "industry_relevance": "8",
        "audience_overlap": "7.5",
        "resource_strength": "9",
        "brand_fit": "8",
        "score": None,
        "rank": None,
        "resources": "场地",
        "role_note": "联合主办",
        "responsibilities": [],
        "version": 1,
    }
    same(call(owner, "post", f"/campaigns/{bc.id}/partners", create), (201, added))
    cp_id = owner.get(f"/campaigns/{bc.id}/partners").json()[0]["id"]

    item = {"id": "<int>", "text": "提供场地", "due_date": "2025-06-05", "done": False, "version": 1}
    new_item = {"text": "提供场地", "due_date": "2025-06-05"}
    same(call(owner, "post", f"/campaign-partners/{cp_id}/responsibilities", new_item), (201, item))
    item_id = owner.get(f"/campaigns/{bc.id}/partners").json()[0]["responsibilities"][0]["id"]
    ticked = item | {"done": True, "version": 2}
    same(call(api("partner"), "patch", f"/responsibilities/{item_id}", {"version": 1, "done": True}), (200, ticked))

    reread = {"industry_relevance": "8.0", "resource_strength": "9.0", "brand_fit": "9.5"}
    patched = added | reread | {"responsibilities": [ticked], "version": 2}
    same(call(owner, "patch", f"/campaign-partners/{cp_id}", {"version": 1, "brand_fit": 9.5}), (200, patched))
    same(call(owner, "get", f"/campaigns/{bc.id}/partners"), (200, [patched | {"score": "8.35", "rank": 1}]))


def test_budget_history_json(api, bc):
    owner = api("owner")
    line = owner.post(f"/campaigns/{bc.id}/budget-lines", {"category": "channel", "item": "KOC", "planned": "1万"})
    owner.post(f"/campaigns/{bc.id}/budget/submit", {"comment": "请审批"})
    api("finance").post(f"/campaigns/{bc.id}/budget/approve")
    owner.patch(f"/budget-lines/{line.json()['id']}", {"version": 1, "planned": "2万"})
    owner.post(f"/campaigns/{bc.id}/budget/submit")
    row = {"id": "<int>", "category": "channel", "item": "KOC", "planned": "10000.00"}
    change = {"id": "<int>", "change": "changed", "before": row, "after": row | {"planned": "20000.00"}}
    revised = "Changed after approval: needs approval again."
    same(
        call(owner, "get", f"/campaigns/{bc.id}/budget/history"),
        (
            200,
            [  # newest first
                {"action": "submit", "actor": "owner1", "at": "<str>", "comment": "", "diff": [change]},
                {"action": "revise", "actor": "owner1", "at": "<str>", "comment": revised, "diff": []},
                {"action": "approve", "actor": "finance1", "at": "<str>", "comment": "", "diff": []},
                {"action": "submit", "actor": "owner1", "at": "<str>", "comment": "请审批", "diff": []},
            ],
        ),
    )


@pytest.mark.parametrize(
    ("create", "patch", "left_out"),
    [
        ("LineIn", "LinePatch", set()),
        ("ExpenseIn", "ExpensePatch", set()),
        ("PartnerIn", "PartnerPatch", set()),
        ("CampaignPartnerIn", "CampaignPartnerPatch", {"partner"}),
        ("ResponsibilityIn", "ResponsibilityPatch", set()),
    ],
)
def test_the_patch_documents_the_create_fields_and_limits_optional_plus_version(
    api_for, users, create, patch, left_out
):
    schemas = api_for(users["admin"]).get("/openapi.json").json()["components"]["schemas"]
    assert_patch_documents_create(schemas, create, patch, left_out=left_out)
