"""API schemas of the goals app (ADR 0005): an In schema per resource, its Patch derived from it, and an
Out schema that reads the model instance (a KPI as `selectors.kpis_with_actuals` gives it)."""

import datetime as dt
from decimal import Decimal

from ninja import Schema
from pydantic import Field

from campaignflow.core.api_types import InputSchema, Username, patch_schema

from .models import Kpi

Number = Decimal | int | float | str


class KpiIn(InputSchema):
    name: str = Field(..., max_length=200)
    metric: str = Field("", max_length=100)
    numerator: str = Field("", max_length=100)
    denominator: str = Field("", max_length=100)
    channel: str | None = Field(
        None, max_length=100, description="name of one of the campaign's channels: the KPI sums only its rows"
    )
    unit: str = Field("", max_length=20)
    target: Number = Field(..., description='a number or a typed amount: 300000, "30万", "35%"')
    priority: str = Field("core", description="core | auxiliary")
    direction: str = Field("up", description="up | down")
    owner: str | None = Field(None, max_length=150, description="username of a campaign member")
    specific: str = Field("", max_length=5000)
    measurable: str = Field("", max_length=5000)
    achievable: str = Field("", max_length=5000)
    relevant: str = Field("", max_length=5000)
    deadline: dt.date | None = None
    shared_with_partners: bool = Field(False, description="partners of the campaign see this KPI")


KpiPatch = patch_schema(KpiIn)


class PlanValueOut(Schema):
    key: str
    value: Decimal


class KpiOut(Schema):
    id: int
    name: str
    metric: str
    numerator: str
    denominator: str
    channel: str | None = Field(None, description="the channel whose rows the KPI sums; null: the whole campaign")
    unit: str
    target: Decimal
    priority: str
    direction: str
    owner: Username
    specific: str
    measurable: str
    achievable: str
    relevant: str
    deadline: dt.date | None
    actual: Decimal | None
    achievement_rate: float | None = Field(None, description="actual/target as a fraction; down KPIs target/actual")
    shared_with_partners: bool
    version: int

    @staticmethod
    def resolve_channel(kpi: Kpi) -> str | None:
        return kpi.channel_name


class PlanIn(InputSchema):
    granularity: str = Field(..., description="day | week | month | channel")
    method: str = Field("even", description="even | weighted (generate)")
    weights: list[Number] | None = Field(None, max_length=1000)
    values: dict[str, Number | None] | None = Field(None, description="edited values {period start or channel: value}")


class PlanOut(Schema):
    granularity: str
    target: Decimal
    total: Decimal
    gap: Decimal = Field(..., description="sum of the plan minus the target")
    values: list[PlanValueOut]


class ChannelIn(InputSchema):
    name: str = Field(..., max_length=100)
    content_form: str = Field("", max_length=200)
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    owner: str | None = Field(None, max_length=150)
    # a default and no factory: the Patch (patch_schema) swaps the default for None; pydantic copies it per call
    targets: dict[str, Number] = Field({}, description='per metric, e.g. {"曝光": "50万"}')
    benchmarks: dict[str, Number] = Field({}, description='e.g. {"点击率": "2.5%"} (industry average)')
    note: str = Field("", max_length=5000)
    shared_with_partners: bool = Field(False, description="partners of the campaign see this channel's data")


ChannelPatch = patch_schema(ChannelIn)


class ChannelOut(Schema):
    id: int
    name: str
    content_form: str
    start_date: dt.date | None
    end_date: dt.date | None
    owner: Username
    targets: dict
    benchmarks: dict
    note: str
    shared_with_partners: bool
    version: int
