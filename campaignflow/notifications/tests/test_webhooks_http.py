"""Deliveries to a real HTTP server on 127.0.0.1 that checks payloads and signatures."""

import base64
import hashlib
import hmac
import json
import socket
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from campaignflow.notifications import services
from campaignflow.notifications.delivery import deliver_due
from campaignflow.notifications.domain import webhooks
from campaignflow.notifications.models import Delivery, Notification, WebhookEndpoint

SECRET = "SEC0123456789abcdef"


class Receiver(BaseHTTPRequestHandler):
    """Checks signatures the way DingTalk and Feishu do; `fail_next` answers 500 that many times."""

    received: list = []
    fail_next = 0
    redirect_to = ""

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", type(self).redirect_to)
            self.end_headers()
            return
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


class Internal(BaseHTTPRequestHandler):
    """Stands for a service inside the network (an admin page, a metadata endpoint): records any request."""

    hits: list = []

    def do_GET(self):
        type(self).hits.append(("GET", self.path))
        self.send_response(200)
        self.end_headers()

    def do_POST(self):
        type(self).hits.append(("POST", self.path))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def _serve(handler):
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def receiver(settings):
    Receiver.received = []
    Receiver.fail_next = 0
    server = _serve(Receiver)
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    # The test servers listen on loopback at a random port: allowed here only.
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    settings.WEBHOOK_ALLOWED_PORTS = [server.server_address[1]]
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture
def internal_service():
    Internal.hits = []
    server = _serve(Internal)
    yield server.server_address[1]
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
    counts = deliver_due()
    assert counts == {"sent": 1, "failed": 0, "dead": 0}
    ((got_path, data, ok),) = Receiver.received
    assert got_path == path and ok
    assert "渠道转化率骤降50%" in json.dumps(data, ensure_ascii=False)
    assert Delivery.objects.get(channel="webhook").status == "sent"


def test_wrong_secret_is_reported_and_retried_then_given_up(db, users, campaign, receiver):
    endpoint = _endpoint(campaign, users, receiver, "/dingtalk", "dingtalk")
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(secret="wrong")
    services.notify(kind="alert", title="预警", campaign=campaign, recipients=[users["owner"]])
    assert deliver_due()["failed"] == 1
    delivery = Delivery.objects.get(channel="webhook")
    assert "310000" in delivery.last_error and delivery.status == "failed"
    # Later attempts (each after its back-off) until it is given up; the in-app notification stays.
    for day in range(1, webhooks.MAX_ATTEMPTS + 1):
        deliver_due(now=timezone.now() + timezone.timedelta(days=day))
    delivery.refresh_from_db()
    assert delivery.status == "dead" and delivery.attempts == webhooks.MAX_ATTEMPTS
    assert Notification.objects.filter(recipient=users["owner"], title="预警").exists()


def test_server_error_then_success_on_retry(db, users, campaign, receiver):
    _endpoint(campaign, users, receiver, "/generic", "generic")
    Receiver.fail_next = 1
    services.notify(kind="approval", title="预算待审批", campaign=campaign, recipients=[])
    assert deliver_due()["failed"] == 1
    assert deliver_due()["sent"] == 0  # not due yet: back-off
    assert deliver_due(now=timezone.now() + timezone.timedelta(minutes=2))["sent"] == 1
    assert Delivery.objects.get().attempts == 2


def test_unreachable_endpoint_does_not_raise(db, users, campaign, settings):
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    settings.WEBHOOK_ALLOWED_PORTS = [9]
    services.endpoint_create(
        actor=users["owner"], campaign=campaign, data={"name": "x", "kind": "slack", "url": "http://127.0.0.1:9/hook"}
    )
    services.notify(kind="alert", title="预警", campaign=campaign, recipients=[])
    assert deliver_due()["failed"] == 1


# --- SSRF: the address is checked when connecting, redirects are not followed, ports 80/443 only ----------


def _delivered_once(campaign):
    services.notify(kind="alert", title="预警", campaign=campaign, recipients=[])
    counts = deliver_due()
    return counts, Delivery.objects.get(channel="webhook")


def test_a_redirect_to_an_internal_address_is_not_followed(db, users, campaign, receiver, internal_service, settings):
    settings.WEBHOOK_ALLOWED_PORTS = [*settings.WEBHOOK_ALLOWED_PORTS, internal_service]
    Receiver.redirect_to = f"http://127.0.0.1:{internal_service}/admin/delete-everything"
    _endpoint(campaign, users, receiver, "/redirect", "generic")
    counts, delivery = _delivered_once(campaign)
    assert counts["failed"] == 1 and Internal.hits == []
    assert delivery.response_status == 302
    assert "redirect" in delivery.last_error and "/admin/delete-everything" in delivery.last_error


def test_a_host_name_resolving_to_loopback_is_refused(db, users, campaign, receiver, api_for, settings):
    port = settings.WEBHOOK_ALLOWED_PORTS[0]
    settings.WEBHOOK_ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
    settings.WEBHOOK_ALLOWED_NETWORKS = []  # the default: no internal address
    api = api_for(users["owner"])
    for url in (f"http://localhost:{port}/generic", f"http://127.0.0.1:{port}/generic"):
        saved = api.post(f"/campaigns/{campaign.id}/webhooks", {"name": "x", "kind": "generic", "url": url})
        assert saved.status_code == 422, saved.content
        assert saved.json()["errors"][0]["field"] == "url" and "内部网络地址" in saved.json()["detail"]
    # Saved before (or by another way): refused when sending, nothing reaches the server.
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    endpoint = _endpoint(campaign, users, receiver, "/generic", "generic")
    settings.WEBHOOK_ALLOWED_NETWORKS = []
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(url=f"http://localhost:{port}/generic")
    counts, delivery = _delivered_once(campaign)
    assert counts["failed"] == 1 and Receiver.received == []
    assert "internal address" in delivery.last_error


def test_dns_rebinding_is_caught_when_connecting(db, users, campaign, receiver, settings, monkeypatch):
    """The name is public when the webhook is saved and 127.0.0.1 when the message is sent."""
    port = settings.WEBHOOK_ALLOWED_PORTS[0]
    settings.WEBHOOK_ALLOWED_HOSTS = ["rebind.example"]
    settings.WEBHOOK_ALLOWED_NETWORKS = []
    real_getaddrinfo = socket.getaddrinfo
    answers = iter(["93.184.216.34"])

    def rebinding(host, *args, **kwargs):
        if host == "rebind.example":
            address = next(answers, "127.0.0.1")
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    services.endpoint_create(
        actor=users["owner"],
        campaign=campaign,
        data={"name": "x", "kind": "generic", "url": f"http://rebind.example:{port}/generic"},
    )
    counts, delivery = _delivered_once(campaign)
    assert counts["failed"] == 1 and Receiver.received == []
    assert "rebind.example resolves to 127.0.0.1, an internal address" in delivery.last_error


def test_port_8080_is_refused_unless_allowed(db, users, campaign, api_for, settings):
    settings.WEBHOOK_ALLOWED_HOSTS = ["hooks.slack.com", "127.0.0.1"]
    api = api_for(users["owner"])
    saved = api.post(
        f"/campaigns/{campaign.id}/webhooks",
        {"name": "x", "kind": "slack", "url": "https://hooks.slack.com:8080/services/T/B/x"},
    )
    assert saved.status_code == 422 and saved.json()["errors"][0]["field"] == "url"
    assert "8080" in saved.json()["detail"]
    for port in ("99999", "abc"):
        bad = api.post(
            f"/campaigns/{campaign.id}/webhooks",
            {"name": "x", "kind": "slack", "url": f"https://hooks.slack.com:{port}/services/T/B/x"},
        )
        assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "url", bad.content
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    endpoint = services.endpoint_create(
        actor=users["owner"], campaign=campaign, data={"name": "x", "kind": "generic", "url": "http://127.0.0.1/x"}
    )
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(url="http://127.0.0.1:8080/x")
    _counts, delivery = _delivered_once(campaign)
    assert "port 8080 is not allowed" in delivery.last_error


@pytest.mark.parametrize(
    ("address", "refused"),
    [
        ("127.0.0.1", True),
        ("10.1.2.3", True),
        ("172.16.0.1", True),
        ("192.168.1.1", True),
        ("169.254.169.254", True),  # cloud metadata
        ("100.64.0.1", True),  # shared address space (carrier NAT)
        ("0.0.0.0", True),
        ("224.0.0.1", True),
        ("240.0.0.1", True),
        ("::1", True),
        ("::", True),
        ("fe80::1", True),
        ("fc00::1", True),
        ("::ffff:127.0.0.1", True),  # IPv4-mapped
        ("2002:7f00:1::1", True),  # 6to4 around 127.0.0.1
        ("64:ff9b::a00:1", True),  # NAT64 around 10.0.0.1
        ("93.184.216.34", False),
        ("2606:4700:4700::1111", False),
    ],
)
def test_internal_addresses(address, refused, settings):
    from campaignflow.notifications import outbound

    settings.WEBHOOK_ALLOWED_NETWORKS = []
    assert outbound.internal(address) is refused


# --- chat markup: a member's text cannot plant links, mentions or formatting in the group chat ------------

PLANTED = "[点我](http://evil.example) <!channel> **粗体** <a href='http://evil.example'>x</a> <@all>"


def test_campaign_and_task_text_is_inert_in_every_chat(
    db, users, campaign, receiver, django_capture_on_commit_callbacks
):
    from campaignflow.alerts import engine
    from campaignflow.planning.models import Task

    campaign.name = f"双11 {PLANTED}"
    campaign.save(update_fields=["name"])
    Task.objects.filter(campaign=campaign).update(end_date=timezone.localdate() + timezone.timedelta(days=30))
    Task.objects.filter(campaign=campaign, code="T001").update(
        name=f"# 标题\n> 引用 {PLANTED}", end_date=timezone.localdate() - timezone.timedelta(days=2)
    )
    for kind in ("dingtalk", "wecom", "feishu", "slack"):
        _endpoint(campaign, users, receiver, f"/{kind}", kind)
    with django_capture_on_commit_callbacks(execute=True):
        (alert,) = engine.evaluate_campaign(campaign)
    deliver_due()
    got = {path: data for path, data, _ok in Receiver.received}
    assert set(got) == {"/dingtalk", "/wecom", "/feishu", "/slack"}, Receiver.received
    link = f"/campaigns/{campaign.pk}/alerts/#alert-{alert.pk}"
    # The alert can be acknowledged: DingTalk gets an actionCard (markdown text, our links as buttons), WeCom a
    # template card (plain text fields), Feishu an interactive card (plain_text) — ADR 0018.
    ding = got["/dingtalk"]["actionCard"]
    wecom = got["/wecom"]["template_card"]
    feishu = got["/feishu"]["card"]
    texts = {
        "dingtalk": ding["text"],
        "feishu": json.dumps(feishu, ensure_ascii=False),
        "slack": got["/slack"]["text"],
    }
    text = texts["dingtalk"]
    assert "点我" in text and "粗体" in text  # the words are still there …
    assert "](http://evil" not in text and "[点我]" not in text  # … no link,
    assert "<" not in text and "**" not in text  # no HTML, mention or bold,
    assert "\n#" not in text and "\n>" not in text.replace("\n> 双11", "")  # no heading or quote of theirs
    assert "](" not in text and ding["btns"][-1] == {
        "title": "查看 / Open",
        "actionURL": f"http://127.0.0.1:8000{link}",
    }
    assert [b["title"] for b in ding["btns"]] == ["确认", "查看 / Open"]
    assert wecom["card_type"] == "text_notice" and wecom["card_action"]["url"] == f"http://127.0.0.1:8000{link}"
    assert "点我" in wecom["main_title"]["desc"] or "点我" in wecom.get("sub_title_text", "")  # plain text fields
    assert all(j["url"].startswith("http://127.0.0.1:8000/chat/act/") for j in wecom["jump_list"])
    assert feishu["header"]["title"]["tag"] == "plain_text" and "<" not in texts["feishu"] and "点我" in texts["feishu"]
    slack = got["/slack"]
    assert "<" not in texts["slack"] and "&lt;!channel&gt;" in texts["slack"]
    assert slack["mrkdwn"] is False  # *bold*, _italic_, ~strike~ have no escape in Slack: formatting off
    assert f"http://127.0.0.1:8000{link}" in texts["slack"]
