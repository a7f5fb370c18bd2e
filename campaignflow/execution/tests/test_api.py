"""Execution API: risks, issue log with SLA, logs, run-of-show, stand-ups, weekly reports."""

import datetime as dt

import pytest
from django.utils import timezone

from campaignflow.core.models import AuditEntry
from campaignflow.execution.domain.weekly import KpiLine
from campaignflow.execution.models import Issue, RunOfShowItem, Standup, WeeklyReport
from campaignflow.execution.reporting import KPI_SOURCES, register_kpi_source
from campaignflow.planning.models import TaskStatus
from tests.support.bad_input import one_bad_field


@pytest.fixture
def owner_api(api_for, users):
    return api_for(users["owner"])


def test_issue_log_codes_sla_and_resolution(owner_api, campaign, users):
    found = (timezone.now() - dt.timedelta(hours=30)).isoformat()
    first = owner_api.post(
        f"/campaigns/{campaign.id}/issues",
        {"description": "线下活动到场率低于预期", "severity": "medium", "owner": "owner1", "found_at": found},
    )
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["code"] == "Q001" and body["response_breached"] is True and body["resolution_breached"] is False
    second = owner_api.post(
        f"/campaigns/{campaign.id}/issues", {"description": "优惠券核销率仅15%", "severity": "high"}
    )
    assert second.json()["code"] == "Q002" and second.json()["response_breached"] is False
    # Resolving needs a solution; with one it stamps the response and resolution times.
    refused = owner_api.patch(f"/issues/{body['id']}", {"version": body["version"], "status": "resolved"})
    assert refused.status_code == 422 and "solution" in refused.json()["detail"]
    done = owner_api.patch(
        f"/issues/{body['id']}",
        {"version": body["version"], "status": "resolved", "solution": "增加“扫码领小礼品”引流"},
    )
    assert done.status_code == 200
    issue = Issue.objects.get(pk=body["id"])
    assert issue.first_response_at and issue.resolved_at and issue.version == 2
    listed = owner_api.get(f"/campaigns/{campaign.id}/issues", {"status": "open"}).json()
    assert [i["code"] for i in listed] == ["Q002"]
    stale = owner_api.patch(f"/issues/{body['id']}", {"version": 1, "severity": "low"})
    assert stale.status_code == 409 and stale.json()["current_version"] == 2


@pytest.mark.parametrize(
    ("payload", "field"),
    one_bad_field(
        {"description": "x"},
        {"description": "", "severity": "urgent", "owner": "outsider1", "found_at": "2999-01-01T00:00:00+08:00"},
    ),
)
def test_issue_bad_input_names_field_and_writes_nothing(owner_api, campaign, payload, field):
    response = owner_api.post(f"/campaigns/{campaign.id}/issues", payload)
    assert response.status_code == 422
    assert field in response.json()["detail"]
    assert Issue.objects.count() == 0


def test_risks_score_and_level(owner_api, campaign):
    response = owner_api.post(
        f"/campaigns/{campaign.id}/risks",
        {
            "title": "合作方资源延迟到位",
            "category": "partner",
            "likelihood": 4,
            "impact": 4,
            "mitigation": "提前设置备选资源方",
            "contingency_plan": "启用备用KOL",
            "trigger": "资源到位延迟超过3天",
        },
    )
    assert response.status_code == 201
    assert (response.json()["code"], response.json()["score"], response.json()["level"]) == ("R001", 16, "high")
    bad = owner_api.post(f"/campaigns/{campaign.id}/risks", {"title": "x", "likelihood": 6})
    assert bad.status_code == 422 and "likelihood" in bad.json()["detail"]


def test_logs_and_run_of_show(owner_api, campaign):
    log = owner_api.post(
        f"/campaigns/{campaign.id}/logs", {"event": "直播卡顿", "handling": "切换备用线路", "result": "2分钟内恢复"}
    )
    assert log.status_code == 201 and log.json()["author"] == "owner1"
    assert owner_api.get(f"/campaigns/{campaign.id}/logs").json()[0]["event"] == "直播卡顿"
    seg = owner_api.post(
        f"/campaigns/{campaign.id}/run-of-show",
        {"segment": "开场", "starts_at": "2025-06-18T20:00:00+08:00", "minutes": 5},
    )
    assert seg.status_code == 201
    ticked = owner_api.patch(f"/run-of-show/{seg.json()['id']}", {"version": 1, "done": True})
    assert ticked.json()["done_at"] is not None
    # deleted with the version read: without it 422, with an old one 409 naming the current one, then 204
    for path, current in ((f"/logs/{log.json()['id']}", 1), (f"/run-of-show/{seg.json()['id']}", 2)):
        assert owner_api.delete(path).status_code == 422
        stale = owner_api.delete(f"{path}?version={current + 5}")
        assert stale.status_code == 409 and stale.json()["current_version"] == current
        assert owner_api.delete(f"{path}?version={current}").status_code == 204
        assert owner_api.delete(f"{path}?version={current}").status_code == 404
    assert owner_api.get(f"/campaigns/{campaign.id}/logs").json() == []
    assert owner_api.get(f"/campaigns/{campaign.id}/run-of-show").json() == []


def test_standup_upsert_per_person_and_day(api_for, users, campaign):
    api = api_for(users["member"])
    first = api.post(
        f"/campaigns/{campaign.id}/standups", {"done": "完成KOL首篇内容发布", "need_support": "增加1名地推人员"}
    )
    assert first.status_code == 201
    again = api.post(f"/campaigns/{campaign.id}/standups", {"done": "完成KOL首篇内容发布；社群运营", "version": 1})
    assert again.status_code == 200 and again.json()["version"] == 2
    assert Standup.objects.count() == 1
    missing_reason = api.post(f"/campaigns/{campaign.id}/standups", {"not_done": "物料未到"})
    assert missing_reason.status_code == 422 and "not_done_reason" in missing_reason.json()["detail"]
    empty = api.post(f"/campaigns/{campaign.id}/standups", {})
    assert empty.status_code == 422


def test_weekly_report_draft_edit_publish(owner_api, users, campaign):
    week = timezone.localdate() - dt.timedelta(days=timezone.localdate().weekday())
    task = campaign.tasks.get(code="T002")
    task.status, task.delay_reason, task.end_date = TaskStatus.DELAYED, "KOL档期调整", week
    task.save()
    Standup.objects.create(campaign=campaign, user=users["member"], date=week, need_support="增加1名地推人员")
    source = lambda c: [KpiLine("销售额", "30万", "35万", 1.1667)]  # noqa: E731
    register_kpi_source(source)
    try:
        made = owner_api.post(f"/campaigns/{campaign.id}/weekly-reports", {"week_start": str(week)})
    finally:
        KPI_SOURCES.remove(source)
    assert made.status_code == 201
    report = made.json()
    assert "KOL档期调整" in report["delayed_tasks"]
    assert "增加1名地推人员" in report["resources"]
    assert "达成率 117%" in report["key_results"]
    edited = owner_api.patch(
        f"/weekly-reports/{report['id']}", {"version": 1, "key_results": "人工补充：销售额超额完成"}
    )
    assert edited.status_code == 200
    viewer = owner_api.__class__(users["viewer"])
    assert viewer.post(f"/weekly-reports/{report['id']}/publish", {"version": 2}).status_code == 403
    published = owner_api.post(f"/weekly-reports/{report['id']}/publish", {"version": 2})
    assert published.status_code == 200 and published.json()["status"] == "published"
    assert owner_api.patch(f"/weekly-reports/{report['id']}", {"version": 3, "resources": "x"}).status_code == 409
    assert WeeklyReport.objects.get().published_by == users["owner"]
    assert AuditEntry.objects.filter(object_type="execution.weeklyreport").count() == 3


@pytest.mark.parametrize(
    ("actor", "read", "write"),
    [("viewer", 200, 403), ("partner", 403, 403), ("outsider", 404, 404), ("member", 200, 201)],
)
def test_execution_access(api_for, users, campaign, actor, read, write):
    api = api_for(users[actor])
    assert api.get(f"/campaigns/{campaign.id}/issues").status_code == read
    assert api.post(f"/campaigns/{campaign.id}/issues", {"description": "问题"}).status_code == write


def test_sla_settings_validation(owner_api, campaign):
    assert owner_api.get(f"/campaigns/{campaign.id}/execution-settings").json()["response_sla_hours"] == 24
    bad = owner_api.patch(f"/campaigns/{campaign.id}/execution-settings", {"version": 1, "response_sla_hours": 0})
    assert bad.status_code == 422 and "response_sla_hours" in bad.json()["detail"]
    ok = owner_api.patch(f"/campaigns/{campaign.id}/execution-settings", {"version": 1, "response_sla_hours": 12})
    assert ok.status_code == 200
    issue = owner_api.post(f"/campaigns/{campaign.id}/issues", {"description": "问题"}).json()
    found = dt.datetime.fromisoformat(issue["found_at"])
    assert dt.datetime.fromisoformat(issue["response_due"]) - found == dt.timedelta(hours=12)


def test_weekly_report_key_results_come_from_the_kpis(owner_api, campaign, users):
    from decimal import Decimal

    from campaignflow.goals.models import Kpi
    from campaignflow.tracking import rollups
    from campaignflow.tracking.models import MetricRow

    Kpi.objects.create(campaign=campaign, name="销售额", metric="销售额", unit="元", target=Decimal("300000"))
    MetricRow.objects.create(
        campaign=campaign, date=campaign.start_date, channel="抖音", metric="销售额", value=Decimal("350000")
    )
    rollups.refresh(campaign.pk)  # rows written outside the ingestion service
    report = owner_api.post(f"/campaigns/{campaign.id}/weekly-reports", {"week_start": "2025-06-02"}).json()
    # the row is in the week before the report's (2025-06-01 is a Sunday): this week has none of it
    assert "销售额：本周 ¥0，上周 ¥35万，环比 −100%；累计达成率 117%（目标 ¥30万）" in report["key_results"]


def test_a_null_where_a_value_is_needed_is_refused_by_name_and_writes_nothing(owner_api, campaign):
    """PATCH bodies: an absent field stays as it is, an explicit null is only taken where the field may be empty
    (a segment's owner); a null start time reached the database as NOT NULL and answered 500."""
    seg = owner_api.post(
        f"/campaigns/{campaign.id}/run-of-show",
        {"segment": "开场", "starts_at": "2025-06-18T20:00:00+08:00", "minutes": 5},
    ).json()
    for field in ("starts_at", "segment", "minutes"):
        refused = owner_api.patch(f"/run-of-show/{seg['id']}", {"version": 1, field: None})
        assert refused.status_code == 422, (field, refused.content)
        assert field in str(refused.json()["detail"])
    assert owner_api.patch(f"/run-of-show/{seg['id']}", {"version": 1, "owner": None}).status_code == 200
    item = RunOfShowItem.objects.get(pk=seg["id"])
    assert (item.version, item.segment, item.minutes) == (1, "开场", 5)  # owner was empty already: no change
    week = timezone.localdate() - dt.timedelta(days=timezone.localdate().weekday())
    report = owner_api.post(f"/campaigns/{campaign.id}/weekly-reports", {"week_start": str(week)}).json()
    refused = owner_api.patch(f"/weekly-reports/{report['id']}", {"version": 1, "key_results": None})
    assert refused.status_code == 422 and "key_results" in str(refused.json()["detail"])
    assert WeeklyReport.objects.get(pk=report["id"]).version == 1


@pytest.mark.parametrize("moment", [0, -5, 1700000000, "1970-01-01T00:00:00Z", "2101-01-01T09:00"])
def test_a_time_is_iso_text_within_2000_to_2100(owner_api, campaign, moment):
    """A JSON number was read as seconds since 1970: an issue "found" in 1970, its SLA breached by decades."""
    before = (Issue.objects.count(), RunOfShowItem.objects.count())
    issue = owner_api.post(f"/campaigns/{campaign.id}/issues", {"description": "到场率低", "found_at": moment})
    segment = owner_api.post(
        f"/campaigns/{campaign.id}/run-of-show", {"segment": "开场", "starts_at": moment, "minutes": 5}
    )
    log = owner_api.post(f"/campaigns/{campaign.id}/logs", {"event": "直播卡顿", "at": moment})
    for response, field in ((issue, "found_at"), (segment, "starts_at"), (log, "at")):
        assert response.status_code == 422 and field in str(response.json()["detail"]), response.content
    assert (Issue.objects.count(), RunOfShowItem.objects.count()) == before


def test_a_change_cannot_empty_a_required_text(owner_api, campaign):
    seg = owner_api.post(
        f"/campaigns/{campaign.id}/run-of-show",
        {"segment": "开场", "starts_at": "2025-06-18T20:00:00+08:00", "minutes": 5},
    ).json()
    log = owner_api.post(f"/campaigns/{campaign.id}/logs", {"event": "直播卡顿"}).json()
    for path, field in ((f"/run-of-show/{seg['id']}", "segment"), (f"/logs/{log['id']}", "event")):
        for empty in ("", "   "):
            refused = owner_api.patch(path, {"version": 1, field: empty})
            assert refused.status_code == 422 and field in str(refused.json()["detail"]), (path, refused.content)
    assert RunOfShowItem.objects.get(pk=seg["id"]).segment == "开场"
    assert owner_api.get(f"/campaigns/{campaign.id}/logs").json()[0]["event"] == "直播卡顿"
