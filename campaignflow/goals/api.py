"""REST endpoints of the goals app: KPIs (with actuals), their plan, channels. Thin: the Out schemas
(schemas.py) read what the selectors and services return (ADR 0005)."""

from __future__ import annotations

from ninja import Query, Router, Status

from campaignflow.campaigns.access import EDIT, VIEW, campaign_for_user
from campaignflow.campaigns.read_cache import cached_response
from campaignflow.core.api_types import PathId, patch_data

from . import selectors, services
from .schemas import ChannelIn, ChannelOut, ChannelPatch, KpiIn, KpiOut, KpiPatch, PlanIn, PlanOut

router = Router(tags=["goals"])


def _in_campaign(find, request, campaign_id, item_id, need=EDIT):
    """A KPI or channel of the campaign, found with the caller's access (`find`: the selector); a partner
    who reads sees only those shared with partners."""
    campaign = campaign_for_user(request.user, campaign_id, need)
    return find(campaign, item_id, request.user if need == VIEW else None)


@router.get("/campaigns/{campaign_id}/kpis", response=list[KpiOut])
def list_kpis(request, campaign_id: PathId):
    campaign = campaign_for_user(request.user, campaign_id, VIEW)
    return cached_response(  # campaigns.read_cache: actuals change with every metric write, which is audited
        request, campaign, "kpis", list[KpiOut], lambda: selectors.kpis_with_actuals(campaign, request.user)
    )


@router.post("/campaigns/{campaign_id}/kpis", response={201: KpiOut})
def create_kpi(request, campaign_id: PathId, payload: KpiIn):
    campaign = campaign_for_user(request.user, campaign_id, EDIT)
    kpi = services.kpi_create(actor=request.user, campaign=campaign, data=payload.dict())
    return Status(201, selectors.kpi_with_actual(kpi))


@router.get("/campaigns/{campaign_id}/kpis/{kpi_id}", response=KpiOut)
def get_kpi(request, campaign_id: PathId, kpi_id: PathId):
    return selectors.kpi_with_actual(_in_campaign(selectors.kpi_for_campaign, request, campaign_id, kpi_id, VIEW))


@router.patch("/campaigns/{campaign_id}/kpis/{kpi_id}", response=KpiOut)
def update_kpi(request, campaign_id: PathId, kpi_id: PathId, payload: KpiPatch):
    kpi = _in_campaign(selectors.kpi_for_campaign, request, campaign_id, kpi_id)
    version, data = patch_data(payload)
    return selectors.kpi_with_actual(services.kpi_update(actor=request.user, kpi=kpi, version=version, data=data))


@router.delete("/campaigns/{campaign_id}/kpis/{kpi_id}", response={204: None})
def delete_kpi(request, campaign_id: PathId, kpi_id: PathId, version: int = Query(...)):
    kpi = _in_campaign(selectors.kpi_for_campaign, request, campaign_id, kpi_id)
    services.kpi_delete(actor=request.user, kpi=kpi, version=version)
    return Status(204, None)


@router.get("/campaigns/{campaign_id}/kpis/{kpi_id}/plan", response=PlanOut)
def get_plan(request, campaign_id: PathId, kpi_id: PathId, granularity: str = "day"):
    kpi = _in_campaign(selectors.kpi_for_campaign, request, campaign_id, kpi_id, VIEW)
    return selectors.kpi_plan(kpi, granularity)


@router.post("/campaigns/{campaign_id}/kpis/{kpi_id}/plan", response=PlanOut)
def save_plan(request, campaign_id: PathId, kpi_id: PathId, payload: PlanIn):
    """Without `values`: generate the plan (even or weighted); with `values`: save edited values."""
    kpi = _in_campaign(selectors.kpi_for_campaign, request, campaign_id, kpi_id)
    if payload.values is not None:
        services.kpi_plan_save(actor=request.user, kpi=kpi, granularity=payload.granularity, values=payload.values)
    else:
        services.kpi_plan_generate(
            actor=request.user, kpi=kpi, granularity=payload.granularity, method=payload.method, weights=payload.weights
        )
    return selectors.kpi_plan(kpi, payload.granularity)


@router.get("/campaigns/{campaign_id}/channels", response=list[ChannelOut])
def list_channels(request, campaign_id: PathId):
    campaign = campaign_for_user(request.user, campaign_id, VIEW)
    return cached_response(
        request, campaign, "channels", list[ChannelOut], lambda: list(selectors.channels(campaign, request.user))
    )


@router.post("/campaigns/{campaign_id}/channels", response={201: ChannelOut})
def create_channel(request, campaign_id: PathId, payload: ChannelIn):
    campaign = campaign_for_user(request.user, campaign_id, EDIT)
    return Status(201, services.channel_create(actor=request.user, campaign=campaign, data=payload.dict()))


@router.patch("/campaigns/{campaign_id}/channels/{channel_id}", response=ChannelOut)
def update_channel(request, campaign_id: PathId, channel_id: PathId, payload: ChannelPatch):
    channel = _in_campaign(selectors.channel_for_campaign, request, campaign_id, channel_id)
    version, data = patch_data(payload)
    return services.channel_update(actor=request.user, channel=channel, version=version, data=data)


@router.delete("/campaigns/{campaign_id}/channels/{channel_id}", response={204: None})
def delete_channel(request, campaign_id: PathId, channel_id: PathId, version: int = Query(...)):
    channel = _in_campaign(selectors.channel_for_campaign, request, campaign_id, channel_id)
    services.channel_delete(actor=request.user, channel=channel, version=version)
    return Status(204, None)
