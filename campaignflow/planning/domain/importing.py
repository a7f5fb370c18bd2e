"""Parse a WBS sheet (seed 002 table 2) into task rows. Pure: cells in, rows + errors out.

Headers may be Chinese or English: 任务ID/code, 任务名称/name, 所属阶段/phase, 模块/module,
负责人/owner, 起止时间 (e.g. "6.1-6.5" or "2024-06-01~2024-06-05") or 开始/start + 结束/end,
交付物/deliverable, 进度状态/status, 进度%/progress, 滞后原因/delay_reason, 前置任务/predecessors (task IDs,
"T001, T002SS+2" as the plan export writes them), 里程碑/milestone. The header row is the first one that names
the task name column: a title or notes above it (the plan export's title, a template's heading) are skipped.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from campaignflow.core.domain.dates import in_range

HEADERS = {
    "code": ("任务id", "任务编号", "编号", "code", "id", "task id"),
    "name": ("任务名称", "任务", "name", "task", "task name"),
    "phase": ("所属阶段", "阶段", "phase"),
    "module": ("模块", "所属模块", "module"),
    "owner": ("负责人", "owner"),
    "period": ("起止时间", "起止日期", "dates", "period"),
    "start_date": ("开始", "开始时间", "开始日期", "start", "start date", "start_date"),
    "end_date": ("结束", "结束时间", "结束日期", "截止", "截止日期", "end", "end date", "end_date", "due"),
    "deliverable": ("交付物", "deliverable", "output"),
    "status": ("进度状态", "状态", "status"),
    "delay_reason": ("滞后原因", "滞后原因（若适用）", "滞后原因(若适用)", "delay reason", "delay_reason"),
    "milestone": ("里程碑", "milestone"),
    "acceptance": ("验收标准", "acceptance"),
    "progress": ("进度%", "进度(%)", "进度（%）", "完成度", "progress", "progress%", "progress %", "progress (%)"),
    "depends_on": (
        "前置任务",
        "紧前任务",
        "依赖",
        "依赖任务",
        "predecessors",
        "depends on",
        "depends_on",
        "dependencies",
    ),
}
# Columns our own exports add that are worked out, not entered (plan.xlsx's critical path and slack, tasks.csv's
# owner role): skipped without a word when the file comes back; any other column not read is named.
DERIVED = {"关键路径", "浮动天数", "负责角色", "critical path", "critical", "slack", "float", "owner role"}
STATUSES = {
    "未开始": "not_started",
    "进行中": "in_progress",
    "已完成": "done",
    "完成": "done",
    "滞后": "delayed",
    "阻塞": "blocked",
    "受阻": "blocked",
}
STATUS_VALUES = ("not_started", "in_progress", "done", "delayed", "blocked")
TRUE = {"1", "true", "yes", "y", "是", "√", "✓", "◆"}
MAX_ROWS = 5000
HEADER_SEARCH = 10  # rows with content above the header (a title, notes) that are skipped
# A predecessor as the plan export writes it: "T001", or "T001SS+2" / "T001FS-1" with its type and lag in days.
_PREDECESSOR = re.compile(r"^(?P<task>.+?)(?:(?P<type>FS|SS|FF|SF)(?P<lag>[+-]\d{1,4}))?$", re.IGNORECASE)
_LIST_SEPARATORS = re.compile(r"\s*[,，、;；\n]\s*")


@dataclass
class ParseResult:
    rows: list[dict] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)  # {row, column, message}
    columns: list[str] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)  # column key → its header text in the file
    # the header texts of the columns not read (unknown, or a second column of a kind already read), in file order:
    # the preview names them, so a column such as "进度" or "备注" is not dropped without a word
    ignored: list[str] = field(default_factory=list)


def _norm(text) -> str:
    return re.sub(r"\s+", " ", str(text or "")).strip().lower()


def _header_map(header: list) -> dict[int, str]:
    lookup = {alias: key for key, aliases in HEADERS.items() for alias in aliases}
    out = {}
    for i, cell in enumerate(header):
        name = _norm(cell)
        key = lookup.get(name) or lookup.get(re.sub(r"[（(].*[)）]$", "", name).strip())
        if key and key not in out.values():
            out[i] = key
    return out


def _header_row(table: list[tuple[int, list]]) -> int:
    """The index (in `table`) of the header row: the first of the first rows that names the task name column and
    another known one (a title such as "任务" alone is not a header), else the first naming the task name column,
    else the first row (whose missing name column is then reported)."""
    fallback = None
    for i, (_n, cells) in enumerate(table[: HEADER_SEARCH + 1]):
        keys = set(_header_map(cells).values())
        if "name" in keys:
            if len(keys) > 1:
                return i
            if fallback is None:
                fallback = i
    return fallback or 0


def parse_predecessors(value) -> list[dict]:
    """A predecessors cell: task IDs separated by commas (or 、 ; line breaks), each maybe followed by its type and
    lag ("T002SS+2", "T003FS-1") as the plan export writes them → [{task, type, lag_days}]. ValueError otherwise."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value or "").strip()
    out = []
    for part in _LIST_SEPARATORS.split(text) if text else ():
        m = _PREDECESSOR.match(part)
        if not part or not m or len(m["task"]) > 20:
            raise ValueError(part)
        out.append({"task": m["task"], "type": (m["type"] or "FS").upper(), "lag_days": int(m["lag"] or 0)})
    return out


def _progress(value) -> int:
    """A progress cell: 0–100, "60%" or a fraction of a cell formatted as a percentage (0.6)."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | float):
        number = round(value * 100, 6) if isinstance(value, float) and 0 < value < 1 else value
    else:
        text = str(value).strip().removesuffix("%").strip()
        if not re.fullmatch(r"\d{1,3}(?:\.0+)?", text):
            raise ValueError(value)
        number = float(text)
    if number != int(number) or not 0 <= number <= 100:
        raise ValueError(value)
    return int(number)


def parse_date(value, year: int) -> dt.date | None:
    """A date cell: a date, 2024-06-01, 2024/6/1, 2024.6.1, 6.1 or 6月1日 (year taken from `year`)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    m = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", text)
    if m:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    m = re.fullmatch(r"(\d{1,2})[-/.月](\d{1,2})日?", text)
    if m:
        return dt.date(year, int(m[1]), int(m[2]))
    raise ValueError(text)


def parse_range(text: str, year: int) -> tuple[dt.date, dt.date]:
    """ "6.1-6.5", "2024.6.1-6.30", "2024-06-01~2024-06-05", "6月1日至6月5日"."""
    text = str(text).strip()
    m = re.fullmatch(r"(\d{4}-\d{1,2}-\d{1,2})\s*-\s*(\d{4}-\d{1,2}-\d{1,2})", text)
    if m:
        parts = [m[1], m[2]]
    else:
        parts = re.split(r"\s*(?:~|～|至|到|—|–)\s*", text)
        if len(parts) != 2:
            m = re.fullmatch(r"([^-]+)-([^-]+)", text)  # "6.1-6.5", "2024.6.1-6.30"
            if not m:
                raise ValueError(text)
            parts = [m[1].strip(), m[2].strip()]
    start = parse_date(parts[0], year)
    end = parse_date(parts[1], start.year)
    if end < start and end.year == start.year and not re.match(r"\d{4}", parts[1]):
        end = end.replace(year=start.year + 1)
    return start, end


def parse_rows(table: list[list], *, year: int) -> ParseResult:
    """Rows of cells (first row the header) → cleaned task dicts; every error names row and column.

    Row numbers are spreadsheet rows (the header is row 1).
    """
    result = ParseResult()
    # (spreadsheet row, cells) of the rows with content: blank lines keep their place in the numbering
    table = [(n, r) for n, r in enumerate(table, start=1) if any(str(c).strip() for c in r if c is not None)]
    if not table:
        result.errors.append({"row": 1, "column": "", "message": "empty"})
        return result
    at = _header_row(table)
    header_row, header_cells = table[at]
    table = table[at:]  # the rows above the header (a title) are not tasks
    header = _header_map(header_cells)
    result.columns = list(header.values())
    result.headers = {key: str(header_cells[i]).strip() for i, key in header.items()}
    result.ignored = [
        str(cell).strip()
        for i, cell in enumerate(header_cells)
        if i not in header and str(cell or "").strip() and _norm(cell) not in DERIVED
    ]
    if "name" not in header.values():
        result.errors.append({"row": header_row, "column": "name", "message": "missing_name_column"})
        return result
    if len(table) - 1 > MAX_ROWS:
        result.errors.append({"row": MAX_ROWS + 2, "column": "", "message": "too_many_rows"})
        return result
    seen_codes: dict[str, int] = {}
    for n, raw in table[1:]:
        cells = {key: raw[i] if i < len(raw) else None for i, key in header.items()}
        row: dict = {}
        errs = []

        def text(key, limit, cells=cells, errs=errs):
            value = cells.get(key)
            if value is None:
                return ""
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            value = str(value).strip()
            if len(value) > limit:
                errs.append((key, "too_long"))
            return value

        row["code"] = text("code", 20)
        if row["code"] in ("-", "—"):
            row["code"] = ""
        if row["code"]:
            if row["code"] in seen_codes:
                errs.append(("code", "duplicate_code"))
            seen_codes[row["code"]] = n
        row["name"] = text("name", 200)
        if not row["name"]:
            errs.append(("name", "required"))
        for key, limit in (("phase", 200), ("module", 200), ("deliverable", 500), ("acceptance", 500)):
            if key in cells:
                row[key] = text(key, limit)
        reason = text("delay_reason", 500)
        row["delay_reason"] = "" if reason in ("-", "—", "/", "无") else reason
        owner = text("owner", 150)
        if owner:
            row["owner"] = owner
        if "period" in cells and cells["period"] not in (None, ""):
            try:
                row["start_date"], row["end_date"] = parse_range(cells["period"], year)
            except ValueError:
                errs.append(("period", "bad_range"))
        for key in ("start_date", "end_date"):
            value = cells.get(key)
            if value not in (None, ""):
                try:
                    row[key] = parse_date(value, year)
                except ValueError:
                    errs.append((key, "bad_date"))
        for key in ("start_date", "end_date"):
            if row.get(key) and not in_range(row[key]):  # the years every date field takes (core.domain.dates)
                errs.append((key if cells.get(key) not in (None, "") else "period", "date_range"))
        if row.get("start_date") and row.get("end_date") and row["end_date"] < row["start_date"]:
            errs.append(("end_date", "end_before_start"))
        status = text("status", 20)
        if status:
            code = re.sub(r"\s+", "_", status.lower())  # the English labels too: "Not started", "In progress"
            value = STATUSES.get(status) or (code if code in STATUS_VALUES else None)
            if value is None and re.match(r"^滞后", status):
                value = "delayed"
            if value is None:
                errs.append(("status", "bad_status"))
            else:
                row["status"] = value
                if value == "delayed" and not row["delay_reason"]:
                    errs.append(("delay_reason", "reason_required"))
        if "milestone" in cells:
            row["milestone"] = _norm(cells["milestone"]) in TRUE
        if cells.get("progress") not in (None, ""):
            try:
                row["progress"] = _progress(cells["progress"])
            except ValueError:
                errs.append(("progress", "bad_progress"))
        if "depends_on" in cells:
            try:
                row["depends_on"] = parse_predecessors(cells["depends_on"])
            except ValueError:
                errs.append(("depends_on", "bad_predecessors"))
            else:
                if row["code"] and any(d["task"] == row["code"] for d in row["depends_on"]):
                    errs.append(("depends_on", "self_dependency"))
        for column, message in errs:
            result.errors.append({"row": n, "column": column, "message": message})
        if not errs:
            row["_row"] = n
            result.rows.append(row)
    return result
