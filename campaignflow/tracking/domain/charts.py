"""Board figures and ECharts option dicts, pure: pace forecast, funnel rates, gauges, trends."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

COLORS = ["#2563eb", "#16a34a", "#f59e0b", "#db2777", "#7c3aed", "#0891b2", "#dc2626", "#65a30d"]

# Funnel steps and the metric names teams use for them (曝光 → 点击 → 访问 → 报名 → 签到 → 转化 → 购买); an event's
# registration page writes 访问, 报名 and 签到 itself (events.metrics).
FUNNEL_STEPS = [
    ("exposure", ("曝光", "曝光量", "展现", "展现量", "exposure", "impressions")),
    ("click", ("点击", "点击量", "点击数", "click", "clicks")),
    ("visit", ("访问", "访问量", "访客", "visits")),
    ("registration", ("报名", "报名数", "报名人数", "registrations")),
    ("check_in", ("签到", "签到数", "签到人数", "check-ins")),
    ("conversion", ("转化", "转化数", "转化量", "conversion", "conversions")),
    ("purchase", ("购买", "购买数", "订单", "订单数", "purchase", "purchases", "orders")),
]
FUNNEL_METRICS = tuple(name for _key, names in FUNNEL_STEPS for name in names)


def _f(value) -> float | None:
    return None if value is None else round(float(value), 4)


def forecast_final(
    *,
    actual_to_date: Decimal,
    elapsed_days: int,
    total_days: int,
    plan_to_date: Decimal | None = None,
    plan_total: Decimal | None = None,
) -> Decimal | None:
    """Pace extrapolation of the final value. With a plan: actual/plan-so-far × plan total (keeps the plan's
    shape, e.g. a burst week); without: actual per elapsed day × all days."""
    if elapsed_days <= 0 or total_days <= 0:
        return None
    if elapsed_days >= total_days:
        return Decimal(actual_to_date)
    if plan_to_date and plan_total:
        return Decimal(actual_to_date) / Decimal(plan_to_date) * Decimal(plan_total)
    return Decimal(actual_to_date) / elapsed_days * total_days


def cumulative(values: list[Decimal | None]) -> list[Decimal]:
    out, running = [], Decimal(0)
    for v in values:
        running += v or 0
        out.append(running)
    return out


def funnel_steps(totals: dict[str, Decimal]) -> list[dict]:
    """[{key, metric, value, rate}] for the steps present; rate = this step / previous step."""
    steps = []
    for key, names in FUNNEL_STEPS:
        metric = next((n for n in names if n in totals), None)
        if metric is None:
            continue
        steps.append({"key": key, "metric": metric, "value": Decimal(totals[metric])})
    previous = None
    for step in steps:
        step["rate"] = (step["value"] / previous).quantize(Decimal("0.0001")) if previous else None
        step["overall"] = (step["value"] / steps[0]["value"]).quantize(Decimal("0.0001")) if steps[0]["value"] else None
        previous = step["value"]
    return steps


def gauge_option(name: str, rate: Decimal | None) -> dict:
    percent = round(float(rate) * 100, 1) if rate is not None else 0
    top = max(150, min(300, int(percent // 50 + 1) * 50))
    return {
        "series": [
            {
                "type": "gauge",
                "min": 0,
                "max": top,
                "radius": "95%",
                "progress": {"show": True, "width": 10},
                "axisLine": {
                    "lineStyle": {
                        "width": 10,
                        "color": [[80 / top, "#fca5a5"], [100 / top, "#fde68a"], [1, "#bbf7d0"]],
                    }
                },
                "axisTick": {"show": False},
                "splitLine": {"length": 6, "lineStyle": {"width": 1}},
                "axisLabel": {"distance": 14, "fontSize": 9},
                "pointer": {"width": 4},
                "title": {"show": False},
                "detail": {
                    "valueAnimation": False,
                    "formatter": "{value}%",
                    "fontSize": 18,
                    "offsetCenter": [0, "70%"],
                },
                "data": [{"value": percent, "name": name}],
            }
        ]
    }


def cumulative_option(
    *,
    dates: list[dt.date],
    actual: list[Decimal | None],
    plan: list[Decimal],
    forecast: Decimal | None,
    labels: dict[str, str],
) -> dict:
    x = [d.isoformat()[5:] for d in dates]
    series = [
        {
            "name": labels["plan"],
            "type": "line",
            "data": [_f(v) for v in plan],
            "lineStyle": {"type": "dashed"},
            "symbol": "none",
            "color": "#94a3b8",
        },
        {
            "name": labels["actual"],
            "type": "line",
            "data": [_f(v) for v in actual],
            "areaStyle": {"opacity": 0.12},
            "color": COLORS[0],
        },
    ]
    if forecast is not None and dates:
        last = max((i for i, v in enumerate(actual) if v is not None), default=None)
        if last is not None and last < len(dates) - 1:
            line = [None] * len(dates)
            line[last] = _f(actual[last])
            line[-1] = _f(forecast)
            series.append(
                {
                    "name": labels["forecast"],
                    "type": "line",
                    "data": line,
                    "connectNulls": True,
                    "lineStyle": {"type": "dotted"},
                    "color": COLORS[2],
                }
            )
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0},
        "grid": {"left": 60, "right": 20, "top": 36, "bottom": 30},
        "xAxis": {"type": "category", "data": x, "boundaryGap": False},
        "yAxis": {"type": "value"},
        "series": series,
    }


def trend_option(*, dates: list[dt.date], series: dict[str, list[Decimal | None]]) -> dict:
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0, "type": "scroll"},
        "grid": {"left": 60, "right": 20, "top": 36, "bottom": 30},
        "xAxis": {"type": "category", "data": [d.isoformat()[5:] for d in dates]},
        "yAxis": {"type": "value"},
        "series": [
            {
                "name": name or "—",
                "type": "line",
                "smooth": True,
                "data": [_f(v) for v in values],
                "color": COLORS[i % len(COLORS)],
            }
            for i, (name, values) in enumerate(series.items())
        ],
    }


def funnel_option(steps: list[dict], labels: dict[str, str], *, number=lambda v: f"{v:,.0f}") -> dict:
    """`number` shows a step's value in its label as the page shows numbers (format_cn: 84.75万)."""
    return {
        "tooltip": {"trigger": "item"},
        "series": [
            {
                "type": "funnel",
                "sort": "none",
                "left": "10%",
                "width": "80%",
                "minSize": "18%",
                "gap": 2,
                "label": {"show": True, "position": "inside", "formatter": "{b}"},
                "data": [
                    {"name": f"{labels.get(s['key'], s['metric'])} {number(s['value'])}", "value": _f(s["value"])}
                    for s in steps
                ],
                "color": COLORS,
            }
        ],
    }


def dates_between(start: dt.date, end: dt.date) -> list[dt.date]:
    if end < start:
        return []
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
