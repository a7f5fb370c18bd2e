"""The error paths of the budget pages' forms: the error shows in the form and nothing is written."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from campaignflow.budgets.models import BudgetLine, CampaignPartner, Expense
from conftest import logged_in

pytestmark = pytest.mark.django_db


def line_from_page(owner, campaign) -> BudgetLine:
    """A KOC line of 1万, added through the budget page."""
    owner.post(f"/campaigns/{campaign.id}/budget/lines/new/", {"category": "channel", "item": "KOC", "planned": "1万"})
    return BudgetLine.objects.get()


def expense_from_page(owner, campaign, line, amount: str) -> Expense:
    """An expense of `amount` on `line`, paid by the host, added through the budget page."""
    data = {"budget_line": line.id, "amount": amount, "date": "2025-06-01", "paid_by": "host"}
    owner.post(f"/campaigns/{campaign.id}/budget/expenses/", data)
    return Expense.objects.get()


def test_a_stale_line_edit_shows_the_conflict_and_writes_nothing(users, bc):
    owner = logged_in(users["owner"])
    line = line_from_page(owner, bc)
    url = f"/campaigns/{bc.id}/budget/lines/{line.id}/"
    data = {"category": "channel", "item": "KOL", "planned": "2万", "version": line.version + 1}
    stale = owner.post(url, data)
    assert stale.status_code == 200 and 'data-testid="conflict"' in stale.content.decode()
    line.refresh_from_db()
    assert (line.item, line.planned) == ("KOC", 10000)
    assert owner.post(url, {**data, "version": line.version}).status_code == 302
    line.refresh_from_db()
    assert (line.item, line.planned) == ("KOL", 20000)


def test_a_bad_receipt_on_a_new_expense_shows_on_the_receipt_field_and_writes_nothing(users, bc, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    owner = logged_in(users["owner"])
    line = line_from_page(owner, bc)
    bad = owner.post(
        f"/campaigns/{bc.id}/budget/expenses/",
        {
            "budget_line": line.id,
            "amount": "100",
            "date": "2025-06-01",
            "paid_by": "host",
            "receipt": SimpleUploadedFile("x.pdf", b"MZ not a pdf"),
        },
    )
    html = bad.content.decode()
    assert bad.status_code == 200 and "PDF" in html
    assert not Expense.objects.exists()  # the expense and its receipt, or nothing


def test_adding_a_partner_twice_shows_the_error_in_the_form(users, bc):
    owner = logged_in(users["owner"])
    url = f"/campaigns/{bc.id}/partners/add/"
    assert owner.post(url, {"name": "健康科技"}).status_code == 302
    again = owner.post(url, {"name": "健康科技"})
    assert again.status_code == 200 and "该合作方已在本活动中" in again.content.decode()
    assert CampaignPartner.objects.filter(campaign=bc).count() == 1
    empty = owner.post(url, {"name": ""})
    assert empty.status_code == 200 and CampaignPartner.objects.filter(campaign=bc).count() == 1


def test_a_refused_overrun_decision_is_a_403_not_a_message(users, bc):
    owner = logged_in(users["owner"])
    line = line_from_page(owner, bc)
    expense = expense_from_page(owner, bc, line, "1.2万")
    refused = owner.post(f"/campaigns/{bc.id}/budget/expenses/{expense.id}/decide/", {"action": "approve"})
    assert refused.status_code == 403
    assert Expense.objects.get().status == "held"


@pytest.mark.parametrize("what", ["line-delete", "expense-delete", "settings", "responsibility"])
def test_a_version_that_is_not_a_number_is_a_message_not_a_500(users, bc, what):
    owner = logged_in(users["owner"])
    line = line_from_page(owner, bc)
    expense_from_page(owner, bc, line, "100")
    owner.post(f"/campaigns/{bc.id}/partners/add/", {"name": "健康科技"})
    cp = CampaignPartner.objects.get(campaign=bc)
    owner.post(f"/campaigns/{bc.id}/partners/{cp.id}/duties/", {"text": "物料", "due_date": "2025-06-10"})
    url = {
        "line-delete": f"/campaigns/{bc.id}/budget/lines/{line.id}/delete/",
        "expense-delete": f"/campaigns/{bc.id}/budget/expenses/{Expense.objects.get().id}/delete/",
        "settings": f"/campaigns/{bc.id}/budget/settings/",
        "responsibility": f"/campaigns/{bc.id}/duties/{cp.responsibilities.get().id}/",
    }[what]
    response = owner.post(url, {"version": "abc", "done": "1", "contingency_min": "5", "contingency_max": "10"})
    assert response.status_code == 302
    assert BudgetLine.objects.count() == 1 and Expense.objects.count() == 1
    assert not cp.responsibilities.get().done
