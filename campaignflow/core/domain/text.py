"""Text people type, pure: names and titles without invisible characters at their ends."""

from __future__ import annotations

import unicodedata

# Format (zero-width, direction controls, soft hyphen, BOM), control, and separator characters;
# plus letters that render as nothing (Hangul fillers, the braille blank).
_INVISIBLE_CATEGORIES = frozenset({"Cf", "Cc", "Zs", "Zl", "Zp"})
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
# Tag characters (U+E0020–E007F) end subdivision-flag emoji (🏴 + tags + CANCEL TAG): kept at a name's end.
_TAGS = range(0xE0020, 0xE0080)


def _invisible(ch: str) -> bool:
    return ch.isspace() or ch in _BLANK_LETTERS or unicodedata.category(ch) in _INVISIBLE_CATEGORIES


def clean_text(value) -> str:
    """The text without whitespace and invisible characters at either end ("\u200b\u202e 双十一\ufeff" →
    "双十一"); "" when nothing visible is left, so a name of only zero-width or direction-control
    characters counts as empty. Inner ones stay (the ZWJ in 👨‍👩‍👧, a ZWNJ between letters)."""
    text = "" if value is None else str(value)
    start, end = 0, len(text)
    while start < end and _invisible(text[start]):
        start += 1
    while end > start and _invisible(text[end - 1]) and ord(text[end - 1]) not in _TAGS:
        end -= 1
    return text[start:end]
