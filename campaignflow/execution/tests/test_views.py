"""Execution pages render and their forms write through the services."""

import re

import pytest
from django.test import Client

from campaignflow.execution.models import Issue, Risk, Standup


@pytest.fixture
def client(users):
    c = Client()
    c.force_login(users["owner"])
    return c


@pytest.mark.parametrize("section", ["", "issues/", "risks/", "logs/", "reports/"])
def test_pages_render_for_members_and_hide_from_partners(client, users, campaign, section):
    url = f"/campaigns/{campaign.id}/execution/{section}"
    assert client.get(url).status_code == 200
    partner = Client()
    partner.force_login(users["partner"])
    assert partner.get(url).status_code == 403


def test_forms_write_and_show_errors(client, campaign):
    base = f"/campaigns/{campaign.id}/execution/"
    assert client.post(base, {"date": "2025-06-10", "done": "线下场地布置完成"}).status_code == 302
    assert Standup.objects.get().done == "线下场地布置完成"
    bad = client.post(base, {"date": "2025-06-10", "not_done": "物料未到"})
    assert bad.status_code == 422 and "not_done_reason" in bad.context["form"].errors
    assert (
        client.post(base + "issues/", {"description": "到场率低", "severity": "medium", "owner": ""}).status_code == 302
    )
    issue = Issue.objects.get()
    client.post(
        base + f"issues/{issue.id}/",
        {f"i{issue.id}-version": 1, f"i{issue.id}-status": "in_progress", f"i{issue.id}-solution": ""},
    )
    issue.refresh_from_db()
    assert issue.status == "in_progress" and issue.first_response_at is not None
    client.post(
        base + "risks/",
        {"title": "天气突变", "category": "resource", "likelihood": 3, "impact": 4, "status": "open", "owner": ""},
    )
    assert Risk.objects.get().score == 12
    page = client.get(base + "risks/").content.decode()
    assert "天气突变" in page and "heat-medium" in page
    report = client.post(base + "reports/", {"week_start": "2025-06-09"})
    assert report.status_code == 302


def test_a_risk_is_rated_again_and_closed_on_its_page_and_leaves_the_heat_map(client, users, campaign):
    from campaignflow.core.models import AuditEntry

    risk = Risk.objects.create(campaign=campaign, code="R001", title="天气突变", likelihood=4, impact=5)
    base = f"/campaigns/{campaign.id}/execution/risks/"
    assert f'href="{base}{risk.id}/"' in client.get(base).content.decode()  # the register links each risk
    page = client.get(f"{base}{risk.id}/").content.decode()
    assert 'value="天气突变"' in page and '<option value="4" selected>' in page
    edit = {"title": "天气突变（暴雨）", "category": "resource", "likelihood": 2, "impact": 5, "status": "monitoring",
            "mitigation": "备好室内场地", "owner": "member1", "version": 1}  # fmt: skip
    assert client.post(f"{base}{risk.id}/", edit).status_code == 302
    risk.refresh_from_db()
    assert (risk.title, risk.score, risk.status, risk.owner.username, risk.version) == (
        "天气突变（暴雨）",
        10,
        "monitoring",
        "member1",
        2,
    )
    entry = AuditEntry.objects.filter(object_id=str(risk.pk)).latest("id")
    assert entry.before["likelihood"] == 4 and entry.after["likelihood"] == 2
    # a stale page: the conflict and a reload link, nothing written; a rating out of 1–5: said on its field
    stale = client.post(f"{base}{risk.id}/", edit | {"status": "closed", "version": 1})
    assert stale.status_code == 422 and 'data-testid="conflict"' in stale.content.decode()
    bad = client.post(f"{base}{risk.id}/", edit | {"likelihood": 9, "version": 2})
    assert bad.status_code == 422 and "likelihood" in bad.context["form"].errors
    assert Risk.objects.get().status == "monitoring"
    # closed, it leaves the heat map (the register still lists it)
    assert client.post(f"{base}{risk.id}/", edit | {"status": "closed", "version": 2}).status_code == 302
    register = client.get(base)
    assert "天气突变（暴雨）" in register.content.decode()
    assert all(not cell["count"] for row in register.context["heat"] for cell in row["cells"])


@pytest.mark.parametrize("kind", ["risk", "issue"])
def test_a_viewer_reads_a_record_and_may_not_change_it(campaign, users, kind):
    from django.utils import timezone

    if kind == "risk":
        record = Risk.objects.create(campaign=campaign, code="R001", title="天气突变")
        url = f"/campaigns/{campaign.id}/execution/risks/{record.id}/"
        form = {"title": "改", "category": "other", "likelihood": 1, "impact": 1, "status": "closed", "version": 1}
    else:
        record = Issue.objects.create(campaign=campaign, code="Q001", description="天气突变", found_at=timezone.now())
        url = f"/campaigns/{campaign.id}/execution/issues/{record.id}/edit/"
        form = {"description": "改", "severity": "low", "owner": "", "status": "open", "version": 1}
    viewer = Client()
    viewer.force_login(users["viewer"])
    page = viewer.get(url)
    card = page.content.decode().split(f'data-testid="{kind}-edit"')[1].split("</section>")[0]
    assert page.status_code == 200 and 'type="submit"' not in card and "天气突变" in card
    assert viewer.post(url, form).status_code == 403
    record.refresh_from_db()
    assert record.version == 1 and "改" not in str(record)


def test_an_issue_is_reworded_and_reassigned_on_its_page_and_keeps_when_it_was_found(client, users, campaign):
    """The log's rows change only the status and the solution; the issue's page changes the rest. When it was
    found is shown but fixed once logged (its SLA deadlines count from it), as in the API."""
    import datetime as dt

    from django.utils import timezone

    from campaignflow.core.models import AuditEntry
    from campaignflow.execution.models import ExecutionSettings

    # found five days (and two hours) ago: three days past its 48-hour solution deadline
    found = (timezone.now() - dt.timedelta(days=5, hours=2)).replace(second=0, microsecond=0)
    issue = Issue.objects.create(campaign=campaign, code="Q001", description="到场率低", found_at=found)
    base = f"/campaigns/{campaign.id}/execution/issues/"
    assert f'href="{base}{issue.id}/edit/"' in client.get(base).content.decode()  # the log links each issue
    page = client.get(f"{base}{issue.id}/edit/").content.decode()
    assert 'value="到场率低"' in page and 'data-testid="issue-edit"' in page
    later = timezone.localtime().replace(second=0, microsecond=0).strftime("%Y-%m-%dT%H:%M")
    edit = {"description": "线下活动到场率低于预期", "severity": "high", "owner": "member1", "status": "in_progress",
            "solution": "", "found_at": later, "version": 1}  # fmt: skip
    assert client.post(f"{base}{issue.id}/edit/", edit).status_code == 302
    issue.refresh_from_db()
    assert (issue.description, issue.severity, issue.owner.username, issue.status, issue.version) == (
        "线下活动到场率低于预期",
        "high",
        "member1",
        "in_progress",
        2,
    )
    assert issue.found_at == found and issue.first_response_at is not None  # the posted time is not taken
    entry = AuditEntry.objects.filter(object_id=str(issue.pk)).latest("id")
    assert entry.before["severity"] == "medium" and entry.after["severity"] == "high"
    # the log says how far past its deadline it is, in days
    log = client.get(base)
    row = log.content.decode().split('data-testid="issue-Q001"')[1].split("</tr>")[0]
    assert 'data-testid="sla-breached"' in row and "已逾期 3 天 2 小时" in row
    # refused with the reason on its field, nothing written: resolved without a solution; a stale page
    bad = client.post(f"{base}{issue.id}/edit/", edit | {"status": "resolved", "version": 2})
    assert bad.status_code == 422 and "solution" in bad.context["form"].errors
    stale = client.post(f"{base}{issue.id}/edit/", edit | {"severity": "low", "version": 1})
    assert stale.status_code == 422 and 'data-testid="conflict"' in stale.content.decode()
    assert Issue.objects.get().severity == "high"
    # the rule the log states is the campaign's own
    ExecutionSettings.objects.create(campaign=campaign, response_sla_hours=12, resolution_sla_hours=36)
    rule = client.get(base).content.decode().split('data-testid="sla-rule"')[1].split("</p>")[0]
    assert "12" in rule and "36" in rule


def test_the_issue_deadlines_are_set_on_the_log_by_those_who_manage_the_campaign(client, users, campaign):
    """Seed 002's 24 h / 48 h are defaults: a campaign's managers change them on the issue log. A new issue gets
    the new deadlines; one already logged keeps its own. A refusal is said with the field's name, nothing saved."""
    from campaignflow.core.models import AuditEntry
    from campaignflow.execution import services
    from campaignflow.execution.models import ExecutionSettings

    base = f"/campaigns/{campaign.id}/execution/issues/"
    before = services.issue_create(actor=users["owner"], campaign=campaign, data={"description": "签到系统卡顿"})
    page = client.get(base).content.decode()
    assert 'data-testid="sla-settings"' in page and 'name="response_sla_hours" value="24"' in page

    def rule(c):
        return c.get(base).content.decode().split('data-testid="sla-rule"')[1].split("</p>")[0]

    saved = client.post(f"{base}deadlines/", {"version": 1, "response_sla_hours": 4, "resolution_sla_hours": 24})
    assert saved.status_code == 302 and saved["Location"] == base
    settings = ExecutionSettings.objects.get(campaign=campaign)
    assert (settings.response_sla_hours, settings.resolution_sla_hours, settings.version) == (4, 24, 2)
    assert "4" in rule(client) and "24" in rule(client)
    entry = AuditEntry.objects.filter(object_id=str(settings.pk), action="update").latest("id")
    assert entry.before["response_sla_hours"] == 24 and entry.after["response_sla_hours"] == 4
    after = services.issue_create(actor=users["owner"], campaign=campaign, data={"description": "直播延迟"})
    assert (after.response_sla_hours, after.resolution_sla_hours) == (4, 24)
    before.refresh_from_db()
    assert (before.response_sla_hours, before.resolution_sla_hours) == (24, 48)
    # refused, named, nothing saved: out of range, the solution before the response, a page left open (stale)
    for posted, words in [
        ({"version": 2, "response_sla_hours": 0, "resolution_sla_hours": 24}, "首次响应时限（小时）"),
        ({"version": 2, "response_sla_hours": 12, "resolution_sla_hours": 6}, "解决时限（小时）"),
        ({"version": 1, "response_sla_hours": 8, "resolution_sla_hours": 24}, ""),
    ]:
        refused = client.post(f"{base}deadlines/", posted, follow=True)
        said = [str(m) for m in refused.context["messages"]]
        assert refused.status_code == 200 and len(said) == 1 and words in said[0], said
    settings.refresh_from_db()
    assert (settings.response_sla_hours, settings.resolution_sla_hours, settings.version) == (4, 24, 2)
    # a member reads the rule but has no form, and a forced post is refused
    member = Client()
    member.force_login(users["member"])
    assert 'data-testid="sla-settings"' not in member.get(base).content.decode()
    assert (
        member.post(f"{base}deadlines/", {"version": 2, "response_sla_hours": 1, "resolution_sla_hours": 2}).status_code
        == 403
    )


def test_when_an_issue_was_found_is_fixed_once_logged(campaign, users):
    import datetime as dt

    import pytest
    from django.utils import timezone

    from campaignflow.core.errors import InvalidInput
    from campaignflow.execution import services

    found = timezone.now() - dt.timedelta(hours=3)
    issue = services.issue_create(actor=users["owner"], campaign=campaign, data={"description": "x", "found_at": found})
    with pytest.raises(InvalidInput) as refused:
        services.issue_update(actor=users["owner"], issue=issue, version=1, data={"found_at": timezone.now()})
    assert [e["field"] for e in refused.value.errors] == ["found_at"]
    same = services.issue_update(
        actor=users["owner"], issue=issue, version=1, data={"found_at": found, "severity": "low"}
    )
    assert same.found_at == found and same.severity == "low"


def test_a_new_issue_may_be_logged_as_found_earlier(client, campaign):
    import datetime as dt

    from django.utils import timezone

    base = f"/campaigns/{campaign.id}/execution/issues/"
    earlier = timezone.localtime() - dt.timedelta(hours=30)
    form = {"description": "物料短缺", "severity": "high", "owner": "", "found_at": earlier.strftime("%Y-%m-%dT%H:%M")}
    assert client.post(base, form).status_code == 302
    assert Issue.objects.get().found_at == earlier.replace(second=0, microsecond=0)
    assert client.post(base, {"description": "用户投诉", "severity": "low", "owner": ""}).status_code == 302
    assert timezone.now() - Issue.objects.get(description="用户投诉").found_at < dt.timedelta(minutes=1)
    future = (timezone.localtime() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    refused = client.post(base, {"description": "明天的问题", "severity": "low", "owner": "", "found_at": future})
    assert "found_at" in refused.context["form"].errors and Issue.objects.count() == 2


def test_a_log_entry_gets_its_result_later_on_its_page(client, campaign):
    """The execution log's entries are written as things happen; the result is often known the next day."""
    import datetime as dt

    from django.utils import timezone

    from campaignflow.core.models import AuditEntry
    from campaignflow.execution.models import ExecutionLogEntry

    at = timezone.localtime().replace(second=0, microsecond=0) - dt.timedelta(days=1)
    entry = ExecutionLogEntry.objects.create(
        campaign=campaign, at=at, event="今日销售额目标5万，实际3.8万", handling="增加1名地推人员"
    )
    base = f"/campaigns/{campaign.id}/execution/logs/"
    assert f'href="{base}{entry.id}/"' in client.get(base).content.decode()
    page = client.get(f"{base}{entry.id}/").content.decode()
    assert 'data-testid="entry-edit"' in page and "增加1名地推人员" in page
    assert re.search(r'<input[^>]*name="at"[^>]*required', page)  # its time is marked as required here
    edit = {"at": at.strftime("%Y-%m-%dT%H:%M"), "event": entry.event, "handling": entry.handling,
            "result": "次日实际4.2万", "version": 1}  # fmt: skip
    assert client.post(f"{base}{entry.id}/", edit).status_code == 302
    entry.refresh_from_db()
    assert (entry.result, entry.at, entry.version) == ("次日实际4.2万", at, 2)
    assert AuditEntry.objects.filter(object_id=str(entry.pk)).latest("id").after["result"] == "次日实际4.2万"
    # the time and the event stay required; a stale page is refused
    for field in ("at", "event"):
        missing = client.post(f"{base}{entry.id}/", edit | {field: "", "version": 2})
        assert missing.status_code == 422 and field in missing.context["form"].errors
    stale = client.post(f"{base}{entry.id}/", edit | {"result": "改", "version": 1})
    assert stale.status_code == 422 and 'data-testid="conflict"' in stale.content.decode()
    assert ExecutionLogEntry.objects.get().result == "次日实际4.2万"


def test_a_run_of_show_segment_moves_and_changes_hands_on_its_page(client, users, campaign):
    import datetime as dt

    from django.utils import timezone

    from campaignflow.execution.models import RunOfShowItem

    start = timezone.localtime().replace(second=0, microsecond=0) + dt.timedelta(days=2)
    item = RunOfShowItem.objects.create(campaign=campaign, starts_at=start, minutes=25, segment="嘉宾分享")
    base = f"/campaigns/{campaign.id}/execution/"
    assert f'href="{base}run-of-show/{item.id}/"' in client.get(base + "logs/").content.decode()
    later = start + dt.timedelta(minutes=10)
    edit = {"starts_at": later.strftime("%Y-%m-%dT%H:%M"), "minutes": 20, "segment": "嘉宾分享（产品经理）",
            "owner": "member1", "notes": "KOL缺席，改由产品经理分享", "version": 1}  # fmt: skip
    assert client.post(f"{base}run-of-show/{item.id}/", edit).status_code == 302
    item.refresh_from_db()
    assert (item.starts_at, item.minutes, item.segment, item.owner.username, item.done_at) == (
        later,
        20,
        "嘉宾分享（产品经理）",
        "member1",
        None,
    )
    bad = client.post(f"{base}run-of-show/{item.id}/", edit | {"minutes": 0, "owner": "outsider1", "version": 2})
    assert bad.status_code == 422 and "minutes" in bad.context["form"].errors
    assert RunOfShowItem.objects.get().minutes == 20
    viewer = Client()
    viewer.force_login(users["viewer"])
    assert viewer.get(f"{base}run-of-show/{item.id}/").status_code == 200
    assert viewer.post(f"{base}run-of-show/{item.id}/", edit | {"version": 2}).status_code == 403


def test_a_log_entry_and_a_segment_are_deleted_from_their_pages(client, users, campaign):
    """Entered by mistake (twice, in the wrong campaign) or dropped from the rundown: deleted from the record's
    page, with the version it showed (a stale one deletes nothing), and kept in the history."""
    from django.utils import timezone

    from campaignflow.core.models import AuditEntry
    from campaignflow.execution.models import ExecutionLogEntry, RunOfShowItem

    entry = ExecutionLogEntry.objects.create(campaign=campaign, at=timezone.now(), event="重复记录")
    item = RunOfShowItem.objects.create(campaign=campaign, starts_at=timezone.now(), segment="互动抽奖③")
    base = f"/campaigns/{campaign.id}/execution/"
    page = client.get(f"{base}logs/{entry.id}/").content.decode()
    assert f'action="{base}logs/{entry.id}/delete/"' in page and 'data-testid="delete-record"' in page
    viewer = Client()
    viewer.force_login(users["viewer"])
    assert 'data-testid="delete-record"' not in viewer.get(f"{base}logs/{entry.id}/").content.decode()
    assert viewer.post(f"{base}logs/{entry.id}/delete/", {"version": 1}).status_code == 403
    ExecutionLogEntry.objects.filter(pk=entry.pk).update(version=2)  # changed by someone since the page was read
    client.post(f"{base}logs/{entry.id}/delete/", {"version": 1})
    assert ExecutionLogEntry.objects.filter(pk=entry.pk).exists()
    assert client.post(f"{base}logs/{entry.id}/delete/", {"version": 2}).status_code == 302
    assert not ExecutionLogEntry.objects.filter(pk=entry.pk).exists()
    assert AuditEntry.objects.get(object_id=str(entry.pk), action="delete").before["event"] == "重复记录"
    assert client.post(f"{base}run-of-show/{item.id}/delete/", {"version": 1}).status_code == 302
    assert not RunOfShowItem.objects.exists()
    assert "互动抽奖③" not in client.get(base + "logs/").content.decode()
