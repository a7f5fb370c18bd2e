"""Make the budget's gate condition hold (see conftest.satisfy_gates): an approved budget."""

from decimal import Decimal

from campaignflow.budgets.models import Budget, BudgetLine, BudgetStatus


def satisfy(campaign, from_status: str, to_status: str) -> None:
    if to_status != "executing":
        return
    if not campaign.budget_lines.exists():
        BudgetLine.objects.create(campaign=campaign, category="channel", item="推广", planned=Decimal("90000"))
        BudgetLine.objects.create(
            campaign=campaign, category="contingency", item="应急预备金", planned=Decimal("10000")
        )
    Budget.objects.update_or_create(campaign=campaign, defaults={"status": BudgetStatus.APPROVED})
