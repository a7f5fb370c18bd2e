"""The chat platforms' messaging APIs, through the sign-in providers' HTTP (ADR 0015: a timeout on every request,
the platform's error codes judged, the app token cached and fetched again once when refused, nothing secret logged).

- DingTalk: POST {OAPI}/topapi/message/corpconversation/asyncsend_v2?access_token=… {agent_id, userid_list, msg};
  the person's userid from their unionId (POST /topapi/user/getbyunionid).
- Feishu: POST {API}/open-apis/im/v1/messages?receive_id_type=union_id {receive_id, msg_type, content} with the
  tenant_access_token.
- WeCom: POST {API}/cgi-bin/message/send?access_token=… {touser, msgtype: template_card, agentid, template_card};
  after a click POST /cgi-bin/message/update_template_card with the event's ResponseCode.
"""

from __future__ import annotations

import json

from django.conf import settings

from campaignflow.signin import chat
from campaignflow.signin.chat import PlatformError
from campaignflow.signin.domain import chat_people as people

ORDER = ("dingtalk", "feishu", "wecom")


def sendable() -> list[str]:
    """The platforms whose app is configured for messages (DingTalk also needs the app's AgentId)."""
    found = [p for p in ORDER if chat.provider(p) is not None]
    return [p for p in found if p != "dingtalk" or settings.DINGTALK_AGENT_ID]


def _agent(value: str):
    return int(value) if str(value).isdigit() else value


def _post_with_token_in_query(platform: str, url: str, payload: dict) -> dict:
    provider = chat.provider(platform)
    return provider.with_app_token(
        lambda token: provider.call("POST", url, params={"access_token": token}, json=payload)
    )


def dingtalk_send(unionid: str, msg: dict) -> dict:
    base = settings.DINGTALK_OAPI_BASE
    found = _post_with_token_in_query("dingtalk", f"{base}/topapi/user/getbyunionid", {"unionid": unionid})
    userid = (found.get("result") or {}).get("userid")
    if not userid:
        raise PlatformError(people.NOT_FOUND, "no userid")
    payload = {"agent_id": _agent(settings.DINGTALK_AGENT_ID), "userid_list": userid, "msg": msg}
    return _post_with_token_in_query("dingtalk", f"{base}/topapi/message/corpconversation/asyncsend_v2", payload)


def feishu_send(union_id: str, card: dict) -> dict:
    provider = chat.provider("feishu")
    url = f"{settings.FEISHU_API_BASE}/open-apis/im/v1/messages"
    payload = {"receive_id": union_id, "msg_type": "interactive", "content": json.dumps(card, ensure_ascii=False)}
    return provider.with_app_token(
        lambda token: provider.call(
            "POST",
            url,
            params={"receive_id_type": "union_id"},
            headers={"Authorization": f"Bearer {token}"},
            json=payload,
        )
    )


def wecom_send(userid: str, template_card: dict) -> dict:
    payload = {
        "touser": userid,
        "msgtype": "template_card",
        "agentid": _agent(settings.WECOM_AGENT_ID),
        "template_card": template_card,
    }
    return _post_with_token_in_query("wecom", f"{settings.WECOM_API_BASE}/cgi-bin/message/send", payload)


def wecom_update(payload: dict) -> dict:
    return _post_with_token_in_query(
        "wecom", f"{settings.WECOM_API_BASE}/cgi-bin/message/update_template_card", payload
    )
