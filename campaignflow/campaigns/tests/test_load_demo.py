"""`load_demo` builds campaigns across the lifecycle through the real gates, and is idempotent."""

from django.core.management import call_command

from campaignflow.campaigns.models import Campaign
from campaignflow.core.models import AuditEntry


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
