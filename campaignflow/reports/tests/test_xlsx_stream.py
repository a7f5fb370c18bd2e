"""The streamed XLSX writer: what it writes reads the same in openpyxl and in python-calamine (the
import's reader), keeps the sheets' look, and goes out before the rows are all read."""

import datetime as dt
import io
import tracemalloc
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from campaignflow.reports.collect import DATE, DATETIME, MONEY, NUM, RATE, TEXT, Sheet
from campaignflow.reports.xlsx import BIG, build_workbook, workbook_response
from campaignflow.reports.xlsx_stream import ROWS_PER_CHUNK, stream_workbook

COLUMNS = [
    ("日期", DATE, 12),
    ("时间", DATETIME, 18),
    ("金额", MONEY, 14),
    ("数值", NUM, 10),
    ("达成率", RATE, 10),
    ("备注", TEXT, 30),
]
ROWS = [
    (dt.date(2025, 6, 1), dt.datetime(2025, 6, 1, 9, 30), Decimal("12345.67"), 3, 0.256, "门店·上海徐汇"),
    (dt.date(1999, 12, 31), dt.datetime(2031, 2, 28, 23, 59), Decimal("0.10"), Decimal("1E+3"), Decimal("1.5"), None),
    (None, None, None, None, None, '=HYPERLINK("http://evil")'),
    (dt.date(2025, 1, 1), None, -5, 2.5, 0, "  两端空格 & <标签> \n 第二行"),
]


def _normalised(value):
    """One cell as both readers agree to give it: a midnight datetime is a date, a whole float an int,
    an empty cell None."""
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if value == "":
        return None
    return value


def _both(data: bytes):
    """{sheet: rows of normalised values} as openpyxl reads the file, and as calamine reads it."""
    wb = load_workbook(io.BytesIO(data))
    by_openpyxl = {
        ws.title: [[_normalised(c) for c in row] for row in ws.iter_rows(values_only=True)] for ws in wb.worksheets
    }
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    by_calamine = {}
    for name in book.sheet_names:
        rows = book.get_sheet_by_name(name).to_python()
        width = max(len(r) for r in rows)
        by_calamine[name] = [[_normalised(c) for c in r] + [None] * (width - len(r)) for r in rows]
    return wb, by_openpyxl, by_calamine


def test_openpyxl_and_calamine_read_the_same_values_and_formats():
    big = (
        (dt.date(2025, 6, 1) + dt.timedelta(days=i % 90), f"渠道{i % 40}", "曝光", Decimal(i) / 4) for i in range(3000)
    )
    sheets = [
        Sheet("表1 效果", "活动效果评估表", COLUMNS, ROWS),
        Sheet(
            BIG, "每日数据明细", [("日期", DATE, 12), ("渠道", TEXT, 14), ("指标", TEXT, 14), ("数值", NUM, 14)], big
        ),
    ]
    buffer = io.BytesIO()
    assert build_workbook(sheets, buffer) == {"表1 效果": len(ROWS), BIG: 3000}
    wb, by_openpyxl, by_calamine = _both(buffer.getvalue())
    assert by_openpyxl == by_calamine
    assert list(by_openpyxl) == ["表1 效果", BIG]
    table = by_openpyxl["表1 效果"]
    assert table[0][0] == "活动效果评估表" and table[1] == [h for h, _k, _w in COLUMNS]
    assert table[2] == [dt.date(2025, 6, 1), dt.datetime(2025, 6, 1, 9, 30), 12345.67, 3, 0.256, "门店·上海徐汇"]
    assert table[3][:5] == [dt.date(1999, 12, 31), dt.datetime(2031, 2, 28, 23, 59), 0.1, 1000, 1.5]
    assert table[4] == [None] * 5 + ['=HYPERLINK("http://evil")']
    assert table[5][5] == "  两端空格 & <标签> \n 第二行"
    assert by_openpyxl[BIG][2 + 2999] == [dt.date(2025, 6, 1) + dt.timedelta(days=2999 % 90), "渠道39", "曝光", 749.75]
    # the look: widths, frozen header, the header's font and fill, number formats, the guard on risky text
    ws = wb["表1 效果"]
    assert [ws.column_dimensions[c].width for c in "ABCDEF"] == [12, 18, 14, 10, 10, 30]
    assert ws.freeze_panes == "A3"
    assert (ws["A1"].font.b, ws["A1"].font.sz, ws["A1"].font.name) == (True, 13, "Microsoft YaHei")
    assert (ws["A2"].font.color.rgb, ws["A2"].fill.fgColor.rgb) == ("FFFFFFFF", "FF2563EB")
    assert [ws.cell(3, i).number_format for i in range(1, 6)] == [
        "yyyy-mm-dd",
        "yyyy-mm-dd hh:mm",
        "#,##0.00",
        "#,##0.####",
        "0.00%",
    ]
    assert ws["F5"].data_type == "s" and ws["F5"].quotePrefix and not ws["F3"].quotePrefix
    assert ws["A3"].border.left.style == "thin" and ws["F3"].alignment.wrap_text


@pytest.mark.django_db
def test_the_campaign_export_reads_the_same_in_openpyxl_and_calamine(seeded, api_for, users):
    response = api_for(users["viewer"]).get(f"/campaigns/{seeded.pk}/export.xlsx")
    assert response.status_code == 200 and response.streaming
    _wb, by_openpyxl, by_calamine = _both(b"".join(response.streaming_content))
    assert by_openpyxl == by_calamine
    assert len(by_openpyxl) == 12 and len(by_openpyxl[BIG]) > 2


def test_the_workbook_goes_out_before_its_rows_are_read():
    read = 0

    def rows():
        nonlocal read
        for i in range(10 * ROWS_PER_CHUNK):
            read += 1
            yield (dt.date(2025, 1, 1), "抖音", "曝光", i)

    response = workbook_response([Sheet(BIG, "明细", [("日期", DATE, 12), ("渠道", TEXT, 14), ("指标", TEXT, 14),
                                                     ("数值", NUM, 14)], rows())], "x.xlsx")  # fmt: skip
    chunks = iter(response.streaming_content)
    assert next(chunks).startswith(b"PK\x03\x04") and read == 0
    sizes_while_reading = []
    for chunk in chunks:
        sizes_while_reading.append((read, len(chunk)))
    assert read == 10 * ROWS_PER_CHUNK
    assert len({r for r, _n in sizes_while_reading}) > 3  # bytes went out at several points of the rows


def test_memory_stays_flat_whatever_the_rows():
    def peak(n: int) -> int:
        rows = ((dt.date(2025, 1, 1), f"渠道{i % 40}", "曝光", Decimal(i)) for i in range(n))
        sheet = Sheet(
            BIG, "明细", [("日期", DATE, 12), ("渠道", TEXT, 14), ("指标", TEXT, 14), ("数值", NUM, 14)], rows
        )
        tracemalloc.start()
        size = sum(len(chunk) for chunk in stream_workbook([sheet]))
        used = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert size > n  # something per row was written
        return used

    small, large = peak(2_000), peak(40_000)
    assert large < small * 1.5 + 200_000
