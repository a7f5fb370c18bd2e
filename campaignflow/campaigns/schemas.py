"""API schemas for playbooks, campaigns, members and lifecycle moves."""

import datetime as dt
from decimal import Decimal
from typing import Literal

from ninja import Schema
from pydantic import Field


class StepOut(Schema):
    name: str
    owner_role: str = ""
    anchor: str = "start"
    offset_days: int = 0
    workdays: bool = False
    output: str = ""
    remark: str = ""


class PhaseOut(Schema):
    name: str
    goal: str = ""
    steps: list[StepOut]


class PlaybookOut(Schema):
    key: str
    name: str
    name_en: str = ""
    description: str = ""
    campaign_type: str
    builtin: bool
    version: int
    phases: list[PhaseOut]


class PlaybookVersionIn(Schema):
    version: int
    phases: list[dict] = Field(..., max_length=100)
    note: str = Field("", max_length=300)


class PlaybookCopyIn(Schema):
    key: str = Field(..., min_length=2, max_length=80, pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str = Field(..., min_length=1, max_length=200)


class CampaignIn(Schema):
    name: str = Field(..., max_length=200)
    start_date: dt.date
    end_date: dt.date
    playbook: str | None = Field(None, max_length=80)
    budget_total: Decimal | None = Field(None, ge=0)  # size and decimals: the service (names the limit)
    type: str | None = Field(None, max_length=30)
    description: str = Field("", max_length=10000)
    industry: str = Field("", max_length=100)
    tags: list[str] = Field(default_factory=list, max_length=20)
    owner: str | None = Field(None, max_length=150, description="username of the campaign owner (总负责人)")
    past_steps: Literal["reschedule", "keep"] = Field(
        "keep",
        description="playbook steps whose dates are already past today: `reschedule` moves them to today or "
        "later (order kept, the campaign's dates stay); `keep` keeps their dates and leaves them out of "
        "overdue alerts and counts",
    )


class CampaignPatch(Schema):
    version: int
    name: str | None = Field(None, max_length=200)
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    budget_total: Decimal | None = Field(None, ge=0)  # size and decimals: the service (names the limit)
    type: str | None = Field(None, max_length=30)
    description: str | None = Field(None, max_length=10000)
    industry: str | None = Field(None, max_length=100)
    tags: list[str] | None = Field(None, max_length=20)
    owner: str | None = Field(None, max_length=150)


class CampaignOut(Schema):
    id: int
    name: str
    type: str
    description: str
    status: str
    start_date: dt.date
    end_date: dt.date
    budget_total: Decimal | None
    currency: str
    owner: str | None
    industry: str
    tags: list[str]
    playbook: str | None
    playbook_version: int | None
    my_role: str | None
    task_count: int
    tasks_done: int
    progress: float
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    deleted_at: dt.datetime | None
    warnings: list[str] = []


class MemberIn(Schema):
    username: str = Field(..., max_length=150)
    role: str = Field(..., max_length=20)


class MemberRoleIn(Schema):
    role: str = Field(..., max_length=20)


class MemberOut(Schema):
    id: int
    username: str
    display_name: str
    role: str


class TransitionIn(Schema):
    to: str = Field(..., max_length=20)
    note: str = Field("", max_length=300)


class GateItemOut(Schema):
    text: str
    met: bool


class LifecycleOut(Schema):
    status: str
    moves: list[dict]


class AuditOut(Schema):
    id: int
    at: dt.datetime
    actor: str | None
    action: str
    object_type: str
    object_id: str
    object_repr: str
    before: dict | None
    after: dict | None


class PreviewTaskOut(Schema):
    code: str
    phase: str
    name: str
    owner_role: str
    start_date: dt.date
    end_date: dt.date
    deliverable: str
    past_due: bool = Field(False, description="its computed start or due date is before today")
    original_end_date: dt.date | None = Field(None, description="the computed due date, when rescheduled")


class PreviewOut(Schema):
    tasks: list[PreviewTaskOut]
    warnings: list[str]
    past_due_count: int = 0
