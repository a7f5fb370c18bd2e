"""Group robots: a message about an object waiting for a decision carries its actions as link buttons to the signed
action page (robots get no callbacks), in the robots' documented card formats; anyone in the group who may decide
signs in and acts there."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest

from campaignflow.budgets.models import ExpenseStatus
from campaignflow.chatcards.models import ActionToken
from campaignflow.notifications import services as notification_services
from conftest import logged_in

from .conftest import overrun

pytestmark = pytest.mark.django_db


class Robot(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).received.append((urlsplit(self.path).path, body))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"errcode": 0, "errmsg": "ok"}')

    def log_message(self, *args):
        pass


@pytest.fixture
def robots(settings, team, users):
    Robot.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Robot)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]  # the test's robot listens on loopback
    settings.WEBHOOK_ALLOWED_PORTS = [port]
    settings.SITE_URL = "http://testserver"
    for kind in ("dingtalk", "feishu", "wecom"):
        notification_services.endpoint_create(
            actor=users["owner"],
            campaign=team,
            data={"name": kind, "kind": kind, "url": f"http://127.0.0.1:{port}/{kind}", "events": ["approval"]},
        )
    yield
    server.shutdown()


def test_robots_get_the_approval_with_link_buttons_and_the_director_acts_there(robots, team, users, send_cards):
    expense = send_cards(lambda: overrun(team, users["member"]))
    got = dict(Robot.received)
    ding = got["/dingtalk"]["actionCard"]
    assert got["/dingtalk"]["msgtype"] == "actionCard" and ding["btnOrientation"] == "1"
    assert [b["title"] for b in ding["btns"]] == ["批准", "驳回", "查看 / Open"]
    feishu = got["/feishu"]
    assert feishu["msg_type"] == "interactive"
    assert [a["text"]["content"] for a in feishu["card"]["elements"][-1]["actions"]][:2] == ["批准", "驳回"]
    wecom = got["/wecom"]["template_card"]
    assert got["/wecom"]["msgtype"] == "template_card" and wecom["card_type"] == "text_notice"
    assert [j["title"] for j in wecom["jump_list"]] == ["批准", "驳回"]
    assert ActionToken.objects.filter(platform="robot", recipient__isnull=True).count() == 6  # two per robot
    approve = urlsplit(ding["btns"][0]["actionURL"]).path
    assert logged_in(users["member"]).get(approve).status_code == 403  # a member of the group may not decide
    done = logged_in(users["director"]).post(approve)
    assert 'data-status="done"' in done.content.decode()
    expense.refresh_from_db()
    assert expense.status == ExpenseStatus.APPROVED and expense.decided_by == users["director"]
    other = urlsplit(wecom["jump_list"][0]["url"]).path  # another robot's button of the same decision
    assert 'data-status="stale"' in logged_in(users["director"]).post(other).content.decode()
