"""The seeds' tables for one campaign as plain rows (read once, shared by the XLSX and PDF exporters)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

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


def _user(u) -> str:
    return u.label if u else ""


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

    return Sheet(
        "流程表",
        "企业营销活动策划通用流程表",
        [
            ("阶段", TEXT, 14),
            ("关键环节", TEXT, 28),
            ("负责人", TEXT, 14),
            ("时间节点", TEXT, 18),
            ("日期", DATE, 12),
            ("输出成果", TEXT, 30),
            ("备注", TEXT, 24),
        ],
        [
            (t.phase, t.name, _user(t.owner) or t.owner_role, node(t), t.end_date, t.deliverable, t.remark)
            for t in tasks
        ],
    )


def basic_sheet(campaign, kpis, members) -> Sheet:
    core = "；".join(f"{k.name}{_fmt(k.target)}{k.unit}" for k in kpis if k.priority == "core")
    goals = campaign.description or core
    stakeholders = "、".join(f"{m.user.label}（{m.get_role_display()}）" for m in members if m.role != "owner")
    version = campaign.playbook_version
    plan = f"V{campaign.version}.0" + (f"（{version.playbook.name} v{version.number}）" if version else "")
    return Sheet(
        "表1 活动基本信息与目标表",
        "表1：活动基本信息与目标表",
        [
            ("活动名称", TEXT, 24),
            ("策划案版本", TEXT, 22),
            ("负责人", TEXT, 12),
            ("开始日期", DATE, 12),
            ("结束日期", DATE, 12),
            ("核心目标（量化）", TEXT, 40),
            ("预算总额（元）", MONEY, 16),
            ("关键利益相关方", TEXT, 40),
        ],
        [
            (
                campaign.name,
                plan,
                _user(campaign.owner),
                campaign.start_date,
                campaign.end_date,
                goals,
                campaign.budget_total,
                stakeholders,
            )
        ],
    )


def _fmt(v) -> str:
    from campaignflow.core.domain.numbers import format_cn

    return format_cn(v) if v is not None else ""


def tasks_sheet(tasks) -> Sheet:
    return Sheet(
        "表2 任务分解与责任跟踪表",
        "表2：任务分解与责任跟踪表",
        [
            ("任务ID", TEXT, 8),
            ("任务名称", TEXT, 28),
            ("所属阶段", TEXT, 14),
            ("模块", TEXT, 12),
            ("负责人", TEXT, 12),
            ("开始日期", DATE, 12),
            ("结束日期", DATE, 12),
            ("交付物", TEXT, 28),
            ("进度状态", TEXT, 10),
            ("进度%", NUM, 8),
            ("滞后原因（若适用）", TEXT, 24),
        ],
        [
            (
                t.code,
                t.name,
                t.phase,
                t.module,
                _user(t.owner) or t.owner_role,
                t.start_date,
                t.end_date,
                t.deliverable,
                STATUS_ZH.get(t.status, t.status),
                t.progress,
                t.delay_reason or "-",
            )
            for t in tasks
        ],
    )


def daily_sheet(campaign, board) -> Sheet:
    from campaignflow.execution.reporting import daily_table

    days = [d["date"] for d in board["daily"]] or []
    table = {r["date"]: r for r in daily_table(campaign, days)} if days else {}
    core = next((k for k in board["kpis"] if k["metric"] == board["core_metric"]), None)
    money = core is not None and is_money(core["metric"], core["unit"])

    def names(items):
        return "、".join(t.name for t in items) or "无"

    rows = []
    for d in board["daily"]:
        t = table.get(d["date"], {})
        rows.append(
            (
                d["date"],
                board["core_metric"],
                round_amount(d["target"], money=money),
                d["actual"],
                d["achievement_rate"],
                names(t.get("done", [])),
                names(t.get("in_progress", [])),
                names(t.get("delayed", [])),
                "；".join(t.get("support", [])) or "-",
            )
        )
    return Sheet(
        "表3 执行进度每日跟踪表",
        "表3：执行进度每日跟踪表",
        [
            ("日期", DATE, 12),
            ("核心指标", TEXT, 12),
            ("目标", NUM, 12),
            ("实际", NUM, 12),
            ("达成率", RATE, 10),
            ("已完成任务", TEXT, 28),
            ("进行中任务", TEXT, 28),
            ("滞后任务", TEXT, 24),
            ("需协调资源", TEXT, 28),
        ],
        rows,
    )


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
    return Sheet(
        "表4 问题与风险记录表",
        "表4：问题与风险记录表",
        [
            ("问题编号", TEXT, 10),
            ("问题描述", TEXT, 36),
            ("发现时间", DATETIME, 18),
            ("负责人", TEXT, 12),
            ("严重程度", TEXT, 10),
            ("解决进度", TEXT, 10),
            ("解决方案", TEXT, 36),
        ],
        [
            (
                i.code,
                i.description,
                timezone.localtime(i.found_at).replace(tzinfo=None),
                _user(i.owner),
                SEVERITY_ZH.get(i.severity, i.severity),
                ISSUE_ZH.get(i.status, i.status),
                i.solution,
            )
            for i in issues
        ],
    )


def evaluation_sheet(rows) -> Sheet:
    return Sheet(
        "表5 活动效果评估表",
        "表5：活动效果评估表",
        [
            ("核心指标", TEXT, 16),
            ("目标值", NUM, 14),
            ("实际值", NUM, 14),
            ("达成率", RATE, 10),
            ("原因分析（成功/未达标）", TEXT, 40),
            ("改进建议", TEXT, 40),
        ],
        [
            (
                r["kpi"],
                r["target"],
                r["actual"],
                r["achievement_rate"],
                (
                    ("成功：" if r["cause"] == "success" else "未达标：" if r["cause"] == "shortfall" else "")
                    + r["analysis"]
                )
                if r["analysis"]
                else "",
                r["improvement"],
            )
            for r in rows
        ],
    )


def strategy_sheet(tasks) -> Sheet:
    done = {"done": "■已完成", "in_progress": "■进行中", "delayed": "■进行中（滞后）", "blocked": "■进行中（受阻）"}
    return Sheet(
        "营销策略执行表",
        "表1：营销策略执行表",
        [
            ("策略模块", TEXT, 14),
            ("核心动作", TEXT, 24),
            ("执行内容/标准", TEXT, 40),
            ("责任部门/人", TEXT, 14),
            ("开始时间", DATE, 12),
            ("结束时间", DATE, 12),
            ("完成状态", TEXT, 14),
        ],
        [
            (
                t.module or t.phase,
                t.name,
                "；".join(x for x in (t.deliverable, t.acceptance) if x),
                _user(t.owner) or t.owner_role,
                t.start_date,
                t.end_date,
                done.get(t.status, "□未启动"),
            )
            for t in tasks
        ],
    )


def budget_sheet(overview) -> Sheet:
    rows = [
        (r["category_label"], r["item"], r["planned"], r["actual"], r["note"], r["owner_label"])
        for r in overview["lines"]
    ]
    rows.append(("合计", "", overview["planned_total"], overview["actual_total"], "", ""))
    return Sheet(
        "预算分配表",
        "表2：预算分配表",
        [
            ("费用类别", TEXT, 14),
            ("明细项目", TEXT, 24),
            ("预算金额（元）", MONEY, 16),
            ("实际支出（元）", MONEY, 16),
            ("使用说明", TEXT, 36),
            ("负责人", TEXT, 12),
        ],
        rows,
    )


def effect_sheet(rows) -> Sheet:
    return Sheet(
        "营销效果评估表",
        "表3：营销效果评估表",
        [
            ("评估维度", TEXT, 12),
            ("KPI指标", TEXT, 18),
            ("目标值", NUM, 14),
            ("实际值", NUM, 14),
            ("达成率", RATE, 10),
            ("差异分析", TEXT, 40),
            ("改进措施", TEXT, 40),
        ],
        [
            (
                r["dimension"] or PRIORITY_ZH.get(r["priority"], ""),
                r["kpi"],
                r["target"],
                r["actual"],
                r["achievement_rate"],
                r["analysis"],
                r["improvement"],
            )
            for r in rows
        ],
    )


def channels_sheet(campaign) -> Sheet:
    from campaignflow.goals.models import Channel

    def pairs(d):
        return "；".join(f"{k} {metric_value(k, v)}" for k, v in (d or {}).items())

    return Sheet(
        "渠道触达矩阵表",
        "渠道触达矩阵表",
        [
            ("渠道", TEXT, 14),
            ("内容形式", TEXT, 24),
            ("投放开始", DATE, 12),
            ("投放结束", DATE, 12),
            ("负责人", TEXT, 12),
            ("效果指标（目标）", TEXT, 30),
            ("行业基准", TEXT, 30),
            ("备注", TEXT, 24),
        ],
        [
            (
                c.name,
                c.content_form,
                c.start_date,
                c.end_date,
                _user(c.owner),
                pairs(c.targets),
                pairs(c.benchmarks),
                c.note,
            )
            for c in Channel.objects.filter(campaign=campaign).select_related("owner")
        ],
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

    return Sheet(
        "风险预案",
        "风险预案",
        [
            ("编号", TEXT, 8),
            ("风险", TEXT, 24),
            ("类别", TEXT, 12),
            ("可能性(1-5)", NUM, 10),
            ("影响(1-5)", NUM, 10),
            ("触发条件", TEXT, 24),
            ("应对措施", TEXT, 36),
            ("应急预案", TEXT, 36),
            ("负责人", TEXT, 12),
            ("状态", TEXT, 10),
        ],
        [
            (
                r.code,
                r.title,
                r.get_category_display(),
                r.likelihood,
                r.impact,
                r.trigger,
                r.mitigation,
                r.contingency_plan,
                _user(r.owner),
                r.get_status_display(),
            )
            for r in Risk.objects.filter(campaign=campaign).select_related("owner")
        ],
    )


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
