"""Plan files: WBS import (CSV/XLSX → preview → confirm), XLSX export, iCalendar feeds."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from typing import NamedTuple

from django.utils.translation import gettext as _

from campaignflow.accounts.models import User
from campaignflow.core.errors import DomainError, InvalidInput
from campaignflow.core.parsing import range_message
from campaignflow.reports.safe import guard_sheet

from .domain.importing import parse_rows

MAX_UPLOAD = 5 * 1024 * 1024
MAX_ZIP_RATIO_BYTES = 100 * 1024 * 1024  # refuse XLSX "zip bombs"


class TooLarge(DomainError):
    status = 413


MESSAGES = {
    "empty": lambda: _("The file has no rows."),
    "missing_name_column": lambda: _("No task name column (任务名称 / name) in the header row."),
    "too_many_rows": lambda: _("Too many rows (at most 5,000)."),
    "too_long": lambda: _("Too long."),
    "duplicate_code": lambda: _("This task ID appears twice in the file."),
    "required": lambda: _("Required."),
    "bad_range": lambda: _("Not a date range (e.g. 6.1-6.5 or 2024-06-01~2024-06-05)."),
    "bad_date": lambda: _("Not a valid date (use YYYY-MM-DD)."),
    "date_range": range_message,
    "end_before_start": lambda: _("The end date is before the start date."),
    "bad_status": lambda: _("Unknown status (use 未开始/进行中/已完成/滞后 or not_started/in_progress/done/delayed)."),
    "reason_required": lambda: _("A delayed task needs a delay reason."),
    "unknown_owner": lambda: _("Not a member of this campaign (use the username or display name)."),
    "bad_progress": lambda: _("Progress is a whole number from 0 to 100."),
    "bad_predecessors": lambda: _("Not a list of task IDs (e.g. T001, T002SS+2)."),
    "self_dependency": lambda: _("A task cannot depend on itself."),
    "unknown_predecessor": lambda: _("No task with this ID in the file or in the campaign."),
}


def read_table(name: str, content: bytes) -> list[list]:
    if len(content) > MAX_UPLOAD:
        raise TooLarge(_("The file is larger than %(mb)d MB.") % {"mb": MAX_UPLOAD // (1024 * 1024)})
    lower = (name or "").lower()
    if lower.endswith((".xlsx", ".xlsm", ".xls", ".ods")) or content[:2] == b"PK":
        return _read_xlsx(content)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InvalidInput({"file": _("The file is neither UTF-8 nor GBK text, nor an XLSX workbook.")})
    if "\x00" in text:
        raise InvalidInput({"file": _("The file is not a text (CSV) file.")})
    try:
        return [row for row in csv.reader(io.StringIO(text))]
    except csv.Error as exc:
        raise InvalidInput({"file": _("Cannot read the CSV file: %(e)s") % {"e": exc}}) from None


def _read_xlsx(content: bytes) -> list[list]:
    import defusedxml  # noqa: F401  (calamine parses XML in Rust; defusedxml guards any Python XML use)
    from python_calamine import CalamineWorkbook

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as zf:
            if sum(i.file_size for i in zf.infolist()) > MAX_ZIP_RATIO_BYTES:
                raise TooLarge(_("The workbook expands to more than 100 MB."))
    except zipfile.BadZipFile:
        if content[:2] == b"PK":
            raise InvalidInput({"file": _("The workbook is damaged and cannot be read.")}) from None
    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(content))
        return wb.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception:
        raise InvalidInput({"file": _("The workbook is damaged and cannot be read.")}) from None


class Preview(NamedTuple):
    rows: list[dict]  # ready for services.tasks_import
    errors: list[dict]  # [{row, column, header, message, problem}]
    ignored: list[str]  # the header texts of the file's columns that are not read


def preview(campaign, name: str, content: bytes) -> Preview:
    """The file's rows, the problems of each and the columns it does not read — nothing is written. An error's
    `row` is the spreadsheet row (header = row 1), `column` the field key, `header` the column's text in the
    file; `message` names both in the reader's language, `problem` is the problem alone."""
    table = read_table(name, content)
    result = parse_rows(table, year=campaign.start_date.year)
    members = list(User.objects.filter(memberships__campaign=campaign).distinct())
    by_name = {u.username: u for u in members} | {u.display_name: u for u in members if u.display_name}
    errors = [dict(e) for e in result.errors]
    rows = []
    codes = None  # the task IDs a predecessor may name: the file's and the campaign's
    if any(row.get("depends_on") for row in result.rows):
        from .models import Task

        codes = {row["code"] for row in result.rows if row["code"]}
        codes |= set(Task.objects.filter(campaign=campaign).values_list("code", flat=True))
    for row in result.rows:
        n = row.pop("_row")
        owner = row.get("owner")
        if owner:
            user = by_name.get(owner)
            if user is None:
                errors.append({"row": n, "column": "owner", "message": "unknown_owner"})
                continue
            row["owner"] = user.username
        if codes is not None and any(d["task"] not in codes for d in row.get("depends_on", ())):
            errors.append({"row": n, "column": "depends_on", "message": "unknown_predecessor"})
            continue
        row["_row"] = n
        rows.append(row)
    for e in errors:
        problem = MESSAGES.get(e["message"], lambda m=e["message"]: m)()
        e["header"] = result.headers.get(e["column"], "")  # the column as the file names it
        if e["header"]:
            e["message"] = _("Row %(line)s, column “%(column)s”: %(problem)s") % {
                "line": e["row"],
                "column": e["header"],
                "problem": problem,
            }
        else:
            e["message"] = _("Row %(line)s: %(problem)s") % {"line": e["row"], "problem": problem}
        e["problem"] = problem
    errors.sort(key=lambda e: (e["row"], e["column"]))
    return Preview(rows, errors, result.ignored)


def rows_for_import(rows: list[dict]) -> list[dict]:
    return [{k: v for k, v in r.items() if k != "_row"} for r in rows]


# --- export -------------------------------------------------------------------------------------


def export_xlsx(campaign, tasks: list, analysis: dict, users: dict) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    from .models import TaskStatus

    status_zh = {
        TaskStatus.NOT_STARTED: "未开始",
        TaskStatus.IN_PROGRESS: "进行中",
        TaskStatus.DONE: "已完成",
        TaskStatus.DELAYED: "滞后",
        TaskStatus.BLOCKED: "阻塞",
    }
    wb = Workbook()
    ws = wb.active
    ws.title = "任务分解与责任跟踪表"
    ws.append([f"{campaign.name} — 表2：任务分解与责任跟踪表"])
    ws["A1"].font = Font(bold=True, size=13)
    header = [
        "任务ID",
        "任务名称",
        "所属阶段",
        "模块",
        "负责人",
        "开始",
        "结束",
        "起止时间",
        "交付物",
        "进度状态",
        "进度%",
        "滞后原因",
        "前置任务",
        "里程碑",
        "关键路径",
        "浮动天数",
    ]
    ws.append(header)
    for cell in ws[2]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="2F5597")
        cell.alignment = Alignment(horizontal="center")
    codes = {t.pk: t.code for t in tasks}
    for t in tasks:
        info = analysis.get(t.pk, {})
        owner = users.get(t.owner_id)
        preds = ", ".join(
            f"{codes.get(d.predecessor_id, d.predecessor_id)}{d.type}{'+' if d.lag_days >= 0 else ''}{d.lag_days}"
            if (d.type != "FS" or d.lag_days)
            else str(codes.get(d.predecessor_id, d.predecessor_id))
            for d in t.dependencies.all()
        )
        span = f"{t.start_date:%Y.%-m.%-d}-{t.end_date:%-m.%-d}" if t.start_date and t.end_date else ""
        ws.append(
            [
                t.code,
                t.name,
                t.phase,
                t.module,
                (owner.label if owner else ""),
                t.start_date,
                t.end_date,
                span,
                t.deliverable,
                status_zh.get(t.status, t.status),
                t.progress,
                t.delay_reason or "-",
                preds,
                "◆" if t.milestone else "",
                "是" if info.get("critical") else "",
                info.get("slack_days", ""),
            ]
        )
        for cell in ws[ws.max_row][5:7]:
            cell.number_format = "yyyy-mm-dd"
    widths = [8, 28, 12, 12, 12, 12, 12, 16, 24, 10, 8, 20, 16, 8, 8, 8]
    for i, w in enumerate(widths):
        ws.column_dimensions[chr(ord("A") + i)].width = w
    ws.freeze_panes = "C3"
    guard_sheet(ws)  # formula injection (reports.safe)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- iCalendar ----------------------------------------------------------------------------------


def calendar_ics(name: str, tasks: list, *, base_url: str = "") -> bytes:
    """Milestones and task deadlines as all-day events (one per task, on its due date)."""
    from django.utils import timezone
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//CampaignFlow//planning//ZH")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Asia/Shanghai")
    now = timezone.now()
    for t in tasks:
        if not t.end_date:
            continue
        event = Event()
        event.add("uid", f"task-{t.pk}@campaignflow")
        prefix = "◆ " if t.milestone else ""
        label = _("Milestone") if t.milestone else _("Due")
        event.add("summary", f"{prefix}[{t.campaign.name}] {t.code} {t.name}（{label}）")
        event.add("dtstart", t.end_date)
        event.add("dtend", t.end_date + dt.timedelta(days=1))
        event.add("dtstamp", now)
        if t.deliverable:
            event.add("description", f"{_('Deliverable')}: {t.deliverable}")
        if base_url:
            event.add("url", f"{base_url}/campaigns/{t.campaign_id}/plan/#task-{t.pk}")
        event.add("categories", ["milestone" if t.milestone else "deadline"])
        cal.add_component(event)
    return cal.to_ical()
