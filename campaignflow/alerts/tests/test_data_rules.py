"""Rules fed by KPIs, daily metrics and the budget, through the real ingestion API (seed examples)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from campaignflow.alerts.models import Alert
from campaignflow.alerts.tests.conftest import day, metric_rows
from campaignflow.goals.models import Channel, Kpi

# Rules run when the write commits (on_commit), as in production: real transactions here.
pytestmark = pytest.mark.django_db(transaction=True)


def test_conversion_drop_4_to_2_percent_appears_once(api, campaign):
    rows = metric_rows("抖音", {1: {"点击": 10000, "转化": 400}, 0: {"点击": 10000, "转化": 200}})
    assert api.post(f"/campaigns/{campaign.id}/metrics", {"rows": rows}).status_code == 200
    alerts = [a for a in api.get(f"/campaigns/{campaign.id}/alerts").json() if a["rule"] == "conversion_drop"]
    assert len(alerts) == 1 and "4.00%" in alerts[0]["message"] and "2.00%" in alerts[0]["message"]
    # Sending the same day again (an idempotent re-import) does not duplicate the alert.
    api.post(f"/campaigns/{campaign.id}/metrics", {"rows": rows})
    assert Alert.objects.filter(rule="conversion_drop").count() == 1


def test_conversion_drop_below_threshold_does_not_fire(api, campaign):
    rows = metric_rows("抖音", {1: {"点击": 10000, "转化": 400}, 0: {"点击": 10000, "转化": 210}})
    api.post(f"/campaigns/{campaign.id}/metrics", {"rows": rows})
    assert not Alert.objects.filter(rule="conversion_drop").exists()


@pytest.mark.parametrize(("low_days", "fires"), [(3, True), (2, False)])
def test_21_percent_below_ctr_benchmark(api, campaign, low_days, fires):
    Channel.objects.create(campaign=campaign, name="小红书", benchmarks={"点击率": "0.05"})
    # CTR 5% benchmark; 3.95% is 21% below it.
    days = {n: {"曝光": 100000, "点击": 3950 if n < low_days else 5000} for n in range(4)}
    api.post(f"/campaigns/{campaign.id}/metrics", {"rows": metric_rows("小红书", days)})
    assert Alert.objects.filter(rule="below_benchmark").exists() is fires


def test_kpi_behind_plan_by_more_than_10_percent_needs_an_evaluation(api, campaign, users):
    today = timezone.localdate()
    campaign.start_date, campaign.end_date = today - dt.timedelta(days=9), today + dt.timedelta(days=20)
    campaign.save()
    Kpi.objects.create(campaign=campaign, name="销售额", metric="销售额", unit="元", target=Decimal("300000"))
    # Plan to date: 10 of 30 days → 10万; actual 8万 → 20% behind.
    api.post(
        f"/campaigns/{campaign.id}/metrics",
        {"rows": [{"date": day(n), "channel": "抖音", "metric": "销售额", "value": 8000} for n in range(10)]},
    )
    alert = Alert.objects.get(rule="kpi_deviation")
    assert "销售额" in alert.message and "20%" in alert.message
    refused = api.post(f"/alerts/{alert.id}/resolve", {"evaluation": "雨天导致线下到场率低"})
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "decision"
    ok = api.post(f"/alerts/{alert.id}/resolve", {"evaluation": "雨天导致线下到场率低", "decision": "adjust"})
    assert ok.status_code == 200


def test_budget_line_over_plan_after_an_expense(api_for, users, campaign):
    from campaignflow.budgets.models import BudgetLine
    from campaignflow.campaigns.models import Membership

    # A director on the team: an overrun is held for one (with none, recording it is refused).
    Membership.objects.create(campaign=campaign, user=users["director"], role="viewer")
    line = BudgetLine.objects.create(
        campaign=campaign, category="channel", item="小红书KOC合作", planned=Decimal("80000")
    )
    api = api_for(users["owner"])
    api.post(f"/campaigns/{campaign.id}/expenses", {"budget_line": line.id, "amount": 50000, "date": day(1)})
    assert not Alert.objects.filter(rule="budget_over").exists()
    api.post(f"/campaigns/{campaign.id}/expenses", {"budget_line": line.id, "amount": 36000, "date": day(0)})
    # Over the line: held for the director; once approved it counts and the rule fires.
    from campaignflow.budgets.models import Expense
    from campaignflow.budgets.services import expense_decide

    held = Expense.objects.filter(status="held").first()
    if held:
        expense_decide(actor=users["director"], expense=held, approve=True)
    assert Alert.objects.filter(rule="budget_over").count() == 1
