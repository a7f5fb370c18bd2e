"""What Today lists for whom: each section for the people it waits for, nothing of others' campaigns, and
a constant number of queries however many campaigns and items there are."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from campaignflow.alerts.models import Alert
from campaignflow.budgets.models import Budget, BudgetLine, Expense
from campaignflow.campaigns.models import Campaign, Membership
from campaignflow.execution.models import Standup
from campaignflow.goals.models import Channel
from campaignflow.materials.models import Material
from campaignflow.planning.models import Task
from campaignflow.today import selectors
from campaignflow.tracking.models import MetricRow
from conftest import make_campaign

pytestmark = pytest.mark.django_db


def _today(user):
    return selectors.today(user, timezone.localdate())


def _waiting(live, users):
    """One of each: an overdue task of the member, an open alert, a submitted budget, a held overrun,
    a material in review."""
    today = timezone.localdate()
    Task.objects.create(campaign=live, code="T900", name="投放复盘", owner=users["member"], end_date=today)
    Task.objects.create(
        campaign=live, code="T901", name="素材上线", owner=users["member"], end_date=today - dt.timedelta(days=2)
    )
    Alert.objects.create(campaign=live, rule="task_overdue", subject="task:T901", message="T901 已逾期")
    Budget.objects.update_or_create(campaign=live, defaults={"status": "submitted", "submitted_by": users["owner"]})
    line = BudgetLine.objects.create(campaign=live, category="channel", item="抖音投放", planned=Decimal(1000))
    Expense.objects.create(
        campaign=live, line=line, amount=Decimal(1500), date=today, status="held", over_reason="超出预算 50%"
    )
    Material.objects.create(campaign=live, code="M001", name="主视觉海报", status="in_review", revision=1)


def test_the_member_sees_their_tasks_stand_up_and_channel(live, users):
    _waiting(live, users)
    today = _today(users["member"])
    assert [(t["code"], t["overdue"]) for t in today["tasks"]] == [("T901", True), ("T900", False)]
    assert today["standups"] == [
        {"campaign_id": live.pk, "campaign": live.name, "written": False, "url": f"/campaigns/{live.pk}/today/standup/"}
    ]
    assert [(n["channel"], n["missing"], n["mine"]) for n in today["numbers"]] == [
        ("抖音", ["曝光", "点击", "销售额"], True)
    ]
    assert today["numbers"][0]["url"] == f"/campaigns/{live.pk}/today/numbers/?channel=抖音"
    assert today["alerts"] == [] and today["approvals"] == []  # a member neither manages nor approves


def test_a_written_stand_up_and_entered_numbers_leave_the_lists(live, users):
    day = timezone.localdate()
    Standup.objects.create(campaign=live, user=users["member"], date=day, done="上线")
    MetricRow.objects.bulk_create(
        [MetricRow(campaign=live, date=day, channel="抖音", metric=m, value=Decimal(1)) for m in ("曝光", "点击")]
    )
    today = _today(users["member"])
    assert today["standups"][0]["written"] is True
    assert [n["missing"] for n in today["numbers"]] == [["销售额"]]


def test_the_manager_sees_every_channel_alerts_and_materials(live, users):
    _waiting(live, users)
    today = _today(users["manager"])
    assert [n["channel"] for n in today["numbers"]] == ["抖音", "小红书"]
    assert [a["message"] for a in today["alerts"]] == ["T901 已逾期"]
    assert today["alerts"][0]["url"].startswith(f"/campaigns/{live.pk}/alerts/?alert=")
    assert [(i["kind"], i["title"]) for i in today["approvals"]] == [("material", "M001 主视觉海报")]


def test_approvals_follow_the_budget_rules(live, users):
    _waiting(live, users)
    for key in ("finance", "director"):
        Membership.objects.create(campaign=live, user=users[key], role="viewer")
    assert [i["kind"] for i in _today(users["finance"])["approvals"]] == ["budget"]  # not the director's overrun
    assert [i["kind"] for i in _today(users["director"])["approvals"]] == ["budget", "overrun"]
    budget = _today(users["director"])["approvals"][0]
    assert budget["amount"] == Decimal(1000) and budget["decide_url"] == f"/today/approvals/budgets/{live.pk}/"
    # the one who submitted the budget does not approve it
    Budget.objects.filter(campaign=live).update(submitted_by=users["director"])
    assert [i["kind"] for i in _today(users["director"])["approvals"]] == ["overrun"]


def test_a_correction_waits_for_finance_but_not_for_the_one_who_made_it(live, users):
    line = BudgetLine.objects.create(campaign=live, category="channel", item="抖音投放", planned=Decimal(1000))
    Membership.objects.create(campaign=live, user=users["finance"], role="viewer")
    expense = Expense.objects.create(
        campaign=live, line=line, amount=Decimal(900), date=timezone.localdate(), status="pending"
    )
    assert [i["kind"] for i in _today(users["finance"])["approvals"]] == ["correction"]
    Expense.objects.filter(pk=expense.pk).update(corrected_by=users["finance"])
    assert _today(users["finance"])["approvals"] == []


def test_partners_and_outsiders_see_nothing_of_the_team(live, users):
    _waiting(live, users)
    Task.objects.filter(code="T900").update(owner=users["outsider"])  # a task of a campaign they do not see
    for key in ("partner", "outsider", "viewer"):
        today = _today(users[key])
        assert today["standups"] == [] and today["numbers"] == [] and today["alerts"] == []
        assert today["approvals"] == [], key
    assert _today(users["outsider"])["tasks"] == []


def test_a_partner_reviews_co_branded_material_only(live, users):
    Material.objects.create(campaign=live, code="M001", name="联名海报", status="in_review", revision=1)
    Material.objects.create(
        campaign=live, code="M002", name="联名礼盒", status="in_review", revision=1, partner_approval=True
    )
    assert [i["title"] for i in _today(users["partner"])["approvals"]] == ["M002 联名礼盒"]


def test_archived_and_other_campaigns_stay_out(live, users):
    _waiting(live, users)
    Campaign.objects.filter(pk=live.pk).update(status="archived")
    today = _today(users["manager"])
    assert today["standups"] == [] and today["numbers"] == [] and today["alerts"] == []


def _campaigns(users, n: int) -> None:
    """`n` more campaigns like `live`, each with all that waits for the manager and the director."""
    today = timezone.localdate()
    for i in range(n):
        campaign = make_campaign(users)
        Campaign.objects.filter(pk=campaign.pk).update(status="executing", start_date=today, end_date=today)
        Channel.objects.create(campaign=campaign, name=f"渠道{i}", owner=users["member"], targets={"曝光": "1"})
        Membership.objects.create(campaign=campaign, user=users["director"], role="viewer")
        _waiting(campaign, users)


def test_the_query_count_does_not_grow_with_campaigns(live, users):
    def count(user) -> int:
        with CaptureQueriesContext(connection) as queries:
            _today(user)
        return len(queries.captured_queries)

    _campaigns(users, 1)
    few = {key: count(users[key]) for key in ("member", "manager", "director")}
    _campaigns(users, 4)
    assert len(_today(users["manager"])["alerts"]) == 5
    assert {key: count(users[key]) for key in ("member", "manager", "director")} == few


def test_an_overrun_says_in_words_what_it_is_over(live, users):
    """`over_reason` is stored as a code ("line", "total"): the card showed the English word "line"."""
    from django.utils import translation

    line = BudgetLine.objects.create(campaign=live, category="channel", item="抖音投放", planned=Decimal(1000))
    today = timezone.localdate()
    Expense.objects.create(
        campaign=live, line=line, amount=Decimal(1500), date=today, status="held", over_reason="line"
    )
    Membership.objects.create(campaign=live, user=users["director"], role="viewer")
    with translation.override("zh-hans"):
        [overrun] = [i for i in _today(users["director"])["approvals"] if i["kind"] == "overrun"]
        assert overrun["note"] == translation.gettext("over the line's plan") != "over the line's plan"
