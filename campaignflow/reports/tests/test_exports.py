import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from campaignflow.planning.models import Task
from campaignflow.reports.collect import TEXT, Sheet
from campaignflow.reports.safe import DASHES, TRIGGERS, is_risky, neutralise
from campaignflow.reports.xlsx import BIG, build_workbook
from campaignflow.tracking.models import MetricRow

SHEETS = [
    "流程表",
    "表1 活动基本信息与目标表",
    "表2 任务分解与责任跟踪表",
    "表3 执行进度每日跟踪表",
    "表4 问题与风险记录表",
    "表5 活动效果评估表",
    "营销策略执行表",
    "预算分配表",
    "营销效果评估表",
    "渠道触达矩阵表",
    "风险预案",
    "数据明细",
]


@pytest.fixture
def evil(seeded):
    MetricRow.objects.create(
        campaign=seeded, date=dt.date(2025, 6, 20), channel="=1+1", metric="点击", value=Decimal(3)
    )
    Task.objects.filter(campaign=seeded, code="T001").update(
        name='=HYPERLINK("http://evil","点我")', deliverable="@SUM(A1)"
    )
    return seeded


def _xlsx(api, campaign):
    response = api.get(f"/campaigns/{campaign.pk}/export.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


@pytest.mark.django_db
def test_the_workbook_has_the_seeds_tables(evil, api_for, users):
    wb = _xlsx(api_for(users["viewer"]), evil)
    assert wb.sheetnames == SHEETS
    process = wb["流程表"]
    assert [c.value for c in process[2]] == ["阶段", "关键环节", "负责人", "时间节点", "日期", "输出成果", "备注"]
    assert process["A3"].value == "筹备阶段" and process["D3"].value == "活动开始前30天"
    assert isinstance(process["E3"].value, dt.datetime) and process["E3"].value.date() == dt.date(2025, 5, 2)
    # formula injection neutralised in every text cell: a string cell (never a formula), quote-prefixed,
    # with no apostrophe of its own (see xlsx_stream.text_cell)
    assert process["B3"].value == '=HYPERLINK("http://evil","点我")' and process["B3"].data_type == "s"
    assert process["B3"].quotePrefix
    assert process["F3"].value == "@SUM(A1)" and process["F3"].quotePrefix
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate)
    evaluation = wb["表5 活动效果评估表"]
    rows = {r[0].value: [c.value for c in r] for r in evaluation.iter_rows(min_row=3)}
    assert rows["销售额"][1:4] == [5000000, 6200000, 1.24]
    assert evaluation["D3"].number_format == "0.00%"
    assert rows["新增会员"][3] == pytest.approx(0.9333)
    data = wb["数据明细"]
    assert data.max_row == 2 + MetricRow.objects.filter(campaign=evil).count()
    assert isinstance(data["D3"].value, (int, float))
    assert isinstance(data["A3"].value, dt.datetime) and data["A3"].number_format == "yyyy-mm-dd"
    evil_channel = next(c for c in data["B"] if c.value == "=1+1")
    assert evil_channel.data_type == "s" and evil_channel.quotePrefix
    assert not any(c.quotePrefix for c in data["B"] if c.value != "=1+1")
    basic = wb["表1 活动基本信息与目标表"]
    assert basic["A3"].value == "2024年夏季新品促销" and basic["G3"].value == 500000


def _only_dashes(text: str) -> bool:
    return bool(text) and not text.strip(DASHES)


@given(st.one_of(st.text(max_size=40), st.text(alphabet="-—–=+@\t\r1a ", max_size=8)))
@settings(max_examples=400, deadline=None)
def test_neutralise_property(text):
    out = neutralise(text)
    if text.startswith(TRIGGERS) and not _only_dashes(text):
        assert out == "'" + text
    else:
        assert out == text
    # what comes out cannot start a formula: no trigger first, or nothing but dashes (a placeholder)
    assert not out.startswith(TRIGGERS) or _only_dashes(out)
    assert is_risky(text) == (out != text)


@pytest.mark.parametrize("text", ["-", "--", "—", "–", "——", "-—–", "", "无", "中-文", "a=b"])
def test_placeholders_and_plain_text_are_left_alone(text):
    assert neutralise(text) == text and not is_risky(text)


@pytest.mark.parametrize(
    "text", ["-1+2", "=cmd", "+x", "@SUM(A1)", "\t=1+1", "\r=1", "- 1", "-—=1", "--1", "-x-", "=", "@"]
)
def test_formula_starts_are_neutralised(text):
    assert is_risky(text) and neutralise(text) == "'" + text


@given(st.lists(st.text(alphabet=st.sampled_from("=+-—@\t\r'abc中文1 ()\""), max_size=12), min_size=1, max_size=8))
@settings(max_examples=60, deadline=None)
def test_no_text_ever_becomes_a_formula_in_the_workbook(texts):
    texts = ["".join(ch for ch in t if ch != "\r") or "x" for t in texts]  # XML normalises a bare CR
    sheet = Sheet("t", "=标题", [(f"+h{i}", TEXT, 10) for i in range(len(texts))], [tuple(texts)])
    big = Sheet(BIG, "明细", [(f"c{i}", TEXT, 10) for i in range(len(texts))], [tuple(texts)])
    buffer = io.BytesIO()
    build_workbook([sheet, big], buffer)
    wb = load_workbook(io.BytesIO(buffer.getvalue()))
    ws = wb["t"]
    assert ws["A1"].value == "=标题" and ws["A1"].data_type == "s" and ws["A1"].quotePrefix
    assert ws["A2"].value == "+h0" and ws["A2"].quotePrefix
    # in XLSX a text is a string cell whatever it starts with: written as it is (no apostrophe to show),
    # and quote-prefixed when typing it would start a formula, in the styled and the streamed sheets alike
    for cell, text in [*zip(ws[3], texts, strict=True), *zip(wb[BIG][3], texts, strict=True)]:
        assert cell.data_type == "s"
        assert cell.value == text
        assert bool(cell.quotePrefix) == is_risky(text)


@pytest.mark.django_db
def test_csv_exports_are_formula_safe(evil, api_for, users):
    MetricRow.objects.create(
        campaign=evil, date=dt.date(2025, 6, 12), channel="-抖音", metric="销售额", value=Decimal(5)
    )
    api = api_for(users["member"])
    text = b"".join(api.get(f"/campaigns/{evil.pk}/tasks.csv").streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:2] == ["编号", "任务名称"]
    assert rows[1][1] == '\'=HYPERLINK("http://evil","点我")'
    metrics = b"".join(api.get(f"/campaigns/{evil.pk}/metrics.csv").streaming_content).decode("utf-8-sig")
    assert "'-抖音" in metrics and "2025-06-12" in metrics
    assert api.get(f"/campaigns/{evil.pk}/expenses.csv").status_code == 200


def pdf_text(body: bytes) -> str:
    """The PDF's text, every page (pypdf reads the embedded font's ToUnicode map)."""
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "headings"),
    [
        ("evaluation", ["活动效果评估报告", "活动效果评估表", "复盘总结"]),
        ("weekly", ["周进度报告", "核心指标进度", "下周计划"]),
    ],
)
def test_pdf_reports_embed_the_cjk_font(seeded, api_for, users, kind, headings):
    response = api_for(users["viewer"]).get(f"/campaigns/{seeded.pk}/report.pdf", {"kind": kind})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    body = response.content
    assert body.startswith(b"%PDF") and b"FontFile2" in body and b"WenQuanYi" in body
    text = pdf_text(body).replace(" ", "")
    for heading in headings:
        assert heading in text
    assert "销售额" in text and "第2页" in text
    assert "预算总额：¥" in text and "元" not in text.split("预算总额：")[1][:12]  # ¥50万, as the pages show money


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "headings"),
    [
        ("evaluation", ["Campaign evaluation report", "1. Campaign evaluation table", "4. Retrospective"]),
        ("weekly", ["Weekly progress report", "1. Key results this week", "2. Core KPI progress", "4. Plan"]),
    ],
)
def test_pdf_reports_in_english(seeded, api_for, users, kind, headings):
    api = api_for(users["viewer"])
    api.headers["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = api.get(f"/campaigns/{seeded.pk}/report.pdf", {"kind": kind})
    assert response.status_code == 200
    text = pdf_text(response.content)
    for heading in headings:
        assert heading in text
    assert "Page 2" in text and "Total budget: ¥" in text
    # the report's own wording is English; only the campaign's data (names, notes) stays as typed
    for chinese in ("周进度报告", "活动效果评估", "核心指标", "复盘总结", "第 2 页", "预算总额"):
        assert chinese not in text


@pytest.mark.django_db
def test_unknown_report_kind_is_refused(campaign, api_for, users):
    response = api_for(users["owner"]).get(f"/campaigns/{campaign.pk}/report.pdf", {"kind": "monthly"})
    assert response.status_code == 422 and "kind" in response.json()["detail"]
