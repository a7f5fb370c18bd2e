"""A person's own messages through the company's chat app (DingTalk / Feishu / WeCom work notifications), beside the
inbox and e-mail. The app that speaks to the platforms (chatcards) sits above notifications and plugs in here from
its AppConfig.ready(): whom it can reach now, and how one queued delivery is sent. `notify` queues a "chatapp"
delivery for each person it can reach (and who has not switched the kind off); `delivery.deliver_due` sends it
with the same retries and back-off as e-mail and webhooks."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class ChatChannel:
    # Of these user ids, the ones the configured chat apps can reach now (a linked identity at a configured app).
    reachable: Callable[[Iterable[int]], set[int]]
    # Send one delivery: (taken, the platform's HTTP status or None, the error for the log).
    send: Callable[[object], tuple[bool, int | None, str]]
    # Whether any chat app is configured (the inbox shows the "chat app" switch only then).
    available: Callable[[], bool]
    # A group robot's message about an object: its action buttons as (label, link to the signed action page).
    robot_buttons: Callable[[object], list[tuple[str, str]]] | None = None


_registered: list[ChatChannel] = []


def register(channel: ChatChannel) -> None:
    _registered[:] = [channel]


def current() -> ChatChannel | None:
    return _registered[0] if _registered else None


def robot_buttons(delivery) -> tuple[tuple[str, str], ...]:
    channel = current()
    if channel is None or channel.robot_buttons is None or not delivery.target_id:
        return ()
    return tuple(channel.robot_buttons(delivery))


def available() -> bool:
    channel = current()
    return channel is not None and channel.available()
