"""Leavers at the chat platforms: `sync_chat_apps()` re-reads, for each configured platform (DingTalk, Feishu,
WeCom), every person who signed in with it; someone who left (WeCom status 5, Feishu is_resigned, gone from
DingTalk's organisation) or is disabled there → deactivated (sessions ended, API and calendar-feed tokens
revoked); a department change → role re-mapped by SSO_ROLE_MAP.

Run by the scheduler every CHAT_SYNC_MINUTES (60) and by `manage.py sync_chat_apps`. A platform that cannot be
asked (down, refused credentials) changes nothing and the others still run; a platform that says everybody is gone
is refused as a configuration error (sync.MassRemoval)."""

from __future__ import annotations

import logging

from . import chat
from .errors import SourceUnavailable
from .sync import MassRemoval, sync_method

log = logging.getLogger(__name__)


def sync_chat_apps() -> str:
    lines = []
    for platform in chat.PROVIDERS.values():
        method = platform.method()
        if method is None:
            continue
        try:
            lines.append(str(sync_method(method)))
        except (SourceUnavailable, MassRemoval) as exc:
            log.warning("leavers' sync of %s stopped: %s", method.id, exc)
            lines.append(f"{method.id}: not synced ({exc})")
    return "\n".join(lines) or "No chat app is configured"
