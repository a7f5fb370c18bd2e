"""A notification reads in its reader's language, whatever language was active when it was made: the inbox page,
the inbox API and the delivery log say it from its message key and params; an e-mail is sent in its recipient's
own language (the site's when they chose none); a row without a key shows its stored text."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone
from django.utils.translation import override

from campaignflow.alerts import engine
from campaignflow.notifications import services, texts
from campaignflow.notifications.delivery import deliver_due
from campaignflow.notifications.models import Delivery, Notification
from campaignflow.planning.models import Task
from conftest import logged_in

pytestmark = pytest.mark.django_db

HELD = ("approval.expense_held", {"payee": "星图代理", "amount": texts.money(Decimal("86000"))})
ZH_HELD = "超支待你审批：星图代理 ¥8.6万"
EN_HELD = "Overrun waiting for your approval: 星图代理 ¥86,000.00"


def _inbox_titles(api, language: str) -> list[str]:
    return [n["title"] for n in api.get("/me/notifications", HTTP_ACCEPT_LANGUAGE=language).json()]


def test_a_notification_made_in_chinese_reads_in_english_and_back(api_for, users, campaign):
    with override("zh-hans"):
        services.notify(kind="approval", text=HELD, campaign=campaign, recipients=[users["member"]])
    assert Notification.objects.get().title == ZH_HELD  # stored in the site's language
    api = api_for(users["member"])
    assert _inbox_titles(api, "en") == [EN_HELD]
    assert _inbox_titles(api, "zh-hans") == [ZH_HELD]
    page = logged_in(users["member"], "en").get("/inbox/").content.decode()
    assert EN_HELD in page and ZH_HELD not in page
    assert ZH_HELD in logged_in(users["member"], "zh-hans").get("/inbox/").content.decode()


def test_a_notification_made_in_english_reads_in_chinese(api_for, users, campaign):
    text = ("numbers.missing", {"channels": texts.listed(["抖音", "小红书"]), "campaign": campaign.name})
    with override("en"):
        services.notify(kind="numbers_missing", text=text, campaign=campaign, recipients=[users["member"]])
    api = api_for(users["member"])
    (zh,) = api.get("/me/notifications", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert zh["title"] == "今天的数据还没填：抖音、小红书"
    assert zh["body"] == f"请填写「{campaign.name}」今天的数据。"
    (en,) = api.get("/me/notifications", HTTP_ACCEPT_LANGUAGE="en").json()
    assert en["title"] == "Today's numbers are missing: 抖音, 小红书"
    assert en["body"] == f"Please enter today's numbers for {campaign.name}."


def test_a_notification_without_a_key_shows_its_stored_text(api_for, users, campaign):
    services.notify(
        kind="task_overdue", title="T002 已逾期", body="请跟进", campaign=campaign, recipients=[users["member"]]
    )
    Notification.objects.create(
        recipient=users["member"], kind="approval", title="旧的待审批", message_key="approval.gone", message_params={}
    )
    Notification.objects.create(
        recipient=users["member"], kind="approval", title="参数不全", message_key="approval.budget", message_params={}
    )
    api = api_for(users["member"])
    assert sorted(_inbox_titles(api, "en")) == sorted(["T002 已逾期", "旧的待审批", "参数不全"])
    assert "请跟进" in [n["body"] for n in api.get("/me/notifications", HTTP_ACCEPT_LANGUAGE="en").json()]
    assert "T002 已逾期" in logged_in(users["member"], "en").get("/inbox/").content.decode()


def test_an_alert_notification_reads_in_the_readers_language(
    api_for, users, campaign, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # nothing sent here
    Task.objects.filter(campaign=campaign).update(end_date=timezone.localdate() + dt.timedelta(days=30))
    Task.objects.filter(campaign=campaign, code="T001").update(end_date=timezone.localdate() - dt.timedelta(days=2))
    name = campaign.tasks.get(code="T001").name
    with override("zh-hans"), django_capture_on_commit_callbacks(execute=True):
        engine.evaluate_campaign(campaign)
    (en,) = api_for(users["owner"]).get("/me/notifications", HTTP_ACCEPT_LANGUAGE="en").json()
    assert (en["title"], en["body"]) == (f"Task T001 {name} is 2 days overdue.", "Task overdue")
    (zh,) = api_for(users["owner"]).get("/me/notifications", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert (zh["title"], zh["body"]) == (f"任务 T001 {name} 已逾期 2 天。", "任务逾期")


def test_an_email_is_sent_in_its_recipients_language_and_the_log_reads_in_the_readers(
    api_for, users, campaign, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    english, chinese = users["finance"], users["director"]
    english.email, english.language = "finance@example.com", "en"
    chinese.email, chinese.language = "director@example.com", ""  # none chosen: the site's language
    for user in (english, chinese):
        user.save(update_fields=["email", "language"])
    with override("zh-hans"):
        services.notify(kind="approval", text=HELD, campaign=campaign, recipients=[english, chinese])
    assert deliver_due()["sent"] == 2
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects == {
        "finance@example.com": f"[CampaignFlow] {EN_HELD}",
        "director@example.com": f"[CampaignFlow] {ZH_HELD}",
    }
    assert all(m.body.startswith(f"{campaign.name}\n\n") for m in mail.outbox)  # which campaign, said first
    assert Delivery.objects.get(recipient=english).title == EN_HELD  # the log keeps what was sent
    log = api_for(users["owner"]).get(f"/campaigns/{campaign.id}/deliveries", HTTP_ACCEPT_LANGUAGE="en").json()
    assert [d["title"] for d in log] == [EN_HELD, EN_HELD]
    page = logged_in(users["owner"], "zh-hans").get(f"/campaigns/{campaign.id}/execution/notifications/")
    assert page.content.decode().count(ZH_HELD) == 2


def test_a_robots_test_message_is_in_the_sites_language(users, campaign, settings):
    settings.WEBHOOK_ALLOWED_HOSTS = ["oapi.dingtalk.com"]
    endpoint = services.endpoint_create(
        actor=users["owner"],
        campaign=campaign,
        data={"name": "群", "kind": "dingtalk", "url": "https://oapi.dingtalk.com/robot/send?access_token=x"},
    )
    with override("en"):
        delivery = services.endpoint_test(actor=users["owner"], endpoint=endpoint)
    assert delivery.title == "CampaignFlow test message"  # asked in English
    texts.localize(delivery)  # what deliver_due does before sending: a robot's message is in the site's language
    assert (delivery.title, delivery.body) == ("CampaignFlow 测试消息", "如果您能看到这条消息，说明机器人已配置成功。")
