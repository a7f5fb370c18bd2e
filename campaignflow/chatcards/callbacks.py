"""Reading the platforms' card callbacks: the signature and the encryption checked as documented
(domain.callback_crypto), the time of the request within CALLBACK_MAX_AGE, the operator → their account."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

from defusedxml import ElementTree
from django.conf import settings

from campaignflow.signin import chat
from campaignflow.signin.models import ExternalIdentity

from .domain import callback_crypto as crypto

CALLBACK_MAX_AGE = 300  # seconds: an older (or replayed) signed request is refused
MAX_BODY = 64 * 1024


class Refused(Exception):
    """Not a correctly signed request of the platform: answered 401, nothing done."""


def _fresh(timestamp: str, now: float | None = None) -> None:
    try:
        sent = int(timestamp)
    except (TypeError, ValueError):
        raise Refused("no timestamp") from None
    if sent > 10**11:  # milliseconds
        sent //= 1000
    if abs((now or time.time()) - sent) > CALLBACK_MAX_AGE:
        raise Refused("too old")


def account(method: str, subject: str):
    """The active account linked to the platform's person, or None."""
    if not subject:
        return None
    identity = ExternalIdentity.objects.select_related("user").filter(method=method, subject=subject).first()
    return identity.user if identity is not None and identity.user.is_active else None


# --- Feishu -----------------------------------------------------------------------------------------------------
def feishu_configured() -> bool:
    return bool(chat.provider("feishu") and settings.FEISHU_VERIFICATION_TOKEN and settings.FEISHU_ENCRYPT_KEY)


def feishu_payload(body: bytes, headers) -> dict:
    """The decrypted callback. A request that carries no signature is taken only for the URL check
    (url_verification, which must still decrypt with our key and name our verification token)."""
    if len(body) > MAX_BODY:
        raise Refused("too large")
    signature = headers.get("X-Lark-Signature")
    timestamp = headers.get("X-Lark-Request-Timestamp", "")
    nonce = headers.get("X-Lark-Request-Nonce", "")
    if signature is not None:
        _fresh(timestamp)
        if not crypto.feishu_signed(timestamp, nonce, settings.FEISHU_ENCRYPT_KEY, body, signature):
            raise Refused("bad signature")
    try:
        outer = json.loads(body)
        payload = json.loads(crypto.feishu_decrypt(outer["encrypt"], settings.FEISHU_ENCRYPT_KEY))
    except (ValueError, KeyError, TypeError, crypto.BadPayload):
        raise Refused("not an encrypted callback") from None
    if not isinstance(payload, dict):
        raise Refused("not an object")
    token = payload.get("token") or (payload.get("header") or {}).get("token") or ""
    if not crypto.constant_equal(str(token), settings.FEISHU_VERIFICATION_TOKEN):
        raise Refused("wrong verification token")
    if signature is None and payload.get("type") != "url_verification":
        raise Refused("unsigned")
    return payload


@dataclass(frozen=True)
class FeishuClick:
    union_id: str
    token: str


def feishu_click(payload: dict) -> FeishuClick | None:
    """A card.action.trigger (schema 2.0) button click: the operator's union_id and our token."""
    header = payload.get("header") or {}
    if header.get("event_type") != "card.action.trigger":
        return None
    event = payload.get("event") or {}
    value = (event.get("action") or {}).get("value")
    token = value.get("cf_token") if isinstance(value, dict) else None
    operator = event.get("operator") or {}
    return FeishuClick(union_id=str(operator.get("union_id") or ""), token=str(token or ""))


# --- WeCom ------------------------------------------------------------------------------------------------------
def wecom_configured() -> bool:
    return bool(chat.provider("wecom") and settings.WECOM_CALLBACK_TOKEN and settings.WECOM_ENCODING_AES_KEY)


def wecom_open(query, encrypt: str) -> str:
    """The decrypted text of `encrypt` (the echostr of the URL check, or a message's Encrypt), once its
    msg_signature, its time and its receiver (our corp id) are checked."""
    timestamp, nonce = query.get("timestamp", ""), query.get("nonce", "")
    _fresh(timestamp)
    if not crypto.wecom_signed(settings.WECOM_CALLBACK_TOKEN, timestamp, nonce, encrypt, query.get("msg_signature")):
        raise Refused("bad signature")
    try:
        return crypto.wecom_decrypt(encrypt, settings.WECOM_ENCODING_AES_KEY, settings.WECOM_CORP_ID)
    except crypto.BadPayload:
        raise Refused("does not decrypt") from None


def _xml(text: str | bytes) -> dict[str, str]:
    try:
        root = ElementTree.fromstring(text)
    except (ElementTree.ParseError, ValueError) as exc:  # defusedxml refuses entities and DTDs (ValueError kinds)
        raise Refused(f"not XML: {type(exc).__name__}") from None
    return {child.tag: (child.text or "").strip() for child in root}


def wecom_encrypted(body: bytes) -> str:
    if len(body) > MAX_BODY:
        raise Refused("too large")
    encrypt = _xml(body).get("Encrypt", "")
    if not encrypt:
        raise Refused("no Encrypt")
    return encrypt


@dataclass(frozen=True)
class WeComClick:
    userid: str
    token: str
    task_id: str
    response_code: str


def wecom_click(message: str) -> WeComClick | None:
    """A template_card_event (a button of a template card clicked)."""
    fields = _xml(message)
    if fields.get("MsgType") != "event" or fields.get("Event") != "template_card_event":
        return None
    return WeComClick(
        userid=fields.get("FromUserName", ""),
        token=fields.get("EventKey", ""),
        task_id=fields.get("TaskId", ""),
        response_code=fields.get("ResponseCode", ""),
    )
