"""How the exports write what they write: compression, numbers, placeholders, PDF layout and labels."""

import csv
import datetime as dt
import io
import zipfile
from decimal import Decimal
from itertools import pairwise

import pytest
from django.utils import translation
from openpyxl import load_workbook
from reportlab.graphics.shapes import String
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer

from campaignflow.budgets.models import BudgetLine
from campaignflow.goals.models import Channel
from campaignflow.planning.models import Task
from campaignflow.reports import csvs, pdf
from campaignflow.reports.collect import DATE, NUM, TEXT, Sheet, metric_value, round_amount
from campaignflow.reports.xlsx import BIG, build_workbook


def _export(api, campaign) -> bytes:
    response = api.get(f"/campaigns/{campaign.pk}/export.xlsx")
    assert response.status_code == 200
    return b"".join(response.streaming_content)


# --- 1. every member of the workbook is deflated, the streamed data sheet too --------------------------


def test_every_workbook_member_is_deflated():
    rows = [(dt.date(2025, 6, 1) + dt.timedelta(days=i % 30), "抖音", "曝光", Decimal(i)) for i in range(5000)]
    big = Sheet(
        BIG, "每日数据明细", [("日期", DATE, 12), ("渠道", TEXT, 14), ("指标", TEXT, 14), ("数值", NUM, 14)], rows
    )
    small = Sheet("表", "表", [("a", TEXT, 10)], [("x",)])
    buffer = io.BytesIO()
    assert build_workbook([small, big], buffer) == {"表": 1, BIG: 5000}
    members = zipfile.ZipFile(io.BytesIO(buffer.getvalue())).infolist()
    assert {m.compress_type for m in members} == {zipfile.ZIP_DEFLATED}
    data = next(m for m in members if m.file_size > 100_000)  # the streamed sheet
    assert data.compress_size < data.file_size / 5
    assert load_workbook(io.BytesIO(buffer.getvalue()))[BIG].max_row == 5002


@pytest.mark.django_db
def test_the_exported_workbook_is_deflated(seeded, api_for, users):
    members = zipfile.ZipFile(io.BytesIO(_export(api_for(users["viewer"]), seeded))).infolist()
    assert [m.filename for m in members if m.compress_type != zipfile.ZIP_DEFLATED] == []


# --- 2. placeholders ("-") are written as they are; risky text carries no apostrophe in XLSX ----------


@pytest.mark.django_db
def test_dash_placeholders_and_risky_text_in_the_workbook(seeded, api_for, users):
    Task.objects.filter(campaign=seeded, code="T001").update(name="=cmd|' /C calc'!A0", deliverable="-1+2")
    wb = load_workbook(io.BytesIO(_export(api_for(users["viewer"]), seeded)))
    tasks = wb["表2 任务分解与责任跟踪表"]
    reasons = [row[10] for row in tasks.iter_rows(min_row=3)]
    assert reasons and all(c.value == "-" and not c.quotePrefix for c in reasons)
    daily = wb["表3 执行进度每日跟踪表"]
    support = [row[8].value for row in daily.iter_rows(min_row=3)]
    assert support and set(support) == {"-"}
    # text a spreadsheet would take for a formula: a string cell, as typed, marked quote-prefixed
    name, deliverable = tasks["B3"], tasks["H3"]
    assert (name.value, name.data_type, name.quotePrefix) == ("=cmd|' /C calc'!A0", "s", True)
    assert (deliverable.value, deliverable.data_type, deliverable.quotePrefix) == ("-1+2", "s", True)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert not (isinstance(cell.value, str) and cell.value.startswith("'")), (ws.title, cell.coordinate)


@pytest.mark.django_db
def test_csv_keeps_dash_placeholders_and_neutralises_formulas(seeded, api_for, users):
    Task.objects.filter(campaign=seeded, code="T001").update(name="+x", delay_reason="—")
    Task.objects.filter(campaign=seeded, code="T002").update(name="-", delay_reason="\t=1+1")
    text = b"".join(api_for(users["member"]).get(f"/campaigns/{seeded.pk}/tasks.csv").streaming_content)
    rows = {r[0]: r for r in csv.reader(io.StringIO(text.decode("utf-8-sig")))}
    assert (rows["T001"][1], rows["T001"][11]) == ("'+x", "—")
    assert (rows["T002"][1], rows["T002"][11]) == ("-", "'\t=1+1")


# --- 3. metric values in CSV: normalised decimals, never an exponent ------------------------------------


@pytest.mark.parametrize(
    ("stored", "written"),
    [
        ("955.8000", "955.8"),
        ("1876.4400", "1876.44"),
        ("1200.0000", "1200"),
        ("0.0500", "0.05"),
        ("0.0001", "0.0001"),
        ("0.0000", "0"),
        ("-0.0000", "0"),
        ("-3.1000", "-3.1"),
        ("100000000.0000", "100000000"),
        ("1E-7", "0.0000001"),
    ],
)
def test_csv_decimal_cells(stored, written):
    assert csvs._cell(Decimal(stored)) == written


@pytest.mark.django_db
def test_metrics_csv_writes_decimals_without_trailing_zeros(seeded, api_for, users):
    api = api_for(users["owner"])
    rows = [
        {"date": "2025-06-12", "channel": "小红书", "metric": "客单价", "value": "955.8"},
        {"date": "2025-06-12", "channel": "抖音", "metric": "客单价", "value": "1876.44"},
        {"date": "2025-06-12", "channel": "线下门店", "metric": "客单价", "value": "1200"},
        {"date": "2025-06-12", "channel": "微信公众号", "metric": "点击率", "value": "0.05"},
    ]
    assert api.post(f"/campaigns/{seeded.pk}/metrics", {"rows": rows}).status_code == 200
    text = b"".join(api.get(f"/campaigns/{seeded.pk}/metrics.csv").streaming_content).decode("utf-8-sig")
    values = {(r[1], r[2]): r[3] for r in list(csv.reader(io.StringIO(text)))[1:]}
    assert values[("小红书", "客单价")] == "955.8"
    assert values[("抖音", "客单价")] == "1876.44"
    assert values[("线下门店", "客单价")] == "1200"
    assert values[("微信公众号", "点击率")] == "0.05"
    assert values[("抖音", "销售额")] == "4200000"
    assert not any("E" in v or "e" in v for v in values.values())


# --- 4. evaluation PDF: headings kept with what follows, a readable funnel, ROI as a ratio ------------


class _Recording(SimpleDocTemplate):
    """Records the page of every flowable drawn (split parts included)."""

    drawn: list = []

    def afterFlowable(self, flowable):
        style = getattr(getattr(flowable, "style", None), "name", None)
        type(self).drawn.append((self.page, style, flowable))


def _headings_alone(drawn) -> list[str]:
    """Headings drawn last on their page (what follows them starts on the next one)."""
    alone = []
    for (page, style, flowable), (next_page, _s, _f) in pairwise(drawn):
        if style in pdf.HEADINGS and next_page != page:
            alone.append(flowable.getPlainText())
    if drawn and drawn[-1][1] in pdf.HEADINGS:
        alone.append(drawn[-1][2].getPlainText())
    return alone


def test_a_heading_moves_with_the_start_of_its_table(monkeypatch):
    styles = pdf._styles()
    frame = pdf.A4[1] - 36 * mm - 12  # the page's frame height (margins, frame padding)
    rows = [[str(i), "x"] for i in range(60)]  # taller than a page: it must split, not jump whole
    monkeypatch.setattr(pdf, "SimpleDocTemplate", _Recording)
    for gap in range(0, int(frame), 9):
        _Recording.drawn = []
        story = [Spacer(1, gap), pdf.p("三、渠道ROI与单位成本", styles["h1"]), pdf.table(["a", "b"], rows, styles)]
        story += [pdf.p("四、复盘总结", styles["h1"]), pdf.p("第一行\n第二行\n第三行", styles["base"])]
        pdf._build(story, "t")
        assert _headings_alone(_Recording.drawn) == [], gap
        pages = [page for page, style, _f in _Recording.drawn]
        assert max(pages) <= 3, gap  # the long table was not pushed whole onto a page of its own


def test_a_heading_is_kept_with_a_paragraph_or_nested_heading():
    styles = pdf._styles()
    h1, h2, body = pdf.p("四、复盘总结", styles["h1"]), pdf.p("成功经验", styles["h2"]), pdf.p("…", styles["base"])
    kept = pdf.keep_headings([h1, h2, body, Spacer(1, 1)])
    assert len(kept) == 2 and isinstance(kept[0], pdf.KeepWithStart)
    inner = kept[0]._content[1]
    assert isinstance(inner, pdf.KeepWithStart) and inner._content == [h2, body]


@pytest.fixture
def big_funnel(seeded, api_for, users):
    """seeded with a six-figure-budget channel and a 373-million-exposure funnel (the benchmark's)."""
    rows = [
        {"date": "2025-06-10", "channel": "抖音", "metric": m, "value": v}
        for m, v in (("曝光", "373278635"), ("点击", "4123456"), ("转化", "51234"), ("购买", "6884"))
    ]
    assert api_for(users["owner"]).post(f"/campaigns/{seeded.pk}/metrics", {"rows": rows}).status_code == 200
    BudgetLine.objects.create(
        campaign=seeded, category="投放", item="抖音信息流", planned=Decimal("86204.50"), channel="抖音"
    )
    return seeded


@pytest.mark.django_db
def test_evaluation_report_keeps_every_heading_with_its_section(big_funnel, monkeypatch):
    """Whatever the length of the first section, no heading is left alone at the foot of a page."""
    monkeypatch.setattr(pdf, "SimpleDocTemplate", _Recording)
    for gap in range(0, 250, 6):
        monkeypatch.setattr(pdf, "_achievement_chart", lambda rows, gap=gap: Spacer(1, gap * mm))
        _Recording.drawn = []
        assert pdf.evaluation_report(big_funnel).startswith(b"%PDF")
        headings = [f.getPlainText() for _p, style, f in _Recording.drawn if style == "h1"]
        assert "三、渠道ROI与单位成本" in headings
        assert _headings_alone(_Recording.drawn) == [], gap


def _texts(drawing) -> list[str]:
    return [s.text for s in drawing.contents if isinstance(s, String)]


def test_funnel_widths_show_every_step():
    assert pdf.funnel_width(373278635, 373278635) == 1
    widths = [pdf.funnel_width(v, 373278635) for v in (4123456, 51234, 6884)]
    assert widths == sorted(widths, reverse=True)
    assert all(w >= pdf.FUNNEL_MIN for w in widths)
    assert pdf.funnel_width(6884, 1200000) > 0.5  # 2¼ decades: still half the width
    assert pdf.funnel_width(0, 100) == pdf.funnel_width(None, 100) == pdf.FUNNEL_MIN


def test_funnel_chart_labels_read_for_the_language():
    steps = [
        ("曝光", Decimal(373278635)),
        ("点击", Decimal(4123456)),
        ("转化", Decimal(51234)),
        ("购买", Decimal(6884)),
    ]
    with translation.override("zh-hans"):
        zh = _texts(pdf.funnel_chart(steps, title="漏斗"))
    assert {"3.73亿", "412.35万", "5.12万", "6,884"} <= set(zh)
    assert "环节转化率 1.10%" in zh and "整体转化率 1.10%" in zh  # click / exposure
    assert "环节转化率 13.44%" in zh and "整体转化率 0.0018%" in zh  # purchase / conversion, / exposure
    assert not any(t.isdigit() and len(t) > 4 for t in zh)  # no raw 373278635
    with translation.override("en"):
        en = _texts(pdf.funnel_chart(steps, title="Funnel"))
    assert {"373,278,635", "4,123,456", "51,234", "6,884"} <= set(en)
    assert "Step rate 1.10%" in en and "Overall rate 0.0018%" in en


@pytest.mark.parametrize(
    ("rate", "shown"),
    [(Decimal("0.011047"), "1.10%"), (0.5077, "50.77%"), (0.0000184, "0.0018%"), (0, "0.00%"), (None, "—")],
)
def test_funnel_rates_never_round_to_zero(rate, shown):
    assert pdf.fmt_funnel_rate(rate) == shown


@pytest.mark.django_db
def test_evaluation_report_shows_roi_as_a_ratio_and_money_in_yuan(big_funnel, monkeypatch):
    tables = []
    real = pdf.table

    def spy(header, rows, styles, widths=None):
        tables.append((header, rows))
        return real(header, rows, styles, widths)

    monkeypatch.setattr(pdf, "table", spy)
    with translation.override("zh-hans"):
        pdf.evaluation_report(big_funnel)
    roi = next(rows for header, rows in tables if "ROI" in header)
    douyin = next(r for r in roi if r[1] == "抖音")
    # revenue 4,200,000 / cost 86,204.50 = 48.7213…; CPA = cost / 51,234 conversions
    assert douyin[2:5] == ["¥420万", "¥8.62万", "48.72"]
    assert douyin[5:8] == ["¥1.68", "¥0.02", "¥0.23"]
    assert len(douyin[8].split(".")[1]) == 2  # marginal ROI: 2 decimals too
    funnel = next(rows for header, rows in tables if header[0] == "渠道" and "曝光" in header)
    assert funnel[-1][:2] == ["合计", "3.73亿"]
    tables.clear()
    with translation.override("en"):
        pdf.evaluation_report(big_funnel)
    roi = next(rows for header, rows in tables if "ROI" in header)
    douyin = next(r for r in roi if r[1] == "抖音")
    assert douyin[2:5] == ["¥4,200,000.00", "¥86,204.50", "48.72"]


# --- 6. workbook: rates in the channel matrix as percentages, daily targets rounded --------------------


@pytest.mark.parametrize(
    ("name", "value", "shown"),
    [
        ("点击率", "0.03", "3%"),
        ("点击率", "0.025", "2.5%"),
        ("转化率", 0.1, "10%"),
        ("CTR", "0.0125", "1.25%"),
        ("conversion rate", "0.08", "8%"),
        ("曝光", "400000", "400000"),
        ("点击率", "abc", "abc"),
    ],
)
def test_channel_metric_values(name, value, shown):
    assert metric_value(name, value) == shown


def test_round_amount():
    assert round_amount(Decimal("9677.41935483871"), money=True) == Decimal("9677.42")
    assert round_amount(Decimal("96.7741935"), money=False) == Decimal("97")
    assert round_amount(Decimal("0.3225806"), money=False) == Decimal("0.32")
    assert round_amount(None, money=True) is None


@pytest.mark.django_db
def test_workbook_channel_rates_and_daily_targets(seeded, api_for, users):
    Channel.objects.create(
        campaign=seeded, name="抖音", targets={"曝光": "400000"}, benchmarks={"点击率": "0.03", "转化率": "0.08"}
    )
    wb = load_workbook(io.BytesIO(_export(api_for(users["viewer"]), seeded)))
    matrix = wb["渠道触达矩阵表"]
    assert (matrix["F3"].value, matrix["G3"].value) == ("曝光 400000", "点击率 3%；转化率 8%")
    daily = wb["表3 执行进度每日跟踪表"]
    targets = [row[2].value for row in daily.iter_rows(min_row=3)]
    assert len(targets) == 30  # 5,000,000 of sales over June: 166,666.67 a day, to the fen
    assert set(targets) == {166666.67}
    assert daily["C3"].number_format == "#,##0.####"


def test_formula_guard_walks_only_the_cells_a_sparse_sheet_has():
    from openpyxl import Workbook

    from campaignflow.reports.safe import guard_sheet

    ws = Workbook().active
    ws["A1"], ws["ALL2000"], ws["B2"] = "=1+1", "@SUM(A1)", 42
    guard_sheet(ws)
    assert len(ws._cells) == 3  # the empty 2-million-cell box between them is not created
    assert (ws["A1"].data_type, ws["A1"].quotePrefix) == ("s", True)
    assert (ws["ALL2000"].data_type, ws["ALL2000"].quotePrefix) == ("s", True)
    assert (ws["B2"].value, ws["B2"].quotePrefix) == (42, False)
