"""Telling the people who can decide that an expense or the campaign's budget waits for them: an inbox entry, an
e-mail and, where the company's chat app is set up, a card with approve / reject (chatcards). Sent once the write
commits; the decision itself stays with `services.expense_decide` / `services.budget_decide` and their role rules."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from campaignflow.core.domain.numbers import format_money
from campaignflow.notifications.services import notify

from .models import Budget, Expense, ExpenseStatus


def _deciders(campaign, roles: set, *, except_user_id: int | None) -> list:
    """The campaign's members whose global role may decide (superusers too), not the person who asked."""
    members = campaign.memberships.select_related("user").filter(user__is_active=True)
    return [m.user for m in members if (m.user.role in roles or m.user.is_superuser) and m.user.pk != except_user_id]


def ask_for_expense_decision(expense: Expense, *, asked_by, roles: set) -> None:
    """After the expense was held (over the plan) or corrected (pending): its deciders are told."""
    if expense.status not in (ExpenseStatus.HELD, ExpenseStatus.PENDING):
        return
    campaign = expense.campaign

    def send() -> None:
        held = expense.status == ExpenseStatus.HELD
        title = (
            _("Overrun waiting for your approval: %(payee)s %(amount)s")
            if held
            else _("Corrected expense waiting for your approval: %(payee)s %(amount)s")
        ) % {"payee": expense.payee or expense.line.item, "amount": format_money(expense.amount)}
        notify(
            kind="approval",
            title=title,
            body=" · ".join(part for part in (expense.line.item, expense.note) if part),
            url=reverse("budgets:budget", args=[campaign.pk]) + "#expenses",
            campaign=campaign,
            recipients=_deciders(campaign, roles, except_user_id=asked_by.pk),
            target=expense,
        )

    transaction.on_commit(send)


def ask_for_budget_decision(budget: Budget, *, asked_by, roles: set) -> None:
    """After the budget was submitted: the finance, director and admin members are told."""
    campaign = budget.campaign

    def send() -> None:
        notify(
            kind="approval",
            title=_("Budget waiting for your approval: %(campaign)s") % {"campaign": campaign.name},
            url=reverse("budgets:budget", args=[campaign.pk]),
            campaign=campaign,
            recipients=_deciders(campaign, roles, except_user_id=asked_by.pk),
            target=budget,
        )

    transaction.on_commit(send)
