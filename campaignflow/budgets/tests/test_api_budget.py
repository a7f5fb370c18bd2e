"""Budget lines, expenses and GET /budget through HTTP with a token (API.md contract)."""

from decimal import Decimal

import pytest

from campaignflow.budgets.models import BudgetLine, Expense
from campaignflow.campaigns.services import campaign_create
from campaignflow.core.models import AuditEntry
from campaignflow.materials.tests import sample_files

from .conftest import add_line, seed_lines

pytestmark = pytest.mark.django_db

ANY_LINE = {"category": "c", "item": "x", "planned": 1}  # a valid new line, for the access checks


def test_lines_accept_typed_amounts_and_budget_reports_totals(api, bc):
    client = api("owner")
    lines = seed_lines(client, bc)
    assert Decimal(lines["直播场景搭建"]["planned"]) == Decimal("20000")
    assert lines["直播场景搭建"]["category"] == "materials"  # 物料制作 → materials
    assert Decimal(lines["试用装礼品"]["planned"]) == Decimal("15000")
    body = client.get(f"/campaigns/{bc.id}/budget").json()
    assert body["status"] == "draft"
    assert Decimal(body["planned_total"]) == Decimal("163000")
    assert Decimal(body["actual_total"]) == 0
    assert Decimal(body["contingency_ratio"]) == Decimal("0.1104")
    assert body["contingency_state"] == "ok" and body["warnings"] == []
    line = body["lines"][0]
    assert set(line) >= {"id", "category", "item", "planned", "actual", "over"}
    stored = BudgetLine.objects.get(pk=lines["直播场景搭建"]["id"]).planned
    assert isinstance(stored, Decimal) and stored == Decimal("20000.00")


def test_contingency_outside_the_rule_warns(api, bc):
    client = api("owner")
    add_line(client, bc, planned=100000)
    body = client.get(f"/campaigns/{bc.id}/budget").json()
    assert body["contingency_state"] == "low" and "below the rule of 10%–15%" in body["warnings"][0]
    add_line(client, bc, category="contingency", item="应急", planned=30000)
    body = client.get(f"/campaigns/{bc.id}/budget").json()
    assert body["contingency_state"] == "high" and "above" in body["warnings"][0]
    version = body["version"]
    patched = client.patch(f"/campaigns/{bc.id}/budget", {"version": version, "contingency_max": "25%"})
    assert patched.status_code == 200, patched.content
    assert patched.json()["contingency_state"] == "ok"
    assert client.patch(f"/campaigns/{bc.id}/budget", {"version": version, "contingency_max": "30%"}).status_code == 409


@pytest.mark.parametrize(
    ("planned", "fragment"),
    [(-1, "negative"), ("-5", "negative"), ("abc", "not an amount"), ("", "required"), ("1.234", "decimal places")],
)
def test_bad_planned_is_422_naming_the_field_and_writes_nothing(api, bc, planned, fragment):
    client = api("owner")
    before = AuditEntry.objects.count()
    response = client.post(f"/campaigns/{bc.id}/budget-lines", {"category": "channel", "item": "x", "planned": planned})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "planned"
    assert fragment in response.json()["detail"]
    assert not BudgetLine.objects.exists() and AuditEntry.objects.count() == before


def test_wrong_types_are_422_not_500(api, bc):
    client = api("owner")
    for payload in (
        {"category": "channel", "item": "x", "planned": [1]},
        {"category": "", "item": "x", "planned": 1},
        {"category": "c", "item": "x" * 201, "planned": 1},
        {"category": "c", "item": "x", "planned": 1, "owner": "nobody"},
    ):
        response = client.post(f"/campaigns/{bc.id}/budget-lines", payload)
        assert response.status_code == 422, (payload, response.content)
    line = add_line(client, bc)
    for payload in (
        {"budget_line": line["id"], "amount": 0, "date": "2025-06-01"},
        {"budget_line": line["id"], "amount": 5, "date": "2025-13-01"},
        {"budget_line": 2**70, "amount": 5, "date": "2025-06-01"},
        {"budget_line": line["id"], "amount": 5, "date": "2025-06-01", "paid_by": 999},
    ):
        response = client.post(f"/campaigns/{bc.id}/expenses", payload)
        assert response.status_code == 422, (payload, response.content)
    assert not Expense.objects.exists()


def test_patch_and_delete_need_the_current_version(api, bc):
    client = api("member")
    line = add_line(client, bc)
    ok = client.patch(f"/budget-lines/{line['id']}", {"version": 1, "planned": "9万"})
    assert ok.status_code == 200 and Decimal(ok.json()["planned"]) == Decimal("90000")
    stale = client.patch(f"/budget-lines/{line['id']}", {"version": 1, "planned": 1})
    assert stale.status_code == 409
    assert BudgetLine.objects.get(pk=line["id"]).planned == Decimal("90000")
    assert client.delete(f"/budget-lines/{line['id']}?version=1").status_code == 409
    assert client.delete(f"/budget-lines/{line['id']}?version=2").status_code == 204
    assert not BudgetLine.objects.exists()
    assert AuditEntry.objects.filter(object_type="budgets.budgetline", action="delete").count() == 1


def test_expenses_count_as_actual_and_other_campaigns_lines_are_refused(api, bc, users):
    client = api("owner")
    line = add_line(client, bc)
    response = client.post(
        f"/campaigns/{bc.id}/expenses",
        {"budget_line": line["id"], "amount": "1.2万", "date": "2025-06-02", "payee": "KOC", "note": "第一批"},
    )
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "approved"
    other, _w = campaign_create(
        actor=users["owner"], data={"name": "另一个活动", "start_date": "2025-07-01", "end_date": "2025-07-02"}
    )
    foreign = add_line(client, other)
    refused = client.post(
        f"/campaigns/{bc.id}/expenses", {"budget_line": foreign["id"], "amount": 100, "date": "2025-06-02"}
    )
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "budget_line"
    body = client.get(f"/campaigns/{bc.id}/budget").json()
    assert Decimal(body["actual_total"]) == Decimal("12000")
    assert Decimal(body["lines"][0]["actual"]) == Decimal("12000")
    listed = client.get(f"/campaigns/{bc.id}/expenses").json()
    assert [Decimal(e["amount"]) for e in listed] == [Decimal("12000")]


def test_access_matrix(api, bc, users, api_for):
    line = add_line(api("owner"), bc)
    assert api("outsider").get(f"/campaigns/{bc.id}/budget").status_code == 404
    assert api("outsider").post(f"/campaigns/{bc.id}/budget-lines", ANY_LINE).status_code == 404
    assert api("outsider").patch(f"/budget-lines/{line['id']}", {"version": 1, "planned": 1}).status_code == 404
    assert api("viewer").get(f"/campaigns/{bc.id}/budget").status_code == 200
    assert api("viewer").post(f"/campaigns/{bc.id}/budget-lines", ANY_LINE).status_code == 403
    assert api("viewer").patch(f"/budget-lines/{line['id']}", {"version": 1, "planned": 1}).status_code == 403
    expense = {"budget_line": line["id"], "amount": 1, "date": "2025-06-01"}
    assert api("viewer").post(f"/campaigns/{bc.id}/expenses", expense).status_code == 403
    assert api("viewer").post(f"/campaigns/{bc.id}/budget/submit").status_code == 403
    assert api_for(None).get(f"/campaigns/{bc.id}/budget").status_code == 401


def test_partner_sees_only_shared_lines(api, bc):
    client = api("owner")
    secret = add_line(client, bc, item="内部KOL费用")
    shared = add_line(client, bc, item="联合直播", shared_with_partners=True)
    body = api("partner").get(f"/campaigns/{bc.id}/budget").json()
    assert [ln["item"] for ln in body["lines"]] == ["联合直播"]
    assert api("partner").get(f"/budget-lines/{secret['id']}").status_code == 404
    assert api("partner").get(f"/budget-lines/{shared['id']}").status_code == 200
    assert api("partner").get(f"/campaigns/{bc.id}/budget/history").status_code == 403
    assert api("partner").post(f"/campaigns/{bc.id}/budget-lines", ANY_LINE).status_code == 403


def an_expense(client, campaign) -> tuple[dict, str]:
    """(an expense of ¥100 on a new line, the URL its receipt is uploaded to)."""
    line = add_line(client, campaign)
    expense = client.post(
        f"/campaigns/{campaign.id}/expenses", {"budget_line": line["id"], "amount": 100, "date": "2025-06-02"}
    ).json()
    return expense, f"/api/v1/expenses/{expense['id']}/receipt"


def test_receipt_upload_limits(api, bc, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = api("owner")
    expense, url = an_expense(client, bc)
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = client.client.post(url, {"file": SimpleUploadedFile("x.pdf", b"MZ not a pdf")}, **client.headers)
    assert bad.status_code == 422 and "PDF" in bad.json()["detail"]
    big = SimpleUploadedFile("x.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024))
    assert client.client.post(url, {"file": big}, **client.headers).status_code == 413
    ok = client.client.post(url, {"file": SimpleUploadedFile("发票.pdf", b"%PDF-1.4 test\n%%EOF\n")}, **client.headers)
    assert ok.status_code == 200 and ok.json()["receipt"] is True
    download = client.get(f"/expenses/{expense['id']}/receipt")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert api("outsider").get(f"/expenses/{expense['id']}/receipt").status_code == 404


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "bomb.png",
            sample_files.bomb_png(),
            "The image has more pixels than this product takes (a decompression bomb?).",
        ),
        ("cut.png", sample_files.truncated_png(), "The file is damaged or incomplete (its end is missing)."),
        ("cut.pdf", sample_files.pdf()[:-40], "The file is damaged or incomplete (its end is missing)."),
    ],
)
def test_a_damaged_receipt_or_a_pixel_bomb_is_refused_as_a_materials_file_is(
    api, bc, settings, tmp_path, name, data, message
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client = api("owner")
    expense, url = an_expense(client, bc)
    refused = client.client.post(url, {"file": SimpleUploadedFile(name, data)}, **client.headers)
    assert refused.status_code == 422
    assert refused.json()["errors"] == [{"field": "file", "message": message}]
    assert client.get(f"/expenses/{expense['id']}/receipt").status_code == 404
    good = SimpleUploadedFile("发票.png", sample_files.png())
    assert client.client.post(url, {"file": good}, **client.headers).status_code == 200
