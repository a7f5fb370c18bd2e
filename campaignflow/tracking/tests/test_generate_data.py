"""generate_data: the scale data the benchmarks stand on is complete and consistent."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Sum

from campaignflow.campaigns.models import Campaign
from campaignflow.core.models import AuditEntry
from campaignflow.goals.models import Channel, Kpi
from campaignflow.planning.models import Task, TaskDependency
from campaignflow.tracking.models import ImportBatch, MetricChannelTotal, MetricDayTotal, MetricRow


@pytest.mark.django_db(transaction=True)  # PostgreSQL loads campaigns on two connections at once
def test_generates_rows_totals_kpis_channels_and_linked_tasks():
    out = StringIO()
    call_command("generate_data", campaigns=3, days=4, channels=3, metrics=2, tasks=60, stdout=out)
    assert "72 metric rows, 180 tasks" in out.getvalue()
    campaigns = list(Campaign.objects.order_by("pk"))
    assert len(campaigns) == 3
    for c in campaigns:
        rows = MetricRow.objects.filter(campaign=c)
        assert rows.count() == 4 * 3 * 2
        assert set(rows.values_list("channel", flat=True)) == {"抖音", "小红书", "微信公众号"}
        assert set(rows.values_list("metric", flat=True)) == {"曝光", "点击"}
        assert rows.values("date").distinct().count() == 4
        values = set(rows.values_list("value", flat=True))
        assert len(values) > 10 and all(Decimal(100) <= v < Decimal(9100) for v in values)
        # the board's rollups agree with the rows
        total = rows.aggregate(s=Sum("value"))["s"]
        assert MetricDayTotal.objects.filter(campaign=c).aggregate(s=Sum("total"))["s"] == total
        assert MetricChannelTotal.objects.filter(campaign=c).aggregate(s=Sum("total"))["s"] == total
        batch = ImportBatch.objects.get(campaign=c)
        assert (batch.rows_total, batch.created) == (24, 24)
        assert AuditEntry.objects.filter(campaign=c, action="metrics.generate").count() == 1
        assert Kpi.objects.filter(campaign=c, priority="core").count() == 1
        assert Channel.objects.filter(campaign=c).count() == 3
        tasks = Task.objects.filter(campaign=c).order_by("sort_order")
        assert [t.code for t in tasks[:2]] == ["T00001", "T00002"]
        first = tasks[0]
        assert (first.status, first.version, first.progress) == ("not_started", 1, 0)
        assert first.created_at is not None and first.start_date <= first.end_date
        assert TaskDependency.objects.filter(campaign=c).count() == 59 + 10
        assert not TaskDependency.objects.filter(campaign=c).exclude(type="FS").exists()
    # no two campaigns share rows, and every task's links stay inside its campaign
    assert MetricRow.objects.values("campaign").annotate(n=Count("id")).count() == 3
    assert not TaskDependency.objects.exclude(predecessor__campaign_id=F("campaign_id")).exists()


@pytest.mark.django_db
def test_refuses_sizes_out_of_range():
    with pytest.raises(CommandError, match="at least 1"):
        call_command("generate_data", campaigns=0, stdout=StringIO())
    with pytest.raises(CommandError, match="too large"):
        call_command("generate_data", channels=20_000, stdout=StringIO())
    assert not MetricRow.objects.exists()
