"""Notification endpoints in the access matrix: robots and their delivery log (message titles, alert texts
included) are for owners and managers, as on the campaign's notifications page."""

from pathlib import Path

from campaignflow.notifications.models import WebhookEndpoint
from tests.support.tables import read_table

ROWS = read_table(Path(__file__).with_name("access_table.txt"), columns=11)

BODIES = {
    "create webhook": lambda ctx: {"name": "钉钉群", "kind": "dingtalk", "url": "https://oapi.dingtalk.com/robot/send"},
    "patch webhook": lambda ctx: {"version": 1, "active": False},
}


def setup(ctx):
    ctx["webhook_id"] = WebhookEndpoint.objects.create(
        campaign=ctx["campaign"], name="飞书群", kind="feishu", url="https://open.feishu.cn/hook"
    ).pk
