"""Goals endpoints (KPIs, decomposition, channels) in the access matrix."""

from decimal import Decimal
from pathlib import Path

from campaignflow.goals.models import Channel, Kpi
from tests.support.tables import read_table

ROWS = read_table(Path(__file__).with_name("access_table.txt"), columns=11)

BODIES = {
    "create kpi": lambda ctx: {"name": "新增会员", "metric": "新增会员", "unit": "人", "target": 3000},
    "patch kpi": lambda ctx: {"version": 1, "target": "35万"},
    "save kpi plan": lambda ctx: {"granularity": "week", "method": "even"},
    "create channel": lambda ctx: {"name": "小红书", "benchmarks": {"点击率": "2.5%"}},
    "patch channel": lambda ctx: {"version": 1, "content_form": "KOC笔记"},
}
QUERY = {"delete kpi": lambda ctx: "?version=1", "delete channel": lambda ctx: "?version=1"}


def setup(ctx):
    campaign = ctx["campaign"]
    ctx["kpi_id"] = Kpi.objects.create(
        campaign=campaign, name="销售额", metric="销售额", unit="元", target=Decimal("300000")
    ).pk
    ctx["channel_id"] = Channel.objects.create(campaign=campaign, name="抖音").pk
