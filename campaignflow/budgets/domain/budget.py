"""Pure budget rules: money input, categories, totals, contingency rule, deviation, revision diff, chart."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from campaignflow.core.domain.numbers import MoneyError, NotANumber, parse_number

DEVIATION_LIMIT = Decimal("0.10")  # seed 004: 偏差超过10%需启动评估

CATEGORY_KEYS = ["channel", "materials", "venue", "people", "prizes", "tech", "contingency", "other"]
# Names people type (seed 004 uses 渠道推广 / 物料制作 / 活动奖品 / 人力成本) → the category key.
CATEGORY_ALIASES = {
    "渠道推广": "channel",
    "渠道": "channel",
    "推广": "channel",
    "宣传": "channel",
    "物料制作": "materials",
    "物料": "materials",
    "场地": "venue",
    "人员": "people",
    "人力成本": "people",
    "人力": "people",
    "奖品": "prizes",
    "活动奖品": "prizes",
    "技术": "tech",
    "技术支持": "tech",
    "应急预备金": "contingency",
    "应急": "contingency",
    "应急资金": "contingency",
    "备用金": "contingency",
    "其他": "other",
}


def parse_ratio(value) -> Decimal:
    """A share: "60%" → 0.6, 0.6 → 0.6, 60 → 0.6 (numbers above 1 are percentages)."""
    if value is None or isinstance(value, bool) or (isinstance(value, str) and not value.strip()):
        raise MoneyError("required")
    try:
        ratio = parse_number(value)
    except NotANumber:
        raise MoneyError("not a number") from None
    if ratio > 1:
        ratio = ratio / 100
    if ratio < 0 or ratio > 1:
        raise MoneyError("must be between 0 and 100%")
    if ratio != ratio.quantize(Decimal("0.0001")):
        raise MoneyError("at most 2 decimal places of a percent")
    return ratio.quantize(Decimal("0.0001"))


def normalize_category(text: str) -> str:
    """A known key, a known Chinese name mapped to its key, or the free text itself (extensible)."""
    text = (text or "").strip()
    if text.lower() in CATEGORY_KEYS:
        return text.lower()
    return CATEGORY_ALIASES.get(text, text)


def is_contingency(category: str) -> bool:
    return normalize_category(category) == "contingency"


@dataclass(frozen=True)
class LineFigures:
    id: int
    category: str
    item: str
    planned: Decimal
    actual: Decimal  # approved spend only
    held: Decimal = Decimal(0)  # spend waiting for the director

    @property
    def over(self) -> Decimal:
        return max(self.actual - self.planned, Decimal(0))

    @property
    def deviation(self) -> Decimal | None:
        return deviation(self.planned, self.actual)


def deviation(planned: Decimal, actual: Decimal) -> Decimal | None:
    """(actual − planned) / planned, 4 places; None when nothing is planned."""
    if not planned:
        return None
    return ((actual - planned) / planned).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def deviation_alert(planned: Decimal, actual: Decimal, limit: Decimal = DEVIATION_LIMIT) -> bool:
    """Actual above plan by more than the limit (or any spend with nothing planned)."""
    if not planned:
        return actual > 0
    dev = deviation(planned, actual)
    return dev is not None and dev > limit


def contingency_ratio(lines: Iterable[LineFigures]) -> Decimal | None:
    lines = list(lines)
    total = sum((ln.planned for ln in lines), Decimal(0))
    if not total:
        return None
    reserve = sum((ln.planned for ln in lines if is_contingency(ln.category)), Decimal(0))
    return (reserve / total).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def contingency_state(ratio: Decimal | None, low: Decimal, high: Decimal) -> str:
    """ "ok", "low", "high" or "none" (nothing planned yet)."""
    if ratio is None:
        return "none"
    if ratio < low:
        return "low"
    if ratio > high:
        return "high"
    return "ok"


def would_overrun(
    *, line_planned: Decimal, line_actual: Decimal, total_planned: Decimal, total_actual: Decimal, amount: Decimal
) -> str | None:
    """Why a new expense needs the director (超支需总监审批): "line", "total" or None."""
    if line_actual + amount > line_planned:
        return "line"
    if total_actual + amount > total_planned:
        return "total"
    return None


def by_category(lines: Iterable[LineFigures]) -> OrderedDict[str, dict]:
    """Planned / actual / over per category, known categories first in their usual order."""
    groups: OrderedDict[str, dict] = OrderedDict()
    order = {k: i for i, k in enumerate(CATEGORY_KEYS)}
    for ln in sorted(lines, key=lambda x: (order.get(x.category, len(order)), x.category, x.id)):
        group = groups.setdefault(
            ln.category, {"planned": Decimal(0), "actual": Decimal(0), "held": Decimal(0), "lines": []}
        )
        group["planned"] += ln.planned
        group["actual"] += ln.actual
        group["held"] += ln.held
        group["lines"].append(ln)
    for group in groups.values():
        group["over"] = max(group["actual"] - group["planned"], Decimal(0))
    return groups


def line_snapshot(lines: Iterable[dict]) -> list[dict]:
    """What a revision diff compares: id, category, item, planned (as text)."""
    return [
        {"id": ln["id"], "category": ln["category"], "item": ln["item"], "planned": str(Decimal(ln["planned"]))}
        for ln in sorted(lines, key=lambda x: x["id"])
    ]


def revision_diff(before: list[dict] | None, after: list[dict]) -> list[dict]:
    """Line-level changes between the approved lines and the current ones."""
    if before is None:
        return []
    old = {ln["id"]: ln for ln in before}
    new = {ln["id"]: ln for ln in after}
    changes = []
    for lid in sorted(set(old) | set(new)):
        a, b = old.get(lid), new.get(lid)
        if a is None:
            changes.append({"id": lid, "change": "added", "before": None, "after": b})
        elif b is None:
            changes.append({"id": lid, "change": "removed", "before": a, "after": None})
        elif any(a[k] != b[k] for k in ("category", "item")) or Decimal(a["planned"]) != Decimal(b["planned"]):
            changes.append({"id": lid, "change": "changed", "before": a, "after": b})
    return changes


def category_chart(groups: OrderedDict[str, dict], labels: dict[str, str], names: dict[str, str]) -> dict:
    """ECharts option: planned vs actual per category (grouped bars)."""
    cats = list(groups)
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0, "data": [names["planned"], names["actual"]]},
        "grid": {"left": 70, "right": 20, "bottom": 30, "top": 40},
        "xAxis": {"type": "category", "data": [labels.get(c, c) for c in cats]},
        "yAxis": {"type": "value"},
        "series": [
            {"name": names["planned"], "type": "bar", "data": [str(groups[c]["planned"]) for c in cats]},
            {
                "name": names["actual"],
                "type": "bar",
                "data": [str(groups[c]["actual"]) for c in cats],
            },
        ],
    }
