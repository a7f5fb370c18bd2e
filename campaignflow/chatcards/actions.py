"""What a card's buttons can do: each action re-reads its object with the clicking person's rights (the same by-id
lookup as the API and the pages) and calls the same service as the web page, as that person. Which actions a card
offers depends on the object's state when it is sent (`offered`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from campaignflow import lookups
from campaignflow.alerts import services as alert_services
from campaignflow.alerts.models import Alert, AlertStatus
from campaignflow.budgets import services as budget_services
from campaignflow.budgets.models import Budget, BudgetStatus, Expense, ExpenseStatus
from campaignflow.campaigns.access import EDIT, VIEW, campaign_for_user


@dataclass(frozen=True)
class Action:
    key: str
    model: type
    label: str  # the button
    done: str  # what the card says once it is done
    find: Callable  # (user, object id) → the object as that user may see it (Http404 / Forbidden otherwise)
    run: Callable  # (user, object, comment) → the service's write, as that user
    needs_comment: bool = False  # a reason is asked for: the button opens the action page rather than acting
    primary: bool = False


def _budget_for_user(user, budget_id, need: str = VIEW) -> Budget:
    budget = get_object_or_404(Budget.objects.select_related("campaign"), pk=budget_id)
    budget.campaign = campaign_for_user(user, budget.campaign_id, need)
    return budget


def _decide_expense(approve: bool):
    def run(user, expense, comment):
        budget_services.expense_decide(actor=user, expense=expense, approve=approve, comment=comment)

    return run


def _decide_budget(approve: bool):
    def run(user, budget, comment):
        budget_services.budget_decide(actor=user, campaign=budget.campaign, approve=approve, comment=comment)

    return run


ACTIONS = {
    a.key: a
    for a in (
        Action(
            "expense.approve",
            Expense,
            _("Approve"),
            _("Approved"),
            lambda user, pk: lookups.expense_for_user(user, pk, VIEW),
            _decide_expense(True),
            primary=True,
        ),
        Action(
            "expense.reject",
            Expense,
            _("Reject"),
            _("Rejected"),
            lambda user, pk: lookups.expense_for_user(user, pk, VIEW),
            _decide_expense(False),
            needs_comment=True,
        ),
        Action(
            "budget.approve",
            Budget,
            _("Approve"),
            _("Approved"),
            _budget_for_user,
            _decide_budget(True),
            primary=True,
        ),
        Action(
            "budget.reject",
            Budget,
            _("Reject"),
            _("Rejected"),
            _budget_for_user,
            _decide_budget(False),
            needs_comment=True,
        ),
        Action(
            "alert.acknowledge",
            Alert,
            _("Acknowledge"),
            _("Acknowledged"),
            lambda user, pk: lookups.alert_for_user(user, pk, EDIT),
            lambda user, alert, comment: alert_services.alert_acknowledge(actor=user, alert=alert),
            primary=True,
        ),
    )
}


def offered(target) -> list[Action]:
    """The actions a card about `target` offers now (none once it is decided or handled)."""
    if isinstance(target, Expense) and target.status in (ExpenseStatus.HELD, ExpenseStatus.PENDING):
        return [ACTIONS["expense.approve"], ACTIONS["expense.reject"]]
    if isinstance(target, Budget) and target.status == BudgetStatus.SUBMITTED:
        return [ACTIONS["budget.approve"], ACTIONS["budget.reject"]]
    if isinstance(target, Alert) and target.status == AlertStatus.OPEN:
        return [ACTIONS["alert.acknowledge"]]
    return []


def object_url(target) -> str:
    """Where the object is on the site (a stale card links there)."""
    if isinstance(target, Alert):
        return reverse("alerts:list", args=[target.campaign_id]) + f"#alert-{target.pk}"
    if isinstance(target, (Expense, Budget)):
        return reverse("budgets:budget", args=[target.campaign_id]) + (
            "#expenses" if isinstance(target, Expense) else ""
        )
    return "/"
