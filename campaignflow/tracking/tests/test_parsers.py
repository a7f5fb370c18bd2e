import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest

from campaignflow.tracking.domain import charts
from campaignflow.tracking.domain.parsers import (
    FileRefused,
    Row,
    parse_csv,
    parse_date,
    parse_file,
    parse_json_rows,
    parse_value,
)
from tests.support.uploads import xlsx_bytes


def test_values_and_dates():
    assert parse_value("1,200") == 1200
    assert parse_value("1.2万") == 12000
    assert parse_value("3亿") == 300000000
    assert parse_value("35%") == Decimal("0.35")
    assert parse_value(1200.0) == 1200
    with pytest.raises(ValueError):
        parse_value("-5")
    with pytest.raises(ValueError):
        parse_value("abc")
    with pytest.raises(ValueError):
        parse_value(float("nan"))
    for text in ("2025-06-01", "2025/6/1", "2025年6月1日", "2025.6.1", "2025-06-01 00:00:00"):
        assert parse_date(text) == dt.date(2025, 6, 1)
    for bad in ("2025-02-30", "6/1/2025", "1999-01-01", ""):
        with pytest.raises(ValueError):
            parse_date(bad)


def test_json_rows_name_every_bad_row_and_field():
    result = parse_json_rows(
        [
            {"date": "2025-06-01", "channel": "抖音", "metric": "曝光", "value": "1万"},
            {"date": "2025-13-01", "channel": "抖音", "metric": "曝光", "value": "x"},
            {"date": "2025-06-01", "channel": "抖音", "metric": "", "value": 1},
            {"date": "2025-06-01", "channel": "抖音", "metric": "曝光", "value": 2},
        ]
    )
    fields = [e["field"] for e in result.errors]
    assert fields == ["rows[1].date", "rows[1].value", "rows[2].metric", "rows[3].row"]
    assert len(result.rows) == 1


CSV_TEXT = (
    '日期,渠道,指标,数值\n2025/6/1,抖音,曝光,"1,200"\n2025年6月2日,小红书,销售额,1.2万\n\n2025-06-03,门店,转化率,35%\n'
)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_encodings(encoding):
    result = parse_csv(CSV_TEXT.encode(encoding))
    assert result.ok, result.errors
    assert [(r.day.day, r.channel, r.metric, r.amount) for r in map(Row._make, result.rows)] == [
        (1, "抖音", "曝光", Decimal(1200)),
        (2, "小红书", "销售额", Decimal(12000)),
        (3, "门店", "转化率", Decimal("0.35")),
    ]


def test_csv_english_headers_tabs_and_errors_with_lines():
    data = b"date\tmetric\tvalue\n2025-06-01\tclicks\t10\n2025-06-02\tclicks\tten\n"
    result = parse_csv(data)
    assert result.errors == [
        {
            "row": 1,
            "field": "rows[1].value",
            "message": "not a number: 'ten' (e.g. 1200, 1.2万, 35%)",
            "line": 3,
            "column": "value",
            "code": "not_number",
            "params": {"value": "ten"},
        }
    ]
    with pytest.raises(FileRefused, match="metric"):
        parse_csv("日期,渠道,数值\n2025-06-01,抖音,1\n".encode())
    with pytest.raises(FileRefused):
        parse_csv(b"")
    with pytest.raises(FileRefused, match="too many rows"):
        parse_csv(("date,metric,value\n" + "2025-06-01,a,1\n" * 11).encode(), max_rows=10)


def test_xlsx_with_dates_and_numbers():
    data = xlsx_bytes(
        [
            ["日期", "渠道", "指标", "数值"],
            [dt.date(2025, 6, 1), "抖音", "曝光", 1200],
            ["2025/6/2", "抖音", "点击", "1.2万"],
        ]
    )
    result = parse_file("m.xlsx", data)
    assert result.ok, result.errors
    assert [(r.day, r.amount) for r in map(Row._make, result.rows)] == [
        (dt.date(2025, 6, 1), 1200),
        (dt.date(2025, 6, 2), 12000),
    ]


def test_xlsx_zip_bomb_and_entities_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", b"<a>" + b"0" * 50_000_000 + b"</a>")
    with pytest.raises(FileRefused, match="zip bomb"):
        parse_file("bomb.xlsx", buf.getvalue())
    data = xlsx_bytes([["日期", "指标", "数值"], ["2025-06-01", "a", 1]])
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            content = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = b'<!DOCTYPE x [<!ENTITY a "aaaa">]>' + content.split(b"?>", 1)[-1]
            z.writestr(info, content)
    with pytest.raises(FileRefused, match="DOCTYPE"):
        parse_file("evil.xlsx", out.getvalue())
    with pytest.raises(FileRefused):
        parse_file("broken.xlsx", b"PK\x03\x04garbage")


def test_funnel_and_forecast():
    steps = charts.funnel_steps(
        {"曝光": Decimal(1000000), "点击": Decimal(100000), "转化": Decimal(10000), "购买": Decimal(5000)}
    )
    assert [s["rate"] for s in steps] == [None, Decimal("0.1"), Decimal("0.1"), Decimal("0.5")]
    assert steps[-1]["overall"] == Decimal("0.005")
    assert charts.forecast_final(actual_to_date=Decimal(80), elapsed_days=10, total_days=30) == Decimal(240)
    assert charts.forecast_final(
        actual_to_date=Decimal(80), elapsed_days=10, total_days=30, plan_to_date=Decimal(100), plan_total=Decimal(300)
    ) == Decimal(240)
    assert charts.forecast_final(actual_to_date=Decimal(80), elapsed_days=30, total_days=30) == Decimal(80)
