"""The demo extension gives each campaign links, one A per task, periods and a baseline, idempotently."""

import pytest

from campaignflow.campaigns.gates import conditions_for
from campaignflow.planning import demo
from campaignflow.planning.models import Baseline, CampaignPeriod, RaciAssignment, TaskDependency
from campaignflow.planning.selectors import analyse

pytestmark = pytest.mark.django_db


def test_extend_demo_satisfies_the_plan_gates_and_is_idempotent(users, campaign):
    campaign.tasks.update(owner=users["member"])
    users_by_name = {"wangjl": users["owner"], "lich": users["manager"], "zhougl": users["viewer"]}
    demo.extend_demo(campaigns={campaign.name: campaign}, users=users_by_name, specs=[])
    counts = (TaskDependency.objects.count(), RaciAssignment.objects.count(), CampaignPeriod.objects.count())
    assert counts[0] > 0 and counts[2] == 3 and Baseline.objects.count() == 1
    assert all(t.raci.filter(role="A").count() == 1 for t in campaign.tasks.all())
    plan_gates = [c for c in conditions_for("planning", "executing") if c.key.startswith("plan.")]
    assert {c.key for c in plan_gates} == {"plan.has_tasks", "plan.raci"}
    assert [c.check(campaign) for c in plan_gates] == [None, None]
    # The demo links are consistent with the dates: nothing slips (apart from overdue tasks).
    info = analyse(campaign, list(campaign.tasks.all()), list(TaskDependency.objects.all()))
    assert info["critical_path"]
    demo.extend_demo(campaigns={campaign.name: campaign}, users=users_by_name, specs=[])
    assert (TaskDependency.objects.count(), RaciAssignment.objects.count(), CampaignPeriod.objects.count()) == counts
