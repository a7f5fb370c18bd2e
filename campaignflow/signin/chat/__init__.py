"""The chat platforms people sign in with: DingTalk, Feishu/Lark and WeCom (ADR 0015). One provider object per
platform (django-allauth's provider pattern: id, name, login URL, `complete_login(code) → identity`); each is a
sign-in method with a `refresh` (their directory APIs), so the per-request role check and the leavers' sync work
for them."""

from __future__ import annotations

from .base import ChatLoginError, ChatProvider, PlatformError
from .dingtalk import DingTalk
from .feishu import Feishu
from .wecom import WeCom

PROVIDERS: dict[str, ChatProvider] = {p.id: p for p in (DingTalk(), Feishu(), WeCom())}


def provider(platform: str | None) -> ChatProvider | None:
    """The platform's provider when its settings are present, else None."""
    found = PROVIDERS.get(platform or "")
    return found if found is not None and found.configured() else None


def register() -> None:
    """Each platform as a sign-in method (offered while its settings are present)."""
    from .. import methods

    for chat in PROVIDERS.values():
        methods.register(chat.id, chat.method)


__all__ = ["PROVIDERS", "ChatLoginError", "ChatProvider", "PlatformError", "provider", "register"]
