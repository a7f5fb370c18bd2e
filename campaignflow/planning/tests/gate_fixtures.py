"""Make the plan's gate conditions hold (see conftest.satisfy_gates)."""

from campaignflow.planning.models import RaciAssignment, Task


def satisfy(campaign, from_status: str, to_status: str) -> None:
    if to_status != "executing":
        return
    if not campaign.tasks.exists():
        Task.objects.create(campaign=campaign, code="T001", name="启动会")
    owner = campaign.owner or campaign.memberships.filter(role="owner").first().user
    campaign.tasks.filter(owner__isnull=True).update(owner=owner)
    # plan.raci: exactly one A per task — the campaign owner approves every task that has none.
    for task in campaign.tasks.exclude(raci__role="A"):
        RaciAssignment.objects.update_or_create(task=task, user=owner, defaults={"role": "A"})
