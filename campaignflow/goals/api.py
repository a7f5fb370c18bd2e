"""REST endpoints of the goals app: KPIs (with actuals), their plan, channels. Thin."""

from __future__ import annotations

from decimal import Decimal

from ninja import Query, Router, Status

from campaignflow.campaigns.access import EDIT, VIEW, campaign_for_user
from campaignflow.campaigns.read_cache import cached_response
from campaignflow.core.api_types import PathId

from . import selectors, services
from .domain.decompose import plan_gap
from .models import Kpi
from .schemas import ChannelIn, ChannelOut, ChannelPatch, KpiIn, KpiOut, KpiPatch, PlanIn, PlanOut

router = Router(tags=["goals"])


def kpi_out(k: Kpi) -> dict:
    rate = getattr(k, "achievement_rate", None)
    return {
        "id": k.id,
        "name": k.name,
        "metric": k.metric,
        "numerator": k.numerator,
        "denominator": k.denominator,
        "unit": k.unit,
        "target": k.target,
        "priority": k.priority,
        "direction": k.direction,
        "owner": k.owner.username if k.owner else None,
        "specific": k.specific,
        "measurable": k.measurable,
        "achievable": k.achievable,
        "relevant": k.relevant,
        "deadline": k.deadline,
        "actual": getattr(k, "actual", None),
        "achievement_rate": float(rate) if rate is not None else None,
        "shared_with_partners": k.shared_with_partners,
        "version": k.version,
    }


def channel_out(c) -> dict:
    return {
        "id": c.id,
        "name": c.name,
        "content_form": c.content_form,
        "start_date": c.start_date,
        "end_date": c.end_date,
        "owner": c.owner.username if c.owner else None,
        "targets": c.targets or {},
        "benchmarks": c.benchmarks or {},
        "note": c.note,
        "shared_with_partners": c.shared_with_partners,
        "version": c.version,
    }


def _with_actual(campaign, kpi_id: int, user=None) -> dict:
    item = next(k for k in selectors.kpis_with_actuals(campaign, user) if k.id == kpi_id)
    return kpi_out(item)


@router.get("/campaigns/{campaign_id}/kpis", response=list[KpiOut])
def list_kpis(request, campaign_id: PathId):
    campaign = campaign_for_user(request.user, campaign_id, VIEW)
    return cached_response(  # campaigns.read_cache: actuals change with every metric write, which is audited
        request, campaign, "kpis", list[KpiOut],
        lambda: [kpi_out(k) for k in selectors.kpis_with_actuals(campaign, request.user)],
    )  # fmt: skip


@router.post("/campaigns/{campaign_id}/kpis", response={201: KpiOut})
def create_kpi(request, campaign_id: PathId, payload: KpiIn):
    campaign = campaign_for_user(request.user, campaign_id, EDIT)
    kpi = services.kpi_create(actor=request.user, campaign=campaign, data=payload.dict())
    return Status(201, _with_actual(campaign, kpi.id))


@router.get("/campaigns/{campaign_id}/kpis/{kpi_id}", response=KpiOut)
def get_kpi(request, campaign_id: PathId, kpi_id: PathId):
    campaign = campaign_for_user(request.user, campaign_id, VIEW)
    selectors.kpi_for_campaign(campaign, kpi_id, request.user)
    return _with_actual(campaign, kpi_id, request.user)


@router.patch("/campaigns/{campaign_id}/kpis/{kpi_id}", response=KpiOut)
def update_kpi(request, campaign_id: PathId, kpi_id: PathId, payload: KpiPatch):
    campaign = campaign_for_user(request.user, campaign_id, EDIT)
    kpi = selectors.kpi_for_campaign(campaign, kpi_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    services.kpi_update(actor=request.user, kpi=kpi, version=version, data=data)
    return _with_actual(campaign, kpi_id)


@router.delete("/campaigns/{campaign_id}/kpis/{kpi_id}", response={204: None})
def delete_kpi(request, campaign_id: PathId, kpi_id: PathId, version: int = Query(...)):
    campaign = campaign_for_user(request.user, campaign_id, EDIT)
    kpi = selectors.kpi_for_campaign(campaign, kpi_id)
    services.kpi_delete(actor=request.user, kpi=kpi, version=version)
    return Status(204, None)


def _plan_out(kpi: Kpi, granularity: str) -> dict:
    values = list(kpi.plans.filter(granularity=granularity))
    total = sum((p.value for p in values), Decimal(0))
    return {
        "granularity": granularity,
        "target": kpi.target,
        "total": total,
        "gap": plan_gap(kpi.target, [p.value for p in values]),
        "values": [{"key": p.key, "value": p.value} for p in values],
    }


@router.get("/campaigns/{campaign_id}/kpis/{kpi_id}/plan", response=PlanOut)
def get_plan(request, campaign_id: PathId, kpi_id: PathId, granularity: str = "day"):
    campaign = campaign_for_user(request.user, campaign_id, VIEW)
    kpi = selectors.kpi_for_campaign(campaign, kpi_id, request.user)
    return _plan_out(kpi, granularity)


@router.post("/campaigns/{campaign_id}/kpis/{kpi_id}/plan", response=PlanOut)
def save_plan(request, campaign_id: PathId, kpi_id: PathId, payload: PlanIn):
    """Without `values`: generate the plan (even or weighted); with `values`: save edited values."""
    campaign = campaign_for_user(request.user, campaign_id, EDIT)
    kpi = selectors.kpi_for_campaign(campaign, kpi_id)
    if payload.values is not None:
        services.kpi_plan_save(actor=request.user, kpi=kpi, granularity=payload.granularity, values=payload.values)
    else:
        services.kpi_plan_generate(
            actor=request.user, kpi=kpi, granularity=payload.granularity, method=payload.method, weights=payload.weights
        )
    return _plan_out(kpi, payload.granularity)


@router.get("/campaigns/{campaign_id}/channels", response=list[ChannelOut])
def list_channels(request, campaign_id: PathId):
    campaign = campaign_for_user(request.user, campaign_id, VIEW)
    return cached_response(
        request, campaign, "channels", list[ChannelOut],
        lambda: [channel_out(c) for c in selectors.channels(campaign, request.user)],
    )  # fmt: skip


@router.post("/campaigns/{campaign_id}/channels", response={201: ChannelOut})
def create_channel(request, campaign_id: PathId, payload: ChannelIn):
    campaign = campaign_for_user(request.user, campaign_id, EDIT)
    channel = services.channel_create(actor=request.user, campaign=campaign, data=payload.dict())
    return Status(201, channel_out(channel))


@router.patch("/campaigns/{campaign_id}/channels/{channel_id}", response=ChannelOut)
def update_channel(request, campaign_id: PathId, channel_id: PathId, payload: ChannelPatch):
    campaign = campaign_for_user(request.user, campaign_id, EDIT)
    channel = selectors.channel_for_campaign(campaign, channel_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    services.channel_update(actor=request.user, channel=channel, version=version, data=data)
    return channel_out(channel)


@router.delete("/campaigns/{campaign_id}/channels/{channel_id}", response={204: None})
def delete_channel(request, campaign_id: PathId, channel_id: PathId, version: int = Query(...)):
    campaign = campaign_for_user(request.user, campaign_id, EDIT)
    channel = selectors.channel_for_campaign(campaign, channel_id)
    services.channel_delete(actor=request.user, channel=channel, version=version)
    return Status(204, None)
