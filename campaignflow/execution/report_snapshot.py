"""A weekly report's figures: live for a draft, fixed at publication for a published report.

The rule (one place, read by the page, the API and the PDF):
- `take` runs in `services.weekly_report_publish`'s transaction and stores what the report shows as its
  figures (the week's KPI table and trend, and the PDF's progress and daily tables) in
  `WeeklyReport.figures_snapshot`. Numbers are kept as exact decimal text (never floats), dates as ISO text;
  the words ("¥12万", "+20%") are made again from those numbers in the reader's language (`shown_texts`),
  so a report published in Chinese reads the same numbers in English.
- A published report is never edited, regenerated or published again (409), so its snapshot never changes.
  There is no way back to a draft; were one added, it must clear the snapshot, and the next publish takes a
  new one (`take` always builds it anew from the current data).
- No snapshot → live, as before: a draft, and a report published before reports kept their figures (a
  migration cannot know the numbers it showed then). The page and the PDF say which it is.

Weekly reports are internal to the campaign team (partners never see them), so the snapshot is the team's
view of the figures.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from .reporting import shown_texts, week_figures

SNAPSHOT_VERSION = 1

# A row's keys, in `reporting.week_figures`' order, and those that are numbers (kept as decimal text)
ROW_KEYS = (
    "kpi",
    "unit",
    "percent",
    "direction",
    "priority",
    "this_week",
    "last_week",
    "change",
    "change_rate",
    "good",
    "target",
    "actual",
    "achievement_rate",
)
ROW_NUMBERS = {"this_week", "last_week", "change", "change_rate", "target", "actual", "achievement_rate"}
PROGRESS_KEYS = ("kpi", "unit", "percent", "target", "actual", "achievement_rate")  # the PDF's "to date" table
DAY_KEYS = ("date", "target", "actual", "achievement_rate")  # the PDF's daily tracking table


def _number(value) -> str | None:
    """A figure as exact decimal text ("120000", "0.8333", "40"); None stays None."""
    if value is None:
        return None
    return str(value if isinstance(value, Decimal) else Decimal(str(value)))


def _decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def _frozen(row: dict, keys: tuple[str, ...]) -> dict:
    """`row`'s `keys` as JSON data: numbers as decimal text, dates as ISO text."""
    out = {}
    for k in keys:
        value = row[k]
        if k == "date":
            value = value.isoformat()
        elif k in ROW_NUMBERS:
            value = _number(value)
        out[k] = value
    return out


def _thawed(row: dict, keys: tuple[str, ...]) -> dict:
    """The reverse of `_frozen`: the values the live computation gives (Decimal, date)."""
    out = {}
    for k in keys:
        value = row[k]
        if k == "date":
            value = dt.date.fromisoformat(value)
        elif k in ROW_NUMBERS:
            value = _decimal(value)
        out[k] = value
    return out


def _progress_rows(campaign) -> list[dict]:
    """The PDF's "core KPI progress (to date)" table: each KPI's target, actual and achievement."""
    from campaignflow.review.selectors import evaluation_rows

    return [{k: r[k] for k in PROGRESS_KEYS} for r in evaluation_rows(campaign)]


def _daily(campaign, week_start: dt.date) -> dict:
    """The PDF's daily tracking table of the week: the core metric's plan and actual per day."""
    from campaignflow.tracking.selectors import board

    week_end = week_start + dt.timedelta(days=6)
    data = board(campaign, today=min(week_end, campaign.end_date) if campaign.end_date >= week_start else None)
    days = [{k: d[k] for k in DAY_KEYS} for d in data["daily"] if week_start <= d["date"] <= week_end]
    return {"core_metric": data["core_metric"], "days": days}


def take(campaign, week_start: dt.date, *, taken_at: dt.datetime) -> dict:
    """The report's figures now, as JSON data (what `figures_snapshot` stores)."""
    figures = week_figures(campaign, week_start)
    daily = _daily(campaign, week_start)
    return {
        "version": SNAPSHOT_VERSION,
        "taken_at": taken_at.isoformat(),
        "week_start": figures["week_start"].isoformat(),
        "week_end": figures["week_end"].isoformat(),
        "through": figures["through"].isoformat(),
        "rows": [_frozen(r, ROW_KEYS) for r in figures["rows"]],
        "trend": {
            "dates": [d.isoformat() for d in figures["trend"]["dates"]],
            "series": [s | {"values": [_number(v) for v in s["values"]]} for s in figures["trend"]["series"]],
        },
        "progress": [_frozen(r, PROGRESS_KEYS) for r in _progress_rows(campaign)],
        "daily": {"core_metric": daily["core_metric"], "days": [_frozen(d, DAY_KEYS) for d in daily["days"]]},
    }


def fixed_at(report) -> dt.datetime | None:
    """When the report's figures were fixed (its publication); None while they are computed live."""
    snapshot = report.figures_snapshot
    return dt.datetime.fromisoformat(snapshot["taken_at"]) if snapshot else None


def _week_from(snapshot: dict, *, zh: bool) -> dict:
    rows = [_thawed(r, ROW_KEYS) for r in snapshot["rows"]]
    series = snapshot["trend"]["series"]
    return {
        "week_start": dt.date.fromisoformat(snapshot["week_start"]),
        "week_end": dt.date.fromisoformat(snapshot["week_end"]),
        "through": dt.date.fromisoformat(snapshot["through"]),
        "rows": [row | {"shown": shown_texts(row, zh=zh)} for row in rows],
        "trend": {
            "dates": [dt.date.fromisoformat(d) for d in snapshot["trend"]["dates"]],
            "series": [s | {"values": [_decimal(v) for v in s["values"]]} for s in series],
        },
    }


def report_week_figures(report, *, user=None, zh: bool = True) -> dict:
    """What `reporting.week_figures` gives, for this report: fixed when published with a snapshot, else
    live (`user`'s view). `fixed_at`: when the figures were fixed, None when live."""
    snapshot = report.figures_snapshot
    if snapshot:
        return _week_from(snapshot, zh=zh) | {"fixed_at": fixed_at(report)}
    return week_figures(report.campaign, report.week_start, user=user, zh=zh) | {"fixed_at": None}


def document_figures(campaign, week_start: dt.date, *, report=None, zh: bool = True) -> dict:
    """Every figure of the weekly report's PDF: `week` (as `report_week_figures`), `progress` (each KPI to
    date) and `daily` (the core metric per day of the week), and `fixed_at` as above. `report` None: the
    week has no report yet (the PDF's automatic draft), so everything is live."""
    snapshot = report.figures_snapshot if report is not None else None
    if snapshot:
        return {
            "week": _week_from(snapshot, zh=zh),
            "progress": [_thawed(r, PROGRESS_KEYS) for r in snapshot["progress"]],
            "daily": {
                "core_metric": snapshot["daily"]["core_metric"],
                "days": [_thawed(d, DAY_KEYS) for d in snapshot["daily"]["days"]],
            },
            "fixed_at": fixed_at(report),
        }
    return {
        "week": week_figures(campaign, week_start, zh=zh),
        "progress": _progress_rows(campaign),
        "daily": _daily(campaign, week_start),
        "fixed_at": None,
    }
