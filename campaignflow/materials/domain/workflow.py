"""A material's review workflow, as plain data and functions (no Django).

draft ──submit──▶ in_review ──every required side approves──▶ approved ──accept (验收)──▶ accepted
                     │  ▲                                        │
      request changes▼  │ submit / a new revision                │ a new revision
              changes_requested ◀────────────────────────────────┘ (review starts again)

Approvals count per revision: a new file is a new revision, and what was approved before no longer is.
Co-branded material (`partner_approval`) needs both brands' approval (seed 000: 保证双方品牌露出).
"""

from __future__ import annotations

DRAFT, IN_REVIEW, CHANGES_REQUESTED, APPROVED, ACCEPTED = (
    "draft",
    "in_review",
    "changes_requested",
    "approved",
    "accepted",
)
HOST, PARTNER = "host", "partner"

# status → the moves a PATCH of `status` (or the action endpoints) may make from it
MOVES: dict[str, tuple[str, ...]] = {
    DRAFT: (IN_REVIEW,),
    IN_REVIEW: (CHANGES_REQUESTED, APPROVED),
    CHANGES_REQUESTED: (IN_REVIEW,),
    APPROVED: (ACCEPTED, IN_REVIEW),
    ACCEPTED: (),
}


def allowed_moves(status: str) -> tuple[str, ...]:
    return MOVES.get(status, ())


def required_sides(partner_approval: bool) -> tuple[str, ...]:
    return (HOST, PARTNER) if partner_approval else (HOST,)


def status_after_upload(status: str) -> str:
    """A new revision: under review or reviewed → review starts again; a draft stays a draft."""
    return DRAFT if status == DRAFT else IN_REVIEW


def status_after_approval(approved_sides: set[str], partner_approval: bool) -> str:
    """In review until every required side approved the current revision."""
    return APPROVED if set(required_sides(partner_approval)) <= approved_sides else IN_REVIEW


def is_late(status: str, due_date, today) -> bool:
    """Not accepted (验收) by its due date: the alert's condition (seed 002: 物料需在活动前3天完成验收)."""
    return due_date is not None and due_date < today and status != ACCEPTED


def region_errors(page, x, y, w, h) -> dict[str, str]:
    """A comment's box on the preview: all four of x, y, w, h or none; fractions of the preview within 0–1.
    Returns {field: message key} for what is wrong (the service words it)."""
    box = {"x": x, "y": y, "w": w, "h": h}
    given = {k: v for k, v in box.items() if v is not None}
    errors: dict[str, str] = {}
    if page is not None and page < 1:
        errors["page"] = "page"
    if not given:
        return errors
    if len(given) != 4:
        for k in box:
            if box[k] is None:
                errors[k] = "box_incomplete"
        return errors
    for k, v in box.items():
        if not 0 <= v <= 1:
            errors[k] = "fraction"
    if not errors:
        if w <= 0 or x + w > 1 + 1e-9:
            errors["w"] = "outside"
        if h <= 0 or y + h > 1 + 1e-9:
            errors["h"] = "outside"
    return errors
