"""PDF reports (weekly, evaluation) with reportlab and an embedded TrueType CJK font shipped in the
repo (WenQuanYi Micro Hei, Apache-2.0; licence beside it in fonts/)."""

from __future__ import annotations

import datetime as dt
import io
import math
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT_NAME = "WQYMicroHei"
FONT_PATH = Path(__file__).resolve().parent / "fonts" / "wqy-microhei.ttc"
BLUE = colors.HexColor("#2563EB")


def t(message: str, **values) -> str:
    """A report string in the request's language (context "report pdf": the PDF's own wording)."""
    text = pgettext("report pdf", message)
    return text % values if values else text


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


def _zh() -> bool:
    return (get_language() or "zh-hans").startswith("zh")


def fmt_num(v) -> str:
    """A number read the way the page shows it: 万/亿 in Chinese (1.2万), thousands separators in English."""
    if v is None:
        return "—"
    from campaignflow.core.domain.numbers import format_cn, format_en

    return format_cn(v) if _zh() else format_en(v)


def fmt_rate(v, places: int = 1) -> str:
    return "—" if v is None else f"{float(v) * 100:.{places}f}%"


def fmt_yuan(v) -> str:
    """Money like the page's |money filter: ¥9.5万 in Chinese, ¥95,027.00 in English."""
    from campaignflow.core.domain.numbers import format_money

    return format_money(v, "zh-hans" if _zh() else "en")


def fmt_ratio(v) -> str:
    """ROI and marginal ROI: revenue per yuan spent, a ratio with 2 decimals (1.19; break-even is 1)."""
    return "—" if v is None else f"{Decimal(v):,.2f}"


def table(header: list[str], rows: list[list], styles, widths=None) -> Table:
    cells = [[c if isinstance(c, Paragraph) else p(c, styles["small"]) for c in r] for r in rows]
    data = [[p(h, styles["small"]) for h in header], *cells]
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
    top = max(values, default=0)
    if top > 0:  # room past the longest bar for its label (an extreme rate such as 1,234.5% was cut off)
        chart.valueAxis.valueMax = top * 1.2
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


FUNNEL_DECADE = 0.18  # a funnel bar is this much narrower per tenfold drop from the first step …
FUNNEL_MIN = 0.12  # … and never narrower than this (of the full width), so every step shows


def funnel_width(value, first) -> float:
    """A funnel bar's width as a share of the first step's, on a log scale (like the page's funnel chart):
    1.2M → 123k → 13.6k → 6.9k give 100% / 82% / 65% / 60%, where a linear scale draws the last steps 1%
    wide (invisible); 373M → 4.1M → 51k → 6.9k give 100% / 65% / 31% / 15%."""
    if not first or not value or value <= 0 or first <= 0:
        return FUNNEL_MIN
    drop = max(0.0, math.log10(float(first) / float(value)))
    return max(FUNNEL_MIN, min(1.0, 1 - FUNNEL_DECADE * drop))


def fmt_funnel_rate(v) -> str:
    """A conversion rate with 2 decimals, or 2 significant digits when smaller (0.0018%, not 0.00%)."""
    if v is None:
        return "—"
    percent = float(v) * 100
    places = 2 if percent <= 0 or percent >= 0.01 else min(6, 1 - math.floor(math.log10(percent)))
    return f"{percent:.{places}f}%"


def funnel_chart(steps: list[tuple[str, object]], *, title: str) -> Drawing:
    """The funnel as centred bars (log-scaled widths, see `funnel_width`), each step with its value and,
    after the first, its conversion from the step before and from the first step."""
    register_font()
    row, bar = 12 * mm, 8 * mm
    height = 18 + row * len(steps)
    d = Drawing(170 * mm, height)
    d.add(String(0, height - 12, title, fontName=FONT_NAME, fontSize=10))
    left, span = 22 * mm, 80 * mm
    first = steps[0][1] if steps else None
    previous = None
    grey = colors.HexColor("#475569")
    for i, (label, value) in enumerate(steps):
        y = height - 22 - row * (i + 1) + (row - bar) / 2
        middle = y + bar / 2 - 3.5
        width = span * funnel_width(value, first)
        d.add(Rect(left + (span - width) / 2, y, width, bar, fillColor=BLUE, strokeColor=None))
        d.add(String(left - 3 * mm, middle, label, fontName=FONT_NAME, fontSize=9, textAnchor="end"))
        d.add(String(left + span + 3 * mm, middle, fmt_num(value), fontName=FONT_NAME, fontSize=10))
        if i:
            step = value / previous if value is not None and previous else None
            overall = value / first if value is not None and first else None
            d.add(
                String(
                    left + span + 28 * mm,
                    middle + 4.5,
                    _("Step rate %(rate)s") % {"rate": fmt_funnel_rate(step)},
                    fontName=FONT_NAME,
                    fontSize=7.5,
                    fillColor=grey,
                )
            )
            d.add(
                String(
                    left + span + 28 * mm,
                    middle - 5,
                    _("Overall rate %(rate)s") % {"rate": fmt_funnel_rate(overall)},
                    fontName=FONT_NAME,
                    fontSize=7.5,
                    fillColor=grey,
                )
            )
        previous = value
    return d


def _page_decor(title: str):
    def draw(canvas, doc):
        canvas.saveState()
        canvas.setFont(FONT_NAME, 8)
        canvas.setFillColor(colors.HexColor("#64748B"))
        canvas.drawString(18 * mm, 10 * mm, f"CampaignFlow · {title}")
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, t("Page %(n)s", n=doc.page))
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
            t(
                "Period: %(start)s ~ %(end)s　　Owner: %(owner)s　　Total budget: %(budget)s",
                start=f"{campaign.start_date:%Y-%m-%d}",
                end=f"{campaign.end_date:%Y-%m-%d}",
                owner=campaign.owner.label if campaign.owner else "—",
                budget=fmt_yuan(campaign.budget_total),
            ),
            styles["subtitle"],
        ),
        PageBreak(),
    ]


def _value(r, key) -> str:
    from campaignflow.execution.reporting import kpi_value

    return kpi_value(r[key], percent=bool(r.get("percent")), unit=r.get("unit") or "", zh=_zh())


def _kpi_rows(rows):
    return [[r["kpi"], _value(r, "target"), _value(r, "actual"), fmt_rate(r["achievement_rate"])] for r in rows]


def _achievement_chart(rows):
    rated = [r for r in rows if r["achievement_rate"] is not None]
    if not rated:
        return None
    return bar_chart(
        [r["kpi"] for r in rated],
        [float(r["achievement_rate"]) * 100 for r in rated],
        title=t("Achievement by KPI (%)"),
        percent=True,
    )


GOOD, BAD = colors.HexColor("#16A34A"), colors.HexColor("#DC2626")


def _change_cell(row, styles) -> Paragraph:
    """The week-on-week change with an arrow, green when it is good for the KPI (a fall for a "down"
    KPI such as cost per lead), red when bad."""
    shown = row["shown"]
    arrow = "↑" if (row["change"] or 0) > 0 else "↓" if (row["change"] or 0) < 0 else ""
    text = f"{arrow} {shown['change']}" + (f" ({shown['change_rate']})" if row["change_rate"] is not None else "")
    colour = {True: GOOD, False: BAD}.get(row["good"], colors.HexColor("#475569"))
    return Paragraph(f'<font color="#{colour.hexval()[2:]}">{escape(text.strip())}</font>', styles["small"])


def trend_chart(dates: list[dt.date], values: list, *, title: str, percent: bool = False) -> Drawing:
    """One KPI's daily values over the trend weeks as a line (the page draws the same with ECharts);
    axis labels read like the page (万 in Chinese, a percentage for rates)."""
    from reportlab.graphics.charts.lineplots import LinePlot
    from reportlab.graphics.widgets.markers import makeMarker

    register_font()
    d = Drawing(170 * mm, 150)
    plot = LinePlot()
    plot.x, plot.y, plot.width, plot.height = 22 * mm, 28, 140 * mm, 95
    points = [(i, float(v) * (100 if percent else 1)) for i, v in enumerate(values) if v is not None]
    plot.data = [points or [(0, 0)]]
    plot.lines[0].strokeColor = BLUE
    plot.lines[0].strokeWidth = 1.5
    plot.lines[0].symbol = makeMarker("FilledCircle", size=2.5)
    plot.xValueAxis.valueMin, plot.xValueAxis.valueMax = 0, max(len(dates) - 1, 1)
    plot.xValueAxis.valueSteps = list(range(0, len(dates), 7))
    plot.xValueAxis.labelTextFormat = lambda i: f"{dates[int(i)]:%m-%d}" if 0 <= int(i) < len(dates) else ""
    plot.yValueAxis.valueMin = 0
    plot.yValueAxis.labelTextFormat = (lambda v: f"{v:.1f}%") if percent else fmt_num
    for axis in (plot.xValueAxis, plot.yValueAxis):
        axis.labels.fontName, axis.labels.fontSize = FONT_NAME, 7
    d.add(plot)
    d.add(String(0, 138, title, fontName=FONT_NAME, fontSize=10))
    return d


TREND_CHARTS = 3  # the PDF draws the trend of the first KPIs (core ones first)


def weekly_report(campaign, *, today: dt.date | None = None, week_start: dt.date | None = None) -> bytes:
    """The weekly report of `week_start`'s week (default: the latest report, or this week's automatic
    draft when there is none)."""
    from django.utils import timezone

    from campaignflow.execution.models import WeeklyReport
    from campaignflow.execution.report_snapshot import document_figures
    from campaignflow.execution.reporting import weekly_draft_for
    from campaignflow.execution.services import week_start_of

    styles = _styles()
    today = today or dt.date.today()
    reports = WeeklyReport.objects.filter(campaign=campaign)
    if week_start is not None:
        week_start = week_start_of(week_start)
        reports = reports.filter(week_start=week_start)
    report = reports.order_by("-week_start").first()
    if report is not None:
        week_start = report.week_start
        texts = {f: getattr(report, f) for f in ("key_results", "delayed_tasks", "next_week_plan", "resources")}
        state = t("Published") if report.published_at else t("Draft")
    else:
        week_start = week_start or week_start_of(today)
        texts = weekly_draft_for(campaign, week_start, zh=_zh())
        state = t("Automatic draft")
    week_end = week_start + dt.timedelta(days=6)
    story: list = []
    _title_page(
        story,
        styles,
        campaign,
        t("Weekly progress report"),
        t("%(start)s ~ %(end)s (%(state)s)", start=f"{week_start:%Y-%m-%d}", end=f"{week_end:%Y-%m-%d}", state=state),
    )
    # a published report's figures as of its publication; a draft's (and an older report's) from the data now
    document = document_figures(campaign, week_start, report=report, zh=_zh())
    figures = document["week"]
    story.append(p(t("1. Key results this week (against last week)"), styles["h1"]))
    header = [t("KPI"), t("This week"), t("Last week"), t("Change"), t("Achievement to date")]
    cells = [
        [
            r["kpi"],
            r["shown"]["this_week"],
            r["shown"]["last_week"],
            _change_cell(r, styles),
            fmt_rate(r["achievement_rate"]),
        ]
        for r in figures["rows"]
    ]
    story.append(table(header, cells, styles, [45 * mm, 30 * mm, 30 * mm, 40 * mm, 29 * mm]))
    if figures["through"] < week_end:
        note = t(
            "The week is in progress: figures to %(date)s, against the same days of last week.",
            date=f"{figures['through']:%m-%d}",
        )
        story += [Spacer(1, 2 * mm), p(note, styles["small"])]
    if document["fixed_at"]:
        moment = f"{timezone.localtime(document['fixed_at']):%Y-%m-%d %H:%M}"
        note = t("Figures as of publication, %(moment)s: data imported later does not change them.", moment=moment)
        story += [Spacer(1, 2 * mm), p(note, styles["small"])]
    elif report is not None and report.published_at:
        note = t("Figures from the current data: this report was published before reports kept their figures.")
        story += [Spacer(1, 2 * mm), p(note, styles["small"])]
    trend = figures["trend"]
    for series in trend["series"][:TREND_CHARTS]:
        if any(v is not None for v in series["values"]):
            title = t("%(kpi)s: daily, last %(weeks)s weeks", kpi=series["kpi"], weeks=len(trend["dates"]) // 7)
            story += [
                Spacer(1, 3 * mm),
                trend_chart(trend["dates"], series["values"], title=title, percent=series["percent"]),
            ]
    story.append(Spacer(1, 3 * mm))
    story.append(p(texts.get("key_results") or t("None"), styles["base"]))
    rows = document["progress"]
    story.append(p(t("2. Core KPI progress (to date)"), styles["h1"]))
    story.append(
        table(
            [t("KPI"), t("Target value"), t("Actual value"), t("Achievement")],
            _kpi_rows(rows),
            styles,
            [60 * mm, 35 * mm, 35 * mm, 30 * mm],
        )
    )
    if chart := _achievement_chart(rows):
        story += [Spacer(1, 4 * mm), chart]
    sections = [
        (t("3. Delayed tasks and reasons"), "delayed_tasks"),
        (t("4. Plan for next week"), "next_week_plan"),
        (t("5. Resources to coordinate"), "resources"),
    ]
    for heading, key in sections:
        story.append(p(heading, styles["h1"]))
        story.append(p(texts.get(key) or t("None"), styles["base"]))
    days = document["daily"]["days"]
    if days:
        metric = document["daily"]["core_metric"]
        story.append(p(t("6. Daily tracking (core KPI: %(metric)s)", metric=metric), styles["h1"]))
        story.append(
            table(
                [t("Date"), t("Target"), t("Actual"), t("Achievement")],
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
    return _build(story, t("%(campaign)s weekly progress report", campaign=campaign.name))


def evaluation_report(campaign) -> bytes:
    from campaignflow.review.selectors import (
        attribution,
        evaluation_rows,
        retrospective,
        settlement_status,
    )
    from campaignflow.tracking.selectors import step_labels

    styles = _styles()
    rows = evaluation_rows(campaign)
    story: list = []
    _title_page(
        story, styles, campaign, t("Campaign evaluation report"), t("Targets vs actuals · Attribution · Lessons")
    )
    story.append(p(t("1. Campaign evaluation table"), styles["h1"]))
    story.append(
        table(
            [
                t("Core KPI"),
                t("Target value"),
                t("Actual value"),
                t("Achievement"),
                t("Cause (success / shortfall)"),
                t("Improvement"),
            ],
            [
                [
                    *r,
                    (
                        (
                            t("Success: ")
                            if x["cause"] == "success"
                            else t("Shortfall: ")
                            if x["cause"] == "shortfall"
                            else ""
                        )
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
    labels = step_labels()
    if att["funnel"]["steps"]:
        story.append(p(t("2. Funnel attribution"), styles["h1"]))
        keys = [s["key"] for s in att["funnel"]["steps"]]
        header = [t("Channel")] + [str(labels[k]) for k in keys] + [t("Share (last step)")]
        body = [
            [c["channel"]] + [fmt_num(c["values"].get(k)) for k in keys] + [fmt_rate(c["share"].get(keys[-1]))]
            for c in att["funnel"]["channels"]
        ]
        body.append([t("Total")] + [fmt_num(s["total"]) for s in att["funnel"]["steps"]] + [""])
        story.append(table(header, body, styles))
        story += [
            Spacer(1, 4 * mm),
            funnel_chart(
                [(str(labels[k]), s["total"]) for k, s in zip(keys, att["funnel"]["steps"], strict=True)],
                title=t("Funnel: exposure → click → conversion → purchase"),
            ),
        ]
    if att["channels"]:
        story.append(p(t("3. Channel ROI and unit costs"), styles["h1"]))
        story.append(
            table(
                [
                    t("Rank"),
                    t("Channel"),
                    t("Revenue"),
                    t("Cost"),
                    "ROI",
                    "CPA",
                    "CPC",
                    "CPM",
                    t("Marginal ROI"),
                ],
                [
                    [
                        i,
                        r["channel"],
                        fmt_yuan(r["revenue"]),
                        fmt_yuan(r["cost"]),
                        fmt_ratio(r["roi"]),
                        fmt_yuan(r["cpa"]),
                        fmt_yuan(r["cpc"]),
                        fmt_yuan(r["cpm"]),
                        fmt_ratio(r["marginal_roi"]),
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
                    t("Budget suggestion for next time: ")
                    + t("; ").join(f"{s['channel']} {fmt_rate(s['suggested_share'])}" for s in good),
                    styles["base"],
                )
            )
    retro = retrospective(campaign)
    story.append(p(t("4. Retrospective"), styles["h1"]))
    status = (
        t("Due %(date)s (3 working days after the campaign ends)", date=f"{retro['due_date']:%Y-%m-%d}")
        + (
            t(", completed on %(date)s", date=f"{retro['completed_on']:%Y-%m-%d}")
            if retro["completed"]
            else t(", not completed yet")
        )
        + (t(", %(days)s days late", days=retro["days_late"]) if retro["days_late"] else "")
    )
    story.append(p(status, styles["small"]))
    for heading, key in ((t("What worked"), "worked"), (t("To improve"), "improve"), (t("Lessons"), "lessons")):
        story.append(p(heading, styles["h2"]))
        story.append(p(retro[key] or "—", styles["base"]))
    if retro["assets"]:
        story.append(p(t("Reusable assets"), styles["h2"]))
        story.append(table([t("Name"), t("Link")], [[a["title"], a.get("url", "")] for a in retro["assets"]], styles))
    settlement = settlement_status(campaign)
    if settlement["needed"]:
        story.append(p(t("5. Partner settlement"), styles["h1"]))
        story.append(
            p(
                t("Every party has confirmed the settlement.")
                if settlement["all_signed"]
                else t("The settlement awaits confirmation by the parties."),
                styles["base"],
            )
        )
    return _build(story, t("%(campaign)s evaluation report", campaign=campaign.name))


HEADINGS = ("h1", "h2")


def _start_height(flowable, width: float, height: float) -> float:
    """How much of `flowable` its heading must not be parted from: a table's header and first two rows,
    a paragraph's first two lines, anything else (a chart, a heading kept with its own start) whole."""
    if isinstance(flowable, KeepWithStart):
        return flowable.start_height(width, height)
    _w, full = flowable.wrap(width, height)
    start = full
    if isinstance(flowable, Table):
        start = sum(flowable._rowHeights[:3])
    elif isinstance(flowable, Paragraph):
        start = 2 * flowable.style.leading
    return min(full, start) + flowable.getSpaceBefore()


class KeepWithStart(KeepTogether):
    """A section heading kept with the start of what follows it (keep-with-next): when the heading and
    the first rows or lines do not fit at the foot of the page, both move to the next page; when they
    do, what follows may split as usual (a long table is not pushed whole to a new page)."""

    def __init__(self, heading, following):
        super().__init__([heading, following])

    def start_height(self, width: float, height: float) -> float:
        heading, following = self._content
        _w, h = heading.wrap(width, height)
        h += heading.getSpaceBefore() + heading.getSpaceAfter()
        return h + _start_height(following, width, max(0.0, height - h))

    def split(self, aW, aH):
        if getattr(self, "_wrapInfo", None) != (aW, aH):
            self.wrap(aW, aH)
        if self.start_height(aW, aH) <= aH:
            return list(self._content)
        return super().split(aW, aH)


def keep_headings(story: list) -> list:
    """Every h1/h2 heading bound to the flowable after it (see `KeepWithStart`)."""
    out: list = []
    for flowable in reversed(story):
        style = getattr(getattr(flowable, "style", None), "name", None)
        if style in HEADINGS and out and not isinstance(out[-1], PageBreak):
            out[-1] = KeepWithStart(flowable, out[-1])
        else:
            out.append(flowable)
    return out[::-1]


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
    doc.build(keep_headings(story), onFirstPage=decor, onLaterPages=decor)
    return buffer.getvalue()


# --- partner settlement statement ----------------------------------------------------------------------


def fmt_cents(v) -> str:
    """An amount to the cent, the same in both languages (a statement is exact): ¥10,333.34, -¥2,066.68."""
    v = Decimal(v)
    return f"{'-' if v < 0 else ''}¥{abs(v):,.2f}"


def fmt_share(v) -> str:
    """A cost-share ratio as a percentage without needless zeros: 50%, 33.33%."""
    text = f"{Decimal(v) * 100:.2f}".rstrip("0").rstrip(".")
    return f"{text}%"


def _statement_view(data: dict, party: str | None) -> dict:
    """The parties one reader's statement shows: all for the team; for a partner our side and their company,
    the other companies summed as "Other partners" (so every line and total still adds up to the cent)."""
    from campaignflow.budgets.selectors import HOST

    order, names, statement = data["order"], data["names"], data["statement"]
    shown = order if party is None else [HOST, party]
    others = [p for p in order if p not in shown]
    OTHERS = "others"
    names = {**names, OTHERS: t("Other partners")}
    columns = shown + ([OTHERS] if others else [])

    def fold(values: dict) -> dict:
        out = {p: values.get(p, Decimal("0.00")) for p in shown}
        if others:
            out[OTHERS] = sum((values.get(p, Decimal("0.00")) for p in others), Decimal("0.00"))
        return out

    def named(p):
        return names[p] if p in shown else names[OTHERS]

    rows = {r["party"]: r for r in data["rows"]}
    return {
        "columns": columns,
        "names": names,
        "lines": [(row, fold(row["parts"])) for row in data["lines"]],
        "share": fold({p: rows[p]["share"] for p in order}),
        "owed": fold(statement.owed),
        "paid": fold(statement.paid),
        "balance": fold(statement.balance),
        "transfers": [
            (named(tr.payer), named(tr.payee), tr.amount)
            for tr in statement.transfers
            if party is None or party in (tr.payer, tr.payee)
        ],
        "signoffs": [s for s in data["signoffs"] if s["party"] in shown],
        "shown": shown,
    }


def _total_row(table_: Table) -> Table:
    table_.setStyle(TableStyle([("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#E2E8F0"))]))
    return table_


PARTY_COLUMNS = 4  # parties side by side in the costs table of a settlement statement


def settlement_report(campaign, data: dict, contacts: dict[str, str], *, party: str | None = None) -> bytes:
    """The settlement statement (结算单) of `data` (budgets.selectors.settlement_statement): the parties with
    their contacts, each cost line split between them, each party's share, paid and balance to the cent,
    the transfers and the sign-off record. `party`: a partner's statement, their company and our side."""
    from django.utils import timezone

    styles = _styles()
    num = ParagraphStyle("num", parent=styles["small"], alignment=2)  # right-aligned figures
    width = A4[0] - 36 * mm
    story: list = [
        p(campaign.name, ParagraphStyle("name", parent=styles["h1"], alignment=TA_CENTER, fontSize=18, leading=26)),
        p(t("Settlement statement"), styles["subtitle"]),
        Spacer(1, 4 * mm),
    ]
    title = t("%(campaign)s settlement statement", campaign=campaign.name)
    if data["error"]:
        story.append(p(data["error"], styles["base"]))
        return _build(story, title)
    view = _statement_view(data, party)
    statement = data["statement"]
    story.append(
        p(
            t(
                "Period: %(start)s ~ %(end)s　　Approved costs: %(total)s　　Issued: %(date)s",
                start=f"{campaign.start_date:%Y-%m-%d}",
                end=f"{campaign.end_date:%Y-%m-%d}",
                total=fmt_cents(statement.total_cost),
                date=f"{timezone.localdate():%Y-%m-%d}",
            ),
            styles["small"],
        )
    )
    if party is not None:
        story.append(
            p(t("This statement shows your company and our side; any other partners are summed."), styles["small"])
        )
    columns, names = view["columns"], view["names"]

    story.append(p(t("1. Parties"), styles["h1"]))
    story.append(
        table(
            [t("Party"), t("Contact")],
            [[names[c], contacts.get(c) or "—"] for c in view["shown"]],
            styles,
            [70 * mm, width - 70 * mm],
        )
    )

    story.append(p(t("2. Costs by budget line"), styles["h1"]))
    # At most PARTY_COLUMNS parties side by side: more would squeeze the figures below a readable width on A4
    # (and below zero: reportlab refuses the table), so a statement with many partners has one table a group.
    groups = [columns[i : i + PARTY_COLUMNS] for i in range(0, len(columns), PARTY_COLUMNS)] or [columns]
    for group in groups:
        money_width = (width - 70 * mm) / (len(group) + 1)
        body = [
            [row["category_label"], row["line"].item, p(fmt_cents(sum(parts.values())), num)]
            + [p(fmt_cents(parts[c]), num) for c in group]
            for row, parts in view["lines"]
        ]
        body.append(
            ["", t("Total"), p(fmt_cents(statement.total_cost), num)]
            + [p(fmt_cents(view["owed"][c]), num) for c in group]
        )
        story.append(
            _total_row(
                table(
                    [t("Category"), t("Item"), t("Amount")] + [names[c] for c in group],
                    body,
                    styles,
                    [25 * mm, 45 * mm] + [money_width] * (len(group) + 1),
                )
            )
        )
        story.append(Spacer(1, 3 * mm))

    story.append(p(t("3. Shares, payments and balances"), styles["h1"]))
    body = [
        [names[c]]
        + [
            p(v, num)
            for v in (fmt_share(view["share"][c]), *(fmt_cents(view[k][c]) for k in ("owed", "paid", "balance")))
        ]
        for c in columns
    ]
    body.append(
        [t("Total"), p(fmt_share(sum(view["share"].values())), num)]
        + [p(fmt_cents(sum(view[k].values())), num) for k in ("owed", "paid", "balance")]
    )
    story.append(
        _total_row(
            table(
                [t("Party"), t("Share"), t("Owed"), t("Paid"), t("Balance (+ receives / − pays)")],
                body,
                styles,
                [width - 4 * 30 * mm] + [30 * mm] * 4,
            )
        )
    )
    story.append(p(t("Transfers to settle"), styles["h2"]))
    if view["transfers"]:
        story.append(
            table(
                [t("From"), t("To"), t("Amount")],
                [[payer, payee, p(fmt_cents(amount), num)] for payer, payee, amount in view["transfers"]],
                styles,
                [(width - 35 * mm) / 2, (width - 35 * mm) / 2, 35 * mm],
            )
        )
    else:
        story.append(p(t("Nothing to transfer: every party has paid its share."), styles["base"]))

    story.append(p(t("4. Sign-off"), styles["h1"]))
    rows = []
    for c in view["shown"]:
        signed = [s for s in view["signoffs"] if s["party"] == c]
        if not any(s["current"] for s in signed):
            rows.append([names[c], "—", "—", "—", t("Not signed")])
        for s in signed:
            state = t("Valid") if s["current"] else t("Outdated: the figures changed since")
            at = f"{timezone.localtime(s['at']):%Y-%m-%d %H:%M}"
            rows.append([names[c], s["user"] or "—", at, p(s["digest"], styles["small"]), state])
    story.append(
        table(
            [t("Party"), t("Signed by"), t("Signed at"), t("Digest"), t("State")],
            rows,
            styles,
            [40 * mm, 28 * mm, 28 * mm, 52 * mm, width - 148 * mm],
        )
    )
    story.append(Spacer(1, 2 * mm))
    story.append(p(t("Digest of the figures above: %(digest)s", digest=data["digest"]), styles["small"]))
    signed_now = data["signed_now"]
    story.append(
        p(
            t("Every party shown has signed these figures.")
            if set(view["shown"]) <= signed_now
            else t("Awaiting signatures."),
            styles["base"],
        )
    )
    return _build(story, title)
