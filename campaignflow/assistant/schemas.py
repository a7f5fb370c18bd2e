"""The structure of each draft (pydantic): what the model must answer, checked before anything is shown.
An answer that does not fit is an upstream failure (502), never a half-filled draft."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

__all__ = ["DRAFT_SCHEMAS", "ValidationError", "draft_schema"]

Text = str
REF_PATTERN = r"^(kpi|alert|task|channel|material|issue|standup|log|evaluation):[0-9]+$"


class _Draft(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)


class Citation(_Draft):
    ref: str = Field(..., pattern=REF_PATTERN)
    figure: str = Field("", max_length=300)


class _Cited(_Draft):
    citations: list[Citation] = Field(default_factory=list, max_length=60)


class WeeklySummary(_Cited):
    key_results: Text = Field(..., min_length=1, max_length=20000)
    delayed_tasks: Text = Field("", max_length=20000)
    next_week_plan: Text = Field("", max_length=20000)
    resources: Text = Field("", max_length=20000)


class Cause(_Draft):
    cause: str = Field(..., min_length=1, max_length=1000)
    evidence: str = Field("", max_length=2000)
    channel: str | None = Field(None, max_length=100)
    days: list[dt.date] = Field(default_factory=list, max_length=62)
    refs: list[str] = Field(default_factory=list, max_length=30)


class AlertAnalysis(_Cited):
    causes: list[Cause] = Field(..., min_length=1, max_length=10)
    decision: Literal["continue", "adjust", "pause"]
    decision_reason: str = Field("", max_length=2000)
    follow_up_task: str = Field("", max_length=200)
    evaluation: str = Field(..., min_length=1, max_length=5000)


class PlanKpi(_Draft):
    name: str = Field(..., min_length=1, max_length=200)
    metric: str = Field("", max_length=100)
    unit: str = Field("", max_length=20)
    target: Decimal = Field(..., gt=0, max_digits=20, decimal_places=4)
    specific: str = Field("", max_length=5000)
    measurable: str = Field("", max_length=5000)
    achievable: str = Field("", max_length=5000)
    relevant: str = Field("", max_length=5000)
    deadline: dt.date | None = None


class PlanChannel(_Draft):
    name: str = Field(..., min_length=1, max_length=100)
    content_form: str = Field("", max_length=200)
    share: float = Field(..., ge=0, le=1)


class PlanLine(_Draft):
    category: str = Field(..., min_length=1, max_length=50)
    item: str = Field(..., min_length=1, max_length=200)
    planned: Decimal = Field(..., ge=0, max_digits=14, decimal_places=2)
    channel: str = Field("", max_length=100)


class TaskAdjustment(_Draft):
    code: str = Field(..., min_length=1, max_length=20)
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    remark: str = Field("", max_length=500)

    @model_validator(mode="after")
    def _ordered(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValueError("end_date before start_date")
        return self


def _unique(items: list, key: str, message: str) -> list:
    """The draft's rows, when no two have the same `key` (a KPI's name, a task's code); else the model's mistake."""
    values = [getattr(item, key) for item in items]
    if len(values) != len(set(values)):
        raise ValueError(message)
    return items


class PlanDraft(_Cited):
    kpis: list[PlanKpi] = Field(..., min_length=1, max_length=20)
    channels: list[PlanChannel] = Field(default_factory=list, max_length=30)
    budget: list[PlanLine] = Field(default_factory=list, max_length=60)
    task_adjustments: list[TaskAdjustment] = Field(default_factory=list, max_length=200)
    rationale: str = Field("", max_length=5000)

    @field_validator("kpis", "channels")
    @classmethod
    def _unique_names(cls, items):
        return _unique(items, "name", "names must be unique")

    @field_validator("task_adjustments")
    @classmethod
    def _unique_codes(cls, items):
        return _unique(items, "code", "each task once")


class Lesson(_Draft):
    text: str = Field(..., min_length=1, max_length=2000)
    for_playbook: bool = False


class RetroDraft(_Cited):
    worked: str = Field(..., min_length=1, max_length=20000)
    improve: str = Field("", max_length=20000)
    lessons: list[Lesson] = Field(default_factory=list, max_length=30)


DRAFT_SCHEMAS: dict[str, type[_Cited]] = {
    "weekly_summary": WeeklySummary,
    "alert_analysis": AlertAnalysis,
    "plan_from_brief": PlanDraft,
    "retro_draft": RetroDraft,
}


def draft_schema(task: str) -> type[_Cited]:
    return DRAFT_SCHEMAS[task]
