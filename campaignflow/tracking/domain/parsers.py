"""Parsing metric rows from JSON, CSV and XLSX, pure (no ORM): validate everything, write nothing.

Numbers as people type them (1,200 / 1.2万 / 3亿 / 35%), dates as 2025-06-01, 2025/6/1 or 2025年6月1日,
CSV in UTF-8, UTF-8 with BOM or GBK/GB18030, XLSX read with python-calamine after a zip-bomb and
XML-entity check.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import NamedTuple

from campaignflow.core.domain.dates import FIRST_YEAR, LAST_YEAR, in_range
from campaignflow.core.domain.numbers import NotANumber, parse_number
from campaignflow.core.domain.text import clean_text

MAX_ROWS = 1_000_000
MAX_ERRORS = 200  # errors listed one by one; the count covers all of them
MAX_NAME = 100
MAX_VALUE = Decimal("1e16")  # DecimalField(max_digits=20, decimal_places=4)
Q4 = Decimal("0.0001")
# XLSX: refuse archives that would inflate beyond this or whose members compress implausibly well.
XLSX_MAX_UNCOMPRESSED = 600 * 1024 * 1024
XLSX_MAX_RATIO = 150
XLSX_MAX_MEMBERS = 2000
XLSX_MAX_PROLOG = 1024 * 1024  # what may come before an XML part's root element (declaration, comments)

HEADERS = {
    "date": {"日期", "date", "day", "日期(date)"},
    "channel": {"渠道", "channel", "渠道名称", "来源渠道"},
    "metric": {"指标", "metric", "指标名称", "kpi"},
    "value": {"数值", "value", "值", "数据", "数量", "实际值"},
}
REQUIRED = ("date", "metric", "value")

_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
_PLAIN = re.compile(r"^\d{1,16}(?:\.\d{1,4})?$")


class FileRefused(ValueError):
    """A file that cannot be read at all (wrong type, corrupt, a zip bomb, too many rows). The text is
    English; `code` and `params` let the service word the common cases in the reader's language."""

    def __init__(self, message: str, code: str = "", **params):
        super().__init__(message)
        self.code = code
        self.params = params


class Row(NamedTuple):
    """One validated row, in the form the database takes it: ISO date text and the value as canonical decimal
    text or, for a whole number read as one, an int (so a million rows go to `executemany` without another
    conversion pass)."""

    date: str  # YYYY-MM-DD
    channel: str
    metric: str
    value: str | int  # decimal text, e.g. "1200" or "0.35", or a whole number, e.g. 1200

    @property
    def day(self) -> dt.date:
        return dt.date.fromisoformat(self.date)

    @property
    def amount(self) -> Decimal:
        return Decimal(self.value)


@dataclass
class ParseResult:
    rows: list[Row] = field(default_factory=list)  # Row or plain tuples in the same layout (fast path)
    errors: list[dict] = field(default_factory=list)
    error_count: int = 0
    line_offset: int | None = None  # files: spreadsheet line of rows[0] (2 after the header)
    columns: dict[str, str] = field(default_factory=dict)  # files: field → its header text in the file
    ignored: list[str] = field(default_factory=list)  # files: the header texts of the columns not read

    def add_error(self, index: int, name: str, message: str, code: str = "", **params) -> None:
        """`message` is English; `code` and `params` let the service word it in the reader's language."""
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            error = {"row": index, "field": f"rows[{index}].{name}", "message": message}
            if self.line_offset is not None:
                error["line"] = index + self.line_offset
            if name in self.columns:
                error["column"] = self.columns[name]
            if code:
                error["code"] = code
                error["params"] = params
            self.errors.append(error)

    @property
    def ok(self) -> bool:
        return self.error_count == 0


# --- cells ---------------------------------------------------------------------------------


def parse_date(raw) -> dt.date:
    if isinstance(raw, dt.datetime):
        value = raw.date()
    elif isinstance(raw, dt.date):
        value = raw
    else:
        text = str(raw if raw is not None else "").strip()
        match = _DATE.match(text)
        if not match:
            raise ValueError("date")
        year, month, day = (int(g) for g in match.groups())
        value = dt.date(year, month, day)  # ValueError for 2025-02-30
    if not in_range(value):
        raise ValueError("range")
    return value


def parse_value(raw) -> Decimal:
    if isinstance(raw, str) and _PLAIN.match(raw):
        return Decimal(raw)
    if isinstance(raw, bool) or raw is None or raw == "":
        raise NotANumber(raw)
    if isinstance(raw, float):
        if raw != raw or raw in (float("inf"), float("-inf")):
            raise NotANumber(raw)
        value = Decimal(repr(raw))
    else:
        value = parse_number(raw)
    if value < 0:
        raise ValueError("negative")
    if value >= MAX_VALUE:
        raise ValueError("too large")
    if value.as_tuple().exponent < -4:
        value = value.quantize(Q4, rounding=ROUND_HALF_UP)
    return value


def _name(raw) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return clean_text(raw)  # also zero-width and direction marks at the ends: "\u200b" alone is empty


# --- rows ----------------------------------------------------------------------------------


class RowParser:
    """Parse and validate rows one by one; keeps a date cache (dates repeat a lot in real files)."""

    def __init__(self, result: ParseResult, *, require_channel: bool = False):
        self.result = result
        self.require_channel = require_channel
        self._dates: dict = {}
        self._seen: dict[tuple, int] = {}

    def _name_refused(self, index: int, field: str, name: str, *, required: bool) -> bool:
        """Whether the row's channel or metric name is refused (the error is recorded)."""
        if required and not name:
            self.result.add_error(index, field, f"{field} is required", "required")
            return True
        if len(name) > MAX_NAME or "\x00" in name:
            message = f"{field} must be at most {MAX_NAME} characters without NUL"
            self.result.add_error(index, field, message, "too_long", limit=MAX_NAME)
            return True
        return False

    def add(self, index: int, raw_date, raw_channel, raw_metric, raw_value) -> None:
        result = self.result
        bad = False
        try:
            date = self._dates[raw_date]
        except (KeyError, TypeError):
            try:
                date = parse_date(raw_date)
            except (ValueError, TypeError) as exc:
                date = None
                bad = True
                if str(exc) == "range":
                    message = f"date must be between {FIRST_YEAR} and {LAST_YEAR}"
                    result.add_error(index, "date", message, "date_range")
                else:
                    shown = _show(raw_date)
                    result.add_error(index, "date", f"not a date: {shown!r} (use 2025-06-01)", "not_date", value=shown)
            else:
                with contextlib.suppress(TypeError):
                    self._dates[raw_date] = date
        channel = _name(raw_channel)
        metric = _name(raw_metric)
        bad |= self._name_refused(index, "channel", channel, required=self.require_channel)
        bad |= self._name_refused(index, "metric", metric, required=True)
        try:
            value = parse_value(raw_value)
        except (NotANumber, InvalidOperation, TypeError):
            bad = True
            shown = _show(raw_value)
            result.add_error(
                index, "value", f"not a number: {shown!r} (e.g. 1200, 1.2万, 35%)", "not_number", value=shown
            )
        except ValueError as exc:
            bad = True
            if str(exc) == "negative":
                result.add_error(index, "value", "value must not be negative", "negative")
            else:
                result.add_error(index, "value", "value is too large", "too_large", limit=str(MAX_VALUE))
        if bad:
            return
        iso = date.isoformat()
        key = (iso, channel, metric)
        first = self._seen.get(key)
        if first is not None:
            line = first + result.line_offset if result.line_offset is not None else None
            result.add_error(
                index,
                "row",
                f"duplicate of row {first} (same date, channel and metric)",
                "duplicate",
                row=first,
                line=line,
            )
            return
        self._seen[key] = index
        result.rows.append(Row(iso, channel, metric, format(value, "f")))


def _show(raw) -> str:
    text = "" if raw is None else str(raw)
    return text[:40]


def parse_json_rows(rows: Iterable[dict]) -> ParseResult:
    """Rows sent to the API: [{date, channel, metric, value}, …]."""
    result = ParseResult()
    parser = RowParser(result, require_channel=False)
    for index, row in enumerate(rows):
        if not isinstance(row, dict):
            result.add_error(index, "row", "each row must be an object {date, channel, metric, value}", "not_object")
            continue
        parser.add(index, row.get("date"), row.get("channel"), row.get("metric"), row.get("value"))
    if not result.rows and not result.error_count:
        result.add_error(0, "row", "no rows", "no_rows")
    return result


# --- files ---------------------------------------------------------------------------------


def header_columns(header: list) -> dict[str, int]:
    """Map the header row (Chinese or English) to column indexes; FileRefused names what is missing."""
    columns: dict[str, int] = {}
    for i, cell in enumerate(header):
        label = _header_text(cell).lower()
        for key, aliases in HEADERS.items():
            if label in aliases and key not in columns:
                columns[key] = i
    missing = [k for k in REQUIRED if k not in columns]
    if missing:
        raise FileRefused(
            "missing column(s): "
            + ", ".join(f"{k} ({'/'.join(sorted(HEADERS[k], key=len)[:2])})" for k in missing)
            + ". The first row must name the columns 日期/date, 渠道/channel, 指标/metric, 数值/value.",
            "missing_columns",
            columns=missing,
        )
    return columns


def _header_text(cell) -> str:
    return _name(cell).lstrip("\ufeff").strip()


def unread_columns(header: list, columns: dict[str, int]) -> list[str]:
    """The header texts of the columns `header_columns` did not map (e.g. 备注, or a second 数值), in file order:
    what the import says it leaves out."""
    read = set(columns.values())
    return [text for i, cell in enumerate(header) if i not in read and (text := _header_text(cell))]


PROGRESS_EVERY = 20_000


def parse_table(
    lines: Iterator[list],
    *,
    max_rows: int = MAX_ROWS,
    progress=None,
    check_duplicates: bool = True,
    into: ParseResult | None = None,
    progress_every: int = PROGRESS_EVERY,
) -> ParseResult:
    """A header row then data rows (lists of cells) → validated rows. `progress(rows_read)` is called
    every `progress_every` rows when given (background imports show it).

    `check_duplicates=False` leaves repeated (date, channel, metric) keys to the caller's unique index:
    a million-key dict is most of the parsing time, and a file with duplicates is rare (the ingestion
    service parses again with the check to name them). Pure: the service that parses a large file
    pauses the garbage collector around it (tracking.services.parse_upload).

    `into`: the ParseResult to fill, so that another thread can read its `rows` while they grow
    (appending to a list is atomic; tracking.streamed_import writes them meanwhile)."""
    return _parse_table(
        lines, max_rows=max_rows, progress=progress, check_duplicates=check_duplicates, into=into, every=progress_every
    )


def _clean_name(raw) -> str | None:
    """A channel or metric cell on the fast path: the stripped text, or None when it needs the full
    check (not text, too long, NUL)."""
    if type(raw) is not str:
        return None
    text = raw.strip()
    if len(text) > MAX_NAME or "\x00" in text:
        return None
    if text and not (text[0].isprintable() and text[-1].isprintable()):
        return None  # an invisible character at an end (zero-width, direction mark): the full check strips it
    return text


class _Cache(dict):
    """Raw cell → its clean value, cleaned once per distinct cell (an unhashable cell: TypeError)."""

    def __init__(self, clean):
        super().__init__()
        self.clean = clean

    def __missing__(self, raw):
        value = self[raw] = self.clean(raw)
        return value


def _extra_cells(cells: list, named: int) -> int:
    """How many cells a row has beyond the header's `named` ones, up to its last non-empty cell (0: only empty
    cells there)."""
    for i in range(len(cells) - 1, named - 1, -1):
        if _name(cells[i]):
            return i + 1 - named
    return 0


def _iso_date(raw) -> str | None:
    try:
        return parse_date(raw).isoformat()
    except (ValueError, TypeError):
        return None


def _parse_table(
    lines: Iterator[list], *, max_rows: int, progress, check_duplicates: bool, into: ParseResult | None, every: int
) -> ParseResult:
    result = into if into is not None else ParseResult()
    result.line_offset = 2
    header = None
    for cells in lines:
        if any(_name(c) for c in cells):
            header = cells
            break
        result.line_offset += 1  # blank lines above the header: rows keep their spreadsheet numbers
    if header is None:
        raise FileRefused("the file is empty", "empty")
    cols = header_columns(list(header))
    result.columns = {key: _header_text(header[i]) for key, i in cols.items()}
    result.ignored = unread_columns(header, cols)
    i_date, i_metric, i_value = cols["date"], cols["metric"], cols["value"]
    i_channel = cols.get("channel")
    width = max(cols.values()) + 1
    # the header's cells up to its last named one: a row may have empty cells beyond it (Excel writes "a,b,c,,",
    # an XLSX row runs to the sheet's widest), not a value there (which column would it be?)
    named = len(header)
    while named > width and not _name(header[named - 1]):
        named -= 1
    parser = RowParser(result)
    add = parser.add
    seen = parser._seen
    append = result.rows.append
    # Caches of raw cell → clean value: dates, channels and metrics repeat on almost every row.
    dates = _Cache(_iso_date)  # raw date cell → ISO text, or None when it is not a valid date
    names = _Cache(_clean_name)  # raw channel/metric cell → clean name, or None (needs the full check)
    index = -1
    report_at = every if progress is not None else -2
    for cells in lines:
        index += 1
        if index == report_at:
            progress(index)
            report_at += every
        if len(cells) < width:
            if not any(_name(c) for c in cells):
                continue
            cells = list(cells) + [""] * (width - len(cells))
        if index >= max_rows:
            raise FileRefused(f"too many rows: at most {max_rows:,} per import", "too_many_rows", limit=max_rows)
        if len(cells) > named and (extra := _extra_cells(cells, named)):
            result.add_error(index, "row", f"{extra} more cell(s) than the header", "extra_cells", count=extra)
            continue
        raw_date, raw_metric, raw_value = cells[i_date], cells[i_metric], cells[i_value]
        raw_channel = cells[i_channel] if i_channel is not None else ""
        # Fast path for the common, clean row (plain tuples in the Row layout); anything unusual goes
        # through RowParser.add, which validates it fully and names the problem.
        try:
            iso, metric, channel = dates[raw_date], names[raw_metric], names[raw_channel]
        except TypeError:  # an unhashable cell
            iso = None
        if iso is not None and metric and channel is not None:
            t = type(raw_value)
            # whole numbers stay ints (XLSX numbers come as floats): the database, the COPY text and the
            # totals take them as they are, and str() would cost a third of the loop
            if t is float and raw_value.is_integer() and 0 <= raw_value < 1e16:  # XLSX numbers
                value = int(raw_value)
            elif (t is str and raw_value.isdigit() and len(raw_value) <= 16) or (  # CSV text
                t is int and 0 <= raw_value < 10**16
            ):
                value = raw_value
            else:
                value = None
            if value is not None:
                if not check_duplicates:
                    append((iso, channel, metric, value))
                    continue
                key = (iso, channel, metric)
                if key not in seen:
                    seen[key] = index
                    append((iso, channel, metric, value))
                    continue
        if not any(_name(c) for c in cells):
            continue  # a blank row as wide as the header (",,,," in a CSV, an empty XLSX row)
        add(index, raw_date, raw_channel, raw_metric, raw_value)
    if index < 0:
        raise FileRefused("the file has a header but no data rows", "no_data_rows")
    return result


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030 (a superset of GBK/GB2312)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise FileRefused("the file is neither UTF-8 nor GBK/GB18030 text", "encoding") from None


def csv_lines(data: bytes) -> Iterator[list]:
    text = decode_text(data)
    if "\x00" in text:
        raise FileRefused("the file contains NUL characters: not a CSV text file", "not_text")
    first = text[: text.find("\n")] if "\n" in text else text
    delimiter = "\t" if "\t" in first and "," not in first else ","
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def parse_csv(data: bytes, **options) -> ParseResult:
    """`options`: those of parse_table."""
    try:
        return parse_table(csv_lines(data), **options)
    except csv.Error as exc:
        raise FileRefused(f"malformed CSV: {exc}", "malformed_csv") from None


def check_xlsx_archive(data: bytes) -> None:
    """Refuse zip bombs and XML with DOCTYPE/ENTITY declarations before any XML is parsed."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        raise FileRefused("not a valid XLSX file (it is not a zip archive)", "not_xlsx") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > XLSX_MAX_MEMBERS:
            raise FileRefused("the XLSX archive has too many parts", "xlsx_unsafe")
        total = sum(i.file_size for i in infos)
        packed = sum(i.compress_size for i in infos) or 1
        if total > XLSX_MAX_UNCOMPRESSED or total / packed > XLSX_MAX_RATIO:
            raise FileRefused("the XLSX file expands to an implausible size (a zip bomb?); refused", "xlsx_unsafe")
        for info in infos:
            if info.compress_size and info.file_size / info.compress_size > XLSX_MAX_RATIO * 4:
                raise FileRefused("the XLSX file expands to an implausible size (a zip bomb?); refused", "xlsx_unsafe")
            if not info.filename.endswith((".xml", ".rels")):
                continue
            try:
                with archive.open(info) as member:
                    declares = _declares_dtd(member)
            except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError, EOFError, zlib.error):
                raise FileRefused("the XLSX file is corrupt", "xlsx_corrupt") from None
            if declares:
                raise FileRefused("the XLSX file declares XML entities (DOCTYPE); refused for safety", "xlsx_unsafe")


_PROLOG_ITEM = re.compile(rb"\s*(?:<\?.*?\?>|<!--.*?-->)", re.S)
_PROLOG_OPENINGS = (b"<?", b"<!--", b"<!DOCTYPE")


def _declares_dtd(member) -> bool:
    """Whether an XML part declares a DOCTYPE (where entities are declared) or an ENTITY. Entities can only
    be declared before the root element, so this reads the prolog (XML declaration, comments, processing
    instructions) however much it is padded, up to XLSX_MAX_PROLOG, and stops at the root element."""
    chunk = member.read(64 * 1024)
    if b"<!ENTITY" in chunk.upper():
        return True
    data, pos = chunk.removeprefix(b"\xef\xbb\xbf"), 0
    while True:
        while match := _PROLOG_ITEM.match(data, pos):
            pos = match.end()
        rest = data[pos:].lstrip()[:16].upper()
        if rest.startswith(b"<!DOCTYPE") or pos > XLSX_MAX_PROLOG:
            return True  # (a prolog this long is padding to hide a declaration: refused as one)
        unfinished = not rest or any(rest.startswith(o) or o.startswith(rest) for o in _PROLOG_OPENINGS)
        if not unfinished or not chunk:
            return False  # the root element (or not XML at all: the reader refuses that)
        if len(data) > XLSX_MAX_PROLOG:
            return True
        chunk = member.read(64 * 1024)
        data += chunk


def xlsx_lines(data: bytes) -> Iterator[list]:
    from python_calamine import CalamineWorkbook

    check_xlsx_archive(data)
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = workbook.get_sheet_by_index(0)
        rows = sheet.iter_rows()
    except Exception as exc:  # calamine raises its own errors for every kind of corruption
        raise FileRefused(f"the XLSX file cannot be read ({type(exc).__name__})", "xlsx_corrupt") from None
    return rows


def parse_xlsx(data: bytes, **options) -> ParseResult:
    """`options`: those of parse_table."""
    lines = xlsx_lines(data)
    try:
        return parse_table(lines, **options)
    except FileRefused:
        raise
    except Exception as exc:
        raise FileRefused(f"the XLSX file cannot be read ({type(exc).__name__})", "xlsx_corrupt") from None


def is_xlsx(name: str, data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04" or (name or "").lower().endswith((".xlsx", ".xlsm"))


def estimate_rows(name: str, data: bytes) -> int:
    """Data rows in a file, cheaply: CSV line count; XLSX by its size (~20 bytes per packed row)."""
    if is_xlsx(name, data):
        return len(data) // 20
    return max(0, data.count(b"\n") - 1 + (0 if data.endswith(b"\n") else 1))


def parse_file(name: str, data: bytes, **options) -> ParseResult:
    """CSV or XLSX by content (zip signature) and name. `options`: those of parse_table."""
    lower = (name or "").lower()
    if is_xlsx(name, data):
        return parse_xlsx(data, **options)
    if lower.endswith((".xls",)) or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise FileRefused("old .xls files are not supported: save as .xlsx or CSV", "old_xls")
    return parse_csv(data, **options)
