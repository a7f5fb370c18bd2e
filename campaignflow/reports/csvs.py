"""CSV exports of lists (tasks, metrics, expenses), streamed row by row and formula-safe."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal

from .safe import neutralise


class _Echo:
    def write(self, value):
        return value


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, Decimal):
        # stored with 4 decimal places: 955.8000 → "955.8", 1200.0000 → "1200", 0.0500 → "0.05";
        # format "f" never gives an exponent (normalize() alone makes 1200 "1.2E+3")
        return format(value.normalize(), "f") if value else "0"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return neutralise(str(value))


def csv_lines(header: list[str], rows):
    """Yield CSV text: a UTF-8 BOM (Excel reads Chinese right), the header, then each row."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([neutralise(h) for h in header])
    for row in rows:
        yield writer.writerow([_cell(v) for v in row])


def tasks_rows(campaign):
    from campaignflow.planning.models import Task

    qs = Task.objects.filter(campaign=campaign).select_related("owner").order_by("sort_order", "id")
    for t in qs.iterator(chunk_size=2000):
        yield (
            t.code,
            t.name,
            t.phase,
            t.module,
            t.owner.username if t.owner else "",
            t.owner_role,
            t.start_date,
            t.end_date,
            t.status,
            t.progress,
            t.deliverable,
            t.delay_reason,
        )


TASK_HEADER = [
    "编号",
    "任务名称",
    "阶段",
    "模块",
    "负责人",
    "负责角色",
    "开始日期",
    "结束日期",
    "状态",
    "进度%",
    "交付物",
    "滞后原因",
]
METRIC_HEADER = ["日期", "渠道", "指标", "数值"]
EXPENSE_HEADER = ["日期", "费用类别", "明细项目", "金额", "收款方", "状态", "说明"]


def metric_rows(campaign):
    from campaignflow.tracking.models import MetricRow

    return (
        MetricRow.objects.filter(campaign_id=campaign.pk)
        .order_by("date", "channel", "metric")
        .values_list("date", "channel", "metric", "value")
        .iterator(chunk_size=5000)
    )


def expense_rows(user, campaign):
    from campaignflow.budgets.selectors import expenses_for

    for e in expenses_for(user, campaign).select_related("line"):
        yield (e.date, e.line.category, e.line.item, e.amount, e.payee, e.status, e.note)
