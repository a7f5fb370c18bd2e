"""The "chatapp" channel of notifications (notifications.chat_channel): whom the configured chat apps can reach (a
person with an identity linked at one of them, ADR 0011) and sending one queued delivery as that app's card."""

from __future__ import annotations

from collections.abc import Iterable

from campaignflow.signin.chat import PlatformError
from campaignflow.signin.models import ExternalIdentity

from . import platforms
from .cards import act_link, card_for, robot_card_buttons
from .domain import cards as card_json


def available() -> bool:
    return bool(platforms.sendable())


def reachable(user_ids: Iterable[int]) -> set[int]:
    methods = platforms.sendable()
    if not methods:
        return set()
    linked = ExternalIdentity.objects.filter(user_id__in=list(user_ids), method__in=methods)
    return set(linked.values_list("user_id", flat=True))


def send(delivery) -> tuple[bool, int | None, str]:
    """One delivery to its recipient's chat app (the first configured one they are linked at)."""
    methods = platforms.sendable()
    identities = {
        i.method: i
        for i in ExternalIdentity.objects.filter(user_id=delivery.recipient_id, method__in=methods)
        if delivery.recipient_id
    }
    identity = next((identities[m] for m in methods if m in identities), None)
    if identity is None:
        return False, None, "the recipient has no linked chat app account"
    card = card_for(delivery, recipient=delivery.recipient, platform=identity.method)
    try:
        if identity.method == "dingtalk":
            platforms.dingtalk_send(identity.subject, card_json.dingtalk_action_card(card, act_link))
        elif identity.method == "feishu":
            platforms.feishu_send(identity.subject, card_json.feishu_card(card))
        else:
            platforms.wecom_send(
                identity.subject, card_json.wecom_template_card(card, task_id=f"cf-{delivery.pk}-{delivery.attempts}")
            )
    except PlatformError as exc:
        return False, None, f"{identity.method}: {exc.kind} {exc.code}".strip()[:500]
    return True, 200, ""


def robot_buttons(delivery) -> list[tuple[str, str]]:
    """A group robot's buttons for the object of a delivery: links to the signed action page, for anyone in the
    group who may act (no recipient; they sign in, and the service's rules decide)."""
    return [(button.label, button.url) for button in robot_card_buttons(delivery)]
