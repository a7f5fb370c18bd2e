"""Review endpoints in the access matrix (see campaigns/tests/test_access_matrix.py).
The review is internal: partners get 403 even on reads."""

from decimal import Decimal

from campaignflow.campaigns.models import Campaign
from campaignflow.goals.models import Kpi

# fmt: off
# operation              method   path                                                  admin owner mgr  member viewer partner outsider anon
ROWS = [
    ("get evaluation",       "get",   "/campaigns/{campaign_id}/evaluation",               200,  200,  200, 200,   200,   403,    404,     401),
    ("patch evaluation row", "patch", "/campaigns/{campaign_id}/evaluation/{kpi_id}",      200,  200,  200, 200,   403,   403,    404,     401),
    ("get attribution",      "get",   "/campaigns/{campaign_id}/attribution",              200,  200,  200, 200,   200,   403,    404,     401),
    ("get retrospective",    "get",   "/campaigns/{campaign_id}/retrospective",            200,  200,  200, 200,   200,   403,    404,     401),
    ("patch retrospective",  "patch", "/campaigns/{campaign_id}/retrospective",            200,  200,  200, 200,   403,   403,    404,     401),
    ("preview promotion",    "get",   "/campaigns/{campaign_id}/playbook-promotion",       200,  200,  200, 200,   200,   403,    404,     401),
    ("promote playbook",     "post",  "/campaigns/{campaign_id}/playbook-promotion",       201,  201,  201, 403,   403,   403,    404,     401),
    ("similar cases",        "get",   "/campaigns/{campaign_id}/similar",                  200,  200,  200, 200,   200,   403,    404,     401),
    ("start from case",      "post",  "/campaigns/{campaign_id}/start-from-case",          201,  201,  201, 201,   201,   403,    404,     401),
]
# fmt: on


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
