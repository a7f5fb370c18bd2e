"""Correcting an expense (issue 19): versioned, audited, and a correction needs approval again."""

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from campaignflow.budgets.models import Expense
from campaignflow.core.models import AuditEntry

from .conftest import add_line

pytestmark = pytest.mark.django_db


@pytest.fixture
def spent(api, bc):
    """A 10,000 line (plus a 1,000 reserve) with an expense of 3,000 recorded by member1 (approved: within plan)."""
    line = add_line(api("owner"), bc, planned=10000)
    add_line(api("owner"), bc, category="contingency", item="应急", planned=1000)
    r = api("member").post(
        f"/campaigns/{bc.id}/expenses", {"budget_line": line["id"], "amount": 3000, "date": "2025-06-05"}
    )
    assert r.status_code == 201 and r.json()["status"] == "approved"
    return line, r.json()


def _totals(api, bc):
    body = api("owner").get(f"/campaigns/{bc.id}/budget").json()
    return Decimal(body["actual_total"]), Decimal(body["held_total"])


def test_a_correction_after_approval_needs_approval_again(api, bc, users, spent):
    _line, e = spent
    r = api("member").patch(f"/expenses/{e['id']}", {"version": e["version"], "amount": "2500", "note": "发票金额更正"})
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["status"] == "pending" and body["corrected"] and body["corrected_by"] == "member1"
    assert Decimal(body["amount"]) == 2500 and body["version"] == e["version"] + 1
    assert _totals(api, bc) == (0, 2500)  # waits for approval: not spent yet
    # the audit entry holds the amount before and after
    entry = AuditEntry.objects.get(action="correct", object_id=str(e["id"]))
    assert (entry.before["amount"], entry.after["amount"]) == ("3000.00", "2500.00")
    assert (entry.before["status"], entry.after["status"]) == ("approved", "pending")
    for who in ("owner", "member", "viewer"):  # campaign roles do not approve
        assert api(who).post(f"/expenses/{e['id']}/approve").status_code == 403, who
    approved = api("finance").post(f"/expenses/{e['id']}/approve", {"comment": "核对无误"})
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert _totals(api, bc) == (2500, 0)  # the corrected amount is spent


def test_stale_version_is_409_with_the_current_version(api, bc, spent):
    _line, e = spent
    assert api("member").patch(f"/expenses/{e['id']}", {"version": e["version"], "note": "一"}).status_code == 200
    stale = api("owner").patch(f"/expenses/{e['id']}", {"version": e["version"], "amount": 1})
    assert stale.status_code == 409 and stale.json()["current_version"] == e["version"] + 1
    assert Expense.objects.get(pk=e["id"]).amount == 3000


@pytest.mark.parametrize("amount", ["-5", "1e30", "0", "abc"])
def test_bad_amount_is_422_naming_the_field_and_writes_nothing(api, bc, spent, amount):
    _line, e = spent
    r = api("member").patch(f"/expenses/{e['id']}", {"version": e["version"], "amount": amount, "note": "x"})
    assert r.status_code == 422 and [e["field"] for e in r.json()["errors"]] == ["amount"]
    row = Expense.objects.get(pk=e["id"])
    assert (row.amount, row.note, row.status, row.version) == (3000, "", "approved", e["version"])


def test_bad_date_and_line_are_422(api, bc, spent):
    _line, e = spent
    r = api("member").patch(f"/expenses/{e['id']}", {"version": e["version"], "date": "2025-02-30", "budget_line": 0})
    assert r.status_code == 422 and {"date", "budget_line"} <= {e["field"] for e in r.json()["errors"]}


def test_a_correction_over_plan_is_held_for_the_director(api, bc, users, spent):
    _line, e = spent
    r = api("owner").patch(f"/expenses/{e['id']}", {"version": e["version"], "amount": "1.2万"})
    assert r.json()["status"] == "held" and r.json()["over_reason"] == "line"
    assert api("finance").post(f"/expenses/{e['id']}/approve").status_code == 403  # an overrun is a director's
    assert api("director").post(f"/expenses/{e['id']}/approve").status_code == 200
    assert _totals(api, bc) == (12000, 0)


def test_a_correction_of_a_held_overrun_is_checked_again(api, bc, spent):
    line, _e = spent
    held = api("member").post(
        f"/campaigns/{bc.id}/expenses", {"budget_line": line["id"], "amount": 8000, "date": "2025-06-06"}
    )
    assert held.json()["status"] == "held"
    r = api("member").patch(f"/expenses/{held.json()['id']}", {"version": held.json()["version"], "amount": 7000})
    assert r.json()["status"] == "pending" and r.json()["over_reason"] == ""  # fits now: finance approves
    assert api("director").get("/overruns").json() == []


def test_who_may_correct(api, bc, users, spent):
    _line, e = spent
    for who in ("viewer", "finance"):
        assert api(who).patch(f"/expenses/{e['id']}", {"version": e["version"], "note": "x"}).status_code == 403, who
    # a partner does not see an internal line's expense at all
    assert api("partner").patch(f"/expenses/{e['id']}", {"version": e["version"], "note": "x"}).status_code == 404
    other = make_member(bc, "member2")
    from conftest import ApiClient

    r = ApiClient(other).patch(f"/expenses/{e['id']}", {"version": e["version"], "note": "x"})
    assert r.status_code == 403  # a member who did not record it
    assert (
        api("manager").patch(f"/expenses/{e['id']}", {"version": e["version"], "note": "经理更正"}).status_code == 200
    )
    assert Expense.objects.get(pk=e["id"]).note == "经理更正"


def make_member(campaign, username):
    from campaignflow.campaigns.models import Membership
    from conftest import make_user

    user = make_user(username)
    Membership.objects.create(campaign=campaign, user=user, role="member")
    return user


def test_the_corrector_cannot_approve_their_own_correction(api, bc, users, spent):
    from campaignflow.campaigns.models import Membership

    _line, e = spent
    Membership.objects.filter(campaign=bc, user=users["finance"]).update(role="manager")
    r = api("finance").patch(f"/expenses/{e['id']}", {"version": e["version"], "amount": 2000})
    assert r.status_code == 200 and r.json()["status"] == "pending"
    refused = api("finance").post(f"/expenses/{e['id']}/approve")
    assert refused.status_code == 403 and "corrected" in refused.json()["detail"]
    assert api("director").post(f"/expenses/{e['id']}/approve").status_code == 200


def client_for(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


def test_the_edit_form_corrects_and_the_row_says_corrected(users, bc, spent, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    line, e = spent
    member = client_for(users["member"])
    url = f"/campaigns/{bc.id}/budget/expenses/{e['id']}/edit/"
    page = member.get(url)
    assert page.status_code == 200 and 'name="amount"' in page.content.decode()
    receipt = SimpleUploadedFile("发票.pdf", b"%PDF-1.4 test\n%%EOF\n")
    r = member.post(
        url,
        {
            "version": e["version"],
            "budget_line": line["id"],
            "amount": "2,800",
            "date": "2025-06-04",
            "note": "改",
            "receipt": receipt,
        },
    )
    assert r.status_code == 302
    row = Expense.objects.get(pk=e["id"])
    assert (row.amount, str(row.date), row.status, row.receipt_name) == (2800, "2025-06-04", "pending", "发票.pdf")
    html = member.get(f"/campaigns/{bc.id}/budget/").content.decode()
    assert "已更正" in html and f'data-testid="edit-expense-{e["id"]}"' in html
    history = member.get(url).content.decode()
    # the history in words: labels, money as the page writes it, status labels, the file's own name
    section = history[history.index('data-testid="expense-history"') :]
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", section))
    assert "金额: ¥3,000 → ¥2,800" in text and "日期: 2025-06-05 → 2025-06-04" in text
    assert "票据: — → 发票.pdf" in text and "状态: 已批准 → 待审批" in text
    assert "预算明细: — → 小红书KOC合作" in text  # the line by its name, where it was recorded
    assert not re.search(r"\b(approved|pending|line_id|receipt)\b", text)


def test_the_edit_form_shows_errors_and_writes_nothing(users, bc, spent, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    line, e = spent
    member = client_for(users["member"])
    url = f"/campaigns/{bc.id}/budget/expenses/{e['id']}/edit/"
    data = {"version": e["version"], "budget_line": line["id"], "amount": "-1", "date": "2025-06-04"}
    r = member.post(url, data)
    assert r.status_code == 200 and "金额不能为负" in r.content.decode()
    bad_file = SimpleUploadedFile("x.pdf", b"MZ not a pdf")
    r = member.post(url, {**data, "amount": "100", "receipt": bad_file})
    assert r.status_code == 200 and "PDF" in r.content.decode()
    row = Expense.objects.get(pk=e["id"])
    assert (row.amount, row.status, row.version, bool(row.receipt)) == (3000, "approved", e["version"], False)
    stale = member.post(url, {**data, "amount": "100", "version": e["version"] - 1})
    assert stale.status_code == 200 and Expense.objects.get(pk=e["id"]).amount == 3000
    assert client_for(users["viewer"]).get(url).status_code == 403
    assert client_for(users["partner"]).get(url).status_code == 404


def test_replacing_the_receipt_through_the_api_is_a_correction(api, bc, spent, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    _line, e = spent
    client = api("member")
    url = f"/api/v1/expenses/{e['id']}/receipt"
    first = client.client.post(url, {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.4 a\n%%EOF\n")}, **client.headers)
    assert first.status_code == 200 and first.json()["status"] == "approved"  # completing the record
    bad = client.client.post(url, {"file": SimpleUploadedFile("b.pdf", b"MZ")}, **client.headers)
    assert bad.status_code == 422 and [x["field"] for x in bad.json()["errors"]] == ["file"]
    other = client.client.post(url, {"file": SimpleUploadedFile("b.pdf", b"%PDF-1.4 b\n%%EOF\n")}, **client.headers)
    assert other.status_code == 200 and other.json()["status"] == "pending" and other.json()["receipt_name"] == "b.pdf"
    entry = AuditEntry.objects.get(action="correct", object_id=str(e["id"]))
    assert entry.before["receipt"] != entry.after["receipt"]
    viewer = api("viewer")
    refused = viewer.client.post(url, {"file": SimpleUploadedFile("c.pdf", b"%PDF-1.4 c\n%%EOF\n")}, **viewer.headers)
    assert refused.status_code == 403
