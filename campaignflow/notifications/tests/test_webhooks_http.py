"""Deliveries to a real HTTP server on 127.0.0.1 that checks payloads and signatures."""

import base64
import hashlib
import hmac
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from campaignflow.notifications import services
from campaignflow.notifications.domain import webhooks
from campaignflow.notifications.models import Delivery, Notification, WebhookEndpoint

SECRET = "SEC0123456789abcdef"


class Receiver(BaseHTTPRequestHandler):
    """Checks signatures the way DingTalk and Feishu do; `fail_next` answers 500 that many times."""

    received: list = []
    fail_next = 0

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        data = json.loads(body)
        ok = True
        if url.path == "/dingtalk":
            expected = base64.b64encode(
                hmac.new(SECRET.encode(), f"{query['timestamp']}\n{SECRET}".encode(), hashlib.sha256).digest()
            ).decode()
            ok = query.get("sign") == expected and data["msgtype"] == "markdown"
        elif url.path == "/feishu":
            expected = base64.b64encode(
                hmac.new(f"{data['timestamp']}\n{SECRET}".encode(), b"", hashlib.sha256).digest()
            ).decode()
            ok = data.get("sign") == expected and data["msg_type"] == "text"
        elif url.path == "/generic":
            expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
            ok = self.headers.get("X-CampaignFlow-Signature") == expected
        type(self).received.append((url.path, data, ok))
        if type(self).fail_next:
            type(self).fail_next -= 1
            self.send_response(500)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        reply = {"errcode": 0, "errmsg": "ok"} if ok else {"errcode": 310000, "errmsg": "sign not match"}
        self.wfile.write(json.dumps(reply).encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver(settings):
    Receiver.received = []
    Receiver.fail_next = 0
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _endpoint(campaign, users, base, path, kind):
    return services.endpoint_create(
        actor=users["owner"], campaign=campaign, data={"name": kind, "kind": kind, "url": base + path, "secret": SECRET}
    )


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/dingtalk", "dingtalk"),
        ("/feishu", "feishu"),
        ("/generic", "generic"),
        ("/wecom", "wecom"),
        ("/slack", "slack"),
    ],
)
def test_signed_payload_accepted_by_receiver(db, users, campaign, receiver, path, kind):
    _endpoint(campaign, users, receiver, path, kind)
    services.notify(
        kind="alert",
        title="渠道转化率骤降50%",
        body="抖音 4% → 2%",
        url="/campaigns/1/",
        campaign=campaign,
        recipients=[users["owner"]],
    )
    counts = services.deliver_due()
    assert counts == {"sent": 1, "failed": 0, "dead": 0}
    ((got_path, data, ok),) = Receiver.received
    assert got_path == path and ok
    assert "渠道转化率骤降50%" in json.dumps(data, ensure_ascii=False)
    assert Delivery.objects.get(channel="webhook").status == "sent"


def test_wrong_secret_is_reported_and_retried_then_given_up(db, users, campaign, receiver):
    endpoint = _endpoint(campaign, users, receiver, "/dingtalk", "dingtalk")
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(secret="wrong")
    services.notify(kind="alert", title="预警", campaign=campaign, recipients=[users["owner"]])
    assert services.deliver_due()["failed"] == 1
    delivery = Delivery.objects.get(channel="webhook")
    assert "310000" in delivery.last_error and delivery.status == "failed"
    # Later attempts (each after its back-off) until it is given up; the in-app notification stays.
    for day in range(1, webhooks.MAX_ATTEMPTS + 1):
        services.deliver_due(now=timezone.now() + timezone.timedelta(days=day))
    delivery.refresh_from_db()
    assert delivery.status == "dead" and delivery.attempts == webhooks.MAX_ATTEMPTS
    assert Notification.objects.filter(recipient=users["owner"], title="预警").exists()


def test_server_error_then_success_on_retry(db, users, campaign, receiver):
    _endpoint(campaign, users, receiver, "/generic", "generic")
    Receiver.fail_next = 1
    services.notify(kind="approval", title="预算待审批", campaign=campaign, recipients=[])
    assert services.deliver_due()["failed"] == 1
    assert services.deliver_due()["sent"] == 0  # not due yet: back-off
    assert services.deliver_due(now=timezone.now() + timezone.timedelta(minutes=2))["sent"] == 1
    assert Delivery.objects.get().attempts == 2


def test_unreachable_endpoint_does_not_raise(db, users, campaign, settings):
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    services.endpoint_create(
        actor=users["owner"], campaign=campaign, data={"name": "x", "kind": "slack", "url": "http://127.0.0.1:9/hook"}
    )
    services.notify(kind="alert", title="预警", campaign=campaign, recipients=[])
    assert services.deliver_due()["failed"] == 1
