"""Spreadsheet formula-injection guard (CSV and XLSX): text that a spreadsheet would run as a
formula gets a leading apostrophe, so it shows as the text it is."""

from __future__ import annotations

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Text starting with = + - @, a tab or a CR → "'" + text; every other value unchanged."""
    if isinstance(value, str) and value.startswith(TRIGGERS):
        return "'" + value
    return value
