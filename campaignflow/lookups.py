"""Every object addressed by its own id, found through its campaign's access rules.

One family, `<thing>_for_user(user, id, need)`, used by the API and the HTML views alike: 404 when the
object, its campaign or (for a partner) the object itself is not visible to the caller, 403 when the
caller's role lacks `need` (view / edit / manage). The object comes back with `.campaign` set to the
checked campaign. The rules themselves live in `campaigns.access`; the per-app selectors say which
objects a partner may see. Objects addressed under their campaign's path (`/campaigns/{id}/…`) are
found with `campaign_for_user` and the app's selectors instead.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from campaignflow.alerts.models import Alert
from campaignflow.budgets import selectors as budget_selectors
from campaignflow.budgets.models import BudgetLine, CampaignPartner, Expense, Responsibility
from campaignflow.campaigns.access import EDIT, VIEW, can, object_for_user, valid_id
from campaignflow.core.errors import Forbidden
from campaignflow.events import selectors as event_selectors
from campaignflow.events.models import Event, Registration
from campaignflow.execution.models import ExecutionLogEntry, Issue, Risk, RunOfShowItem, WeeklyReport
from campaignflow.materials import selectors as material_selectors
from campaignflow.materials.models import Material, MaterialComment, MaterialFile
from campaignflow.notifications.models import WebhookEndpoint
from campaignflow.planning import selectors as planning_selectors
from campaignflow.planning.models import Task, TaskDependency
from campaignflow.tracking.models import ImportBatch, ImportJob

EXECUTION_IS_INTERNAL = "execution"
ALERTS_ARE_INTERNAL = "alerts"


def _internal(section: str) -> str:
    # translated at call time (the caller's language), not at import
    return {
        EXECUTION_IS_INTERNAL: _("Execution records are internal to the campaign team."),
        ALERTS_ARE_INTERNAL: _("Alerts are internal to the campaign team."),
    }[section]


# --- planning ---------------------------------------------------------------------------------------


def _part_for_user(rows, part_id, parent: str, parent_for_user, user, need: str):
    """A row that belongs to another looked-up object (a file of a material, a duty of a partner): the row
    by id (404 when there is none), its `parent` loaded through `parent_for_user` with the caller's right."""
    row = rows.filter(pk=valid_id(part_id)).first()
    if row is None:
        raise Http404
    setattr(row, parent, parent_for_user(user, getattr(row, f"{parent}_id"), need))
    return row


def task_for_user(user, task_id, need: str = VIEW) -> Task:
    """A partner sees and may update the tasks assigned to them; everyone else needs the role's right."""
    task = object_for_user(
        Task.objects.select_related("owner"), user, task_id, VIEW, visible=planning_selectors.tasks_for
    )
    if need != VIEW and not (can(user, task.campaign, need) or (need == EDIT and task.owner_id == user.pk)):
        raise Forbidden(_("Your role in this campaign does not allow this."))
    return task


def dependency_for_user(user, link_id, need: str = VIEW) -> TaskDependency:
    return object_for_user(TaskDependency.objects.select_related("successor"), user, link_id, need)


# --- budget and partners ----------------------------------------------------------------------------


def line_for_user(user, line_id, need: str = VIEW) -> BudgetLine:
    return object_for_user(
        BudgetLine.objects.select_related("owner"), user, line_id, need, visible=budget_selectors.lines_for
    )


def expense_for_user(user, expense_id, need: str = VIEW) -> Expense:
    return object_for_user(
        Expense.objects.select_related("line"), user, expense_id, need, visible=budget_selectors.expenses_for
    )


def campaign_partner_for_user(user, cp_id, need: str = VIEW) -> CampaignPartner:
    return object_for_user(
        CampaignPartner.objects.select_related("partner"), user, cp_id, need, visible=budget_selectors.campaign_partners
    )


def responsibility_for_user(user, item_id, need: str = VIEW) -> Responsibility:
    """An item of a partner's responsibility list, through its campaign partner: 404 unless the caller sees
    that partner (a partner contact sees their own company's). Who may tick it off is the service's rule."""
    return _part_for_user(Responsibility.objects, item_id, "campaign_partner", campaign_partner_for_user, user, need)


# --- execution records and alerts (internal to the campaign team) ---------------------------------


def execution_record_for_user(model, user, object_id, need: str = VIEW):
    """A risk, issue, log entry, run-of-show segment or weekly report."""
    assert model in (Risk, Issue, ExecutionLogEntry, RunOfShowItem, WeeklyReport)
    return object_for_user(model.objects.all(), user, object_id, need, team_message=_internal(EXECUTION_IS_INTERNAL))


def risk_for_user(user, risk_id, need: str = VIEW) -> Risk:
    return execution_record_for_user(Risk, user, risk_id, need)


def issue_for_user(user, issue_id, need: str = VIEW) -> Issue:
    return execution_record_for_user(Issue, user, issue_id, need)


def log_entry_for_user(user, entry_id, need: str = VIEW) -> ExecutionLogEntry:
    return execution_record_for_user(ExecutionLogEntry, user, entry_id, need)


def segment_for_user(user, segment_id, need: str = VIEW) -> RunOfShowItem:
    return execution_record_for_user(RunOfShowItem, user, segment_id, need)


def report_for_user(user, report_id, need: str = VIEW) -> WeeklyReport:
    return execution_record_for_user(WeeklyReport, user, report_id, need)


def alert_for_user(user, alert_id, need: str = VIEW) -> Alert:
    return object_for_user(Alert.objects.all(), user, alert_id, need, team_message=_internal(ALERTS_ARE_INTERNAL))


# --- data imports -----------------------------------------------------------------------------------


def batch_for_user(user, batch_id, need: str = VIEW) -> ImportBatch:
    return object_for_user(ImportBatch.objects.all(), user, batch_id, need)


def job_for_user(user, job_id, need: str = VIEW) -> ImportJob:
    """A background import job (its raw data deferred: callers want its progress)."""
    return object_for_user(ImportJob.objects.defer("data"), user, job_id, need)


# --- integrations -----------------------------------------------------------------------------------


def webhook_for_user(user, webhook_id, need: str = VIEW) -> WebhookEndpoint:
    """A campaign's webhook (the site-wide ones are the admin's, not reachable here)."""
    return object_for_user(WebhookEndpoint.objects.filter(campaign__isnull=False), user, webhook_id, need)


# --- events ----------------------------------------------------------------------------------------------


def event_for_user(user, event_id, need: str = VIEW) -> Event:
    """An event with its registration counts (every role that sees the campaign sees its events)."""
    return object_for_user(event_selectors.with_counts(Event.objects.all()), user, event_id, need)


def registration_for_user(user, registration_id, need: str = VIEW) -> Registration:
    return _part_for_user(Registration.objects, registration_id, "event", event_for_user, user, need)


# --- materials --------------------------------------------------------------------------------------


def material_for_user(user, material_id, need: str = VIEW) -> Material:
    """A partner member sees the materials shared with them (co-branded ones always are)."""
    return object_for_user(
        Material.objects.select_related("owner", "budget_line", "task", "accepted_by"),
        user,
        material_id,
        need,
        visible=material_selectors.materials_for,
    )


def material_file_for_user(user, file_id, need: str = VIEW) -> MaterialFile:
    return _part_for_user(MaterialFile.objects, file_id, "material", material_for_user, user, need)


def material_comment_for_user(user, comment_id, need: str = VIEW) -> MaterialComment:
    rows = MaterialComment.objects.select_related("file")
    return _part_for_user(rows, comment_id, "material", material_for_user, user, need)
