"""Metric import errors in the reader's language: the row as the spreadsheet numbers it (the header is
row 1) and the column by its header text in the file — "第 3 行「曝光量」列：不是数字（“abc”）".

The parser words its errors in English and adds a `code` with `params`; this words them again for the
active language when they are shown (a background job's stored errors too, so each reader gets theirs).
The machine keys (`field`: rows[i].value, `row`, `line`) stay as they are."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from campaignflow.core.domain.dates import FIRST_YEAR, LAST_YEAR
from campaignflow.core.shown_numbers import number_shown


def _limit(text) -> str:
    value = Decimal(str(text))
    return number_shown(value)


def problem_text(code: str, params: dict) -> str | None:
    """The problem alone, translated; None for an error without a known code."""
    if code == "not_number":
        return _("not a number (“%(value)s”)") % params
    if code == "not_date":
        return _("not a date (“%(value)s”); write e.g. 2025-06-01") % params
    if code == "date_range":
        return _("the date must be between %(first)s and %(last)s") % {"first": FIRST_YEAR, "last": LAST_YEAR}
    if code == "required":
        return _("empty; this column needs a value")
    if code == "too_long":
        return _("longer than %(limit)s characters") % params
    if code == "negative":
        return _("must not be negative")
    if code == "too_large":
        return _("too large (must be less than %(limit)s)") % {"limit": _limit(params["limit"])}
    if code == "duplicate":
        if params.get("line") is not None:
            return _("same date, channel and metric as row %(line)s") % params
        return _("same date, channel and metric as rows[%(row)s]") % params
    if code == "extra_cells":
        count = params.get("count", 1)
        return ngettext("%(count)s more cell than the header", "%(count)s more cells than the header", count) % {
            "count": count
        }
    if code == "not_object":
        return _("each row must be an object {date, channel, metric, value}")
    if code == "no_rows":
        return _("no rows")
    return None


def localized(errors: list[dict]) -> list[dict]:
    """Copies of the errors with `message` (row, column and problem) and `problem` in the active language."""
    out = []
    for error in errors or []:
        problem = problem_text(error.get("code", ""), error.get("params") or {})
        if problem is None:
            out.append(error)
            continue
        if error.get("line") is not None and error.get("column"):
            message = _("Row %(line)s, column “%(column)s”: %(problem)s") % {
                "line": error["line"],
                "column": error["column"],
                "problem": problem,
            }
        elif error.get("line") is not None:
            message = _("Row %(line)s: %(problem)s") % {"line": error["line"], "problem": problem}
        else:
            message = problem  # rows sent as JSON: `field` names the row
        out.append({**error, "message": message, "problem": problem})
    return out


# The header words people use for each column (parsers.HEADERS), for the missing-column message.
_COLUMN_WORDS = {"date": "日期", "channel": "渠道", "metric": "指标", "value": "数值"}


def refusal_text(exc) -> str:
    """A refused file (parsers.FileRefused) explained in the active language (each refusal has its code)."""
    code, params = getattr(exc, "code", ""), getattr(exc, "params", {})
    if code == "missing_columns":
        zh = (get_language() or "zh-hans").startswith("zh")
        names = ", ".join(
            f"{_COLUMN_WORDS[c]}（{c}）" if zh else f"{c} ({_COLUMN_WORDS[c]})" for c in params["columns"]
        )
        return _(
            "Missing column(s): %(columns)s. The first row must name the columns 日期/date, 渠道/channel, "
            "指标/metric, 数值/value."
        ) % {"columns": names}
    said = FILE_REFUSALS.get(code)
    if said is not None:
        return said(params)
    return str(exc)


# A refused file's code (parsers.FileRefused) → its text in the active language, from its params.
FILE_REFUSALS = {
    "empty": lambda p: _("The file is empty."),
    "no_data_rows": lambda p: _("The file has a header row but no data rows."),
    "too_many_rows": lambda p: _("Too many rows: at most %(limit)s per import.") % {"limit": f"{p['limit']:,}"},
    "encoding": lambda p: _("The file is neither UTF-8 nor GBK/GB18030 text: save it as CSV (UTF-8) or XLSX."),
    "old_xls": lambda p: _("Old .xls files are not supported: save the sheet as .xlsx or CSV."),
    "not_text": lambda p: _(
        "The file is not a CSV text file (it contains NUL characters): save it as CSV (UTF-8) or XLSX."
    ),
    "malformed_csv": lambda p: _(
        "The CSV file is malformed (an unclosed quote or a cell far too long): check it in Excel."
    ),
    "not_xlsx": lambda p: _("The file is not a valid XLSX workbook: save it from Excel or WPS as .xlsx, or as CSV."),
    "xlsx_unsafe": lambda p: _(
        "The XLSX file was refused for safety (it expands to an implausible size or declares XML entities)."
    ),
    "xlsx_corrupt": lambda p: _(
        "The XLSX file is damaged and cannot be read: open it in Excel or WPS and save it again."
    ),
}
