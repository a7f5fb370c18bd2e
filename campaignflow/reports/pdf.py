"""PDF reports (weekly, evaluation) with reportlab and an embedded TrueType CJK font shipped in the
repo (WenQuanYi Micro Hei, Apache-2.0; licence beside it in fonts/)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT_NAME = "WQYMicroHei"
FONT_PATH = Path(__file__).resolve().parent / "fonts" / "wqy-microhei.ttc"
BLUE = colors.HexColor("#2563EB")
STEP_ZH = {"exposure": "曝光", "click": "点击", "conversion": "转化", "purchase": "购买"}


def register_font() -> str:
    if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT_NAME, str(FONT_PATH), subfontIndex=0))
    return FONT_NAME


def _styles():
    register_font()
    base = ParagraphStyle("base", fontName=FONT_NAME, fontSize=10, leading=15, wordWrap="CJK")
    return {
        "base": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=12),
        "h1": ParagraphStyle("h1", parent=base, fontSize=16, leading=22, spaceBefore=6, spaceAfter=8, textColor=BLUE),
        "h2": ParagraphStyle("h2", parent=base, fontSize=12.5, leading=18, spaceBefore=10, spaceAfter=6),
        "title": ParagraphStyle("title", parent=base, fontSize=26, leading=36, alignment=TA_CENTER),
        "subtitle": ParagraphStyle(
            "subtitle", parent=base, fontSize=13, leading=20, alignment=TA_CENTER, textColor=colors.HexColor("#475569")
        ),
    }


def p(text, style) -> Paragraph:
    return Paragraph(escape(str(text if text is not None else "")).replace("\n", "<br/>"), style)


def fmt_num(v) -> str:
    if v is None:
        return "—"
    from campaignflow.core.domain.numbers import format_cn

    return format_cn(v)


def fmt_rate(v) -> str:
    return "—" if v is None else f"{float(v) * 100:.1f}%"


def fmt_money(v) -> str:
    return "—" if v is None else f"{Decimal(v):,.2f}"


def table(header: list[str], rows: list[list], styles, widths=None) -> Table:
    data = [[p(h, styles["small"]) for h in header]] + [[p(c, styles["small"]) for c in r] for r in rows]
    t = Table(data, colWidths=widths, repeatRows=1)
    t.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DBEAFE")),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#94A3B8")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#F8FAFC")]),
            ]
        )
    )
    return t


def bar_chart(labels: list[str], values: list[float], *, title: str, percent: bool = False, horizontal=True):
    """A bar chart drawing (achievement rates or funnel values) with CJK labels."""
    register_font()
    height = max(120, 28 * len(labels) + 60) if horizontal else 220
    d = Drawing(170 * mm, height)
    chart = HorizontalBarChart() if horizontal else VerticalBarChart()
    chart.x, chart.y = (35 * mm, 20) if horizontal else (20 * mm, 40)
    chart.width = 125 * mm if horizontal else 140 * mm
    chart.height = height - 50 if horizontal else height - 70
    chart.data = [values or [0]]
    chart.categoryAxis.categoryNames = labels or [""]
    chart.categoryAxis.labels.fontName = FONT_NAME
    chart.categoryAxis.labels.fontSize = 8
    chart.valueAxis.labels.fontName = FONT_NAME
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    if percent:
        chart.valueAxis.labelTextFormat = "%d%%"
    if horizontal:
        chart.categoryAxis.reverseDirection = 1
    else:
        chart.categoryAxis.labels.angle = 0
    chart.bars[0].fillColor = BLUE
    chart.barLabels.fontName = FONT_NAME
    chart.barLabels.fontSize = 7
    chart.barLabelFormat = "%.1f%%" if percent else "%.0f"
    chart.barLabels.nudge = 12
    d.add(chart)
    d.add(String(0, height - 12, title, fontName=FONT_NAME, fontSize=10))
    return d


def _page_decor(title: str):
    def draw(canvas, doc):
        canvas.saveState()
        canvas.setFont(FONT_NAME, 8)
        canvas.setFillColor(colors.HexColor("#64748B"))
        canvas.drawString(18 * mm, 10 * mm, f"CampaignFlow · {title}")
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, f"第 {doc.page} 页")
        canvas.restoreState()

    return draw


def _title_page(story, styles, campaign, kind_title: str, subtitle: str):
    story += [
        Spacer(1, 60 * mm),
        p(campaign.name, styles["title"]),
        Spacer(1, 8 * mm),
        p(kind_title, styles["subtitle"]),
        Spacer(1, 4 * mm),
        p(subtitle, styles["subtitle"]),
        Spacer(1, 30 * mm),
        p(
            f"活动周期：{campaign.start_date:%Y-%m-%d} ~ {campaign.end_date:%Y-%m-%d}　　负责人："
            f"{campaign.owner.label if campaign.owner else '—'}　　预算总额：{fmt_money(campaign.budget_total)} 元",
            styles["subtitle"],
        ),
        PageBreak(),
    ]


def _value(r, key) -> str:
    if r.get("percent"):
        return fmt_rate(r[key])
    return fmt_num(r[key]) + (r.get("unit") or "") if r[key] is not None else "—"


def _kpi_rows(rows):
    return [[r["kpi"], _value(r, "target"), _value(r, "actual"), fmt_rate(r["achievement_rate"])] for r in rows]


def _achievement_chart(rows):
    rated = [r for r in rows if r["achievement_rate"] is not None]
    if not rated:
        return None
    return bar_chart(
        [r["kpi"] for r in rated],
        [float(r["achievement_rate"]) * 100 for r in rated],
        title="各指标达成率（%）",
        percent=True,
    )


def weekly_report(campaign, *, today: dt.date | None = None) -> bytes:
    from campaignflow.execution.models import WeeklyReport
    from campaignflow.execution.reporting import weekly_draft_for
    from campaignflow.review.selectors import evaluation_rows
    from campaignflow.tracking.selectors import board

    styles = _styles()
    today = today or dt.date.today()
    report = WeeklyReport.objects.filter(campaign=campaign).order_by("-week_start").first()
    if report is not None:
        week_start = report.week_start
        texts = {f: getattr(report, f) for f in ("key_results", "delayed_tasks", "next_week_plan", "resources")}
        state = "已发布" if report.published_at else "草稿"
    else:
        week_start = today - dt.timedelta(days=today.weekday())
        texts = weekly_draft_for(campaign, week_start)
        state = "自动生成草稿"
    week_end = week_start + dt.timedelta(days=6)
    story: list = []
    _title_page(story, styles, campaign, "周进度报告", f"{week_start:%Y-%m-%d} ~ {week_end:%Y-%m-%d}（{state}）")
    rows = evaluation_rows(campaign)
    story.append(p("一、核心指标进度", styles["h1"]))
    story.append(
        table(["指标", "目标值", "实际值", "达成率"], _kpi_rows(rows), styles, [60 * mm, 35 * mm, 35 * mm, 30 * mm])
    )
    if chart := _achievement_chart(rows):
        story += [Spacer(1, 4 * mm), chart]
    sections = [
        ("二、本周关键成果", "key_results"),
        ("三、滞后任务及原因", "delayed_tasks"),
        ("四、下周计划", "next_week_plan"),
        ("五、需协调资源", "resources"),
    ]
    for heading, key in sections:
        story.append(p(heading, styles["h1"]))
        story.append(p(texts.get(key) or "无", styles["base"]))
    data = board(campaign, today=min(week_end, campaign.end_date) if campaign.end_date >= week_start else None)
    days = [d for d in data["daily"] if week_start <= d["date"] <= week_end]
    if days:
        story.append(p(f"六、每日跟踪（核心指标：{data['core_metric']}）", styles["h1"]))
        story.append(
            table(
                ["日期", "目标", "实际", "达成率"],
                [
                    [
                        f"{d['date']:%Y-%m-%d}",
                        fmt_num(d["target"]),
                        fmt_num(d["actual"]),
                        fmt_rate(d["achievement_rate"]),
                    ]
                    for d in days
                ],
                styles,
            )
        )
    return _build(story, f"{campaign.name} 周进度报告")


def evaluation_report(campaign) -> bytes:
    from campaignflow.review.selectors import attribution, evaluation_rows, retrospective, settlement_status

    styles = _styles()
    rows = evaluation_rows(campaign)
    story: list = []
    _title_page(story, styles, campaign, "活动效果评估报告", "目标对比 · 归因分析 · 经验沉淀")
    story.append(p("一、活动效果评估表", styles["h1"]))
    story.append(
        table(
            ["核心指标", "目标值", "实际值", "达成率", "原因分析（成功/未达标）", "改进建议"],
            [
                [
                    *r,
                    (
                        ("成功：" if x["cause"] == "success" else "未达标：" if x["cause"] == "shortfall" else "")
                        + x["analysis"]
                    )
                    if x["analysis"]
                    else "—",
                    x["improvement"] or "—",
                ]
                for r, x in zip(_kpi_rows(rows), rows, strict=True)
            ],
            styles,
            [26 * mm, 22 * mm, 22 * mm, 16 * mm, 44 * mm, 44 * mm],
        )
    )
    if chart := _achievement_chart(rows):
        story += [Spacer(1, 4 * mm), chart]
    att = attribution(campaign)
    labels = STEP_ZH
    if att["funnel"]["steps"]:
        story.append(p("二、漏斗归因", styles["h1"]))
        keys = [s["key"] for s in att["funnel"]["steps"]]
        header = ["渠道"] + [str(labels[k]) for k in keys] + ["贡献占比（末级）"]
        body = [
            [c["channel"]] + [fmt_num(c["values"].get(k)) for k in keys] + [fmt_rate(c["share"].get(keys[-1]))]
            for c in att["funnel"]["channels"]
        ]
        body.append(["合计"] + [fmt_num(s["total"]) for s in att["funnel"]["steps"]] + [""])
        story.append(table(header, body, styles))
        story += [
            Spacer(1, 4 * mm),
            bar_chart(
                [str(labels[k]) for k in keys],
                [float(s["total"]) for s in att["funnel"]["steps"]],
                title="漏斗：曝光 → 点击 → 转化 → 购买",
                horizontal=False,
            ),
        ]
    if att["channels"]:
        story.append(p("三、渠道ROI与单位成本", styles["h1"]))
        story.append(
            table(
                ["排名", "渠道", "销售额", "成本", "ROI", "CPA", "CPC", "CPM", "边际ROI"],
                [
                    [
                        i,
                        r["channel"],
                        fmt_money(r["revenue"]),
                        fmt_money(r["cost"]),
                        r["roi"] or "—",
                        r["cpa"] or "—",
                        r["cpc"] or "—",
                        r["cpm"] or "—",
                        r["marginal_roi"] or "—",
                    ]
                    for i, r in enumerate(att["channels"], start=1)
                ],
                styles,
            )
        )
        good = [s for s in att["suggestion"] if s["advice"] == "increase"]
        if good:
            story.append(
                p(
                    "下次预算建议：" + "；".join(f"{s['channel']} {fmt_rate(s['suggested_share'])}" for s in good),
                    styles["base"],
                )
            )
    retro = retrospective(campaign)
    story.append(p("四、复盘总结", styles["h1"]))
    status = (
        f"截止日期：{retro['due_date']:%Y-%m-%d}（活动结束后3个工作日）"
        + (f"，已于 {retro['completed_on']:%Y-%m-%d} 完成" if retro["completed"] else "，尚未完成")
        + (f"，逾期 {retro['days_late']} 天" if retro["days_late"] else "")
    )
    story.append(p(status, styles["small"]))
    for heading, key in (("成功经验", "worked"), ("待改进点", "improve"), ("经验教训", "lessons")):
        story.append(p(heading, styles["h2"]))
        story.append(p(retro[key] or "—", styles["base"]))
    if retro["assets"]:
        story.append(p("可复用资产", styles["h2"]))
        story.append(table(["名称", "链接"], [[a["title"], a.get("url", "")] for a in retro["assets"]], styles))
    settlement = settlement_status(campaign)
    if settlement["needed"]:
        story.append(p("五、合作方结算", styles["h1"]))
        story.append(p("各方已确认结算单。" if settlement["all_signed"] else "结算单尚待各方确认。", styles["base"]))
    return _build(story, f"{campaign.name} 效果评估报告")


def _build(story, title: str) -> bytes:
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=title,
        author="CampaignFlow",
    )
    decor = _page_decor(title)
    doc.build(story, onFirstPage=decor, onLaterPages=decor)
    return buffer.getvalue()
