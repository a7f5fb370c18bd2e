"""Spreadsheet formula-injection guard (CSV and XLSX).

A spreadsheet reads a typed (or CSV-imported) text as a formula when it starts with = + - @, or with a
tab or CR before one. `is_risky` says which texts could; a text made only of dashes ("-", "--", "—",
"–": the "nothing here" placeholder) cannot, and stays as it is.

How the risky ones are neutralised depends on the format (see `neutralise` for CSV and
`xlsx_stream.text_cell` for XLSX): a CSV field has no type, so it gets a leading apostrophe; an XLSX cell has
one, so it is written as a string cell without any apostrophe.
"""

from __future__ import annotations

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# ASCII hyphen-minus, the Unicode hyphens, figure dash, en/em dash, horizontal bar, minus sign
DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"


def is_risky(value) -> bool:
    """Text starting with = + - @, a tab or a CR, unless it is nothing but dashes."""
    return isinstance(value, str) and value.startswith(TRIGGERS) and bool(value.strip(DASHES))


def neutralise(value):
    """Risky text → "'" + text (how a CSV field says "text, not a formula"); every other value unchanged."""
    if is_risky(value):
        return "'" + value
    return value


def mark_text(cell) -> None:
    """XLSX side of the guard, for an openpyxl cell holding text: always a string cell (openpyxl would
    store text starting with "=" as a formula), and a risky text quote-prefixed, as Excel stores a typed
    leading apostrophe (not shown; the cell stays text when edited). No apostrophe in the value itself."""
    cell.data_type = "s"
    if is_risky(cell.value):
        cell.quotePrefix = True


def guard_sheet(ws) -> None:
    """`mark_text` on every text cell of a (not write-only) openpyxl worksheet, before it is saved.

    Walks the cells that exist, not the bounding box: `iter_rows()` would create every empty cell of a
    sparse sheet (a settlement with 1,000 partner columns and 2,000 rows: 2 million cells, 40 s)."""
    for cell in list(ws._cells.values()):
        if isinstance(cell.value, str):
            mark_text(cell)
