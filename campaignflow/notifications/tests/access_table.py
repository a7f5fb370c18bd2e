"""Notification endpoints in the access matrix: robots and their delivery log (message titles, alert texts
included) are for owners and managers, as on the campaign's notifications page."""

from campaignflow.notifications.models import WebhookEndpoint

# fmt: off
# operation              method    path                                      admin owner mgr  member viewer partner outsider anon
ROWS = [
    ("list webhooks",        "get",    "/campaigns/{campaign_id}/webhooks",     200,  200,  200, 403,   403,   403,    404,     401),
    ("create webhook",       "post",   "/campaigns/{campaign_id}/webhooks",     201,  201,  201, 403,   403,   403,    404,     401),
    ("patch webhook",        "patch",  "/webhooks/{webhook_id}",                200,  200,  200, 403,   403,   403,    404,     401),
    ("delete webhook",       "delete", "/webhooks/{webhook_id}",                204,  204,  204, 403,   403,   403,    404,     401),
    ("test webhook",         "post",   "/webhooks/{webhook_id}/test",           202,  202,  202, 403,   403,   403,    404,     401),
    ("list deliveries",      "get",    "/campaigns/{campaign_id}/deliveries",   200,  200,  200, 403,   403,   403,    404,     401),
]
# fmt: on

BODIES = {
    "create webhook": lambda ctx: {"name": "钉钉群", "kind": "dingtalk", "url": "https://oapi.dingtalk.com/robot/send"},
    "patch webhook": lambda ctx: {"version": 1, "active": False},
}


def setup(ctx):
    ctx["webhook_id"] = WebhookEndpoint.objects.create(
        campaign=ctx["campaign"], name="飞书群", kind="feishu", url="https://open.feishu.cn/hook"
    ).pk
