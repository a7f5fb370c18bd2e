"""Web UI for the plan: quick inline edits of a task row (owner, status) through the services."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_POST

from campaignflow.campaigns.access import EDIT, can
from campaignflow.core.errors import InvalidInput, StaleVersion

from . import services
from .models import TaskStatus
from .selectors import task_for_user

QUICK_FIELDS = ("owner", "status", "progress", "delay_reason")


@login_required
@require_POST
def task_quick_update(request, task_id: int):
    task = task_for_user(request.user, task_id, "edit")
    data = {k: request.POST[k] for k in QUICK_FIELDS if k in request.POST}
    if "progress" in data:
        data["progress"] = int(data["progress"]) if data["progress"].isdigit() else data["progress"]
    error = None
    try:
        version = int(request.POST.get("version", ""))
        services.task_update(actor=request.user, task=task, version=version, data=data)
    except InvalidInput as exc:
        error = exc.detail
    except StaleVersion as exc:
        error = exc.detail
    except ValueError:
        error = "version"
    task.refresh_from_db()
    campaign = task.campaign
    return render(
        request,
        "planning/_task_row.html",
        {
            "task": task,
            "row_error": error,
            "can_edit": can(request.user, campaign, EDIT),
            "member_users": [m.user for m in campaign.memberships.select_related("user")],
            "task_statuses": TaskStatus.choices,
        },
    )
