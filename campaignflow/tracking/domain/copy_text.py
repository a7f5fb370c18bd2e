"""PostgreSQL COPY's text format, pure: fields joined by tabs, one row a line, and in a text field the four
characters the format gives a meaning of their own (backslash, tab, newline, carriage return) escaped."""

from __future__ import annotations


def escape(text: str) -> str:
    if not any(ch in text for ch in "\\\t\n\r"):
        return text
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


class Escaped(dict):
    """Text → its escaped form, escaped once per distinct text (channel and metric names repeat on every row)."""

    def __missing__(self, text: str) -> str:
        out = self[text] = escape(text)
        return out
