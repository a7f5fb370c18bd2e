"""Stage-gate registry. Each app registers small condition functions for a lifecycle move.

A condition takes the campaign and returns None when it holds, or one human-readable line
saying what is unmet (e.g. "3 tasks have no owner"). Later capabilities add their own
(budget approved, a core KPI with a target, evaluation complete) with `@gate(...)`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .domain import lifecycle as lc

Condition = Callable[["Campaign"], "str | None"]  # noqa: F821


@dataclass(frozen=True)
class GateCondition:
    key: str
    label: object  # lazy text shown when the condition holds
    check: Condition


_REGISTRY: dict[tuple[str, str], list[GateCondition]] = defaultdict(list)


def gate(from_status: str, to_status: str, *, key: str, label):
    """Register a condition for the move from_status → to_status (idempotent per key)."""

    def register(fn: Condition) -> Condition:
        conditions = _REGISTRY[(from_status, to_status)]
        if all(c.key != key for c in conditions):
            conditions.append(GateCondition(key=key, label=label, check=fn))
        return fn

    return register


def conditions_for(from_status: str, to_status: str) -> list[GateCondition]:
    return list(_REGISTRY.get((from_status, to_status), []))


def unmet_conditions(campaign, to_status: str) -> list[str]:
    if not lc.is_gated(campaign.status, to_status):
        return []
    unmet = []
    for condition in conditions_for(campaign.status, to_status):
        message = condition.check(campaign)
        if message:
            unmet.append(str(message))
    return unmet


def checklist(campaign, to_status: str) -> list[tuple[str, bool]]:
    """Every condition of a move as (text, met) for the lifecycle bar; met ones show their name."""
    items = []
    for condition in conditions_for(campaign.status, to_status):
        message = condition.check(campaign)
        items.append((str(message) if message else str(condition.label), not message))
    return items


def some_of(rows, count: int, text: Callable[[object], str] = str) -> str:
    """A message's list of the unmet items: the first ten of the `count` rows as `text` words them, "…" after
    them when there are more (only those ten are read)."""
    return ", ".join(text(row) for row in rows[:10]) + ("…" if count > 10 else "")


def _today() -> dt.date:
    return timezone.localdate()


# --- Conditions this app's own models can check ------------------------------------------


@gate(lc.PREPARING, lc.PLANNING, key="campaign.owner", label=gettext_lazy("A campaign owner is assigned"))
def has_owner(campaign):
    return None if campaign.owner_id else _("No campaign owner (总负责人) is assigned.")


@gate(lc.PREPARING, lc.PLANNING, key="campaign.goals", label=gettext_lazy("The goals are written"))
def has_goal_statement(campaign):
    return None if campaign.description.strip() else _("The campaign's goals (description) are not written yet.")


@gate(lc.PREPARING, lc.PLANNING, key="campaign.budget_total", label=gettext_lazy("A budget total is set"))
def has_budget_total(campaign):
    if campaign.budget_total is None or campaign.budget_total <= 0:
        return _("No budget total is set.")
    return None


@gate(lc.EXECUTING, lc.REVIEWING, key="campaign.started", label=gettext_lazy("The campaign has started"))
def has_started(campaign):
    if campaign.start_date > _today():
        return _("The campaign has not started yet (starts %(date)s).") % {"date": campaign.start_date.isoformat()}
    return None


@gate(lc.REVIEWING, lc.ARCHIVED, key="campaign.ended", label=gettext_lazy("The campaign has ended"))
def has_ended(campaign):
    if campaign.end_date >= _today():
        return _("The campaign has not ended yet (ends %(date)s).") % {"date": campaign.end_date.isoformat()}
    return None
