"""The daily numbers reminder (scheduler job chatcards.numbers_reminder): working days of China's calendar only (a 调休
Saturday yes, a National Day weekday no), from the campaign's time, once a day however often the job runs, naming only
the channels still without today's numbers, to each channel's owner (unowned channels: the owner and managers), with
a link to the numbers form filtered to those channels — through notify(): inbox, e-mail and the chat card."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from campaignflow.campaigns.models import Campaign, Status
from campaignflow.chatcards.models import NumbersReminder, ReminderSent
from campaignflow.chatcards.reminder import remind_due
from campaignflow.goals.models import Channel
from campaignflow.notifications.models import Notification
from campaignflow.tracking.models import MetricRow

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
MAKEUP_SATURDAY = dt.date(2025, 10, 11)  # 国庆调休: a working Saturday
NATIONAL_DAY_THURSDAY = dt.date(2025, 10, 2)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SHANGHAI)


@pytest.fixture
def running(campaign, users):
    """The campaign executing through September–October 2025 with three channels: 抖音 (member), 小红书 (member),
    微信公众号 (nobody's)."""
    Campaign.objects.filter(pk=campaign.pk).update(
        status=Status.EXECUTING, start_date=dt.date(2025, 9, 1), end_date=dt.date(2025, 10, 31)
    )
    for name, owner in (("抖音", users["member"]), ("小红书", users["member"]), ("微信公众号", None)):
        Channel.objects.create(campaign=campaign, name=name, owner=owner)
    return campaign


def told(user) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, kind="numbers_missing"))


def test_a_makeup_saturday_is_a_working_day_and_only_missing_channels_are_named(running, users):
    MetricRow.objects.create(
        campaign=running, date=MAKEUP_SATURDAY, channel="微信公众号", metric="阅读", value=Decimal(5)
    )
    assert remind_due(now=at(MAKEUP_SATURDAY, 9, 59)) == {"campaigns": 0, "people": 0}  # before 10:00
    assert remind_due(now=at(MAKEUP_SATURDAY, 10, 0)) == {"campaigns": 1, "people": 1}
    (note,) = told(users["member"])
    assert note.title == "今天的数据还没填：抖音、小红书"
    assert (
        note.url
        == f"/campaigns/{running.pk}/today/numbers/?channel=%E6%8A%96%E9%9F%B3&channel=%E5%B0%8F%E7%BA%A2%E4%B9%A6"
    )
    assert told(users["owner"]) == [] and told(users["manager"]) == []  # 微信公众号 has today's numbers


def test_a_national_day_weekday_sends_nothing(running, users):
    assert remind_due(now=at(NATIONAL_DAY_THURSDAY, 15)) == {"campaigns": 0, "people": 0}
    assert not Notification.objects.filter(kind="numbers_missing").exists()


def test_running_twice_a_day_sends_once(running, users):
    day = dt.date(2025, 10, 13)
    remind_due(now=at(day, 10, 5))
    remind_due(now=at(day, 10, 10))
    assert len(told(users["member"])) == 1
    assert ReminderSent.objects.get(campaign=running, date=day).people == 3  # member; owner and manager (unowned)
    assert [n.title for n in told(users["manager"])] == ["今天的数据还没填：微信公众号"]
    remind_due(now=at(day + dt.timedelta(days=1), 10, 5))
    assert len(told(users["member"])) == 2  # the next working day again


def test_the_team_sets_the_time_or_switches_it_off(running, users):
    day = dt.date(2025, 10, 14)
    NumbersReminder.objects.create(campaign=running, enabled=True, remind_at=dt.time(17, 30))
    assert remind_due(now=at(day, 17, 29))["campaigns"] == 0
    assert remind_due(now=at(day, 17, 30))["campaigns"] == 1
    NumbersReminder.objects.filter(campaign=running).update(enabled=False)
    assert remind_due(now=at(day + dt.timedelta(days=1), 18))["campaigns"] == 0


def test_the_reminder_is_a_chat_card_with_the_numbers_form_and_the_stand_up(running, users, request, settings):
    from .conftest import connect

    feishu = connect(request, settings, users, "feishu")
    from campaignflow.notifications.delivery import deliver_due

    remind_due(now=at(dt.date(2025, 10, 13), 10))
    deliver_due()
    sent = next(m for m in feishu.server.messages if m.union_id == feishu.subject("wangfang"))
    buttons = {b["text"]["content"]: b["url"] for b in sent.card["elements"][-1]["actions"]}
    assert buttons["填写今日数据"].startswith(f"http://testserver/campaigns/{running.pk}/today/numbers/?channel=")
    assert buttons["打开今日站会"] == f"http://testserver/campaigns/{running.pk}/today/standup/"
    assert json.dumps(sent.card, ensure_ascii=False).count("抖音") >= 1
