"""Expectation tables kept as text (the access matrices): one row a line, columns apart by two or more
spaces, so that a row reads like the spreadsheet a tester would write; `#` starts a comment line.

A cell that is a whole number becomes an int (an HTTP status); any other cell stays text (an operation's
name, a method, a path, a marker such as `ok` or `login`)."""

from __future__ import annotations

import re
from pathlib import Path

_COLUMNS = re.compile(r"\s{2,}|\t")


def _cell(text: str):
    return int(text) if text.isdigit() else text


def read_table(path: str | Path, *, columns: int) -> list[tuple]:
    """The rows of the table at `path`; a row without exactly `columns` cells is an error naming its line."""
    rows = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        cells = tuple(_cell(c) for c in _COLUMNS.split(line))
        if len(cells) != columns:
            raise ValueError(f"{path}:{number}: {len(cells)} cells, expected {columns}: {line!r}")
        rows.append(cells)
    return rows
