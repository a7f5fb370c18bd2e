"""Review endpoints in the access matrix (see campaigns/tests/test_access_matrix.py).
The review is internal: partners get 403 even on reads."""

from decimal import Decimal
from pathlib import Path

from campaignflow.campaigns.models import Campaign
from campaignflow.goals.models import Kpi
from tests.support.tables import read_table

ROWS = read_table(Path(__file__).with_name("access_table.txt"), columns=11)


def _status(status):
    return lambda ctx: Campaign.objects.filter(pk=ctx["campaign"].pk).update(status=status)


BODIES = {
    "patch evaluation row": lambda ctx: {"version": 0, "analysis": "KOL种草+限时折扣刺激消费"},
    "patch retrospective": lambda ctx: {"version": 0, "worked": "短视频+KOL组合推广效果显著"},
    "promote playbook": lambda ctx: {"name": "夏季促销（经验沉淀）"},
    "start from case": lambda ctx: {"name": "2025年夏季新品促销", "start_date": "2026-06-01"},
}
PREPARE = {
    "preview promotion": _status("reviewing"),
    "promote playbook": _status("reviewing"),
    "start from case": _status("archived"),
}


def setup(ctx):
    ctx["kpi_id"] = Kpi.objects.create(
        campaign=ctx["campaign"], name="销售额", metric="销售额", unit="元", target=Decimal("5000000")
    ).pk
