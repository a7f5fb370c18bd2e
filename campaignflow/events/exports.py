"""An event's registrations as a sheet (报名名单), in the reports' XLSX format: one row a person, one column
per question the event asked, phones masked as the reader's role requires."""

from __future__ import annotations

from django.http import StreamingHttpResponse

from campaignflow.reports.collect import DATETIME, TEXT, Sheet, chinese_labels
from campaignflow.reports.xlsx import workbook_response

from .models import RegistrationStatus


def registrations_sheet(event, rows: list[dict]) -> Sheet:
    statuses = chinese_labels(RegistrationStatus)
    questions = [(q.get("key"), q.get("label") or q.get("key")) for q in event.questions or []]
    columns = [
        ("序号", TEXT, 6),
        ("姓名", TEXT, 12),
        ("手机号", TEXT, 14),
        ("邮箱", TEXT, 22),
        ("渠道", TEXT, 12),
        ("状态", TEXT, 8),
        ("报名时间", DATETIME, 17),
        ("签到时间", DATETIME, 17),
        ("票码", TEXT, 16),
        *[(label, TEXT, 16) for _key, label in questions],
    ]

    def line(number, row):
        answers = row["answers"] or {}
        answered = [_answer(answers.get(key)) for key, _label in questions]
        person = ("（已删除）", "", "") if row["erased_at"] else (row["name"], row["phone"], row["email"])
        return (
            str(number), *person, row["channel"], statuses.get(row["status"], row["status"]),
            row["created_at"], row["checked_in_at"], row["ticket_code"], *answered,
        )  # fmt: skip

    ordered = sorted(rows, key=lambda r: (r["created_at"], r["id"]))
    return Sheet("报名名单", f"{event.name} 报名名单", columns, (line(i, r) for i, r in enumerate(ordered, 1)))


def _answer(value) -> str:
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return "" if value is None else str(value)


def registrations_xlsx_response(event, rows: list[dict]) -> StreamingHttpResponse:
    return workbook_response([registrations_sheet(event, rows)], f"registrations-{event.pk}.xlsx")
