"""Make the goals app's gate conditions hold (see conftest.satisfy_gates)."""

from decimal import Decimal

from campaignflow.goals.models import Kpi, Priority


def satisfy(campaign, from_status: str, to_status: str) -> None:
    needed = from_status == "preparing" and to_status == "planning"
    if needed and not campaign.kpis.filter(priority=Priority.CORE, target__gt=0).exists():
        Kpi.objects.create(
            campaign=campaign, name="销售额", metric="销售额", unit="元", target=Decimal(300000), priority="core"
        )
