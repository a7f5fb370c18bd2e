"""A small XLSX writer that streams: the package is written as a ZIP stream (no seeking: every member's
sizes follow it in a data descriptor), one chunk after another while the rows are read, so a download
starts at once and memory stays flat whatever the number of rows.

It writes only what the campaign's sheets use: a title row, a header row, then rows whose cells are
typed by their column's kind (real dates, numbers with their number format, text as inline strings
that are never formulas), column widths, the two top rows frozen. Every style is one entry of a fixed
table (`CELL_STYLES`), so a cell is written as a style number, not styled one by one: that is what
made openpyxl slow (it hashes each cell's style objects: ~30k cells/s).

Formula injection: a text cell (t="inlineStr") is never evaluated whatever it starts with; a risky one
(see safe.is_risky) also gets the quote-prefixed style, as Excel stores a typed leading apostrophe.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from xml.sax.saxutils import escape

from .collect import DATE, DATETIME, MONEY, NUM, RATE, Sheet
from .safe import is_risky

FONT = "Microsoft YaHei"
EPOCH = dt.datetime(1899, 12, 30)  # day 0 of Excel's 1900 date system (past its 1900 leap-year bug)
EPOCH_ORDINAL = EPOCH.toordinal()
ROWS_PER_CHUNK = 2000  # rows joined into one write to the compressor
CACHE_SIZE = 4096  # distinct texts of a column remembered as ready-made cells
COMPRESS_LEVEL = 1  # sheet XML repeats itself: level 1 is within ~20 % of 6 in size at twice the speed
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")

FORMATS = {DATE: "yyyy-mm-dd", DATETIME: "yyyy-mm-dd hh:mm", MONEY: "#,##0.00", NUM: "#,##0.####", RATE: "0.00%"}
NUMBER_FORMAT_ID = {kind: 164 + i for i, kind in enumerate(FORMATS)}  # custom formats start at 164

# cellXfs: (font, fill, border, number format, alignment, quote prefix). The index is the cell's s="".
TITLE, TITLE_QUOTED, HEADER, HEADER_QUOTED, TEXT, TEXT_QUOTED = range(6)
_TOP_WRAP = '<alignment vertical="top" wrapText="1"/>'
_CENTER_WRAP = '<alignment horizontal="center" vertical="center" wrapText="1"/>'
CELL_STYLES = [
    (1, 0, 0, 0, "", False),
    (1, 0, 0, 0, "", True),
    (2, 2, 1, 0, _CENTER_WRAP, False),
    (2, 2, 1, 0, _CENTER_WRAP, True),
    (0, 0, 1, 0, _TOP_WRAP, False),
    (0, 0, 1, 0, _TOP_WRAP, True),
    *[(0, 0, 1, NUMBER_FORMAT_ID[kind], "", False) for kind in FORMATS],
]
NUMBER_STYLE = {kind: 6 + i for i, kind in enumerate(FORMATS)}  # s="" of a number / date of that kind


def _styles_xml() -> str:
    formats = "".join(
        f'<numFmt numFmtId="{NUMBER_FORMAT_ID[k]}" formatCode="{escape(f)}"/>' for k, f in FORMATS.items()
    )
    xfs = []
    for font, fill, border, number, alignment, quoted in CELL_STYLES:
        attrs = f'numFmtId="{number}" fontId="{font}" fillId="{fill}" borderId="{border}" xfId="0"'
        attrs += "".join(
            f' {name}="1"' for name, on in (("applyNumberFormat", number), ("applyFont", font), ("applyFill", fill),
                                             ("applyBorder", border), ("applyAlignment", alignment),
                                             ("quotePrefix", quoted)) if on
        )  # fmt: skip
        xfs.append(f"<xf {attrs}>{alignment}</xf>" if alignment else f"<xf {attrs}/>")
    side = '<{0} style="thin"><color rgb="FFCBD5E1"/></{0}>'
    thin = "".join(side.format(edge) for edge in ("left", "right", "top", "bottom"))
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<numFmts count="{len(FORMATS)}">{formats}</numFmts>'
        '<fonts count="3"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
        f'<font><b/><sz val="13"/><name val="{FONT}"/></font>'
        f'<font><b/><sz val="11"/><color rgb="FFFFFFFF"/><name val="{FONT}"/></font></fonts>'
        '<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
        '<fill><patternFill patternType="solid"><fgColor rgb="FF2563EB"/><bgColor indexed="64"/></patternFill></fill></fills>'
        f'<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border><border>{thin}<diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    )  # fmt: skip


# --- cells ----------------------------------------------------------------------------------------------


def text_cell(value: str, style: int, quoted_style: int) -> str:
    text = _ILLEGAL.sub("", value)
    s = quoted_style if is_risky(text) else style
    text = escape(text)
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f'<c s="{s}" t="inlineStr"><is><t{space}>{text}</t></is></c>'


def _number(value) -> str | None:
    """The cell text of a number, or None when a spreadsheet has no such number (NaN, infinity)."""
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return format(value, "f") if value.is_finite() else None
    return repr(value) if math.isfinite(value) else None


def _serial(value: dt.date) -> str:
    """A date (or a datetime, its time as the day's fraction) as Excel's serial day number."""
    if isinstance(value, dt.datetime):
        delta = value.replace(tzinfo=None) - EPOCH  # shown as the wall time it carries, as openpyxl did
        return repr(delta.days + delta.seconds / 86400 + delta.microseconds / 86_400_000_000)
    return str(value.toordinal() - EPOCH_ORDINAL)


def column_cell(kind: str) -> Callable[[object], str]:
    """The writer of one column's cells: a date or a number gets its kind's number format; text, and
    any value of a column without a format, the wrapped text style. Repeated texts (channel and metric
    names, dates of a day-by-day table) come from a small cache of ready-made cells."""
    number_style = NUMBER_STYLE.get(kind)
    date_style = number_style if kind in (DATE, DATETIME) else None
    texts: dict[str, str] = {}
    dates: dict[dt.date, str] = {}

    def cell(value) -> str:
        if value.__class__ is str:
            xml = texts.get(value)
            if xml is None:
                xml = text_cell(value, TEXT, TEXT_QUOTED)
                if len(texts) < CACHE_SIZE:
                    texts[value] = xml
            return xml
        if value is None:
            return f'<c s="{TEXT}"/>'
        if isinstance(value, bool):
            return f'<c s="{number_style or TEXT}" t="b"><v>{int(value)}</v></c>'
        if isinstance(value, dt.date):
            xml = dates.get(value)
            if xml is None:
                # a date column keeps its format; elsewhere a date still shows as one
                style = date_style or NUMBER_STYLE[DATETIME if isinstance(value, dt.datetime) else DATE]
                xml = f'<c s="{style}"><v>{_serial(value)}</v></c>'
                if len(dates) < CACHE_SIZE:
                    dates[value] = xml
            return xml
        if isinstance(value, int | float | Decimal):
            text = _number(value)
            return f'<c s="{number_style or TEXT}"><v>{text}</v></c>' if text is not None else f'<c s="{TEXT}"/>'
        return cell(str(value))

    return cell


# --- sheets ---------------------------------------------------------------------------------------------


def sheet_name(title: str) -> str:
    return _SHEET_NAME.sub("", title)[:31] or "Sheet"


def sheet_xml(sheet: Sheet, counted: dict[str, int]) -> Iterator[str]:
    """The worksheet XML of `sheet` in pieces of up to ROWS_PER_CHUNK rows; the number of data rows is
    put into `counted` under the sheet's name once they are all written."""
    cols = "".join(
        f'<col min="{i}" max="{i}" width="{width}" customWidth="1"/>'
        for i, (_h, _k, width) in enumerate(sheet.columns, start=1)
    )
    header = "".join(text_cell(h, HEADER, HEADER_QUOTED) for h, _k, _w in sheet.columns)
    yield (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheetViews><sheetView workbookViewId="0"><pane ySplit="2" topLeftCell="A3" activePane="bottomLeft" '
        'state="frozen"/><selection pane="bottomLeft" activeCell="A3" sqref="A3"/></sheetView></sheetViews>'
        f'<sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols><sheetData>'
        f'<row r="1">{text_cell(sheet.heading, TITLE, TITLE_QUOTED)}</row><row r="2">{header}</row>'
    )
    cells = [column_cell(kind) for _h, kind, _w in sheet.columns]
    n = 2
    chunk: list[str] = []
    for row in sheet.rows:
        n += 1
        chunk.append(f'<row r="{n}">{"".join([cell(v) for cell, v in zip(cells, row, strict=False)])}</row>')
        if len(chunk) == ROWS_PER_CHUNK:
            yield "".join(chunk)
            chunk.clear()
    yield "".join(chunk)
    yield '</sheetData><pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/></worksheet>'
    counted[sheet.title] = n - 2


# --- the package ----------------------------------------------------------------------------------------


def _package_parts(names: list[str]) -> dict[str, str]:
    """Every member but the sheets: content types, relationships, workbook, styles."""
    xml = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    ns = "http://schemas.openxmlformats.org"
    sheets = range(1, len(names) + 1)
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
        f'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in sheets
    )
    return {
        "[Content_Types].xml": f'{xml}<Types xmlns="{ns}/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        f"{overrides}</Types>",
        "_rels/.rels": f'{xml}<Relationships xmlns="{ns}/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'{xml}<workbook xmlns="{ns}/spreadsheetml/2006/main" '
        f'xmlns:r="{ns}/officeDocument/2006/relationships"><bookViews><workbookView/></bookViews><sheets>'
        + "".join(f'<sheet name="{escape(name, {chr(34): "&quot;"})}" sheetId="{i}" r:id="rId{i}"/>'
                  for i, name in zip(sheets, names, strict=True))
        + "</sheets></workbook>",
        "xl/_rels/workbook.xml.rels": f'{xml}<Relationships xmlns="{ns}/package/2006/relationships">'
        + "".join(f'<Relationship Id="rId{i}" Type="{ns}/officeDocument/2006/relationships/worksheet" '
                  f'Target="worksheets/sheet{i}.xml"/>' for i in sheets)
        + f'<Relationship Id="rId{len(names) + 1}" Type="{ns}/officeDocument/2006/relationships/styles" '
        'Target="styles.xml"/></Relationships>',
        "xl/styles.xml": _styles_xml(),
    }  # fmt: skip


class _Pipe:
    """What zipfile writes into, emptied by `take()` after each piece. It has no seek(): zipfile then
    writes every member's sizes after its data (a data descriptor) instead of going back for them."""

    def __init__(self):
        self._parts: list[bytes] = []
        self._written = 0

    def write(self, data) -> int:
        self._parts.append(bytes(data))
        self._written += len(data)
        return len(data)

    def tell(self) -> int:
        return self._written

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self._parts)
        self._parts.clear()
        return data


def stream_workbook(sheets: Iterable[Sheet], counted: dict[str, int] | None = None) -> Iterator[bytes]:
    """The workbook, as chunks of bytes; `counted` gets the number of rows of each sheet."""
    sheets = list(sheets)
    counted = {} if counted is None else counted
    pipe = _Pipe()
    names: list[str] = []
    for sheet in sheets:  # unique names: Excel refuses a workbook with two sheets of the same name
        name, k = sheet_name(sheet.title), 1
        while name in names:
            k += 1
            name = f"{sheet_name(sheet.title)[: 31 - len(str(k)) - 1]}_{k}"
        names.append(name)
    with zipfile.ZipFile(pipe, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL) as package:
        for member, text in _package_parts(names).items():
            package.writestr(member, text)
        for i, sheet in enumerate(sheets, start=1):
            with package.open(f"xl/worksheets/sheet{i}.xml", "w") as out:
                for piece in sheet_xml(sheet, counted):
                    out.write(piece.encode("utf-8"))
                    data = pipe.take()
                    if data:
                        yield data
    yield pipe.take()
