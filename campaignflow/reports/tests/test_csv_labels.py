"""The CSV lists speak the request's language: headers and choice labels (a task's status 已完成 / Done, an
expense's category and status), never the stored codes; the task list still reads back through the WBS import
in either language, and the metric list keeps the headers its import reads."""

import csv
import io

import pytest

from campaignflow.budgets.models import BudgetLine, Expense
from campaignflow.planning import io as plan_io
from campaignflow.planning.models import Task

pytestmark = pytest.mark.django_db


def _csv(api, path: str, language: str) -> list[list[str]]:
    response = api.get(path, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


@pytest.fixture
def marked(seeded, users):
    """Two tasks done and one blocked, a task owned by the member; an approved expense on a channel line."""
    tasks = list(Task.objects.filter(campaign=seeded).order_by("sort_order", "id"))
    Task.objects.filter(pk__in=[tasks[0].pk, tasks[1].pk]).update(status="done", progress=100)
    Task.objects.filter(pk=tasks[2].pk).update(status="blocked", owner=users["member"])
    line = BudgetLine.objects.create(campaign=seeded, category="channel", item="小红书KOC合作", planned=80000)
    Expense.objects.create(campaign=seeded, line=line, amount=3000, date="2025-06-05", status="approved")
    return seeded


@pytest.mark.parametrize(
    ("language", "header", "labels"),
    [
        ("zh-hans", ["编号", "任务名称", "阶段"], {"done": "已完成", "blocked": "受阻", "not_started": "未开始"}),
        ("en", ["Code", "Task name", "Phase"], {"done": "Done", "blocked": "Blocked", "not_started": "Not started"}),
    ],
)
def test_the_task_list_has_status_labels_and_reads_back(marked, api_for, users, language, header, labels):
    rows = _csv(api_for(users["member"]), f"/campaigns/{marked.pk}/tasks.csv", language)
    assert rows[0][:3] == header
    status_column = 8
    stored = dict(Task.objects.filter(campaign=marked).values_list("code", "status"))
    assert {r[0]: r[status_column] for r in rows[1:]} == {code: labels[s] for code, s in stored.items()}
    # the file goes back through the WBS import as it is: every status understood, no row refused
    content = "\n".join(",".join(f'"{c}"' for c in r) for r in rows).encode()
    imported, errors, ignored = plan_io.preview(marked, "tasks.csv", content)
    assert errors == [] and ignored == []  # the owner's role is worked out, not a column to warn about
    assert {r["code"]: r["status"] for r in imported} == stored


def test_the_expense_list_has_category_and_status_labels(marked, api_for, users):
    zh = _csv(api_for(users["owner"]), f"/campaigns/{marked.pk}/expenses.csv", "zh-hans")
    assert zh[0] == ["日期", "费用类别", "明细项目", "金额", "收款方", "状态", "说明"]
    assert zh[1][:4] == ["2025-06-05", "渠道推广", "小红书KOC合作", "3000"] and zh[1][5] == "已批准"
    en = _csv(api_for(users["owner"]), f"/campaigns/{marked.pk}/expenses.csv", "en")
    assert en[0][:2] == ["Date", "Category"] and en[1][1] == "Channel promotion" and en[1][5] == "Approved"


@pytest.mark.parametrize(
    ("language", "header"),
    [("zh-hans", ["日期", "渠道", "指标", "数值"]), ("en", ["Date", "Channel", "Metric", "Value"])],
)
def test_the_metric_list_keeps_headers_its_import_reads(marked, api_for, users, language, header):
    from campaignflow.tracking.domain.parsers import HEADERS

    rows = _csv(api_for(users["member"]), f"/campaigns/{marked.pk}/metrics.csv", language)
    assert rows[0] == header
    assert all(h.lower() in aliases for h, aliases in zip(header, HEADERS.values(), strict=True))
