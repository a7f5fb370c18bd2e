"""The demo's registration desk: the online launch (seed 003, goal 5,000 registrations) has its public
registration open, with registrations per channel over the last days and the visits before them, so that
the funnel, the masked list and the 报名 metric on the board have something real to show. Idempotent."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from . import metrics, services
from .domain.registration import new_ticket_code
from .models import Event, Registration, Visit

LAUNCH = "焕新上市·美力绽放 新品线上发布会"
CHANNELS = {"抖音": 0.42, "小红书": 0.31, "微信公众号": 0.17, "直接访问": 0.10}  # share of registrations
CONVERSION = {"抖音": 0.18, "小红书": 0.24, "微信公众号": 0.3, "直接访问": 0.4}  # visitors who register
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = ["静", "敏", "丽", "婷", "雪", "慧", "琳", "欣怡", "梓涵", "诗雨", "佳怡", "雨桐", "可馨", "思琪", "晓燕"]
SKIN = ["干性", "油性", "混合性", "敏感性"]


def extend_demo(*, campaigns, users, specs) -> None:
    campaign = campaigns.get(LAUNCH)
    if campaign is None or Event.objects.filter(campaign=campaign).exists():
        return
    today = timezone.localdate()
    event = services.event_create(
        actor=campaign.owner,
        campaign=campaign,
        data={
            "name": "焕新上市·美力绽放 线上发布会",
            "starts_at": f"{campaign.start_date.isoformat()}T19:30:00+08:00",
            "ends_at": f"{campaign.start_date.isoformat()}T21:00:00+08:00",
            "stream_url": "https://live.douyin.com/",
            "opens_at": (timezone.now() - dt.timedelta(days=12)).isoformat(),
            "channels": [c for c in CHANNELS if c != "直接访问"],
            "questions": [
                {"label": "您的肤质", "key": "skin", "kind": "choice", "options": SKIN, "required": True},
                {"label": "想了解的产品", "key": "interest"},
            ],
        },
    )
    _registrations(event, today)


def _registrations(event: Event, today: dt.date) -> None:
    rng = random.Random(20261218)
    consented = timezone.now()
    people, visits, stamps = [], [], []
    for back in range(11, -1, -1):  # twelve days, growing as the launch nears
        day = today - dt.timedelta(days=back)
        count = int(25 + (11 - back) * 9 * rng.uniform(0.8, 1.2))
        for channel, share in CHANNELS.items():
            registered = max(1, round(count * share))
            for _i in range(registered):
                n = len(people)
                at = timezone.make_aware(dt.datetime.combine(day, dt.time(9))) + dt.timedelta(
                    minutes=rng.randint(0, 780)
                )
                people.append(
                    Registration(
                        event=event,
                        name=rng.choice(SURNAMES) + rng.choice(GIVEN),
                        phone=f"1{rng.choice('3578')}{rng.randint(0, 9)}{n:08d}",
                        channel=channel,
                        ticket_code=new_ticket_code(),
                        consent_version=event.consent_version,
                        consented_at=consented,
                        answers={"skin": rng.choice(SKIN)},
                    )
                )
                stamps.append(at)
            visits += [Visit(event=event, channel=channel) for _v in range(round(registered / CONVERSION[channel]))]
    Registration.objects.bulk_create(people, batch_size=500)
    Visit.objects.bulk_create(visits, batch_size=1000)
    _backdate(event, stamps)
    metrics.sync(event.campaign)


def _backdate(event: Event, stamps: list[dt.datetime]) -> None:
    """created_at is stamped on insert: move each registration to its day, so 报名 has a history."""
    rows = list(Registration.objects.filter(event=event).order_by("id").only("id"))
    for person, at in zip(rows, stamps, strict=True):
        person.created_at = at
    Registration.objects.bulk_update(rows, ["created_at"], batch_size=500)
