"""The materials list as the seeds keep it (《物料清单》, seed 001/003), one sheet in the reports' format:
the same sheet goes into the campaign workbook and into the list's own download."""

from __future__ import annotations

from django.http import StreamingHttpResponse

from campaignflow.reports.collect import DATE, DATETIME, NUM, TEXT, Sheet, chinese_labels
from campaignflow.reports.xlsx import workbook_response

from .models import LeftoverAction, MaterialKind, MaterialStatus


def _user(user) -> str:
    return user.label if user else ""


def materials_sheet(materials) -> Sheet:
    kinds, statuses = chinese_labels(MaterialKind), chinese_labels(MaterialStatus)
    leftovers = chinese_labels(LeftoverAction)
    return Sheet(
        "物料清单",
        "物料清单",
        [
            ("编号", TEXT, 8),
            ("物料名称", TEXT, 24),
            ("类型", TEXT, 10),
            ("数量", NUM, 8),
            ("单位", TEXT, 6),
            ("负责人", TEXT, 10),
            ("供应商", TEXT, 16),
            ("截止日期", DATE, 12),
            ("状态", TEXT, 8),
            ("双方审核", TEXT, 8),
            ("版本", NUM, 6),
            ("验收数量", NUM, 9),
            ("验收时间", DATETIME, 16),
            ("剩余数量", NUM, 9),
            ("剩余处理", TEXT, 8),
            ("存放位置", TEXT, 14),
            ("备注", TEXT, 24),
        ],
        (
            (
                m.code,
                m.name,
                kinds.get(m.kind, m.kind),
                m.quantity,
                m.unit,
                _user(m.owner),
                m.vendor,
                m.due_date,
                statuses.get(m.status, m.status),
                "是" if m.partner_approval else "",
                m.revision or None,
                m.received_quantity,
                m.accepted_at,
                m.leftover_quantity,
                leftovers.get(m.leftover_action, m.leftover_action),
                m.leftover_place,
                m.note,
            )
            for m in materials
        ),
    )


def materials_xlsx_response(campaign, materials) -> StreamingHttpResponse:
    return workbook_response([materials_sheet(materials)], f"materials-{campaign.pk}.xlsx")
