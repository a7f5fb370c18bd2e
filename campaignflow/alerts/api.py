"""REST endpoints for alerts (API.md: GET /campaigns/{id}/alerts, POST /alerts/{id}/resolve)."""

from __future__ import annotations

import datetime as dt

from ninja import Query, Router, Schema
from pydantic import Field

from campaignflow import lookups
from campaignflow.campaigns.access import EDIT, MANAGE, VIEW, campaign_for_user
from campaignflow.core.api_types import InputSchema, PathId, Username

from . import engine, services
from .access import campaign_for_alerts
from .models import Alert

router = Router(tags=["alerts"])


class AlertOut(Schema):
    id: int
    rule: str
    severity: str
    message: str
    status: str
    created_at: dt.datetime
    subject: str
    data: dict
    last_seen_at: dt.datetime
    acknowledged_by: Username
    resolved_by: Username
    resolved_at: dt.datetime | None
    evaluation: str
    decision: str
    follow_up_task: int | None = Field(alias="follow_up_task_id")
    version: int

    @staticmethod
    def resolve_message(alert: Alert) -> str:
        return alert.shown_message  # in the request's language


class AlertFilter(InputSchema):
    status: str | None = Field(None, max_length=20)


class ResolveIn(InputSchema):
    evaluation: str = Field("", max_length=10000)
    decision: str = Field("", max_length=20)
    follow_up: str = Field("", max_length=200)
    version: int | None = None


class RulesIn(InputSchema):
    rules: dict[str, dict]


@router.get("/campaigns/{campaign_id}/alerts", response=list[AlertOut])
def list_alerts(request, campaign_id: PathId, filters: Query[AlertFilter]):
    campaign = campaign_for_alerts(request.user, campaign_id, VIEW)
    qs = Alert.objects.filter(campaign=campaign).select_related("acknowledged_by", "resolved_by")
    if filters.status:
        qs = qs.filter(status=filters.status)
    return qs[:1000]


@router.post("/campaigns/{campaign_id}/alerts/evaluate", response=list[AlertOut])
def evaluate_now(request, campaign_id: PathId):
    """Run the rules now (they also run after data arrives and on the scheduler); returns new alerts."""
    campaign = campaign_for_user(request.user, campaign_id, EDIT)
    return engine.evaluate_campaign(campaign, actor=request.user)


@router.post("/alerts/{alert_id}/acknowledge", response=AlertOut)
def acknowledge(request, alert_id: PathId):
    alert = lookups.alert_for_user(request.user, alert_id, EDIT)
    return services.alert_acknowledge(actor=request.user, alert=alert)


@router.post("/alerts/{alert_id}/resolve", response=AlertOut)
def resolve(request, alert_id: PathId, payload: ResolveIn):
    alert = lookups.alert_for_user(request.user, alert_id, EDIT)
    return services.alert_resolve(actor=request.user, alert=alert, **payload.dict())


@router.get("/campaigns/{campaign_id}/alert-rules")
def get_rules(request, campaign_id: PathId):
    campaign = campaign_for_user(request.user, campaign_id, VIEW)
    return engine.rule_settings(campaign)


@router.put("/campaigns/{campaign_id}/alert-rules")
def put_rules(request, campaign_id: PathId, payload: RulesIn):
    campaign = campaign_for_user(request.user, campaign_id, MANAGE)
    services.rule_settings_save(actor=request.user, campaign=campaign, rules=payload.rules)
    return engine.rule_settings(campaign)
