"""The plan export (plan.xlsx: a title row above the header) imports again: the importer finds the header row
below a title (the export's, or a template's heading), reads the predecessors column as the export writes it
("T001", "T002SS+2") and links a row to a task further down the file once every row is in."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from campaignflow.planning.domain.importing import parse_predecessors, parse_rows
from campaignflow.planning.models import Task, TaskDependency
from conftest import make_campaign
from tests.support.uploads import xlsx_bytes

pytestmark = pytest.mark.django_db

FIELDS = ("code", "name", "phase", "module", "start_date", "end_date", "status", "progress", "milestone",
          "deliverable", "delay_reason", "owner__username")  # fmt: skip


def _tasks(campaign) -> list[tuple]:
    return list(Task.objects.filter(campaign=campaign).order_by("sort_order", "id").values_list(*FIELDS))


def _links(campaign) -> set[tuple]:
    return set(
        TaskDependency.objects.filter(campaign=campaign).values_list(
            "successor__code", "predecessor__code", "type", "lag_days"
        )
    )


def _upload(client, campaign, content: bytes, *, confirm: bool, name="plan.xlsx"):
    data = {"file": SimpleUploadedFile(name, content)}
    if confirm:
        data["confirm"] = "true"
    return client.client.post(f"/api/v1/campaigns/{campaign.id}/tasks/import", data, **client.headers)


def test_an_exported_plan_imports_into_another_campaign(api_for, users, campaign):
    owner = api_for(users["owner"])
    tasks = list(Task.objects.filter(campaign=campaign).order_by("sort_order", "id"))
    assert len(tasks) >= 6
    first, second, third, last = tasks[0], tasks[1], tasks[2], tasks[-1]
    # owners (by display name and by username), a delayed task, progress, a milestone
    Task.objects.filter(pk=first.pk).update(
        owner=users["owner"], status="delayed", delay_reason="档期调整", progress=40
    )
    Task.objects.filter(pk=second.pk).update(owner=users["member"], progress=75, milestone=True)
    # links of every kind: a lead, a lag, and one on a task further down the plan (imported after it)
    TaskDependency.objects.filter(campaign=campaign).delete()
    for successor, predecessor, kind, lag in (
        (second, first, "FS", 0),
        (third, first, "SS", 2),
        (third, second, "FF", -1),
        (first, last, "SF", 0),
    ):
        TaskDependency.objects.create(
            campaign=campaign, successor=successor, predecessor=predecessor, type=kind, lag_days=lag
        )
    expected_tasks, expected_links = _tasks(campaign), _links(campaign)

    exported = owner.get(f"/campaigns/{campaign.id}/plan.xlsx")
    assert exported.status_code == 200
    other = make_campaign(users)  # the same members, no plan
    assert not Task.objects.filter(campaign=other).exists()

    preview = _upload(owner, other, exported.content, confirm=False)
    assert preview.status_code == 200, preview.content
    assert preview.json()["rows"] == len(tasks) and not Task.objects.filter(campaign=other).exists()
    assert preview.json()["ignored_columns"] == []  # critical path and slack are worked out again, not warned of
    done = _upload(owner, other, exported.content, confirm=True)
    assert done.status_code == 200, done.content
    assert done.json()["created"] == len(tasks)
    assert _tasks(other) == expected_tasks
    assert _links(other) == expected_links
    # and again into the same campaign: every task updated by its code, nothing changed
    again = _upload(owner, other, exported.content, confirm=True)
    assert again.status_code == 200 and again.json()["updated"] == len(tasks), again.content
    assert _tasks(other) == expected_tasks and _links(other) == expected_links


def _titled_sheet(predecessor: str) -> bytes:
    return xlsx_bytes(
        [
            ["表2：任务分解与责任跟踪表"],
            ["任务"],  # a one-word heading is not the header
            [],
            ["Code", "Task name", "Owner", "Start", "End", "Predecessors"],
            ["X1", "海报", "member1", dt.date(2025, 6, 1), dt.date(2025, 6, 3), ""],
            ["X2", "投放", "王经理", dt.date(2025, 6, 4), dt.date(2025, 6, 9), "X1"],
            ["X3", "复盘", None, dt.date(2025, 6, 10), dt.date(2025, 6, 10), predecessor],
        ]
    )


def test_a_sheet_with_a_title_and_notes_above_the_header(api_for, users, campaign):
    content = _titled_sheet("X9")
    r = _upload(api_for(users["owner"]), campaign, content, confirm=True)
    assert r.status_code == 422
    # rows keep their spreadsheet numbers below the title; the unknown predecessor is named
    assert [(e["row"], e["column"], e["header"]) for e in r.json()["errors"]] == [(7, "depends_on", "Predecessors")]
    assert not Task.objects.filter(campaign=campaign, code__startswith="X").exists()
    r = _upload(api_for(users["owner"]), campaign, _titled_sheet("X2"), confirm=True)
    assert r.status_code == 200, r.content
    x2 = Task.objects.get(campaign=campaign, code="X2")
    assert x2.owner.username == "owner1" and x2.end_date == dt.date(2025, 6, 9)
    assert {("X2", "X1"), ("X3", "X2")} <= {(s, p) for s, p, *_ in _links(campaign)}


def test_predecessors_and_progress_cells():
    assert parse_predecessors("T001, T002SS+2、T003ff-1\nT004FS+0") == [
        {"task": "T001", "type": "FS", "lag_days": 0},
        {"task": "T002", "type": "SS", "lag_days": 2},
        {"task": "T003", "type": "FF", "lag_days": -1},
        {"task": "T004", "type": "FS", "lag_days": 0},
    ]
    assert parse_predecessors("") == [] and parse_predecessors(None) == []
    with pytest.raises(ValueError):
        parse_predecessors("T001,,T002")
    table = [
        ["任务ID", "任务名称", "进度%", "前置任务", "起止时间"],
        ["T1", "a", 0.4, ""],
        ["T2", "b", "60%", "T2"],
        ["T3", "c", 120, "T1"],
        ["T4", "d", "50", "T1FS+2"],
        ["T5", "e", "", "", "1999.12.20-1.5"],  # the years every date field takes: 2000–2100
    ]
    result = parse_rows(table, year=2025)
    assert [(e["row"], e["column"], e["message"]) for e in result.errors] == [
        (3, "depends_on", "self_dependency"),
        (4, "progress", "bad_progress"),
        (6, "period", "date_range"),
    ]
    assert [(r["code"], r["progress"], r["depends_on"]) for r in result.rows] == [
        ("T1", 40, []),
        ("T4", 50, [{"task": "T1", "type": "FS", "lag_days": 2}]),
    ]


def test_the_columns_not_read_are_named_in_file_order():
    # "进度" and "备注" are no column the importer knows; a second task name column is not read either
    table = [["任务ID", "进度", "任务名称", "", "备注", "任务名称", 2025], ["T1", "60%", "a", "", "x", "b", 1]]
    result = parse_rows(table, year=2025)
    assert result.errors == [] and result.rows[0]["name"] == "a"
    assert result.ignored == ["进度", "备注", "任务名称", "2025"]
    assert parse_rows([["任务ID", "任务名称"], ["T1", "a"]], year=2025).ignored == []


def test_the_preview_and_the_import_name_the_columns_not_read(api_for, users, campaign):
    content = "任务ID,任务名称,进度,起止时间,备注\nZ1,海报,60%,6.1-6.5,加急\n".encode()
    owner = api_for(users["owner"])
    preview = _upload(owner, campaign, content, confirm=False, name="wbs.csv")
    assert preview.status_code == 200 and preview.json()["ignored_columns"] == ["进度", "备注"]
    done = _upload(owner, campaign, content, confirm=True, name="wbs.csv")
    assert done.status_code == 200 and done.json()["ignored_columns"] == ["进度", "备注"]
    assert done.json()["created"] == 1 and Task.objects.get(campaign=campaign, code="Z1").progress == 0
    refused = _upload(owner, campaign, content.replace(b"6.1-6.5", b"6.1-6.x"), confirm=False, name="wbs.csv")
    assert refused.status_code == 422 and refused.json()["ignored_columns"] == ["进度", "备注"]
