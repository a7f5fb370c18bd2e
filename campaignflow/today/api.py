"""`GET /api/v1/me/today`: the Today screen as JSON, for integrations (a chat bot's morning card, a widget)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from ninja import Router, Schema

from . import selectors

router = Router(tags=["today"])


class TodayTask(Schema):
    id: int
    code: str
    name: str
    campaign_id: int
    campaign: str
    end_date: dt.date
    status: str
    overdue: bool
    version: int
    url: str


class TodayStandup(Schema):
    campaign_id: int
    campaign: str
    written: bool
    url: str


class TodayNumbers(Schema):
    campaign_id: int
    campaign: str
    channel: str
    mine: bool
    missing: list[str]
    url: str


class TodayAlert(Schema):
    id: int
    campaign_id: int
    campaign: str
    message: str
    severity: str
    status: str
    created_at: dt.datetime
    version: int
    url: str


class TodayApproval(Schema):
    kind: str  # budget, overrun, correction, material
    id: int
    campaign_id: int
    campaign: str
    title: str
    amount: Decimal | None
    by: str
    version: int
    url: str
    decide_url: str


class TodayOut(Schema):
    date: dt.date
    tasks: list[TodayTask]
    standups: list[TodayStandup]
    numbers: list[TodayNumbers]
    alerts: list[TodayAlert]
    approvals: list[TodayApproval]


class TodayRefusal(Schema):
    detail: str


@router.get("/me/today", response={200: TodayOut, 401: TodayRefusal})
def my_today(request):
    """What waits for you today: tasks due and overdue, your stand-ups, numbers still missing, open alerts of
    the campaigns you own or manage, and what waits for your decision. Each item has the `url` that opens it."""
    return selectors.today(request.user, timezone.localdate())
