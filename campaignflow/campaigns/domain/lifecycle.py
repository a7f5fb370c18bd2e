"""The campaign lifecycle as a pure state machine (the gate conditions live in gates.py)."""

from __future__ import annotations

from itertools import pairwise

PREPARING, PLANNING, EXECUTING, REVIEWING, ARCHIVED, CANCELLED = (
    "preparing",
    "planning",
    "executing",
    "reviewing",
    "archived",
    "cancelled",
)
ORDER = [PREPARING, PLANNING, EXECUTING, REVIEWING, ARCHIVED]
STATUSES = [*ORDER, CANCELLED]

# Forward moves are stage gates; one step back is allowed to reopen a stage; any open
# campaign can be cancelled, and a cancelled one can be reopened into preparation.
FORWARD = set(pairwise(ORDER))
BACKWARD = {(b, a) for a, b in pairwise(ORDER[:-1])}
CANCEL = {(s, CANCELLED) for s in ORDER[:-1]}
REOPEN = {(CANCELLED, PREPARING)}
ALLOWED = FORWARD | BACKWARD | CANCEL | REOPEN


def is_allowed(current: str, target: str) -> bool:
    return (current, target) in ALLOWED


def is_gated(current: str, target: str) -> bool:
    """Only forward moves check stage-gate conditions."""
    return (current, target) in FORWARD


def next_status(current: str) -> str | None:
    return next((b for a, b in FORWARD if a == current), None)


def moves_from(current: str) -> list[str]:
    return [b for a, b in sorted(ALLOWED, key=lambda m: STATUSES.index(m[1])) if a == current]


def stage_index(status: str) -> int:
    return ORDER.index(status) if status in ORDER else -1
