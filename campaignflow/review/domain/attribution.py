"""Funnel attribution per channel, channel ROI, cost per result and a marginal-ROI ranking, pure.

Marginal ROI: revenue is modelled as a power law of spend, revenue = a·cost^e (diminishing returns,
0 < e ≤ 1), so one more yuan brings e·revenue/cost = e·ROI. The elasticity e is estimated per
channel from its daily data (log revenue against log exposure — exposure is what spend buys) when
there are at least MIN_DAYS days with both, clamped to [0.1, 1]; otherwise DEFAULT_ELASTICITY.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

FUNNEL_KEYS = ("exposure", "click", "conversion", "purchase")
REVENUE_METRICS = ("销售额", "GMV", "gmv", "revenue", "sales")
DEFAULT_ELASTICITY = 0.6
MIN_DAYS = 5
Q4 = Decimal("0.0001")
Q2 = Decimal("0.01")


def _div(a, b, q=Q4) -> Decimal | None:
    if a is None or not b:
        return None
    return (Decimal(a) / Decimal(b)).quantize(q)


def step_value(values: dict[str, Decimal], names) -> Decimal | None:
    for n in names:
        if n in values:
            return Decimal(values[n])
    return None


def funnel_by_channel(per_channel: dict[str, dict[str, Decimal]], steps: list[tuple[str, tuple]]) -> dict:
    """{steps: [{key, total}], channels: [{channel, values: {key: v}, rates: {key: r}, share: {key: s}}]}.

    share = the channel's part of the step's total (its contribution); rate = step / previous step."""
    totals: dict[str, Decimal] = {}
    rows = []
    for channel, values in sorted(per_channel.items()):
        vals = {key: step_value(values, names) for key, names in steps}
        for key, v in vals.items():
            if v is not None:
                totals[key] = totals.get(key, Decimal(0)) + v
        rates, previous = {}, None
        for key, _names in steps:
            v = vals[key]
            rates[key] = _div(v, previous) if previous is not None else None
            if v is not None:
                previous = v
        rows.append({"channel": channel or "—", "values": vals, "rates": rates})
    for row in rows:
        row["share"] = {k: _div(row["values"][k], totals.get(k)) for k, _n in steps}
    present = [k for k, _n in steps if k in totals]
    return {"steps": [{"key": k, "total": totals[k]} for k in present], "channels": rows}


def elasticity(daily: list[tuple[float, float]]) -> float | None:
    """Least-squares slope of log(revenue) on log(exposure) over days with both positive."""
    points = [(math.log(x), math.log(y)) for x, y in daily if x and y and x > 0 and y > 0]
    if len(points) < MIN_DAYS:
        return None
    mx = sum(p[0] for p in points) / len(points)
    my = sum(p[1] for p in points) / len(points)
    sxx = sum((p[0] - mx) ** 2 for p in points)
    if sxx == 0:
        return None
    slope = sum((p[0] - mx) * (p[1] - my) for p in points) / sxx
    return min(1.0, max(0.1, slope))


@dataclass(frozen=True)
class ChannelMoney:
    channel: str
    revenue: Decimal | None
    cost: Decimal | None
    exposure: Decimal | None = None
    clicks: Decimal | None = None
    conversions: Decimal | None = None
    elasticity: float | None = None


def channel_economics(items: list[ChannelMoney]) -> list[dict]:
    """ROI, CPA/CPC/CPM and marginal ROI per channel, ranked by marginal ROI (best first)."""
    rows = []
    for it in items:
        roi = _div(it.revenue, it.cost)
        e = it.elasticity if it.elasticity is not None else DEFAULT_ELASTICITY
        marginal = (roi * Decimal(str(e))).quantize(Q4) if roi is not None else None
        rows.append(
            {
                "channel": it.channel or "—",
                "revenue": it.revenue,
                "cost": it.cost,
                "roi": roi,
                "cpa": _div(it.cost, it.conversions, Q2),
                "cpc": _div(it.cost, it.clicks, Q2),
                "cpm": _div(it.cost * 1000 if it.cost is not None else None, it.exposure, Q2),
                "elasticity": round(e, 2),
                "elasticity_estimated": it.elasticity is not None,
                "marginal_roi": marginal,
            }
        )
    rows.sort(key=lambda r: (r["marginal_roi"] is None, -(r["marginal_roi"] or 0), r["channel"]))
    return rows


def budget_suggestion(rows: list[dict]) -> list[dict]:
    """Where the next campaign's budget does most: shares proportional to marginal ROI among the channels
    whose marginal ROI is above 1 (each extra yuan still returns more than a yuan)."""
    good = [r for r in rows if r["marginal_roi"] is not None and r["marginal_roi"] > 1]
    total = sum((r["marginal_roi"] for r in good), Decimal(0))
    out = []
    for rank, r in enumerate(rows, start=1):
        share = (r["marginal_roi"] / total).quantize(Q4) if r in good and total else Decimal(0)
        out.append(
            {
                "rank": rank,
                "channel": r["channel"],
                "marginal_roi": r["marginal_roi"],
                "suggested_share": share,
                "advice": "increase" if r in good else ("hold" if r["marginal_roi"] is not None else "no_data"),
            }
        )
    return out


# --- ECharts option dicts -------------------------------------------------------------------

COLORS = ["#2563eb", "#16a34a", "#f59e0b", "#db2777", "#7c3aed", "#0891b2", "#dc2626", "#65a30d"]


def _f(v) -> float | None:
    return None if v is None else round(float(v), 4)


def funnel_stack_option(funnel: dict, labels: dict[str, str]) -> dict:
    """Stacked bars: one bar per funnel step, one colour per channel (its contribution)."""
    keys = [s["key"] for s in funnel["steps"]]
    return {
        "color": COLORS,
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "legend": {"top": 0},
        "grid": {"left": 60, "right": 20, "top": 40, "bottom": 30},
        "xAxis": {"type": "category", "data": [labels.get(k, k) for k in keys]},
        "yAxis": {"type": "log", "logBase": 10},
        "series": [
            {
                "name": row["channel"],
                "type": "bar",
                "stack": "funnel",
                "data": [_f(row["values"].get(k)) for k in keys],
            }
            for row in funnel["channels"]
        ],
    }


def roi_option(rows: list[dict], labels: dict[str, str]) -> dict:
    """ROI and marginal ROI per channel as bars, with a line at 1 (break-even)."""
    names = [r["channel"] for r in rows]
    return {
        "color": COLORS,
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0},
        "grid": {"left": 50, "right": 20, "top": 40, "bottom": 30},
        "xAxis": {"type": "category", "data": names},
        "yAxis": {"type": "value"},
        "series": [
            {
                "name": labels["roi"],
                "type": "bar",
                "data": [_f(r["roi"]) for r in rows],
                "markLine": {"symbol": "none", "data": [{"yAxis": 1}], "lineStyle": {"color": "#dc2626"}},
            },
            {"name": labels["marginal"], "type": "bar", "data": [_f(r["marginal_roi"]) for r in rows]},
        ],
    }


def achievement_option(rows: list[dict]) -> dict:
    """Achievement rate per KPI as horizontal bars with a 100% line."""
    return {
        "tooltip": {"trigger": "axis", "valueFormatter": None},
        "grid": {"left": 100, "right": 40, "top": 20, "bottom": 30},
        "xAxis": {"type": "value", "axisLabel": {"formatter": "{value}%"}},
        "yAxis": {"type": "category", "data": [r["kpi"] for r in rows], "inverse": True},
        "series": [
            {
                "type": "bar",
                "data": [
                    {
                        "value": round(float(r["achievement_rate"]) * 100, 1)
                        if r["achievement_rate"] is not None
                        else 0,
                        "itemStyle": {
                            "color": "#16a34a"
                            if r["achievement_rate"] is not None and r["achievement_rate"] >= 1
                            else "#f59e0b"
                        },
                    }
                    for r in rows
                ],
                "label": {"show": True, "position": "right", "formatter": "{c}%"},
                # the 100% line's label at its top end: at the bottom it sat on the axis' "90%"
                "markLine": {
                    "symbol": "none",
                    "data": [{"xAxis": 100}],
                    "lineStyle": {"color": "#dc2626"},
                    "label": {"position": "start", "formatter": "100%", "color": "#dc2626"},
                },
            }
        ],
    }
