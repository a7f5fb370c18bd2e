"""Parse a WBS sheet (seed 002 table 2) into task rows. Pure: cells in, rows + errors out.

Headers may be Chinese or English: 任务ID/code, 任务名称/name, 所属阶段/phase, 模块/module,
负责人/owner, 起止时间 (e.g. "6.1-6.5" or "2024-06-01~2024-06-05") or 开始/start + 结束/end,
交付物/deliverable, 进度状态/status, 滞后原因/delay_reason, 里程碑/milestone.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

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
}
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


@dataclass
class ParseResult:
    rows: list[dict] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)  # {row, column, message}
    columns: list[str] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)  # column key → its header text in the file


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
    header_row, header_cells = table[0]
    header = _header_map(header_cells)
    result.columns = list(header.values())
    result.headers = {key: str(header_cells[i]).strip() for i, key in header.items()}
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
        if row.get("start_date") and row.get("end_date") and row["end_date"] < row["start_date"]:
            errs.append(("end_date", "end_before_start"))
        status = text("status", 20)
        if status:
            value = STATUSES.get(status) or (status.lower() if status.lower() in STATUS_VALUES else None)
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
        for column, message in errs:
            result.errors.append({"row": n, "column": column, "message": message})
        if not errs:
            row["_row"] = n
            result.rows.append(row)
    return result
