"""API schemas of the budgets app (ADR 0005): an In schema per resource, its Patch derived from it, and an
Out schema that reads the model instance (a person as its username, a related value through a dotted alias,
a computed one through resolve_<field>)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Schema
from pydantic import Field

from campaignflow.core.api_types import Amount, InputSchema, Username, patch_schema

from .models import BudgetEvent, Expense, ExpenseStatus
from .selectors import HOST

Money = Amount  # numbers or typed text ("1.2万", "12,000.00"); parsed by the service


# --- budget ----------------------------------------------------------------------------------------


class CommentIn(InputSchema):
    comment: str = Field("", max_length=2000)


class BudgetPatch(InputSchema):
    version: int
    contingency_min: Money = None
    contingency_max: Money = None
    partner_weights: dict[str, Any] | None = None


class BudgetEventOut(Schema):
    action: str
    actor: Username
    at: dt.datetime
    comment: str
    diff: list

    @staticmethod
    def resolve_diff(event: BudgetEvent) -> list:
        return event.diff or []


# --- lines ------------------------------------------------------------------------------------------


class LineIn(InputSchema):
    category: str = Field(..., max_length=50)
    item: str = Field(..., max_length=200)
    planned: Money = None
    owner: str | None = Field(None, max_length=150)
    note: str = Field("", max_length=5000)
    channel: str = Field("", max_length=100)
    shared_with_partners: bool = False


LinePatch = patch_schema(LineIn)


class LineOut(Schema):
    id: int
    category: str
    item: str
    planned: Decimal
    owner: Username
    note: str
    channel: str
    shared_with_partners: bool
    version: int


# --- expenses ---------------------------------------------------------------------------------------


class ExpenseIn(InputSchema):
    budget_line: Any = None
    amount: Money = None
    date: str | None = Field(None, max_length=20)
    note: str = Field("", max_length=5000)
    payee: str = Field("", max_length=200)
    paid_by: Any = Field(None, description='"host" (our company, default) or a campaign-partner id')


ExpensePatch = patch_schema(ExpenseIn)


class ExpenseOut(Schema):
    id: int
    budget_line: int = Field(alias="line_id")
    amount: Decimal
    date: dt.date
    payee: str
    note: str
    paid_by: int | str
    status: str
    needs_director_approval: bool
    over_reason: str
    decided_by: Username
    decided_at: dt.datetime | None
    decision_comment: str
    receipt: bool
    receipt_name: str
    corrected: bool
    corrected_by: Username
    corrected_at: dt.datetime | None
    version: int

    @staticmethod
    def resolve_paid_by(expense: Expense) -> int | str:
        return expense.paid_by_id or HOST

    @staticmethod
    def resolve_needs_director_approval(expense: Expense) -> bool:
        return expense.status == ExpenseStatus.HELD

    @staticmethod
    def resolve_receipt(expense: Expense) -> bool:
        return bool(expense.receipt)

    @staticmethod
    def resolve_corrected(expense: Expense) -> bool:
        return expense.corrected_at is not None


class OverrunOut(ExpenseOut):
    campaign: int = Field(alias="campaign_id")
    campaign_name: str = Field(alias="campaign.name")


# --- partner companies ------------------------------------------------------------------------------


class PartnerIn(InputSchema):
    name: str = Field(..., max_length=200)
    industry: str = Field("", max_length=100)
    contacts: str = Field("", max_length=2000)
    note: str = Field("", max_length=5000)


PartnerPatch = patch_schema(PartnerIn)


class PartnerOut(Schema):
    id: int
    name: str
    industry: str
    contacts: str
    note: str
    version: int


class ContactIn(InputSchema):
    username: str = Field(..., max_length=150)


class ContactOut(Schema):
    user: str = Field(alias="user.username")
    partner: int = Field(alias="partner_id")


# --- campaign partners and their responsibilities ---------------------------------------------------


class CampaignPartnerIn(InputSchema):
    partner: Any = None
    state: str | None = Field(None, max_length=20)
    industry_relevance: Any = None
    audience_overlap: Any = None
    resource_strength: Any = None
    brand_fit: Any = None
    resources: str | None = Field(None, max_length=5000)
    role_note: str | None = Field(None, max_length=200)


CampaignPartnerPatch = patch_schema(CampaignPartnerIn, exclude=("partner",))  # the company is fixed once added


class ResponsibilityIn(InputSchema):
    text: str = Field(..., max_length=300)
    due_date: str | None = Field(None, max_length=20)
    done: bool = False


ResponsibilityPatch = patch_schema(ResponsibilityIn)


class ResponsibilityOut(Schema):
    id: int
    text: str
    due_date: dt.date | None
    done: bool
    version: int


class CampaignPartnerOut(Schema):
    id: int
    partner: int = Field(alias="partner_id")
    name: str = Field(alias="partner.name")
    industry: str = Field(alias="partner.industry")
    state: str
    industry_relevance: Decimal
    audience_overlap: Decimal
    resource_strength: Decimal
    brand_fit: Decimal
    score: Decimal | None = Field(None, description="the weighted evaluation score (in the ranked list)")
    rank: int | None = None
    resources: str
    role_note: str
    responsibilities: list[ResponsibilityOut]  # the prefetched related manager, read as a list
    version: int


# --- cost shares and settlement ---------------------------------------------------------------------


class ShareRow(InputSchema):
    party: Any = None
    ratio: Money = None


class SharesIn(InputSchema):
    budget_line: Any = None
    shares: list[ShareRow] = Field(..., max_length=50)


class SignIn(InputSchema):
    digest: str = Field("", max_length=64)
