"""What the team does with registrations after they come in: the list as a sheet (报名名单), reminders by
e-mail or text message (a pluggable sender), and the PIPL retention after the campaign is archived."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.core import mail
from django.utils import timezone

from campaignflow.campaigns.models import StatusChange
from campaignflow.core.models import AuditEntry
from campaignflow.events.models import Registration, Reminder
from campaignflow.events.retention import purge_expired_registrations
from campaignflow.events.tests.test_api import create_event, register


class RecordingSender:
    """An SMS provider stand-in at the plug point (EVENTS_SMS_SENDER), as Django's locmem e-mail backend is."""

    sent: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        if phone.endswith("0000"):
            raise ConnectionError("provider refused the number")
        RecordingSender.sent.append((phone, text))


@pytest.fixture
def api(api_for, users):
    return lambda who: api_for(users[who])


@pytest.fixture
def event(api, campaign, api_for):
    event = create_event(
        api("owner"), campaign, capacity=2, questions=[{"label": "公司", "key": "company"}], place="上海国际会议中心"
    )
    public = api_for(None)
    register(public, event, phone="13800138000", channel="抖音", answers={"company": "星河零售"})
    register(public, event, phone="13900139000", email="li@example.com")
    register(public, event, phone="13700137000")  # the third: on the waiting list
    return event


def _sheet(response):
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [[c.value for c in row] for row in book["报名名单"].iter_rows()]


def test_the_registrations_export_as_the_teams_sheet(api, event):
    rows = _sheet(api("owner").get(f"/events/{event['id']}/registrations.xlsx"))
    header = next(r for r in rows if r and r[0] == "序号")
    assert header[:9] == ["序号", "姓名", "手机号", "邮箱", "渠道", "状态", "报名时间", "签到时间", "票码"]
    assert header[9] == "公司"
    people = rows[rows.index(header) + 1 :]
    assert [p[2] for p in people] == ["13800138000", "13900139000", "13700137000"]
    assert people[0][4] == "抖音" and people[0][9] == "星河零售"
    assert people[1][4] == "直接访问" and people[1][3] == "li@example.com"
    assert [p[5] for p in people] == ["已报名", "已报名", "候补"]


def test_viewers_export_masked_phones_and_partners_none(api, event):
    rows = _sheet(api("viewer").get(f"/events/{event['id']}/registrations.xlsx"))
    assert "138****8000" in [r[2] for r in rows]
    assert not any("13800138000" in str(cell) for row in rows for cell in row)
    refused = api("partner").get(f"/events/{event['id']}/registrations.xlsx")
    assert refused.status_code == 403 and "detail" in refused.json()


def test_a_reminder_goes_by_email_or_text_with_each_persons_ticket(api, event, settings):
    settings.EVENTS_SMS_SENDER = f"{__name__}.RecordingSender"
    RecordingSender.sent = []
    response = api("owner").post(f"/events/{event['id']}/reminders", {"message": "明天下午两点见"})
    assert response.status_code == 202, response.content
    reminder = Reminder.objects.get(pk=response.json()["id"])  # the tests' worker runs it at once
    assert (reminder.status, reminder.recipients, reminder.emailed, reminder.texted) == ("done", 2, 1, 1)
    assert [m.to for m in mail.outbox] == [["li@example.com"]]
    ticket = Registration.objects.get(phone="13900139000").ticket_code
    assert "明天下午两点见" in mail.outbox[0].body and f"/t/{ticket}" in mail.outbox[0].body
    assert [phone for phone, _text in RecordingSender.sent] == ["13800138000"]  # not the waiting list
    assert AuditEntry.objects.filter(action="events.remind").count() == 1
    listed = api("viewer").get(f"/events/{event['id']}/reminders").json()
    assert listed[0]["texted"] == 1 and listed[0]["emailed"] == 1


def test_a_failed_text_is_counted_and_the_others_still_go(api, event, settings):
    settings.EVENTS_SMS_SENDER = f"{__name__}.RecordingSender"
    RecordingSender.sent = []
    Registration.objects.filter(phone="13800138000").update(phone="13800000000")
    body = {"include_waitlist": True}
    reminder = Reminder.objects.get(pk=api("owner").post(f"/events/{event['id']}/reminders", body).json()["id"])
    assert (reminder.recipients, reminder.emailed, reminder.texted, reminder.failed) == (3, 1, 1, 1)
    assert reminder.status == "done"


def test_the_default_message_names_the_event_and_the_console_sender_masks_phones(api, event, caplog):
    caplog.set_level("INFO", logger="campaignflow.sms")
    api("owner").post(f"/events/{event['id']}/reminders", {})
    assert "138****8000" in caplog.text and "13800138000" not in caplog.text
    assert "新品发布会" in mail.outbox[0].body and "上海国际会议中心" in mail.outbox[0].body


def test_one_reminder_at_a_time_and_only_managers_send(api, event):
    Reminder.objects.create(event_id=event["id"], status="sending")
    busy = api("owner").post(f"/events/{event['id']}/reminders", {})
    assert busy.status_code == 409 and "detail" in busy.json()
    assert api("member").post(f"/events/{event['id']}/reminders", {}).status_code == 403
    too_long = api("owner").post(f"/events/{event['id']}/reminders", {"message": "长" * 301})
    assert too_long.status_code == 422
    assert Reminder.objects.count() == 1


def _archived(campaign, days_ago: int):
    campaign.status = "archived"
    campaign.save(update_fields=["status"])
    change = StatusChange.objects.create(campaign=campaign, from_status="reviewing", to_status="archived")
    StatusChange.objects.filter(pk=change.pk).update(at=timezone.now() - dt.timedelta(days=days_ago))


def test_registrations_are_anonymised_after_the_retention_and_counts_stay(api, campaign, event, settings):
    settings.EVENTS_RETENTION_DAYS = 30
    _archived(campaign, days_ago=29)
    assert purge_expired_registrations() == 0
    assert Registration.objects.filter(phone="13800138000").exists()
    StatusChange.objects.filter(campaign=campaign).update(at=timezone.now() - dt.timedelta(days=31))
    assert purge_expired_registrations() == 3
    assert not Registration.objects.exclude(phone="").exists()
    assert Registration.objects.filter(erased_at__isnull=False, name="", email="", answers={}).count() == 3
    assert list(Registration.objects.order_by("id").values_list("channel", flat=True)) == [
        "抖音",
        "直接访问",
        "直接访问",
    ]
    assert AuditEntry.objects.filter(action="events.retention").get().after["anonymised"] == 3
    assert purge_expired_registrations() == 0  # once


def test_a_campaign_reopened_after_archiving_is_not_purged(api, campaign, event, settings):
    settings.EVENTS_RETENTION_DAYS = 30
    _archived(campaign, days_ago=60)
    campaign.status = "reviewing"
    campaign.save(update_fields=["status"])
    assert purge_expired_registrations() == 0
