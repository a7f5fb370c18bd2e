"""Which device a request comes from, read from its User-Agent text alone, pure."""

from __future__ import annotations

# Phones say "Mobi" (Chrome, Safari, Firefox on Android and iOS); the chat apps' in-app browsers name
# themselves, also on a tablet (DingTalk, Feishu/Lark, WeCom, WeChat).
_PHONE_MARKS = ("mobi", "dingtalk", "feishu", "lark", "wxwork", "micromessenger")


def is_phone(user_agent: str | None) -> bool:
    """A phone or a chat app's browser: its start page is Today rather than the campaign list."""
    text = (user_agent or "").lower()
    return any(mark in text for mark in _PHONE_MARKS)
