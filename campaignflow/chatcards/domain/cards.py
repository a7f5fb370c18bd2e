"""A notification as each chat app's interactive card, and the card that answers a click (pure: values in, the
platform's documented JSON out).

- DingTalk work notification (POST /topapi/message/corpconversation/asyncsend_v2): msg.msgtype "action_card" with
  title, markdown, btn_orientation and btn_json_list [{title, action_url}] — DingTalk's ActionCard buttons are links,
  so every button opens our signed action page (/chat/act/<token>/) inside DingTalk.
- Feishu (POST /open-apis/im/v1/messages, msg_type "interactive"): a message card whose callback buttons carry
  {"cf_token": token} as their `value` (sent back in card.action.trigger) and whose link buttons carry `url`.
- WeCom (POST /cgi-bin/message/send, msgtype "template_card"): card_type "button_interaction" with task_id and
  button_list, a callback button's `key` our token (sent back as EventKey), a link button type 1 with its url.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass, field

from campaignflow.notifications.domain.webhooks import markdown_text

CALLBACK, LINK = "callback", "link"
TOKEN_FIELD = "cf_token"  # the key of a Feishu button's value that holds our token


@dataclass(frozen=True)
class Button:
    label: str
    kind: str  # CALLBACK: the platform calls us back with `token`; LINK: opens `url`
    token: str = ""
    url: str = ""
    primary: bool = False


@dataclass(frozen=True)
class Card:
    title: str
    body: str = ""
    campaign: str = ""
    url: str = ""  # the card's own link (the object on the site)
    buttons: tuple[Button, ...] = field(default_factory=tuple)


def _line(text: str) -> str:
    return " ".join(text.split())


def _quoted(url: str) -> str:
    return urllib.parse.quote(url, safe=":/?#&=%+@,;~")


# --- DingTalk ---------------------------------------------------------------------------------------------------
def dingtalk_action_card(card: Card, link_for_token) -> dict:
    """The `msg` of a work notification: every button a link (a callback button's to `link_for_token(token)`)."""
    head = f"### {markdown_text(_line(card.title))}"
    if card.campaign:
        head += f"\n\n> {markdown_text(_line(card.campaign))}"
    text = f"{head}\n\n{markdown_text(card.body)}" if card.body else head
    buttons = [
        {"title": b.label, "action_url": _quoted(link_for_token(b.token) if b.kind == CALLBACK else b.url)}
        for b in card.buttons
    ]
    if card.url and not any(b.kind == LINK and b.url == card.url for b in card.buttons):
        buttons.append({"title": "查看 / Open", "action_url": _quoted(card.url)})
    return {
        "msgtype": "action_card",
        "action_card": {
            "title": _line(card.title)[:60],
            "markdown": text,
            "btn_orientation": "1",  # buttons side by side
            "btn_json_list": buttons,
        },
    }


# --- Feishu -----------------------------------------------------------------------------------------------------
def _feishu_text(text: str) -> str:
    return text.replace("<", "＜").replace(">", "＞")  # no <at> mentions or tags from people's text


def _feishu_button(button: Button) -> dict:
    data = {
        "tag": "button",
        "text": {"tag": "plain_text", "content": button.label},
        "type": "primary" if button.primary else "default",
    }
    if button.kind == CALLBACK:
        data["value"] = {TOKEN_FIELD: button.token}
    else:
        data["url"] = button.url
    return data


def feishu_card(card: Card, *, template: str = "blue", note: str = "") -> dict:
    """A message card (the `content` of an interactive message, or the `card.data` of a callback's answer)."""
    elements: list[dict] = []
    lines = [_feishu_text(_line(card.campaign))] if card.campaign else []
    if card.body:
        lines.append(_feishu_text(card.body))
    if lines:
        elements.append({"tag": "div", "text": {"tag": "plain_text", "content": "\n".join(lines)}})
    buttons = list(card.buttons)
    if card.url and not any(b.kind == LINK and b.url == card.url for b in buttons):
        buttons.append(Button("查看 / Open", LINK, url=card.url))
    if buttons:
        elements.append({"tag": "action", "actions": [_feishu_button(b) for b in buttons]})
    if note:
        elements.append({"tag": "note", "elements": [{"tag": "plain_text", "content": note}]})
    return {
        "config": {"wide_screen_mode": True, "update_multi": False},
        "header": {"title": {"tag": "plain_text", "content": _feishu_text(_line(card.title))}, "template": template},
        "elements": elements,
    }


FEISHU_TOAST = {"done": "success", "already": "info", "expired": "warning", "stale": "warning", "refused": "error"}
FEISHU_TEMPLATE = {"done": "green", "already": "grey", "expired": "grey", "stale": "orange", "refused": "red"}


def feishu_answer(card: Card, status: str, message: str, link: str = "") -> dict:
    """The answer to a card callback: a toast with the outcome, and the card again with the outcome as its note and
    without callback buttons (a stale or refused card keeps a link to open the object)."""
    buttons = (Button("打开查看 / Open", LINK, url=link, primary=True),) if link else ()
    answered = Card(card.title, card.body, card.campaign, "", buttons)
    return {
        "toast": {"type": FEISHU_TOAST.get(status, "info"), "content": message},
        "card": {
            "type": "raw",
            "data": feishu_card(answered, template=FEISHU_TEMPLATE.get(status, "blue"), note=message),
        },
    }


# --- WeCom ------------------------------------------------------------------------------------------------------
def wecom_template_card(card: Card, task_id: str) -> dict:
    """The `template_card` of an app message: button_interaction, a callback button's key our token."""
    buttons = []
    for b in card.buttons[:6]:
        if b.kind == CALLBACK:
            buttons.append({"type": 0, "text": b.label[:10], "style": 1 if b.primary else 2, "key": b.token})
        else:
            buttons.append({"type": 1, "text": b.label[:10], "style": 1 if b.primary else 2, "url": b.url})
    data: dict = {
        "card_type": "button_interaction",
        "source": {"desc": "CampaignFlow", "desc_color": 0},
        "main_title": {"title": _line(card.title)[:26], "desc": _line(card.campaign)[:30]},
        "task_id": task_id,
        "button_list": buttons,
    }
    if card.body:
        data["sub_title_text"] = card.body[:120]
    if card.url:
        data["card_action"] = {"type": 1, "url": card.url}
    return data


def wecom_update_button(response_code: str, agent_id: str, userid: str, label: str) -> dict:
    """The body of /cgi-bin/message/update_template_card: the clicked person's buttons become one done label."""
    return {
        "userids": [userid],
        "agentid": int(agent_id) if str(agent_id).isdigit() else agent_id,
        "response_code": response_code,
        "button": {"replace_name": label[:20]},
    }


def wecom_update_card(response_code: str, agent_id: str, userid: str, title: str, message: str, link: str) -> dict:
    """The body of /cgi-bin/message/update_template_card replacing the clicked person's whole card: the outcome and
    a link to open the object (a stale, expired or refused click)."""
    return {
        "userids": [userid],
        "agentid": int(agent_id) if str(agent_id).isdigit() else agent_id,
        "response_code": response_code,
        "template_card": {
            "card_type": "text_notice",
            "source": {"desc": "CampaignFlow"},
            "main_title": {"title": _line(title)[:26]},
            "sub_title_text": message[:120],
            "card_action": {"type": 1, "url": link},
            "jump_list": [{"type": 1, "title": "打开查看 / Open", "url": link}],
        },
    }
