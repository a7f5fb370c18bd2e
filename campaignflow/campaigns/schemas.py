"""API schemas for playbooks, campaigns, members and lifecycle moves. The Out schemas map the model
instances (docs/adr/0005): a person as core.api_types.Username, a related value through a dotted alias,
a computed one through resolve_<field>."""

import datetime as dt
from decimal import Decimal
from typing import Literal

from ninja import Schema
from pydantic import Field

from campaignflow.core.api_types import InputSchema, Username, patch_schema

from .models import Campaign

MAX_TAGS = 20


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


class PlaybookOut(Schema):  # a playbook with the version shown as its `latest_version` (selectors.playbooks)
    key: str
    name: str
    name_en: str = ""
    description: str = ""
    campaign_type: str
    builtin: bool = Field(alias="is_builtin")
    version: int = Field(alias="latest_version.number")
    phases: list[PhaseOut] = Field(alias="latest_version.phases")


class PlaybookVersionIn(InputSchema):
    version: int
    phases: list[dict] = Field(..., max_length=100)
    note: str = Field("", max_length=300)


class PlaybookCopyIn(InputSchema):
    key: str = Field(..., min_length=2, max_length=80, pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str = Field(..., min_length=1, max_length=200)


class CampaignIn(InputSchema):
    name: str = Field(..., max_length=200)
    start_date: dt.date
    end_date: dt.date
    playbook: str | None = Field(None, max_length=80)
    budget_total: Decimal | None = Field(None, ge=0)  # size and decimals: the service (names the limit)
    type: str | None = Field(None, max_length=30)
    description: str = Field("", max_length=10000)
    industry: str = Field("", max_length=100)
    tags: list[str] = Field(default_factory=list, max_length=MAX_TAGS)
    owner: str | None = Field(None, max_length=150, description="username of the campaign owner (总负责人)")
    past_steps: Literal["reschedule", "keep"] = Field(
        "keep",
        description="playbook steps whose dates are already past today: `reschedule` moves them to today or "
        "later (order kept, the campaign's dates stay); `keep` keeps their dates and leaves them out of "
        "overdue alerts and counts",
    )


# The playbook and how its past steps are dated are chosen once, at creation. `tags` is given again:
# its default is a factory, which patch_schema cannot make optional (pydantic refuses both together).
CampaignPatch = patch_schema(
    CampaignIn, exclude=("playbook", "past_steps", "tags"), tags=(list[str] | None, Field(None, max_length=MAX_TAGS))
)


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
    owner: Username
    industry: str
    tags: list[str]
    playbook: str | None
    playbook_version: int | None
    my_role: str | None  # task_count, tasks_done and my_role: selectors.campaign_list / with_counts
    task_count: int
    tasks_done: int
    progress: float
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    deleted_at: dt.datetime | None
    warnings: list[str] = []  # the playbook's, when it was just created (set by the handler)

    @staticmethod
    def resolve_playbook(campaign: Campaign) -> str | None:
        version = campaign.playbook_version
        return version.playbook.key if version else None

    @staticmethod
    def resolve_playbook_version(campaign: Campaign) -> int | None:
        version = campaign.playbook_version
        return version.number if version else None

    @staticmethod
    def resolve_progress(campaign: Campaign) -> float:
        return round(campaign.tasks_done / campaign.task_count, 4) if campaign.task_count else 0.0


class MemberIn(InputSchema):
    username: str = Field(..., max_length=150)
    role: str = Field(..., max_length=20)


class MemberRoleIn(InputSchema):
    role: str = Field(..., max_length=20)


class MemberOut(Schema):  # maps a membership
    id: int
    username: str = Field(alias="user.username")
    display_name: str = Field(alias="user.display_name")
    role: str


class TransitionIn(InputSchema):
    to: str = Field(..., max_length=20)
    note: str = Field("", max_length=300)


class AuditOut(Schema):
    id: int
    at: dt.datetime
    actor: Username
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
