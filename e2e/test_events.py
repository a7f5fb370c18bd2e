"""Event registration and check-in in the browser (#21): a person on a phone inside WeChat registers through
the public link and gets the e-ticket; at the door, a phone's camera reads the ticket's QR code as the product
draws it; typed codes say "already checked in" and "unknown ticket"; a check-in made offline is sent, once,
when the connection is back."""

import datetime as dt
import time
from contextlib import contextmanager
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from conftest import PASSWORD, make_user
from e2e.conftest import CHROMIUM, login, new_campaign, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WECHAT_UA = (
    "Mozilla/5.0 (Linux; Android 13; V2227A Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 MMWEBSDK/20231202 MMWEBID/2247 "
    "MicroMessenger/8.0.47.2560(0x28002F35) WeChat/arm64 Weixin NetType/4G Language/zh_CN ABI/arm64"
)
PHONE_WIDTH = 360
MIN_FILL_WAIT_MS = 2100  # the page refuses a form sent less than 2 s after it was served (a bot's speed)
VIDEO_SIZE = (640, 480)  # the fake camera's frame: even sides, as 4:2:0 chroma needs


@pytest.fixture
def event(owner):
    """新品发布会 a week from now, registration open, with the channels 抖音 and 微信."""
    from campaignflow.events.services import event_create

    today = timezone.localdate()
    campaign = new_campaign(owner, "新品发布会推广", today, today + dt.timedelta(days=30), "200000")
    starts_at = timezone.localtime() + dt.timedelta(days=7)
    data = {
        "name": "新品发布会",
        "starts_at": starts_at.isoformat(),
        "place": "上海国际会议中心",
        "channels": ["抖音", "微信"],
    }
    return event_create(actor=owner, campaign=campaign, data=data)


@pytest.fixture
def door_staff(event):
    """赵丽, a member of the event's campaign: she checks tickets in at the door."""
    from campaignflow.campaigns.models import Membership

    user = make_user("zhaoli", display_name="赵丽")
    Membership.objects.create(campaign=event.campaign, user=user, role="member")
    return user


def phone_page(browser, base: str, *, user_agent: str | None = None, permissions=()):
    """A page on a 360-px-wide Android phone set to Chinese."""
    context = browser.new_context(
        viewport={"width": PHONE_WIDTH, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
        user_agent=user_agent,
        permissions=list(permissions),
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    page.base = base
    return page


@pytest.fixture
def phone(browser, live_server):
    """A page in WeChat's in-app browser on the phone of someone who registers."""
    page = phone_page(browser, live_server.url, user_agent=WECHAT_UA)
    yield page
    page.context.close()


def open_door(page, event):
    """赵丽 signs in on her phone and opens the event's check-in page; returns the page's response."""
    login(page, "zhaoli", PASSWORD)
    answer = page.goto(page.base + checkin_path(event))
    assert answer.ok
    return answer


@pytest.fixture
def door(browser, live_server, settings, door_staff, event):
    """The check-in page on 赵丽's phone."""
    settings.AXES_ENABLED = False
    page = phone_page(browser, live_server.url)
    open_door(page, event)
    yield page
    page.context.close()


def register(event):
    """张三 registers through the service (as the public API does): returns the registration."""
    from campaignflow.events.services import register as register_for

    registration, _created = register_for(event=event, data={"name": "张三", "phone": "13800138000", "consent": True})
    return registration


def ticket_path(registration) -> str:
    return f"/e/{registration.event.slug}/t/{registration.ticket_code}"


def checkin_path(event) -> str:
    return f"/campaigns/{event.campaign_id}/events/{event.pk}/checkin/"


def assert_no_horizontal_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH


def type_code(page, code: str) -> None:
    page.fill("[data-testid=code-input]", code)
    page.click("[data-testid=code-submit]")


def local_time(moment) -> str:
    """HH:MM as the door's page says it (the app's default time zone)."""
    return timezone.localtime(moment, ZoneInfo(settings.TIME_ZONE)).strftime("%H:%M")


def checkin_entries(registration) -> int:
    from campaignflow.core.models import AuditEntry

    return AuditEntry.objects.filter(
        action="events.checkin", object_type="events.registration", object_id=str(registration.pk)
    ).count()


def test_a_person_registers_on_a_phone_in_wechat_and_gets_the_ticket(phone, event):
    phone.goto(f"{phone.base}/e/{event.slug}/?ch=抖音")
    served = time.monotonic()
    expect(phone.locator("h1")).to_contain_text("新品发布会")
    expect(phone.locator("[data-testid=register-submit]")).to_have_text("立即报名")
    expect(phone.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(phone.locator("body")).to_contain_text("我已阅读并同意")
    assert_no_horizontal_scroll(phone)
    shot(phone, "events-01-register-phone")

    form = phone.locator("[data-testid=register-form]")
    form.locator("input[name=name]").fill("张三")
    form.locator("input[name=phone]").fill("138 0013 8000")
    form.locator("input[name=consent]").check()
    phone.wait_for_timeout(max(0, MIN_FILL_WAIT_MS - (time.monotonic() - served) * 1000))
    phone.locator("[data-testid=register-submit]").tap()

    phone.wait_for_url("**/t/*")
    registration = event.registrations.get(phone="13800138000")  # the spaces typed are not kept
    assert (registration.name, registration.channel, registration.status) == ("张三", "抖音", "registered")
    assert registration.consent_version == event.consent_version
    assert list(event.visits.values_list("channel", flat=True)) == ["抖音"]  # the funnel's first step
    ticket = phone.locator("[data-testid=ticket]")
    expect(ticket.locator("[data-testid=ticket-qr] svg")).to_be_visible()
    expect(ticket.locator("[data-testid=ticket-code]")).to_have_text(registration.ticket_code)
    expect(ticket).to_contain_text("已报名")
    expect(ticket).to_contain_text("138****8000")
    calendar_link = ticket.locator("[data-testid=ticket-ics]")
    expect(calendar_link).to_have_text("添加到日历")
    assert phone.url.endswith(ticket_path(registration))
    assert_no_horizontal_scroll(phone)
    shot(phone, "events-02-ticket-phone")

    calendar = phone.request.get(phone.base + calendar_link.get_attribute("href"))
    assert calendar.headers["content-type"].startswith("text/calendar")
    assert "SUMMARY:新品发布会" in calendar.text() and registration.ticket_code in calendar.text()

    phone.goto(phone.base + ticket_path(registration))  # the same link brings the same ticket back
    expect(phone.locator("[data-testid=ticket-code]")).to_have_text(registration.ticket_code)
    assert event.registrations.count() == 1


def test_the_ticket_qr_code_is_centred_on_the_phone(phone, event):
    registration = register(event)
    phone.goto(phone.base + ticket_path(registration))
    drawing = phone.locator("[data-testid=ticket-qr] svg > g").bounding_box()
    assert abs(drawing["x"] + drawing["width"] / 2 - PHONE_WIDTH / 2) <= 2


def qr_video(qr_png: Path, y4m: Path, frames: int = 10) -> None:
    """A Y4M video (YUV4MPEG2, 4:2:0) of the QR picture centred on white, for Chromium's fake camera."""
    width, height = VIDEO_SIZE
    picture = Image.new("RGB", VIDEO_SIZE, "white")
    qr = Image.open(qr_png).convert("RGB")
    picture.paste(qr, ((width - qr.width) // 2, (height - qr.height) // 2))
    luma, blue, red = picture.convert("YCbCr").split()
    half = (width // 2, height // 2)
    frame = b"FRAME\n" + luma.tobytes() + blue.resize(half, Image.BOX).tobytes() + red.resize(half, Image.BOX).tobytes()
    header = f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode()
    y4m.write_bytes(header + frame * frames)


@contextmanager
def camera_filming(browser, video_file: Path):
    """A second Chromium whose camera films `video_file`, granted without asking."""
    camera = browser.browser_type.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=[
            "--no-sandbox",
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video_file}",
        ],
    )
    try:
        yield camera
    finally:
        camera.close()


def test_the_door_scans_the_qr_code_the_ticket_page_draws(browser, page, event, door_staff, tmp_path):
    registration = register(event)
    page.goto(page.base + ticket_path(registration))
    qr_png = tmp_path / "ticket-qr.png"
    page.locator("[data-testid=ticket-qr] svg").screenshot(path=str(qr_png))
    video = tmp_path / "ticket-qr.y4m"
    qr_video(qr_png, video)

    with camera_filming(browser, video) as camera:
        door = phone_page(camera, page.base, permissions=["camera"])
        answer = open_door(door, event)
        assert "camera=()" not in answer.headers.get("permissions-policy", ""), "the page forbids its own camera"
        door.click("[data-testid=scan-start]")

        result = door.locator("[data-testid=checkin-result]")
        expect(result).to_contain_text("签到成功", timeout=20000)
        expect(result).to_contain_text("张三")
        expect(door.locator("[data-testid=scan-start]")).to_be_hidden()  # scanning: no second camera stream
        shot(door, "events-03-checkin-scanned")
    registration.refresh_from_db()
    assert registration.checked_in_at is not None
    assert registration.checked_in_by == door_staff
    assert checkin_entries(registration) == 1


def test_typed_codes_say_already_checked_in_and_unknown_ticket(door, event):
    registration = register(event)
    result = door.locator("[data-testid=checkin-result]")

    type_code(door, registration.ticket_code.lower())  # typed as it comes: case does not matter
    expect(result).to_contain_text("签到成功")
    registration.refresh_from_db()
    assert registration.checked_in_at is not None

    type_code(door, registration.ticket_code)
    expect(result).to_have_text(f"已于 {local_time(registration.checked_in_at)} 签到。")
    shot(door, "events-04-already-checked-in")

    type_code(door, "ABCDEFGHJKMNPQ")
    expect(result).to_have_text("未知的票")
    registration.refresh_from_db()
    assert checkin_entries(registration) == 1


def test_a_check_in_made_offline_is_sent_once_when_back_online(door, event):
    registration = register(event)
    queue_state = door.locator("[data-testid=queue-state]")

    door.context.set_offline(True)
    type_code(door, registration.ticket_code)
    expect(door.locator("[data-testid=checkin-result]")).to_have_text("无网络：已保存在本机，恢复联网后自动提交。")
    expect(queue_state).to_have_text("1 等待提交")
    shot(door, "events-05-checkin-queued-offline")
    registration.refresh_from_db()
    assert registration.checked_in_at is None

    back_online = timezone.now()
    door.context.set_offline(False)
    expect(queue_state).to_have_text("")
    registration.refresh_from_db()
    assert registration.checked_in_at is not None
    assert registration.checked_in_at <= back_online  # the time it was scanned, not the time it was sent
    queue_key = f"cf-checkin-queue-{event.pk}"
    assert door.evaluate("key => localStorage.getItem(key)", queue_key) == "[]"

    # Sent, but the line dropped before the answer came: the check-in is queued again and replayed.
    checked_in_at = registration.checked_in_at
    replay = f'[{{"code": "{registration.ticket_code}", "at": "{timezone.now().isoformat()}"}}]'
    door.evaluate("([key, items]) => localStorage.setItem(key, items)", [queue_key, replay])
    door.reload()
    expect(queue_state).to_have_text("")
    registration.refresh_from_db()
    assert registration.checked_in_at == checked_in_at
    assert checkin_entries(registration) == 1
