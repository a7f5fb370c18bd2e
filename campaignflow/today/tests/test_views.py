"""The phone pages through the session, as a phone uses them: bad input named in the form with nothing
written, a stale version refused (409), the desktop's rules kept."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from campaignflow.budgets.models import Budget, BudgetLine, Expense
from campaignflow.campaigns.models import Membership
from campaignflow.core.models import AuditEntry
from campaignflow.execution.models import Standup
from campaignflow.materials.models import Material
from campaignflow.planning.models import Task
from campaignflow.tracking.models import MetricRow
from conftest import logged_in

pytestmark = pytest.mark.django_db

PHONE = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/120.0 Mobile Safari/537.36"
DESKTOP = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36"


def test_home_is_today_on_a_phone_and_the_campaign_list_on_a_desktop(users):
    client = logged_in(users["member"])
    assert client.get("/", HTTP_USER_AGENT=PHONE).url == "/today/"
    assert client.get("/", HTTP_USER_AGENT=f"{DESKTOP} DingTalk/7.5").url == "/today/"
    assert client.get("/", HTTP_USER_AGENT=DESKTOP).url == "/campaigns/"


def test_today_says_in_words_that_nothing_is_due(users):
    page = logged_in(users["outsider"]).get("/today/")
    assert page.status_code == 200
    assert "今天没有待办" in page.content.decode()


def test_a_task_is_done_in_one_tap_and_a_stale_tap_is_refused(live, users):
    task = Task.objects.create(campaign=live, code="T900", name="投放复盘", owner=users["member"])
    client = logged_in(users["member"])
    stale = client.post(f"/today/tasks/{task.pk}/done/", {"version": task.version + 1}, follow=True)
    assert "已被他人修改" in stale.content.decode() or "changed by someone else" in stale.content.decode()
    task.refresh_from_db()
    assert task.status != "done"
    client.post(f"/today/tasks/{task.pk}/done/", {"version": task.version})
    task.refresh_from_db()
    assert task.status == "done"
    assert logged_in(users["outsider"]).post(f"/today/tasks/{task.pk}/done/", {"version": 2}).status_code == 404


# --- the stand-up ---------------------------------------------------------------------------------------


def test_the_stand_up_form_is_marked_for_drafts_and_the_offline_queue(live, users):
    html = logged_in(users["member"]).get(f"/campaigns/{live.pk}/today/standup/").content.decode()
    day = timezone.localdate().isoformat()
    assert 'data-offline-queue="standup"' in html and f'data-draft="standup-{live.pk}-{day}"' in html
    assert 'name="version" value="0"' in html


def test_a_stand_up_is_saved_then_rewritten_with_its_version(live, users):
    client = logged_in(users["member"])
    url = f"/campaigns/{live.pk}/today/standup/"
    day = timezone.localdate().isoformat()
    first = client.post(url, {"date": day, "done": "抖音素材上线", "version": "0"})
    assert first.status_code == 302 and first.url == "/today/"
    standup = Standup.objects.get()
    assert 'name="version" value="1"' in client.get(url).content.decode()
    client.post(url, {"date": day, "done": "抖音素材上线", "need_support": "需要设计支援", "version": "1"})
    standup.refresh_from_db()
    assert (standup.need_support, standup.version) == ("需要设计支援", 2)


def test_not_done_without_a_reason_is_a_form_error(live, users):
    response = logged_in(users["member"]).post(
        f"/campaigns/{live.pk}/today/standup/",
        {"date": timezone.localdate().isoformat(), "not_done": "直播脚本", "version": "0"},
    )
    assert response.status_code == 422
    assert response.context["form"].errors["not_done_reason"]
    assert not Standup.objects.exists()


def test_a_stand_up_sent_late_does_not_overwrite_a_newer_one(live, users):
    """Written on the phone offline (read with no stand-up: version 0) while another device saved one."""
    day = timezone.localdate()
    Standup.objects.create(campaign=live, user=users["member"], date=day, done="已在电脑上写好")
    response = logged_in(users["member"]).post(
        f"/campaigns/{live.pk}/today/standup/", {"date": day.isoformat(), "done": "离线草稿", "version": "0"}
    )
    assert response.status_code == 409
    assert response.context["conflict"]
    assert Standup.objects.get().done == "已在电脑上写好"


def test_partners_and_viewers_do_not_write_stand_ups(live, users):
    url = f"/campaigns/{live.pk}/today/standup/"
    assert logged_in(users["partner"]).get(url).status_code == 403
    assert logged_in(users["viewer"]).post(url, {"done": "x"}).status_code == 403
    assert logged_in(users["outsider"]).get(url).status_code == 404


# --- today's numbers ------------------------------------------------------------------------------------


def _numbers_form(client, live, query=""):
    response = client.get(f"/campaigns/{live.pk}/today/numbers/{query}")
    assert response.status_code == 200
    return response


def _post(
    client, live, values: dict, *, version: int = 0, day=None, channel="抖音", metrics=("曝光", "点击", "销售额")
):
    data = {"date": (day or timezone.localdate()).isoformat(), "version": version, "cards": 1, "c0": channel}
    data["k0"] = len(metrics)
    for j, metric in enumerate(metrics):
        data[f"n0_{j}"] = metric
        data[f"v0_{j}"] = values.get(metric, "")
    return client.post(f"/campaigns/{live.pk}/today/numbers/", data)


def test_the_numbers_form_has_a_card_per_channel_of_mine(live, users):
    response = _numbers_form(logged_in(users["member"]), live)
    cards = response.context["cards"]
    assert [(c["channel"], [m["metric"] for m in c["metrics"]]) for c in cards] == [
        ("抖音", ["曝光", "点击", "销售额"])
    ]
    html = response.content.decode()
    assert html.count('inputmode="decimal"') == 3
    assert 'data-offline-queue="numbers"' in html
    # the reminder's link names the channels; the owner of none sees all
    assert [
        c["channel"] for c in _numbers_form(logged_in(users["member"]), live, "?channel=小红书").context["cards"]
    ] == ["小红书"]
    assert len(_numbers_form(logged_in(users["owner"]), live).context["cards"]) == 2


def test_wan_and_thousands_separators_are_understood(live, users):
    response = _post(logged_in(users["member"]), live, {"曝光": "1.2万", "点击": "1,200"})
    assert response.status_code == 302
    stored = dict(MetricRow.objects.values_list("metric", "value"))
    assert stored == {"曝光": Decimal(12000), "点击": Decimal(1200)}
    assert AuditEntry.objects.filter(action="metrics.import", campaign_id=live.pk).count() == 1


@pytest.mark.parametrize(("typed", "words"), [("abc", "不是数字"), ("-5", "不能为负")])
def test_one_bad_value_saves_nothing_and_names_the_card_and_field(live, users, typed, words):
    response = _post(logged_in(users["member"]), live, {"曝光": "1.2万", "点击": typed})
    assert response.status_code == 422
    error = response.context["form"].errors["v0_1"][0]
    assert error.startswith("抖音 · 点击") and words in error
    assert response.context["cards"][0]["has_error"]
    assert not MetricRow.objects.exists()


def test_numbers_read_before_someone_else_entered_theirs_are_refused(live, users):
    client = logged_in(users["member"])
    version = _numbers_form(client, live).context["form"].initial["version"]
    assert _post(logged_in(users["owner"]), live, {"曝光": "100"}, version=version).status_code == 302
    late = _post(client, live, {"曝光": "200"}, version=version)
    assert late.status_code == 409 and late.context["conflict"]
    assert MetricRow.objects.get().value == Decimal(100)


def test_the_same_numbers_sent_again_are_no_conflict_and_write_nothing(live, users):
    """The offline queue sends a form again when its answer was lost: the values are stored already."""
    client = logged_in(users["member"])
    version = _numbers_form(client, live).context["form"].initial["version"]
    assert _post(client, live, {"曝光": "1.2万"}, version=version).status_code == 302
    again = _post(client, live, {"曝光": "12000"}, version=version)
    assert again.status_code == 302
    assert MetricRow.objects.get().value == Decimal(12000)
    assert AuditEntry.objects.filter(action="metrics.import", campaign_id=live.pk).count() == 1


def test_yesterday_may_be_entered_but_not_tomorrow(live, users):
    client = logged_in(users["member"])
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    assert _post(client, live, {"曝光": "5"}, day=yesterday).status_code == 302
    assert MetricRow.objects.get().date == yesterday
    tomorrow = _post(client, live, {"曝光": "5"}, day=timezone.localdate() + dt.timedelta(days=1))
    assert tomorrow.status_code == 422 and tomorrow.context["form"].errors["date"]


def test_an_unknown_channel_is_refused(live, users):
    response = _post(logged_in(users["member"]), live, {"曝光": "5"}, channel="不存在的渠道")
    assert response.status_code == 422
    assert not MetricRow.objects.exists()


def test_viewers_read_numbers_but_do_not_enter_them(live, users):
    assert 'data-testid="numbers-save"' not in _numbers_form(logged_in(users["viewer"]), live).content.decode()
    assert _post(logged_in(users["viewer"]), live, {"曝光": "5"}).status_code == 403


# --- approvals ------------------------------------------------------------------------------------------


def _submitted(live, users) -> Budget:
    BudgetLine.objects.create(campaign=live, category="channel", item="抖音投放", planned=Decimal(8000))
    budget, _created = Budget.objects.update_or_create(
        campaign=live, defaults={"status": "submitted", "submitted_by": users["owner"]}
    )
    Membership.objects.create(campaign=live, user=users["finance"], role="viewer")
    return budget


def test_finance_approves_a_budget_request_from_the_phone(live, users):
    budget = _submitted(live, users)
    client = logged_in(users["finance"])
    page = client.get("/today/approvals/")
    assert f'id="approval-budget-{budget.pk}"' in page.content.decode()
    client.post(f"/today/approvals/budgets/{live.pk}/", {"action": "approve", "version": budget.version})
    budget.refresh_from_db()
    assert budget.status == "approved"


def test_a_stale_decision_is_refused_with_a_clear_message(live, users):
    budget = _submitted(live, users)
    response = logged_in(users["finance"]).post(
        f"/today/approvals/budgets/{live.pk}/", {"action": "approve", "version": budget.version - 1}, follow=True
    )
    assert "已被他人修改" in response.content.decode() or "changed by someone else" in response.content.decode()
    budget.refresh_from_db()
    assert budget.status == "submitted"


def test_rejecting_needs_a_comment_and_a_member_may_not_decide(live, users):
    budget = _submitted(live, users)
    logged_in(users["finance"]).post(f"/today/approvals/budgets/{live.pk}/", {"action": "reject", "version": 1})
    budget.refresh_from_db()
    assert budget.status == "submitted"
    refused = logged_in(users["member"]).post(
        f"/today/approvals/budgets/{live.pk}/", {"action": "approve", "version": budget.version}
    )
    assert refused.status_code == 403
    assert logged_in(users["outsider"]).post(f"/today/approvals/budgets/{live.pk}/", {}).status_code == 404


def test_a_director_decides_an_overrun(live, users):
    line = BudgetLine.objects.create(campaign=live, category="channel", item="抖音投放", planned=Decimal(1000))
    expense = Expense.objects.create(
        campaign=live, line=line, amount=Decimal(1500), date=timezone.localdate(), status="held"
    )
    Membership.objects.create(campaign=live, user=users["director"], role="viewer")
    url = f"/today/approvals/expenses/{expense.pk}/"
    assert logged_in(users["member"]).post(url, {"action": "approve", "version": 1}).status_code == 403
    logged_in(users["director"]).post(url, {"action": "approve", "version": expense.version})
    expense.refresh_from_db()
    assert expense.status == "approved"


def test_the_manager_sends_a_material_back_with_a_comment(live, users):
    material = Material.objects.create(campaign=live, code="M001", name="主视觉海报", status="in_review", revision=1)
    url = f"/today/approvals/materials/{material.pk}/"
    assert logged_in(users["member"]).post(url, {"action": "approve", "version": 1}).status_code == 403
    logged_in(users["manager"]).post(url, {"action": "reject", "comment": "LOGO 太小", "version": material.version})
    material.refresh_from_db()
    assert material.status == "changes_requested"


# --- alerts, opened from Today ------------------------------------------------------------------------


def test_an_alert_opens_with_its_resolve_form_and_a_stale_resolve_is_refused(live, users):
    from campaignflow.alerts.models import Alert

    alert = Alert.objects.create(campaign=live, rule="task_overdue", subject="task:x", message="T003 已逾期")
    client = logged_in(users["manager"])
    html = client.get(f"/campaigns/{live.pk}/alerts/?alert={alert.pk}").content.decode()
    assert f'id="resolve-form-{alert.pk}"' in html and '<details class="resolve" open>' in html
    url = f"/campaigns/{live.pk}/alerts/{alert.pk}/"
    data = {"action": "resolve", "evaluation": "已补发", "decision": "continue"}
    client.post(url, {**data, "version": alert.version + 1})
    alert.refresh_from_db()
    assert alert.status == "open"
    client.post(url, {**data, "version": alert.version})
    alert.refresh_from_db()
    assert (alert.status, alert.evaluation) == ("resolved", "已补发")


def test_a_viewer_sees_the_numbers_read_only_with_a_note(live, users):
    """No inputs a viewer could type into and not save (the server refuses their save with 403): the values, and a
    note that they may view but not enter them."""
    assert _post(logged_in(users["member"]), live, {"曝光": "1.2万"}).status_code == 302
    html = _numbers_form(logged_in(users["viewer"]), live).content.decode()
    assert 'inputmode="decimal"' not in html and 'data-testid="numbers-form"' not in html
    assert 'data-offline-queue="numbers"' not in html
    assert 'data-testid="numbers-read-only"' in html and "你可以查看这些数据，但你在本活动中的角色不能填报。" in html
    assert "抖音" in html and "小红书" in html and "12000" in html
    # a member still gets the form
    member = _numbers_form(logged_in(users["member"]), live).content.decode()
    assert 'data-testid="numbers-read-only"' not in member and 'inputmode="decimal"' in member
