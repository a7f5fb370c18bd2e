"""The seeds' tables for one campaign as plain rows (read once, shared by the XLSX and PDF exporters)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from operator import attrgetter, itemgetter

from django.utils import translation
from django.utils.translation import gettext as _

from campaignflow.core.domain.numbers import is_rate_metric

DATE, NUM, MONEY, RATE, TEXT, DATETIME = "date", "num", "money", "rate", "text", "datetime"


@dataclass
class Sheet:
    title: str  # sheet name (≤ 31 characters)
    heading: str  # the seed's table title
    columns: list[tuple[str, str, int]]  # (header, kind, width)
    rows: object = field(default_factory=list)  # iterable of row tuples (may be a generator)
    note: str = ""


@dataclass(frozen=True)
class Column:
    header: str
    kind: str
    width: int
    value: Callable  # the cell's value, read from the row's item


def table(title: str, heading: str, columns: list[Column], items: Iterable) -> Sheet:
    """A sheet of one row per item: each column names itself and reads its cell from the item."""
    return Sheet(
        title,
        heading,
        [(c.header, c.kind, c.width) for c in columns],
        [tuple(c.value(item) for c in columns) for item in items],
    )


def chinese_labels(choices) -> dict[str, str]:
    """value → label of a TextChoices as the pages word it in Chinese (the sheets are the seeds' Chinese
    layout, whatever the reader's language); "" → ""."""
    with translation.override("zh-hans"):
        return {value: str(label) for value, label in choices.choices} | {"": ""}


def _user(u) -> str:
    return u.label if u else ""


def _owner(row) -> str:
    return _user(row.owner)


def _owner_or_role(task) -> str:
    return _user(task.owner) or task.owner_role


# columns that read the same in several of the seeds' tables
OWNER = Column("负责人", TEXT, 12, _owner)
START_END = [
    Column("开始日期", DATE, 12, attrgetter("start_date")),
    Column("结束日期", DATE, 12, attrgetter("end_date")),
]
# a KPI's figures, in the two evaluation tables
KPI_FIGURES = [
    Column("目标值", NUM, 14, itemgetter("target")),
    Column("实际值", NUM, 14, itemgetter("actual")),
    Column("达成率", RATE, 10, itemgetter("achievement_rate")),
]


STATUS_ZH = {"not_started": "未开始", "in_progress": "进行中", "done": "已完成", "delayed": "滞后", "blocked": "受阻"}
SEVERITY_ZH = {"high": "高", "medium": "中", "low": "低"}
ISSUE_ZH = {"open": "未处理", "in_progress": "处理中", "resolved": "已解决"}
PRIORITY_ZH = {"core": "核心", "auxiliary": "辅助"}


def process_sheet(campaign, tasks) -> Sheet:
    from campaignflow.campaigns.domain.playbooks import Step, task_code

    steps, by_code = {}, {}
    if campaign.playbook_version_id:
        n = 0
        for p in campaign.playbook_version.phases:
            for s in p.get("steps", []):
                n += 1
                steps[(p.get("name"), s.get("name"))] = s
                by_code[task_code(n)] = s

    def node(t):
        s = steps.get((t.phase, t.name)) or by_code.get(t.code)
        if not s:
            return ""
        return Step(
            name=s["name"],
            anchor=s.get("anchor", "start"),
            offset_days=s.get("offset_days", 0),
            workdays=s.get("workdays", False),
        ).time_node_label("zh")

    columns = [
        Column("阶段", TEXT, 14, attrgetter("phase")),
        Column("关键环节", TEXT, 28, attrgetter("name")),
        Column("负责人", TEXT, 14, _owner_or_role),
        Column("时间节点", TEXT, 18, node),
        Column("日期", DATE, 12, attrgetter("end_date")),
        Column("输出成果", TEXT, 30, attrgetter("deliverable")),
        Column("备注", TEXT, 24, attrgetter("remark")),
    ]
    return table("流程表", "企业营销活动策划通用流程表", columns, tasks)


def basic_sheet(campaign, kpis, members) -> Sheet:
    core = "；".join(f"{k.name}{_fmt(k.target)}{k.unit}" for k in kpis if k.priority == "core")
    stakeholders = "、".join(f"{m.user.label}（{m.get_role_display()}）" for m in members if m.role != "owner")
    columns = [
        Column("活动名称", TEXT, 24, attrgetter("name")),
        Column("策划案版本", TEXT, 22, _plan_label),
        OWNER,
        *START_END,
        Column("核心目标（量化）", TEXT, 40, lambda c: c.description or core),
        Column("预算总额（元）", MONEY, 16, attrgetter("budget_total")),
        Column("关键利益相关方", TEXT, 40, lambda c: stakeholders),
    ]
    return table("表1 活动基本信息与目标表", "表1：活动基本信息与目标表", columns, [campaign])


def _plan_label(campaign) -> str:
    """The plan's version, and the playbook version it came from: V3.0（新品上市 v2）."""
    version = campaign.playbook_version
    return f"V{campaign.version}.0" + (f"（{version.playbook.name} v{version.number}）" if version else "")


def _fmt(v) -> str:
    from campaignflow.core.domain.numbers import format_cn

    return format_cn(v) if v is not None else ""


def tasks_sheet(tasks) -> Sheet:
    columns = [
        Column("任务ID", TEXT, 8, attrgetter("code")),
        Column("任务名称", TEXT, 28, attrgetter("name")),
        Column("所属阶段", TEXT, 14, attrgetter("phase")),
        Column("模块", TEXT, 12, attrgetter("module")),
        Column("负责人", TEXT, 12, _owner_or_role),
        *START_END,
        Column("交付物", TEXT, 28, attrgetter("deliverable")),
        Column("进度状态", TEXT, 10, lambda t: STATUS_ZH.get(t.status, t.status)),
        Column("进度%", NUM, 8, attrgetter("progress")),
        Column("滞后原因（若适用）", TEXT, 24, lambda t: t.delay_reason or "-"),
    ]
    return table("表2 任务分解与责任跟踪表", "表2：任务分解与责任跟踪表", columns, tasks)


def daily_sheet(campaign, board) -> Sheet:
    from campaignflow.execution.reporting import daily_table

    days = [d["date"] for d in board["daily"]] or []
    by_date = {r["date"]: r for r in daily_table(campaign, days)} if days else {}
    core = next((k for k in board["kpis"] if k["metric"] == board["core_metric"]), None)
    money = core is not None and is_money(core["metric"], core["unit"])

    def on(day) -> dict:
        return by_date.get(day["date"], {})

    def task_names(status: str) -> Callable:
        """The column of the day's tasks in `status`, by name."""
        return lambda day: "、".join(t.name for t in on(day).get(status, [])) or "无"

    columns = [
        Column("日期", DATE, 12, itemgetter("date")),
        Column("核心指标", TEXT, 12, lambda day: board["core_metric"]),
        Column("目标", NUM, 12, lambda day: round_amount(day["target"], money=money)),
        Column("实际", NUM, 12, itemgetter("actual")),
        Column("达成率", RATE, 10, itemgetter("achievement_rate")),
        Column("已完成任务", TEXT, 28, task_names("done")),
        Column("进行中任务", TEXT, 28, task_names("in_progress")),
        Column("滞后任务", TEXT, 24, task_names("delayed")),
        Column("需协调资源", TEXT, 28, lambda day: "；".join(on(day).get("support", [])) or "-"),
    ]
    return table("表3 执行进度每日跟踪表", "表3：执行进度每日跟踪表", columns, board["daily"])


MONEY_UNITS = ("元", "万元", "亿元", "¥", "￥", "RMB", "CNY")


def is_money(metric: str, unit: str) -> bool:
    from campaignflow.review.domain.attribution import REVENUE_METRICS

    return (unit or "").strip() in MONEY_UNITS or metric in REVENUE_METRICS


def round_amount(value, *, money: bool):
    """A stored amount rounded the way it is read: money to the fen (2 decimals), counts to whole
    numbers (a daily plan of 3,000 members over 31 days is 97, not 96.7741935…). Small non-money
    values (under 10, e.g. a plan of 0.32 orders a day) keep 2 decimals rather than become 0."""
    if value is None:
        return None
    value = Decimal(value)
    places = Decimal("0.01") if money or abs(value) < 10 else Decimal(1)
    return value.quantize(places, rounding=ROUND_HALF_UP)


def issues_sheet(campaign) -> Sheet:
    from django.utils import timezone

    from campaignflow.execution.models import Issue

    issues = Issue.objects.filter(campaign=campaign).select_related("owner").order_by("code")
    columns = [
        Column("问题编号", TEXT, 10, attrgetter("code")),
        Column("问题描述", TEXT, 36, attrgetter("description")),
        Column("发现时间", DATETIME, 18, lambda i: timezone.localtime(i.found_at).replace(tzinfo=None)),
        OWNER,
        Column("严重程度", TEXT, 10, lambda i: SEVERITY_ZH.get(i.severity, i.severity)),
        Column("解决进度", TEXT, 10, lambda i: ISSUE_ZH.get(i.status, i.status)),
        Column("解决方案", TEXT, 36, attrgetter("solution")),
    ]
    return table("表4 问题与风险记录表", "表4：问题与风险记录表", columns, issues)


def _cause_analysis(row) -> str:
    """The analysis after what it explains: 成功 (success) or 未达标 (shortfall)."""
    if not row["analysis"]:
        return ""
    lead = {"success": "成功：", "shortfall": "未达标："}.get(row["cause"], "")
    return lead + row["analysis"]


def evaluation_sheet(rows) -> Sheet:
    columns = [
        Column("核心指标", TEXT, 16, itemgetter("kpi")),
        *KPI_FIGURES,
        Column("原因分析（成功/未达标）", TEXT, 40, _cause_analysis),
        Column("改进建议", TEXT, 40, itemgetter("improvement")),
    ]
    return table("表5 活动效果评估表", "表5：活动效果评估表", columns, rows)


def strategy_sheet(tasks) -> Sheet:
    done = {"done": "■已完成", "in_progress": "■进行中", "delayed": "■进行中（滞后）", "blocked": "■进行中（受阻）"}
    columns = [
        Column("策略模块", TEXT, 14, lambda t: t.module or t.phase),
        Column("核心动作", TEXT, 24, attrgetter("name")),
        Column("执行内容/标准", TEXT, 40, lambda t: "；".join(x for x in (t.deliverable, t.acceptance) if x)),
        Column("责任部门/人", TEXT, 14, _owner_or_role),
        Column("开始时间", DATE, 12, attrgetter("start_date")),
        Column("结束时间", DATE, 12, attrgetter("end_date")),
        Column("完成状态", TEXT, 14, lambda t: done.get(t.status, "□未启动")),
    ]
    return table("营销策略执行表", "表1：营销策略执行表", columns, tasks)


def budget_sheet(overview) -> Sheet:
    total = {
        "category_label": "合计",
        "item": "",
        "planned": overview["planned_total"],
        "actual": overview["actual_total"],
        "note": "",
        "owner_label": "",
    }
    columns = [
        Column("费用类别", TEXT, 14, itemgetter("category_label")),
        Column("明细项目", TEXT, 24, itemgetter("item")),
        Column("预算金额（元）", MONEY, 16, itemgetter("planned")),
        Column("实际支出（元）", MONEY, 16, itemgetter("actual")),
        Column("使用说明", TEXT, 36, itemgetter("note")),
        Column("负责人", TEXT, 12, itemgetter("owner_label")),
    ]
    return table("预算分配表", "表2：预算分配表", columns, [*overview["lines"], total])


def effect_sheet(rows) -> Sheet:
    columns = [
        Column("评估维度", TEXT, 12, lambda r: r["dimension"] or PRIORITY_ZH.get(r["priority"], "")),
        Column("KPI指标", TEXT, 18, itemgetter("kpi")),
        *KPI_FIGURES,
        Column("差异分析", TEXT, 40, itemgetter("analysis")),
        Column("改进措施", TEXT, 40, itemgetter("improvement")),
    ]
    return table("营销效果评估表", "表3：营销效果评估表", columns, rows)


def channels_sheet(campaign) -> Sheet:
    from campaignflow.goals.models import Channel

    def pairs(d):
        return "；".join(f"{k} {metric_value(k, v)}" for k, v in (d or {}).items())

    columns = [
        Column("渠道", TEXT, 14, attrgetter("name")),
        Column("内容形式", TEXT, 24, attrgetter("content_form")),
        Column("投放开始", DATE, 12, attrgetter("start_date")),
        Column("投放结束", DATE, 12, attrgetter("end_date")),
        OWNER,
        Column("效果指标（目标）", TEXT, 30, lambda c: pairs(c.targets)),
        Column("行业基准", TEXT, 30, lambda c: pairs(c.benchmarks)),
        Column("备注", TEXT, 24, attrgetter("note")),
    ]
    return table(
        "渠道触达矩阵表", "渠道触达矩阵表", columns, Channel.objects.filter(campaign=campaign).select_related("owner")
    )


def metric_value(name: str, value) -> str:
    """A channel's target or benchmark for one metric: rates as percentages (0.03 → "3%", 0.025 →
    "2.5%"), other values as stored."""
    if not is_rate_metric(name) or value in (None, ""):
        return str(value)
    try:
        percent = Decimal(str(value)) * 100
    except InvalidOperation:
        return str(value)
    if not percent.is_finite():
        return str(value)
    text = f"{percent:.2f}".rstrip("0").rstrip(".")
    return f"{text}%"


def risks_sheet(campaign) -> Sheet:
    from campaignflow.execution.models import Risk

    columns = [
        Column("编号", TEXT, 8, attrgetter("code")),
        Column("风险", TEXT, 24, attrgetter("title")),
        Column("类别", TEXT, 12, lambda r: r.get_category_display()),
        Column("可能性(1-5)", NUM, 10, attrgetter("likelihood")),
        Column("影响(1-5)", NUM, 10, attrgetter("impact")),
        Column("触发条件", TEXT, 24, attrgetter("trigger")),
        Column("应对措施", TEXT, 36, attrgetter("mitigation")),
        Column("应急预案", TEXT, 36, attrgetter("contingency_plan")),
        OWNER,
        Column("状态", TEXT, 10, lambda r: r.get_status_display()),
    ]
    return table("风险预案", "风险预案", columns, Risk.objects.filter(campaign=campaign).select_related("owner"))


def metrics_sheet(campaign) -> Sheet:
    from campaignflow.tracking.models import MetricRow

    rows = (
        MetricRow.objects.filter(campaign_id=campaign.pk)
        .order_by("date", "channel", "metric")
        .values_list("date", "channel", "metric", "value")
        .iterator(chunk_size=5000)
    )
    return Sheet(
        "数据明细",
        "每日数据明细",
        [("日期", DATE, 12), ("渠道", TEXT, 14), ("指标", TEXT, 14), ("数值", NUM, 14)],
        rows,
    )


def campaign_sheets(campaign, user) -> list[Sheet]:
    """Every sheet of the workbook, in the seeds' order; the metric rows last (streamed)."""
    from campaignflow.budgets.selectors import budget_overview
    from campaignflow.goals.selectors import kpis_with_actuals
    from campaignflow.planning.models import Task
    from campaignflow.review.selectors import evaluation_rows
    from campaignflow.tracking.selectors import board

    tasks = list(Task.objects.filter(campaign=campaign).select_related("owner").order_by("sort_order", "id"))
    kpis = kpis_with_actuals(campaign)
    members = list(campaign.memberships.select_related("user"))
    rows = evaluation_rows(campaign)
    return [
        process_sheet(campaign, tasks),
        basic_sheet(campaign, kpis, members),
        tasks_sheet(tasks),
        daily_sheet(campaign, board(campaign)),
        issues_sheet(campaign),
        evaluation_sheet(rows),
        strategy_sheet(tasks),
        budget_sheet(budget_overview(user, campaign)),
        effect_sheet(rows),
        channels_sheet(campaign),
        risks_sheet(campaign),
        metrics_sheet(campaign),
    ]


def as_number(value):
    if isinstance(value, Decimal):
        return float(value)
    return value


__all__ = ["DATE", "DATETIME", "MONEY", "NUM", "RATE", "TEXT", "Sheet", "_", "campaign_sheets", "dt"]
