"""The history pages read as words (core.audit_display): field labels instead of field names, 是/否 instead of
True/False, choice labels instead of codes, moments in the reader's time zone, people by name, the action and
the object type in words; and the page reads the names it shows in a constant number of queries."""

import datetime as dt
import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campaignflow.core.audit import audit_record, snapshot
from conftest import logged_in

pytestmark = pytest.mark.django_db


def _history_text(client, campaign) -> str:
    response = client.get(f"/campaigns/{campaign.pk}/history/")
    assert response.status_code == 200
    page = response.content.decode()
    table = page[page.index('data-testid="history"') :]
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", table)))


def _changes(users, campaign):
    """A task marked done and made a milestone, given to the manager; the campaign restored from the bin."""
    from campaignflow.planning import services as planning

    task = campaign.tasks.order_by("sort_order").first()
    planning.task_update(
        actor=users["owner"],
        task=task,
        version=task.version,
        data={"status": "done", "milestone": True, "owner": "manager1"},
        finished_on=dt.date(2025, 6, 3),
    )
    before = snapshot(campaign)
    before["deleted_at"] = dt.datetime(2025, 6, 1, 2, 30, tzinfo=dt.UTC)  # 10:30 in Shanghai
    audit_record(actor=users["owner"], action="restore", obj=campaign, before=before, after=snapshot(campaign))
    return task


def test_the_campaign_history_reads_as_chinese_words(users, campaign):
    users["manager"].display_name = "李四"
    users["manager"].save(update_fields=["display_name"])
    task = _changes(users, campaign)
    text = _history_text(logged_in(users["owner"]), campaign)
    assert f"修改 任务 · {task.code}" in text  # the action and the object type in words
    assert "状态: 未开始 → 已完成" in text
    assert "里程碑: 否 → 是" in text
    assert "负责人: — → 李四" in text  # a person by name, not an id
    assert "删除时间: 2025-06-01 10:30 → —" in text  # stored as UTC ISO text, read in Shanghai time
    assert "恢复 活动" in text
    for code in ("planning.task", "campaigns.campaign", "True", "False", "None", "not_started", "owner_id"):
        assert code not in text, code
    assert not re.search(r"\b(update|restore|status|milestone|deleted_at)\b", text)
    assert not re.search(r"\d{2}:\d{2}:\d{2}[.+]|T\d{2}:\d{2}", text)  # no stored ISO text


def test_the_campaign_history_in_english(users, campaign):
    _changes(users, campaign)
    text = _history_text(logged_in(users["owner"], "en"), campaign)
    assert "Status: Not started → Done" in text
    assert "Milestone: No → Yes" in text
    assert "Owner: — → manager1" in text and "Deleted at: 2025-06-01 10:30 → —" in text
    assert "Changed Task" in text and "Restored Campaign" in text


def test_the_history_page_reads_names_in_constant_queries(users, campaign):
    from campaignflow.planning import services as planning

    def queries() -> int:
        client = logged_in(users["owner"])
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/campaigns/{campaign.pk}/history/").status_code == 200
        return len(captured)

    def change_tasks(count: int) -> None:
        for task in list(campaign.tasks.order_by("sort_order"))[:count]:
            owner = "manager1" if task.owner_id != users["manager"].pk else "member1"
            planning.task_update(actor=users["owner"], task=task, version=task.version, data={"owner": owner})

    change_tasks(2)
    few = queries()
    change_tasks(12)
    assert queries() == few


def test_an_apps_own_codes_and_the_object_read_as_words(users, campaign):
    """A budget line's category has no model choices: the budgets app gives its words (register_values); the
    object is named by its record (the line's item), not by the text its code made when written."""
    from campaignflow.budgets import services as budgets

    budgets.line_create(
        actor=users["owner"], campaign=campaign, data={"category": "channel", "item": "小红书KOC合作", "planned": "8万"}
    )
    text = _history_text(logged_in(users["owner"]), campaign)
    assert "创建 预算明细 · 小红书KOC合作" in text
    assert "类别: — → 渠道推广" in text and "计划金额: — → ¥8万" in text
    assert not re.search(r"\bchannel\b", text)


def test_machine_keys_are_left_out(users, campaign):
    """An alert's subject key ("kpi:9") and a report's kept figures are for the API; the page says the rest."""
    from campaignflow.alerts.models import Alert

    alert = Alert.objects.create(
        campaign=campaign, rule="kpi_deviation", subject="kpi:9", severity="high", message="销售额 落后于计划"
    )
    after = {"rule": "kpi_deviation", "subject": "kpi:9", "message": alert.message}
    audit_record(actor=None, action="alert_raised", obj=alert, campaign=campaign, after=after)
    text = _history_text(logged_in(users["owner"]), campaign)
    assert "销售额 落后于计划" in text and "kpi:9" not in text
