"""Where a sign-in may send the browser afterwards: only a path of this site (no open redirect)."""

from __future__ import annotations


def safe_next(value: str | None) -> str | None:
    """`value` when it is a path of this site ("/campaigns/3/?tab=plan"), else None.

    Refused: anything not starting with exactly one "/" ("https://evil.com", "//evil.com", "evil.com"), any
    backslash ("/\\evil.com": browsers read it as "//"), and control characters or whitespace (browsers drop
    tabs and new lines inside URLs, so "/", a tab, "/evil.com" would become "//evil.com")."""
    if not value or not isinstance(value, str) or len(value) > 2000:
        return None
    if not value.startswith("/") or value.startswith("//"):
        return None
    if "\\" in value or any(ord(ch) < 0x21 or ord(ch) == 0x7F for ch in value):
        return None
    return value
