"""Webhook payloads and signatures for DingTalk, WeCom, Feishu, Slack and generic JSON, pure. A message with action
buttons goes to the chat robots as their documented card with link buttons (robots get no callbacks).

DingTalk robot: sign = urlencode(base64(HMAC-SHA256(key=secret, msg=f"{timestamp_ms}\\n{secret}"))),
added to the URL as &timestamp=…&sign=….
Feishu robot: sign = base64(HMAC-SHA256(key=f"{timestamp_s}\\n{secret}", msg=b"")), sent in the body.
Generic JSON: header X-CampaignFlow-Signature: sha256=<hex HMAC-SHA256(key=secret, msg=body)>.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import urllib.parse
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Message:
    event: str
    title: str
    body: str
    url: str = ""
    campaign: str = ""
    # Action buttons (label, link to the site's signed action page, ADR 0018): the chat robots that document
    # link buttons show them (DingTalk actionCard, Feishu interactive card, WeCom template_card text_notice).
    buttons: tuple[tuple[str, str], ...] = ()


BUTTON_KINDS = ("dingtalk", "feishu", "wecom")


@dataclass(frozen=True)
class Request:
    url: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest).decode())


def feishu_sign(secret: str, timestamp_s: int) -> str:
    digest = hmac.new(f"{timestamp_s}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def generic_sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


# People's text (campaign and task names, alert messages) must not become markup in the group chat.
# DingTalk and WeCom markdown document no escape character, so what starts a link, emphasis, heading,
# quote, code, HTML or a WeCom <@userid> mention becomes its full-width twin (natural in Chinese text).
_MARKDOWN_INERT = str.maketrans(
    {"[": "［", "]": "］", "*": "＊", "_": "＿", "#": "＃", ">": "＞", "<": "＜", "`": "｀", "~": "～", "&": "＆"}
)
# Feishu text: <at user_id="all"></at> mentions everyone.
_FEISHU_INERT = str.maketrans({"<": "＜", ">": "＞"})


def _line(text: str) -> str:
    return " ".join(text.split())


def markdown_text(text: str) -> str:
    return text.translate(_MARKDOWN_INERT)


def slack_text(text: str) -> str:
    """Slack's control characters as the entities it documents (<!channel>, <url|label> become text)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _text(m: Message, escape=lambda t: t) -> str:
    lines = [escape(f"【{_line(m.campaign)}】{_line(m.title)}" if m.campaign else _line(m.title))]
    if m.body:
        lines.append(escape(m.body))
    if m.url:
        lines.append(m.url)
    return "\n".join(lines)


def _markdown(m: Message) -> str:
    head = f"### {markdown_text(_line(m.title))}" + (f"\n> {markdown_text(_line(m.campaign))}" if m.campaign else "")
    # Our own link: its address is ours (SITE_URL + path); quoted so a space or ")" cannot end it early.
    link = f"\n\n[查看 / Open]({urllib.parse.quote(m.url, safe=':/?#&=%+@,;~')})" if m.url else ""
    return f"{head}\n\n{markdown_text(m.body)}{link}"


def _link(url: str) -> str:
    return urllib.parse.quote(url, safe=":/?#&=%+@,;~")


def _dingtalk_action_card(m: Message) -> dict:
    buttons = [*m.buttons, *((("查看 / Open", m.url),) if m.url else ())]
    return {
        "msgtype": "actionCard",
        "actionCard": {
            "title": _line(m.title),
            "text": _markdown(Message(m.event, m.title, m.body, "", m.campaign)),
            "btnOrientation": "1",
            "btns": [{"title": label, "actionURL": _link(url)} for label, url in buttons],
        },
    }


def _feishu_card(m: Message) -> dict:
    lines = [_line(m.campaign)] if m.campaign else []
    if m.body:
        lines.append(m.body)
    buttons = [*m.buttons, *((("查看 / Open", m.url),) if m.url else ())]
    elements = []
    if lines:
        text = "\n".join(lines).translate(_FEISHU_INERT)
        elements.append({"tag": "div", "text": {"tag": "plain_text", "content": text}})
    elements.append(
        {
            "tag": "action",
            "actions": [
                {"tag": "button", "text": {"tag": "plain_text", "content": label}, "type": "default", "url": url}
                for label, url in buttons
            ],
        }
    )
    title = {"tag": "plain_text", "content": _line(m.title).translate(_FEISHU_INERT)}
    return {"msg_type": "interactive", "card": {"header": {"title": title}, "elements": elements}}


def _wecom_template_card(m: Message) -> dict:
    card: dict = {
        "card_type": "text_notice",
        "source": {"desc": "CampaignFlow"},
        "main_title": {"title": _line(m.title)[:26], "desc": _line(m.campaign)[:30]},
        "card_action": {"type": 1, "url": m.url or m.buttons[0][1]},
        "jump_list": [{"type": 1, "title": label[:13], "url": url} for label, url in m.buttons[:3]],
    }
    if m.body:
        card["sub_title_text"] = m.body[:120]
    return {"msgtype": "template_card", "template_card": card}


def _json(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode()


def build(kind: str, url: str, secret: str, message: Message, *, now_ms: int) -> Request:
    """The HTTP request to send for one message to one endpoint."""
    headers = {"Content-Type": "application/json; charset=utf-8"}
    if kind == "dingtalk":
        if secret:
            sep = "&" if "?" in url else "?"
            url = f"{url}{sep}timestamp={now_ms}&sign={dingtalk_sign(secret, now_ms)}"
        if message.buttons:
            body = _json(_dingtalk_action_card(message))
        else:
            markdown = {"title": _line(message.title), "text": _markdown(message)}
            body = _json({"msgtype": "markdown", "markdown": markdown})
    elif kind == "wecom":
        if message.buttons:
            body = _json(_wecom_template_card(message))
        else:
            body = _json({"msgtype": "markdown", "markdown": {"content": _markdown(message)}})
    elif kind == "feishu":
        text = {"msg_type": "text", "content": {"text": _text(message, lambda t: t.translate(_FEISHU_INERT))}}
        data: dict = _feishu_card(message) if message.buttons else text
        if secret:
            ts = now_ms // 1000
            data = {"timestamp": str(ts), "sign": feishu_sign(secret, ts), **data}
        body = _json(data)
    elif kind == "slack":
        # mrkdwn off: Slack has no escape for *bold*, _italic_, ~strike~; its plain URL is still a link.
        body = _json({"text": _text(message, slack_text), "mrkdwn": False})
    else:
        body = _json(
            {
                "event": message.event,
                "title": message.title,
                "body": message.body,
                "url": message.url,
                "campaign": message.campaign,
            }
        )
        if secret:
            headers["X-CampaignFlow-Signature"] = generic_sign(secret, body)
    return Request(url=url, body=body, headers=headers)


def accepted(kind: str, status: int, response_body: bytes) -> tuple[bool, str]:
    """Did the receiver take the message? DingTalk/WeCom/Feishu answer 200 with an error code inside."""
    if not 200 <= status < 300:
        return False, f"HTTP {status}"
    if kind in ("dingtalk", "wecom", "feishu"):
        try:
            data = json.loads(response_body or b"{}")
        except ValueError:
            return True, ""
        code = data.get("errcode", data.get("code", data.get("StatusCode", 0)))
        if code not in (0, None):
            return False, f"{kind} error {code}: {data.get('errmsg') or data.get('msg') or ''}"[:500]
    return True, ""


def backoff_seconds(attempts: int) -> int:
    """Retry after 1 min, 5 min, 30 min, 2 h; None-like (0) past the last attempt."""
    schedule = [60, 300, 1800, 7200]
    return schedule[attempts - 1] if 0 < attempts <= len(schedule) else 0


MAX_ATTEMPTS = 5
