"""Telling the people who can decide that an expense or the campaign's budget waits for them: an inbox entry, an
e-mail and, where the company's chat app is set up, a card with approve / reject (chatcards). Sent once the write
commits; the decision itself stays with `services.expense_decide` / `services.budget_decide` and their role rules.

Each request's entries carry a group key naming the object and the round (`approval:budget:<id>:<version>`), so
that once the request is decided, corrected or deleted, `close_*` marks them read for everyone it reached: an
approval someone already decided no longer waits in anyone's inbox. A request decided before its write committed
(in the same transaction, as `load_demo` does) is not sent at all."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse

from campaignflow.notifications import texts
from campaignflow.notifications.services import notify, resolve

from . import selectors
from .models import Budget, BudgetStatus, Expense, ExpenseStatus


def _budget_key(budget: Budget) -> str:
    return f"approval:budget:{budget.pk}:"


def _expense_key(expense: Expense) -> str:
    return f"approval:expense:{expense.pk}:"


def ask_for_expense_decision(expense: Expense, *, asked_by, roles: set) -> None:
    """After the expense was held (over the plan) or corrected (pending): its deciders are told."""
    if expense.status not in (ExpenseStatus.HELD, ExpenseStatus.PENDING):
        return
    campaign = expense.campaign
    status, version = expense.status, expense.version
    group_key = f"{_expense_key(expense)}{version}"

    def send() -> None:
        if not Expense.objects.filter(pk=expense.pk, status=status, version=version).exists():
            return  # decided, corrected or deleted before this round's write committed: nothing waits
        key = "approval.expense_held" if status == ExpenseStatus.HELD else "approval.expense_corrected"
        notify(
            kind="approval",
            # said in each reader's language (notifications.texts)
            text=(key, {"payee": expense.payee or expense.line.item, "amount": texts.money(expense.amount)}),
            body=" · ".join(part for part in (expense.line.item, expense.note) if part),
            url=reverse("budgets:budget", args=[campaign.pk]) + "#expenses",
            campaign=campaign,
            recipients=selectors.deciders(campaign, roles, except_user_id=asked_by.pk),
            group_key=group_key,
            target=expense,
        )

    transaction.on_commit(send)


def ask_for_budget_decision(budget: Budget, *, asked_by, roles: set) -> None:
    """After the budget was submitted: the finance, director and admin members are told."""
    campaign = budget.campaign
    group_key = f"{_budget_key(budget)}{budget.version}"
    submitted_at = budget.submitted_at

    def send() -> None:
        if not Budget.objects.filter(pk=budget.pk, status=BudgetStatus.SUBMITTED, submitted_at=submitted_at).exists():
            return  # decided before this submission's write committed (one transaction, as the demo data does)
        notify(
            kind="approval",
            text=("approval.budget", {"campaign": campaign.name}),
            url=reverse("budgets:budget", args=[campaign.pk]),
            campaign=campaign,
            recipients=selectors.deciders(campaign, roles, except_user_id=asked_by.pk),
            group_key=group_key,
            target=budget,
        )

    transaction.on_commit(send)


def close_budget_request(budget: Budget) -> None:
    """The budget was approved or rejected: every request to decide it (each submission's) is done."""
    resolve(campaign=budget.campaign, group_key_prefix=_budget_key(budget))


def close_expense_request(expense: Expense) -> None:
    """The expense was decided, corrected (a new request follows) or deleted: the earlier requests are done."""
    resolve(campaign=expense.campaign, group_key_prefix=_expense_key(expense))
