"""The expense pages speak in words: one message per field of the expense form (the form's own "required"
and the service's message are not both shown), and a refused decision's message has no field code."""

import pytest
from django.contrib.messages import get_messages

from campaignflow.budgets.models import Expense
from conftest import logged_in

from .test_form_views import expense_from_page, line_from_page

pytestmark = pytest.mark.django_db


def test_an_empty_amount_on_a_new_expense_shows_one_message(users, bc):
    owner = logged_in(users["owner"])
    line = line_from_page(owner, bc)
    data = {"budget_line": line.id, "amount": "", "date": "", "paid_by": "host"}
    response = owner.post(f"/campaigns/{bc.id}/budget/expenses/", data)
    form = response.context["expense_form"]
    assert form.errors["amount"] == ["请填写金额。"]
    assert len(form.errors["date"]) == 1
    assert response.content.decode().count('class="field-error"') == 2
    assert not Expense.objects.exists()


def test_an_empty_amount_on_a_correction_shows_one_message(users, bc):
    owner = logged_in(users["owner"])
    expense = expense_from_page(owner, bc, line_from_page(owner, bc), "100")
    url = f"/campaigns/{bc.id}/budget/expenses/{expense.id}/edit/"
    data = {"version": expense.version, "budget_line": expense.line_id, "amount": "", "date": "2025-06-01"}
    response = owner.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["amount"] == ["请填写金额。"]
    assert "此项为必填项" not in response.content.decode()
    expense.refresh_from_db()
    assert expense.amount == 100 and expense.version == 1


def test_a_rejection_without_a_comment_names_the_field_in_words(users, bc):
    owner = logged_in(users["owner"])
    expense = expense_from_page(owner, bc, line_from_page(owner, bc), "1.2万")  # over the plan: held
    director = logged_in(users["director"])
    response = director.post(f"/campaigns/{bc.id}/budget/expenses/{expense.id}/decide/", {"action": "reject"})
    assert response.status_code == 302
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert shown == ["意见：此项为必填项。"], shown
    assert Expense.objects.get().status == "held"
