"""`load_demo` builds campaigns across the lifecycle through the real gates, and is idempotent."""

from django.core.management import call_command

from campaignflow.alerts.models import Alert
from campaignflow.campaigns.models import Campaign
from campaignflow.core.models import AuditEntry
from campaignflow.execution.models import Issue, Risk, Standup, WeeklyReport


def test_load_demo_twice(db, capsys):
    call_command("load_demo")
    statuses = dict(Campaign.objects.values_list("name", "status"))
    assert statuses["冬季新品焕新季促销"] == "executing"
    assert statuses["2024年夏季新品促销"] == "archived"
    assert set(statuses.values()) >= {"preparing", "planning", "executing", "reviewing", "archived"}
    out = capsys.readouterr().out
    assert "wangjl" in out and "CampaignFlow2025" in out
    counts = (Campaign.objects.count(), AuditEntry.objects.count())
    call_command("load_demo")
    assert (Campaign.objects.count(), AuditEntry.objects.count()) == counts


def test_the_running_demo_campaign_has_its_daily_records_and_alerts(db):
    """What the seeds' daily loop produces: risks, the issue log (seed 002 table 4), stand-ups, a published
    weekly report, and the alerts the rules raise on the demo's own figures."""
    call_command("load_demo")
    running = Campaign.objects.get(name="冬季新品焕新季促销")
    issues = dict(Issue.objects.filter(campaign=running).values_list("code", "description"))
    assert issues == {"Q001": "线下活动到场率低于预期", "Q002": "优惠券核销率仅15%"}
    assert Issue.objects.get(campaign=running, code="Q002").solution == "降低门槛（满50减10→满30减5）"
    assert Risk.objects.filter(campaign=running, status="open").count() == 3
    assert Standup.objects.filter(campaign=running).count() >= 3
    assert WeeklyReport.objects.filter(campaign=running, status="published").count() == 1
    assert Alert.objects.filter(campaign=running).exists()
    archived = Campaign.objects.get(name="2024年夏季新品促销")
    assert not Issue.objects.filter(campaign=archived).exclude(status="resolved").exists()


def test_the_demos_plan_has_actual_dates_and_management_reads_only(db):
    from campaignflow.accounts.models import Role, User
    from campaignflow.planning.models import Task

    call_command("load_demo")
    running = Campaign.objects.get(name="冬季新品焕新季促销")
    done = Task.objects.filter(campaign=running, status="done")
    assert done.exists() and not done.filter(actual_start__isnull=True).exists()
    assert not done.filter(actual_finish__isnull=True).exists()  # the plan's "actual" column is filled in
    assert not Task.objects.filter(campaign=running, status="not_started", actual_start__isnull=False).exists()
    assert User.objects.get(username="zhougl").role == Role.MANAGEMENT  # 周管理层 reads, never edits
