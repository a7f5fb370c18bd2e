"""Settlement statement as XLSX (openpyxl), safe against formula injection."""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from campaignflow.reports.safe import guard_sheet


def settlement_xlsx(campaign, data: dict) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _("Settlement")[:31]
    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="E8EEF9")
    ws.append([_("Settlement statement"), campaign.name])
    ws["A1"].font = Font(bold=True, size=14)
    if data["error"]:
        ws.append([data["error"]])
        return _save(wb)
    statement = data["statement"]
    ws.append([_("Total approved cost"), statement.total_cost])
    ws.append([])
    header = [_("Party"), _("Share"), _("Owed"), _("Paid"), _("Balance (+ receives / − pays)")]
    ws.append(header)
    for cell in ws[ws.max_row]:
        cell.font, cell.fill = bold, head_fill
    for row in data["rows"]:
        ws.append([row["name"], row["share"], row["owed"], row["paid"], row["balance"]])
        ws.cell(ws.max_row, 2).number_format = "0.00%"
        for col in (3, 4, 5):
            ws.cell(ws.max_row, col).number_format = "#,##0.00"
    ws.append([])
    ws.append([_("Transfers")])
    ws.cell(ws.max_row, 1).font = bold
    ws.append([_("From"), _("To"), _("Amount")])
    for cell in ws[ws.max_row]:
        cell.font, cell.fill = bold, head_fill
    for t in data["transfers"]:
        ws.append([t["payer"], t["payee"], t["amount"]])
        ws.cell(ws.max_row, 3).number_format = "#,##0.00"
    ws.append([])
    ws.append([_("Costs by budget line")])
    ws.cell(ws.max_row, 1).font = bold
    ws.append([_("Category"), _("Item"), *[data["names"][p] for p in data["order"]]])
    for cell in ws[ws.max_row]:
        cell.font, cell.fill = bold, head_fill
    for row in data["lines"]:
        ws.append([row["category_label"], row["line"].item, *[row["parts"].get(p, 0) for p in data["order"]]])
    ws.append([])
    ws.append([_("Sign-offs")])
    ws.cell(ws.max_row, 1).font = bold
    for s in data["signoffs"]:
        ws.append(
            [
                s["name"],
                s["user"],
                timezone.localtime(s["at"]).strftime("%Y-%m-%d %H:%M"),
                "" if s["current"] else _("outdated"),
            ]
        )
    for col, width in zip("ABCDE", (28, 28, 16, 16, 22), strict=True):
        ws.column_dimensions[col].width = width
    ws["A1"].alignment = Alignment(vertical="center")
    return _save(wb)


def _save(wb) -> bytes:
    guard_sheet(wb.active)  # formula injection (reports.safe)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
