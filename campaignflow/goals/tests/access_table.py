"""Goals endpoints (KPIs, decomposition, channels) in the access matrix."""

from decimal import Decimal

from campaignflow.goals.models import Channel, Kpi

# The KPI and channel below are not shared with partners: a partner does not see them (404).
# fmt: off
# operation           method    path                                                  admin owner mgr  member viewer partner outsider anon
ROWS = [
    ("list kpis",         "get",    "/campaigns/{campaign_id}/kpis",                      200,  200,  200, 200,   200,   200,    404,     401),
    ("create kpi",        "post",   "/campaigns/{campaign_id}/kpis",                      201,  201,  201, 201,   403,   403,    404,     401),
    ("get kpi",           "get",    "/campaigns/{campaign_id}/kpis/{kpi_id}",             200,  200,  200, 200,   200,   404,    404,     401),
    ("patch kpi",         "patch",  "/campaigns/{campaign_id}/kpis/{kpi_id}",             200,  200,  200, 200,   403,   403,    404,     401),
    ("delete kpi",        "delete", "/campaigns/{campaign_id}/kpis/{kpi_id}",             204,  204,  204, 204,   403,   403,    404,     401),
    ("get kpi plan",      "get",    "/campaigns/{campaign_id}/kpis/{kpi_id}/plan",        200,  200,  200, 200,   200,   404,    404,     401),
    ("save kpi plan",     "post",   "/campaigns/{campaign_id}/kpis/{kpi_id}/plan",        200,  200,  200, 200,   403,   403,    404,     401),
    ("list channels",     "get",    "/campaigns/{campaign_id}/channels",                  200,  200,  200, 200,   200,   200,    404,     401),
    ("create channel",    "post",   "/campaigns/{campaign_id}/channels",                  201,  201,  201, 201,   403,   403,    404,     401),
    ("patch channel",     "patch",  "/campaigns/{campaign_id}/channels/{channel_id}",     200,  200,  200, 200,   403,   403,    404,     401),
    ("delete channel",    "delete", "/campaigns/{campaign_id}/channels/{channel_id}",     204,  204,  204, 204,   403,   403,    404,     401),
]
# fmt: on

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
