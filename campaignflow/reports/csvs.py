"""CSV exports of lists (tasks, metrics, expenses), streamed row by row and formula-safe, in the request's
language: headers and choice labels (a task's status 已完成 / Done, not `done`). The task and metric files are
read back by their imports, which take these headers and labels in either language."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal

from django.utils.translation import pgettext

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


def _labels(choices) -> dict[str, str]:
    """A choice's codes → labels in the request's language, read before the rows stream (the streaming may
    run after the request's language is gone)."""
    return {code: str(label) for code, label in choices}


def tasks_rows(campaign):
    """The plan's tasks; the status as its label (未开始 / Not started), which the WBS import reads back
    (`planning.domain.importing`), as it reads these headers."""
    from campaignflow.planning.models import Task, TaskStatus

    statuses = _labels(TaskStatus.choices)
    qs = Task.objects.filter(campaign=campaign).select_related("owner").order_by("sort_order", "id")
    return (
        (
            t.code,
            t.name,
            t.phase,
            t.module,
            t.owner.username if t.owner else "",  # the import finds the person by username
            t.owner_role,
            t.start_date,
            t.end_date,
            statuses.get(t.status, t.status),
            t.progress,
            t.deliverable,
            t.delay_reason,
        )
        for t in qs.iterator(chunk_size=2000)
    )


def task_header() -> list[str]:
    """The task list's columns in the request's language; Chinese as seed 002's 表2, English as the import's
    English headers (code, task name, start date…), so either file is read back."""
    return [
        pgettext("tasks CSV", "Code"),
        pgettext("tasks CSV", "Task name"),
        pgettext("tasks CSV", "Phase"),
        pgettext("tasks CSV", "Module"),
        pgettext("tasks CSV", "Owner"),
        pgettext("tasks CSV", "Owner role"),
        pgettext("tasks CSV", "Start date"),
        pgettext("tasks CSV", "End date"),
        pgettext("tasks CSV", "Status"),
        pgettext("tasks CSV", "Progress %"),
        pgettext("tasks CSV", "Deliverable"),
        pgettext("tasks CSV", "Delay reason"),
    ]


def metric_header() -> list[str]:
    """The metric import's own headers (日期/date, 渠道/channel, 指标/metric, 数值/value): the file reads back."""
    return [
        pgettext("metrics CSV", "Date"),
        pgettext("metrics CSV", "Channel"),
        pgettext("metrics CSV", "Metric"),
        pgettext("metrics CSV", "Value"),
    ]


def expense_header() -> list[str]:
    return [
        pgettext("expenses CSV", "Date"),
        pgettext("expenses CSV", "Category"),
        pgettext("expenses CSV", "Item"),
        pgettext("expenses CSV", "Amount"),
        pgettext("expenses CSV", "Payee"),
        pgettext("expenses CSV", "Status"),
        pgettext("expenses CSV", "Note"),
    ]


def metric_rows(campaign):
    from campaignflow.tracking.models import MetricRow

    return (
        MetricRow.objects.filter(campaign_id=campaign.pk)
        .order_by("date", "channel", "metric")
        .values_list("date", "channel", "metric", "value")
        .iterator(chunk_size=5000)
    )


def expense_rows(user, campaign):
    """The expenses the user may see; category and status as their labels (渠道推广, 已批准), a category
    typed by hand as it was typed."""
    from campaignflow.budgets.models import Category, ExpenseStatus
    from campaignflow.budgets.selectors import expenses_for

    categories, statuses = _labels(Category.choices), _labels(ExpenseStatus.choices)
    return (
        (
            e.date,
            categories.get(e.line.category, e.line.category),
            e.line.item,
            e.amount,
            e.payee,
            statuses.get(e.status, e.status),
            e.note,
        )
        for e in expenses_for(user, campaign).select_related("line")
    )
