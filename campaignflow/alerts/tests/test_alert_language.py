"""An alert reads in its reader's language, whatever language was active when it was raised: the page, the API
and Today say it from the rule and its figures; an alert whose figures cannot say it shows its stored text; an
overrun's amounts are written in the reader's money format."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from django.utils.translation import override

from campaignflow.alerts import engine
from campaignflow.alerts.models import Alert
from campaignflow.budgets.models import BudgetLine, Expense
from campaignflow.planning.models import Task
from conftest import logged_in

pytestmark = pytest.mark.django_db

EN_OVERDUE = "Task T001 {name} is 2 days overdue."
ZH_OVERDUE = "任务 T001 {name} 已逾期 2 天。"


def _overdue_alert(campaign, language: str) -> Alert:
    Task.objects.filter(campaign=campaign).update(end_date=timezone.localdate() + dt.timedelta(days=30))
    Task.objects.filter(campaign=campaign, code="T001").update(end_date=timezone.localdate() - dt.timedelta(days=2))
    with override(language):
        engine.evaluate_campaign(campaign, notify=False)
    return Alert.objects.get(campaign=campaign, rule="task_overdue")


def _api_message(api, campaign, alert, language: str) -> str:
    listed = api.get(f"/campaigns/{campaign.id}/alerts", HTTP_ACCEPT_LANGUAGE=language).json()
    return next(a["message"] for a in listed if a["id"] == alert.pk)


def test_an_alert_raised_in_chinese_reads_in_english_on_the_page_and_the_api(api_for, users, campaign):
    alert = _overdue_alert(campaign, "zh-hans")
    name = campaign.tasks.get(code="T001").name
    assert alert.message == ZH_OVERDUE.format(name=name)  # stored as first said
    api = api_for(users["owner"])
    assert _api_message(api, campaign, alert, "en") == EN_OVERDUE.format(name=name)
    assert _api_message(api, campaign, alert, "zh-hans") == ZH_OVERDUE.format(name=name)
    page = logged_in(users["owner"], "en").get(f"/campaigns/{campaign.id}/alerts/").content.decode()
    assert EN_OVERDUE.format(name=name) in page and ZH_OVERDUE.format(name=name) not in page
    today = api.get("/me/today", HTTP_ACCEPT_LANGUAGE="en").json()  # the open alerts of the campaigns I manage
    assert [a["message"] for a in today["alerts"]] == [EN_OVERDUE.format(name=name)]


def test_an_alert_raised_in_english_reads_in_chinese(api_for, users, campaign):
    alert = _overdue_alert(campaign, "en")
    name = campaign.tasks.get(code="T001").name
    assert alert.message == EN_OVERDUE.format(name=name)
    assert _api_message(api_for(users["owner"]), campaign, alert, "zh-hans") == ZH_OVERDUE.format(name=name)
    page = logged_in(users["owner"], "zh-hans").get(f"/campaigns/{campaign.id}/alerts/").content.decode()
    assert ZH_OVERDUE.format(name=name) in page and EN_OVERDUE.format(name=name) not in page


@pytest.mark.parametrize(
    ("rule", "data"),
    [
        ("budget_over_plan", {}),  # a rule this version does not know
        ("task_overdue", {}),  # figures an older version did not keep
        ("task_overdue", {"code": "T1", "name": "x", "days": "two"}),  # figures that cannot be said
        ("anomaly", {"date": "2025-06-01", "channels": ["抖音"]}),
    ],
)
def test_an_alert_whose_figures_cannot_say_it_shows_its_stored_text(api_for, users, campaign, rule, data):
    alert = Alert.objects.create(campaign=campaign, rule=rule, subject="old", message="预算超支 12%", data=data)
    assert _api_message(api_for(users["owner"]), campaign, alert, "en") == "预算超支 12%"
    page = logged_in(users["owner"], "en").get(f"/campaigns/{campaign.id}/alerts/").content.decode()
    assert "预算超支 12%" in page


def _overrun(campaign) -> Alert:
    line = BudgetLine.objects.create(campaign=campaign, category="channel", item="小红书KOC", planned=Decimal(80000))
    for amount in (Decimal(50000), Decimal(36000)):
        Expense.objects.create(campaign=campaign, line=line, amount=amount, date=timezone.localdate())
    engine.evaluate_campaign(campaign, notify=False)
    return Alert.objects.get(campaign=campaign, rule="budget_over")


def test_an_overrun_alert_keeps_its_amounts_as_numbers_and_writes_them_per_language(api_for, users, campaign):
    alert = _overrun(campaign)
    assert alert.data == {"item": "小红书KOC", "over": 6000.0, "planned": 80000.0, "actual": 86000.0}
    api = api_for(users["owner"])
    assert _api_message(api, campaign, alert, "zh-hans") == (
        "预算明细 小红书KOC 超出计划 ¥6,000（计划 ¥8万，实际 ¥8.6万）。"
    )
    assert _api_message(api, campaign, alert, "en") == (
        "Budget line 小红书KOC is over plan by ¥6,000.00 (plan ¥80,000.00, actual ¥86,000.00)."
    )
    page = logged_in(users["owner"], "en").get(f"/campaigns/{campaign.id}/alerts/").content.decode()
    assert "over plan by ¥6,000.00 (plan ¥80,000.00, actual ¥86,000.00)" in page


def test_an_overrun_alert_of_an_older_version_shows_its_written_amounts(api_for, users, campaign):
    data = {"item": "小红书KOC", "over": "¥6,000.00", "planned": "¥80,000.00", "actual": "¥86,000.00"}
    alert = Alert.objects.create(
        campaign=campaign, rule="budget_over", subject="budget_line:1", message="旧", data=data
    )
    assert _api_message(api_for(users["owner"]), campaign, alert, "en") == (
        "Budget line 小红书KOC is over plan by ¥6,000.00 (plan ¥80,000.00, actual ¥86,000.00)."
    )
