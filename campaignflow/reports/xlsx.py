"""The campaign workbook: the seeds' tables as styled sheets (openpyxl write-only: rows stream to a
temporary file, so 100,000 metric rows stay within a few tens of MB)."""

from __future__ import annotations

import datetime as dt
import re
import tempfile
import zipfile
from decimal import Decimal
from xml.sax.saxutils import escape

from django.http import FileResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from campaignflow.core.downloads import XLSX

from .collect import DATE, DATETIME, MONEY, NUM, RATE, Sheet
from .safe import is_risky, mark_text

FONT = "Microsoft YaHei"
TITLE_FONT = Font(name=FONT, bold=True, size=13)
HEAD_FONT = Font(name=FONT, bold=True, color="FFFFFF")
HEAD_FILL = PatternFill("solid", fgColor="2563EB")
THIN = Side(style="thin", color="CBD5E1")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
FORMATS = {DATE: "yyyy-mm-dd", DATETIME: "yyyy-mm-dd hh:mm", MONEY: "#,##0.00", NUM: "#,##0.####", RATE: "0.00%"}


def _value(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    return value


# Formula injection, XLSX side. Unlike a CSV field (untyped: a spreadsheet parses it as if typed, so
# "=cmd" would run and the only in-band way to say "text" is a leading apostrophe, see safe.neutralise),
# an XLSX cell carries its type: a string cell (t="inlineStr" or "s") is never evaluated, whatever it
# starts with. An apostrophe in its value would just be shown, as a stray "'". So text is written as it
# is, always as a string cell (openpyxl would otherwise store text starting with "=" as a formula), and
# a risky text also gets the cell style's quotePrefix: what Excel itself stores when someone types a
# leading apostrophe. It is not shown, and it keeps the cell text if someone edits it and presses Enter.


def _text_cell(ws, text: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=text)
    mark_text(cell)
    return cell


def _cell(ws, value) -> WriteOnlyCell:
    if isinstance(value, str):
        return _text_cell(ws, value)
    return WriteOnlyCell(ws, value=_value(value))


def write_sheet(wb: Workbook, sheet: Sheet, *, styled_rows: bool = True) -> int:
    ws = wb.create_sheet(title=sheet.title[:31])
    for i, (_h, _kind, width) in enumerate(sheet.columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A3"
    title = _text_cell(ws, sheet.heading)
    title.font = TITLE_FONT
    ws.append([title])
    header = []
    for h, _kind, _w in sheet.columns:
        cell = _text_cell(ws, h)
        cell.font, cell.fill, cell.alignment, cell.border = HEAD_FONT, HEAD_FILL, CENTER, BORDER
        header.append(cell)
    ws.append(header)
    kinds = [kind for _h, kind, _w in sheet.columns]
    formats = [FORMATS.get(k) for k in kinds]
    count = 0
    for row in sheet.rows:
        count += 1
        if styled_rows:
            cells = []
            for value, fmt in zip(row, formats, strict=False):
                cell = _cell(ws, value)
                cell.border = BORDER
                if fmt and value is not None and not isinstance(value, str):
                    cell.number_format = fmt
                else:
                    cell.alignment = WRAP
                cells.append(cell)
            ws.append(cells)
        else:
            # the big data sheet: plain cells (a style per cell would cost time and memory);
            # dates still become real dates, numbers real numbers
            ws.append([_cell(ws, v) if isinstance(v, str) else _value(v) for v in row])
    return count


MARKER = "__cf_stream_rows__"
QUOTED = "quoted"  # style key of a quote-prefixed text cell in the streamed sheet
BIG = "数据明细"
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
EPOCH = dt.date(1899, 12, 30)


def _placeholder(wb: Workbook, sheet: Sheet) -> None:
    """The big sheet's title, header, one sample row (to learn the date/number style ids) and one
    quote-prefixed text cell (its style id); its rows are streamed in afterwards by `_stream_rows`
    (openpyxl writes ~30k cells/s without lxml: too slow)."""
    sample = []
    for _h, kind, _w in sheet.columns:
        value = {DATE: dt.date(2000, 1, 1), NUM: 1.5}.get(kind, MARKER)
        sample.append(value)
    placeholder = Sheet(sheet.title, sheet.heading, sheet.columns, [tuple(sample)])
    write_sheet(wb, placeholder)
    # row 4: a plain quote-prefixed text cell, to learn that style's id (see `_text_cell`)
    ws = wb.worksheets[-1]
    quoted = _text_cell(ws, MARKER)
    quoted.quotePrefix = True
    ws.append([quoted])


def _cell_xml(value, kind: str, styles: dict) -> str:
    if value is None:
        return "<c/>"
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return f'<c s="{styles[DATE]}"><v>{(value - EPOCH).days}</v></c>'
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return f'<c s="{styles[NUM]}"><v>{value}</v></c>'
    text = _ILLEGAL.sub("", str(value))
    quoted = f' s="{styles[QUOTED]}"' if is_risky(text) else ""  # see `_text_cell`
    text = escape(text)
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f'<c t="inlineStr"{quoted}><is><t{space}>{text}</t></is></c>'


def _stream_rows(source_zip, target, sheet: Sheet) -> int:
    """Copy the workbook, replacing the placeholder's sample row by every row of `sheet` (streamed)."""
    kinds = [kind for _h, kind, _w in sheet.columns]
    count = 0
    with zipfile.ZipFile(source_zip) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if not (info.filename.startswith("xl/worksheets/") and MARKER.encode() in data):
                zout.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
                continue
            xml = data.decode("utf-8")
            start = xml.index('<row r="3"')
            end = xml.index("</sheetData>")
            sample = xml[start:end]
            styles = {
                DATE: re.search(r'<c r="A3"[^>]*?s="(\d+)"', sample).group(1) if DATE in kinds[:1] else "0",
                NUM: (re.findall(r'<c r="[A-Z]+3"[^>]*?s="(\d+)"[^>]*?t="n"', sample) or ["0"])[-1],
                QUOTED: re.search(r'<c r="A4"[^>]*?s="(\d+)"', sample).group(1),
            }
            head = re.sub(r"<dimension [^>]*/>", "", xml[:start])
            member = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            member.compress_type = zipfile.ZIP_DEFLATED  # a bare ZipInfo is ZIP_STORED (100,000 rows: 17.5 MB, not 1.3)
            with zout.open(member, "w", force_zip64=True) as out:
                out.write(head.encode("utf-8"))
                buffer = []
                for row in sheet.rows:
                    count += 1
                    cells = "".join(_cell_xml(v, k, styles) for v, k in zip(row, kinds, strict=False))
                    buffer.append(f'<row r="{count + 2}">{cells}</row>')
                    if len(buffer) >= 2000:
                        out.write("".join(buffer).encode("utf-8"))
                        buffer.clear()
                out.write("".join(buffer).encode("utf-8"))
                out.write(xml[end:].encode("utf-8"))
    return count


def build_workbook(sheets: list[Sheet], target) -> dict[str, int]:
    """Write every sheet into `target` (a path or a binary file); returns rows per sheet. The big data
    sheet (数据明细) is streamed straight into the package XML."""
    wb = Workbook(write_only=True)
    counts = {}
    big = None
    for sheet in sheets:
        if sheet.title == BIG:
            big = sheet
            _placeholder(wb, sheet)
        else:
            counts[sheet.title] = write_sheet(wb, sheet)
    if big is None:
        wb.save(target)
        return counts
    with tempfile.TemporaryFile() as scratch:
        wb.save(scratch)
        scratch.seek(0)
        counts[BIG] = _stream_rows(scratch, target, big)
    return counts


def workbook_response(sheets: list[Sheet], filename: str) -> FileResponse:
    """The workbook as a download (streamed from its temporary file)."""
    return FileResponse(workbook_file(sheets), as_attachment=True, filename=filename, content_type=XLSX)


def workbook_file(sheets: list[Sheet]):
    """The workbook in a temporary file (rewound), for a streamed FileResponse."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - closed by FileResponse
    build_workbook(sheets, handle)
    handle.seek(0)
    return handle
