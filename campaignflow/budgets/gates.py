"""Stage-gate conditions the budget can check."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaignflow.campaigns.domain import lifecycle as lc
from campaignflow.campaigns.gates import gate

from .models import Budget, BudgetStatus


@gate(lc.PLANNING, lc.EXECUTING, key="budget.approved", label=gettext_lazy("The budget is approved"))
def budget_approved(campaign):
    status = Budget.objects.filter(campaign=campaign).values_list("status", flat=True).first()
    if status == BudgetStatus.APPROVED:
        return None
    if status == BudgetStatus.SUBMITTED:
        return _("The budget is waiting for approval.")
    return _("The budget is not approved.")
