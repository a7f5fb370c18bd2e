"""The phone's writes. Each goes through the service the desktop uses (planning, execution, tracking, budgets,
materials); what this module adds is the version a phone form was read at, so that a form sent late (queued
while offline, or two phones at once) is refused with 409 instead of overwriting newer data."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaignflow.budgets import services as budget_services
from campaignflow.budgets.models import Budget, Expense
from campaignflow.campaigns.models import Campaign
from campaignflow.core.errors import InvalidInput, StaleVersion
from campaignflow.core.locking import refuse_if_stale
from campaignflow.planning import services as planning_services
from campaignflow.planning.models import TaskStatus
from campaignflow.tracking import services as tracking_services
from campaignflow.tracking.domain.parsers import ParseResult, RowParser
from campaignflow.tracking.models import BatchSource, MetricRow
from campaignflow.tracking.row_errors import localized

from .selectors import entry_version


def task_done(*, actor, task, version: int):
    """Mark a task done (today as its finish day), as its row on the plan does."""
    return planning_services.task_edit(actor=actor, task=task, version=version, data={"status": TaskStatus.DONE})


# --- today's numbers ------------------------------------------------------------------------------------


def _parsed(day: dt.date, values: list[tuple[str, str, str, str]]) -> tuple[ParseResult, dict[int, str]]:
    """Each typed value checked as the data grid and the import check a row (1.2万, 1,200; not "abc", not
    negative); the parsed rows and, by row, the form field it came from."""
    result = ParseResult()
    parser = RowParser(result)
    fields: dict[int, str] = {}
    for field, channel, metric, raw in values:
        if str(raw).strip():
            fields[len(fields)] = field
            parser.add(len(fields) - 1, day, channel, metric, str(raw).strip())
    return result, fields


@transaction.atomic
def numbers_save(
    *, actor, campaign: Campaign, day: dt.date | None, version: int, values: list[tuple[str, str, str, str]]
) -> int:
    """Write one day's typed values (field, channel, metric, raw) of some channels as one import, or nothing:
    a value that is no number is named by its field (its card's channel and metric in the message). Only
    changed values are written. `version` is `selectors.entry_version` of those channels when the form was
    read. Returns how many values changed."""
    if day is None:
        raise InvalidInput({"date": _("Choose the day the numbers are for.")})
    if day > timezone.localdate():
        raise InvalidInput({"date": _("Numbers cannot be entered for a future day.")})
    result, fields = _parsed(day, values)
    if not result.ok:
        names = values_by_field(values)
        raise InvalidInput(
            {fields[e["row"]]: f"{names[fields[e['row']]]}: {e['message']}" for e in localized(result.errors)}
        )
    channels = sorted({channel for _field, channel, _metric, _raw in values})
    # the campaign's metric writers are serialised (the ingestion service takes the same lock first)
    list(Campaign.objects.select_for_update().filter(pk=campaign.pk).values_list("pk", flat=True))
    stored = {
        (day.isoformat(), r.channel, r.metric): r.value
        for r in MetricRow.objects.filter(campaign_id=campaign.pk, date=day, channel__in=channels)
    }
    changes = tracking_services.grid_changes(stored, result.rows)
    if not changes:
        # What is stored already (e.g. the offline queue sending again a form whose answer was lost): nothing to
        # overwrite, so no conflict either, whatever version the form was read at.
        return 0
    current = entry_version(campaign, day, channels)
    if version != current:
        raise StaleVersion(
            current_version=current,
            detail=_("Someone entered numbers for these channels meanwhile. Reload to see them, then save again."),
        )
    tracking_services.metrics_ingest(
        actor=actor,
        campaign=campaign,
        parsed=ParseResult(rows=changes),
        source=BatchSource.GRID,
        filename=", ".join(channels),
    )
    return len(changes)


def values_by_field(values: list[tuple[str, str, str, str]]) -> dict[str, str]:
    """Each field's "channel · metric", the name an error message starts with."""
    return {field: f"{channel} · {metric}" for field, channel, metric, _raw in values}


# --- approvals ------------------------------------------------------------------------------------------


@transaction.atomic
def budget_decide(*, actor, campaign: Campaign, version: int, approve: bool, comment: str = "") -> Budget:
    """Approve or reject the submitted budget as the budget tab does, if it is still the version read. The
    version is compared after the decision, so that a refusal (the role, the state) is said first; a stale
    one raises and the transaction undoes the decision."""
    read = Budget.objects.select_for_update().filter(campaign=campaign).first()
    decided = budget_services.budget_decide(actor=actor, campaign=campaign, approve=approve, comment=comment)
    refuse_if_stale(read, version)
    return decided


@transaction.atomic
def expense_decide(*, actor, expense: Expense, version: int, approve: bool, comment: str = "") -> Expense:
    """Decide a held overrun or a correction as the budget tab does, if it is still the version read (compared
    after the decision, as for the budget)."""
    read = Expense.objects.select_for_update().get(pk=expense.pk)
    decided = budget_services.expense_decide(actor=actor, expense=expense, approve=approve, comment=comment)
    refuse_if_stale(read, version)
    return decided
