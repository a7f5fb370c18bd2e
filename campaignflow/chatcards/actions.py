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


def _approve_and_reject(kind: str, model: type, find: Callable, decide: Callable) -> tuple[Action, Action]:
    """The two buttons of a request waiting for a decision: approve at once, reject with a reason.
    `decide(user, obj, approve, comment)` is the service's decision as that user."""

    def run(approve: bool):
        return lambda user, obj, comment: decide(user, obj, approve, comment)

    return (
        Action(f"{kind}.approve", model, _("Approve"), _("Approved"), find, run(True), primary=True),
        Action(f"{kind}.reject", model, _("Reject"), _("Rejected"), find, run(False), needs_comment=True),
    )


ACTIONS = {
    a.key: a
    for a in (
        *_approve_and_reject(
            "expense",
            Expense,
            lambda user, pk: lookups.expense_for_user(user, pk, VIEW),
            lambda user, expense, approve, comment: budget_services.expense_decide(
                actor=user, expense=expense, approve=approve, comment=comment
            ),
        ),
        *_approve_and_reject(
            "budget",
            Budget,
            _budget_for_user,
            lambda user, budget, approve, comment: budget_services.budget_decide(
                actor=user, campaign=budget.campaign, approve=approve, comment=comment
            ),
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
