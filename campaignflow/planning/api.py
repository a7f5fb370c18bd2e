"""REST endpoints for the plan's tasks."""

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from campaignflow.campaigns.access import EDIT, VIEW, campaign_for_user, can
from campaignflow.core.api_types import PathId
from campaignflow.core.errors import Forbidden

from . import selectors, services
from .models import Task

router = Router(tags=["plan"])
# What the owner of a task may change without the campaign's edit right (e.g. a partner).
PARTNER_FIELDS = {"status", "progress", "delay_reason"}


class DependencyOut(Schema):
    task: int
    type: str
    lag_days: int


class TaskOut(Schema):
    id: int
    code: str
    name: str
    phase: str
    module: str
    owner: str | None
    owner_role: str
    start_date: dt.date | None
    end_date: dt.date | None
    status: str
    progress: int
    milestone: bool
    deliverable: str
    acceptance: str
    delay_reason: str
    remark: str
    depends_on: list[DependencyOut]
    version: int


class TaskIn(Schema):
    name: str = Field(..., max_length=200)
    code: str | None = Field(None, max_length=20)
    phase: str = Field("", max_length=200)
    module: str = Field("", max_length=200)
    owner: str | None = Field(None, max_length=150)
    owner_role: str = Field("", max_length=200)
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    status: str = Field("not_started", max_length=20)
    progress: int = Field(0, ge=0, le=100)
    milestone: bool = False
    deliverable: str = Field("", max_length=500)
    acceptance: str = Field("", max_length=500)
    delay_reason: str = Field("", max_length=500)
    remark: str = Field("", max_length=500)


class TaskPatch(Schema):
    version: int
    name: str | None = Field(None, max_length=200)
    phase: str | None = Field(None, max_length=200)
    module: str | None = Field(None, max_length=200)
    owner: str | None = Field(None, max_length=150)
    owner_role: str | None = Field(None, max_length=200)
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    status: str | None = Field(None, max_length=20)
    progress: int | None = Field(None, ge=0, le=100)
    milestone: bool | None = None
    deliverable: str | None = Field(None, max_length=500)
    acceptance: str | None = Field(None, max_length=500)
    delay_reason: str | None = Field(None, max_length=500)
    remark: str | None = Field(None, max_length=500)


def task_out(t: Task) -> dict:
    return {
        "id": t.id,
        "code": t.code,
        "name": t.name,
        "phase": t.phase,
        "module": t.module,
        "owner": t.owner.username if t.owner else None,
        "owner_role": t.owner_role,
        "start_date": t.start_date,
        "end_date": t.end_date,
        "status": t.status,
        "progress": t.progress,
        "milestone": t.milestone,
        "deliverable": t.deliverable,
        "acceptance": t.acceptance,
        "delay_reason": t.delay_reason,
        "remark": t.remark,
        "depends_on": [],
        "version": t.version,
    }


@router.get("/campaigns/{campaign_id}/tasks", response=list[TaskOut])
def list_tasks(request, campaign_id: PathId):
    campaign = campaign_for_user(request.user, campaign_id, VIEW)
    return [task_out(t) for t in selectors.tasks_for(request.user, campaign)]


@router.post("/campaigns/{campaign_id}/tasks", response={201: TaskOut})
def create_task(request, campaign_id: PathId, payload: TaskIn):
    campaign = campaign_for_user(request.user, campaign_id, EDIT)
    task = services.task_create(actor=request.user, campaign=campaign, data=payload.dict())
    return Status(201, task_out(task))


@router.get("/tasks/{task_id}", response=TaskOut)
def get_task(request, task_id: PathId):
    return task_out(selectors.task_for_user(request.user, task_id))


@router.patch("/tasks/{task_id}", response=TaskOut)
def update_task(request, task_id: PathId, payload: TaskPatch):
    task = selectors.task_for_user(request.user, task_id, "edit")
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    if not can(request.user, task.campaign, EDIT) and set(data) - PARTNER_FIELDS:
        raise Forbidden(_("You can only update the status, progress and delay reason of your own tasks."))
    task = services.task_update(actor=request.user, task=task, version=version, data=data)
    return task_out(task)


@router.delete("/tasks/{task_id}", response={204: None})
def delete_task(request, task_id: PathId):
    task = selectors.task_for_user(request.user, task_id)
    campaign_for_user(request.user, task.campaign_id, EDIT)
    services.task_delete(actor=request.user, task=task)
    return Status(204, None)
