"""Events through the API as a client uses it (API.md "Events"): creating an event, registering in public,
the same phone again, capacity and waiting list, the window, check-in once, masking, erasure, and the
counts 报名/签到 in the campaign's metrics."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from campaignflow.core.models import AuditEntry
from campaignflow.events.models import Event, Registration
from campaignflow.tracking.models import MetricRow
from conftest import assert_matches_openapi

STARTS = "2025-06-20T14:00:00+08:00"


@pytest.fixture
def api(api_for, users):
    return lambda who: api_for(users[who])


@pytest.fixture
def public(api_for):
    return api_for(None)


def create_event(client, campaign, **data):
    body = {"name": "新品发布会", "starts_at": STARTS, "place": "上海国际会议中心", "channels": ["抖音", "微信"]}
    response = client.post(f"/campaigns/{campaign.id}/events", body | data)
    assert response.status_code == 201, response.content
    return response.json()


def register(public, event, phone="13800138000", forwarded_for: str = "", **data):
    body = {"name": "张三", "phone": phone, "consent": True} | data
    headers = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for else {}
    return public.post(f"/public/events/{event['slug']}/registrations", body, **headers)


def test_owner_creates_an_event_with_a_public_link(api, campaign):
    event = create_event(api("owner"), campaign, capacity=100)
    assert event["capacity"] == 100 and event["version"] == 1
    assert len(event["slug"]) >= 11  # 64 random bits
    assert event["public_url"].endswith(f"/e/{event['slug']}/")
    assert event["consent_text"] and event["consent_version"] == 1
    listed = api("viewer").get(f"/campaigns/{campaign.id}/events").json()
    assert [e["id"] for e in listed] == [event["id"]]
    assert AuditEntry.objects.filter(action="create", campaign=campaign).exists()


@pytest.mark.parametrize("who", ["member", "viewer", "partner"])
def test_only_owner_and_manager_create_events(api, campaign, who):
    response = api(who).post(f"/campaigns/{campaign.id}/events", {"name": "x", "starts_at": STARTS})
    assert response.status_code == 403
    assert Event.objects.count() == 0


def test_outsider_does_not_see_the_campaigns_events(api, campaign):
    event = create_event(api("owner"), campaign)
    assert api("outsider").get(f"/campaigns/{campaign.id}/events").status_code == 404
    assert api("outsider").get(f"/events/{event['id']}").status_code == 404


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"starts_at": "next tuesday"}, "starts_at"),
        ({"starts_at": None}, "starts_at"),
        ({"name": " \u200b "}, "name"),
        ({"capacity": 0}, "capacity"),
        ({"ends_at": "2025-06-19T10:00:00+08:00"}, "ends_at"),
        ({"opens_at": "2025-06-10T00:00", "closes_at": "2025-06-09T00:00"}, "closes_at"),
        ({"stream_url": "javascript:alert(1)"}, "stream_url"),
        ({"questions": [{"label": "行业", "kind": "choice", "options": ["只有一个"]}]}, "questions[0].options"),
    ],
)
def test_bad_event_input_names_the_field_and_writes_nothing(api, campaign, data, field):
    body = {"name": "发布会", "starts_at": STARTS} | data
    response = api("owner").post(f"/campaigns/{campaign.id}/events", body)
    assert response.status_code == 422, response.content
    assert field in [e["field"] for e in response.json()["errors"]]
    assert Event.objects.count() == 0


def test_stale_version_is_a_409_and_a_new_consent_text_is_a_new_version(api, campaign):
    event = create_event(api("owner"), campaign)
    changed = api("owner").patch(f"/events/{event['id']}", {"version": 1, "consent_text": "新的说明"})
    assert changed.status_code == 200 and changed.json()["consent_version"] == 2
    stale = api("manager").patch(f"/events/{event['id']}", {"version": 1, "name": "改名"})
    assert stale.status_code == 409 and stale.json()["current_version"] == 2


def test_public_registration_gives_a_ticket_and_the_same_phone_gets_it_again(api, campaign, public):
    event = create_event(api("owner"), campaign)
    first = register(public, event, channel="抖音")
    assert first.status_code == 201, first.content
    ticket = first.json()
    assert ticket["status"] == "registered" and len(ticket["ticket_code"]) == 14
    assert ticket["ticket_url"].endswith(f"/e/{event['slug']}/t/{ticket['ticket_code']}")
    assert ticket["event"] == "新品发布会" and ticket["starts_at"] == "2025-06-20T06:00:00Z"  # as the API writes times
    path = "/api/v1/public/events/{slug}/registrations"
    assert_matches_openapi(path, ticket, "post", 201)
    again = register(public, event, phone="+86 138 0013 8000", name="张三丰")
    assert again.status_code == 200 and again.json()["ticket_code"] == ticket["ticket_code"]
    assert_matches_openapi(path, again.json(), "post", 200)
    assert Registration.objects.count() == 1
    reg = Registration.objects.get()
    assert reg.channel == "抖音" and reg.consent_version == 1 and reg.consented_at is not None


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"consent": False}, "consent"),
        ({"consent": None}, "consent"),
        ({"phone": "12345"}, "phone"),
        ({"phone": "+44 20 7946 0958"}, "phone"),
        ({"name": ""}, "name"),
        ({"email": "not-an-email"}, "email"),
    ],
)
def test_bad_registration_is_422_naming_the_field(api, campaign, public, data, field):
    event = create_event(api("owner"), campaign)
    response = register(public, event, **data)
    assert response.status_code == 422, response.content
    assert field in [e["field"] for e in response.json()["errors"]]
    assert Registration.objects.count() == 0


def test_required_questions_and_choices(api, campaign, public):
    questions = [{"label": "公司", "required": True}, {"label": "行业", "kind": "choice", "options": ["零售", "餐饮"]}]
    event = create_event(api("owner"), campaign, questions=questions)
    missing = register(public, event)
    assert missing.status_code == 422 and "answers.q1" in missing.json()["detail"]
    wrong = register(public, event, answers={"q1": "某公司", "q2": "汽车"})
    assert wrong.status_code == 422 and "answers.q2" in wrong.json()["detail"]
    ok = register(public, event, answers={"q1": "某公司", "q2": "零售"})
    assert ok.status_code == 201
    assert Registration.objects.get().answers == {"q1": "某公司", "q2": "零售"}


def test_international_number_when_the_event_allows(api, campaign, public):
    event = create_event(api("owner"), campaign, allow_international=True)
    assert register(public, event, phone="+44 20 7946 0958").status_code == 201


def test_capacity_then_waiting_list_or_409(api, campaign, public):
    waiting = create_event(api("owner"), campaign, capacity=1)
    assert register(public, waiting, phone="13800000001").json()["status"] == "registered"
    assert register(public, waiting, phone="13800000002").json()["status"] == "waitlisted"
    full = create_event(api("owner"), campaign, name="闭门会", capacity=1, waitlist=False)
    assert register(public, full, phone="13800000001").status_code == 201
    refused = register(public, full, phone="13800000002")
    assert refused.status_code == 409
    assert Registration.objects.filter(event_id=full["id"]).count() == 1


def test_closed_or_not_yet_open_is_409_with_the_times(api, campaign, public):
    now = timezone.now()
    later = create_event(api("owner"), campaign, opens_at=(now + dt.timedelta(days=1)).isoformat())
    response = register(public, later)
    assert response.status_code == 409 and response.json()["opens_at"]
    closed = create_event(api("owner"), campaign, name="已截止", closes_at=(now - dt.timedelta(hours=1)).isoformat())
    response = register(public, closed)
    assert response.status_code == 409 and response.json()["closes_at"]
    assert Registration.objects.count() == 0


def test_unknown_event_is_404(public):
    assert register(public, {"slug": "nope"}).status_code == 404


def test_rate_limit_per_address_is_429_with_retry_after(api, campaign, public, settings):
    settings.EVENTS_RATE_PER_IP = "3/60"
    event = create_event(api("owner"), campaign)
    codes = [register(public, event, phone=f"1380000000{i}").status_code for i in range(5)]
    assert codes[:3] == [201, 201, 201] and codes[3:] == [429, 429]
    response = register(public, event, phone="13800000009")
    assert int(response["Retry-After"]) >= 1
    assert Registration.objects.count() == 3


def test_behind_the_proxy_each_client_has_its_own_limit(api, campaign, public, settings):
    """With BEHIND_PROXY every request comes from the proxy: the client is the address the proxy added last
    to X-Forwarded-For (a client's own entries before it cannot dodge its limit)."""
    settings.EVENTS_RATE_PER_IP, settings.BEHIND_PROXY = "2/60", True
    event = create_event(api("owner"), campaign)

    def from_client(address, phone, forged=""):
        chain = f"{forged}, {address}" if forged else address
        return register(public, event, phone=phone, forwarded_for=chain).status_code

    assert [from_client("203.0.113.7", f"1380000000{i}", forged=f"10.0.0.{i}") for i in range(3)] == [201, 201, 429]
    assert from_client("198.51.100.9", "13900000000") == 201  # another client behind the same proxy


def test_check_in_once_then_409_saying_when_unknown_404(api, campaign, public):
    event = create_event(api("owner"), campaign)
    code = register(public, event).json()["ticket_code"]
    url = f"/events/{event['id']}/checkin"
    first = api("member").post(url, {"ticket_code": code.lower()})
    assert first.status_code == 200 and first.json()["checked_in_at"]
    again = api("manager").post(url, {"ticket_code": code})
    assert again.status_code == 409
    assert again.json()["checked_in_at"] == first.json()["checked_in_at"]
    at = timezone.localtime(dt.datetime.fromisoformat(first.json()["checked_in_at"]))
    assert again.json()["detail"] == f"已于 {at:%H:%M} 签到。"  # when, in the team's time zone
    assert api("member").post(url, {"ticket_code": "ZZZZZZZZZZZZZZ"}).status_code == 404


@pytest.mark.parametrize("who", ["viewer", "partner"])
def test_viewer_and_partner_may_not_check_in(api, campaign, public, who):
    event = create_event(api("owner"), campaign)
    code = register(public, event).json()["ticket_code"]
    assert api(who).post(f"/events/{event['id']}/checkin", {"ticket_code": code}).status_code == 403
    assert Registration.objects.get().checked_in_at is None


def test_a_ticket_of_another_event_is_unknown_here(api, campaign, public):
    one, other = create_event(api("owner"), campaign), create_event(api("owner"), campaign, name="另一场")
    code = register(public, one).json()["ticket_code"]
    assert api("member").post(f"/events/{other['id']}/checkin", {"ticket_code": code}).status_code == 404


def test_phones_are_masked_for_viewer_and_partner(api, campaign, public):
    event = create_event(api("owner"), campaign)
    register(public, event)
    path = f"/events/{event['id']}/registrations"
    assert api("member").get(path).json()[0]["phone"] == "13800138000"
    for who in ("viewer", "partner"):
        row = api(who).get(path).json()[0]
        assert row["phone"] == "138****8000" and row["ticket_code"] == ""


def test_erasure_keeps_the_counts(api, campaign, public, django_capture_on_commit_callbacks):
    event = create_event(api("owner"), campaign)
    with django_capture_on_commit_callbacks(execute=True):  # the count runs once the registration commits
        register(public, event, channel="抖音")
    reg = Registration.objects.get()
    assert api("member").delete(f"/registrations/{reg.id}").status_code == 403
    assert api("owner").delete(f"/registrations/{reg.id}").status_code == 204
    reg.refresh_from_db()
    assert (reg.name, reg.phone, reg.email, reg.answers) == ("", "", "", {}) and reg.erased_at
    assert api("owner").get(f"/events/{event['id']}").json()["registered_count"] == 1
    assert MetricRow.objects.get(metric="报名", channel="抖音").value == 1
    assert AuditEntry.objects.filter(action="events.erase").exists()
    assert "13800138000" not in str(list(AuditEntry.objects.values_list("after", flat=True)))


def test_registrations_and_check_ins_count_into_the_metrics(api, campaign, public, django_capture_on_commit_callbacks):
    event = create_event(api("owner"), campaign)
    with django_capture_on_commit_callbacks(execute=True):
        for i, channel in enumerate(["抖音", "抖音", "微信", None]):
            register(public, event, phone=f"1390000000{i}", **({"channel": channel} if channel else {}))
        code = Registration.objects.filter(channel="微信").get().ticket_code
        api("member").post(f"/events/{event['id']}/checkin", {"ticket_code": code})
    today = timezone.localdate()
    rows = {(r.channel, r.metric): r.value for r in MetricRow.objects.filter(campaign=campaign, date=today)}
    assert rows == {("抖音", "报名"): 2, ("微信", "报名"): 1, ("直接访问", "报名"): 1, ("微信", "签到"): 1}
    funnel = api("viewer").get(f"/events/{event['id']}/funnel").json()
    assert funnel["totals"]["registrations"] == 4 and funnel["totals"]["check_ins"] == 1
    assert funnel["totals"]["attendance_rate"] == 0.25


def test_event_with_registrations_is_not_deleted(api, campaign, public):
    event = create_event(api("owner"), campaign)
    register(public, event)
    assert api("owner").delete(f"/events/{event['id']}?version=1").status_code == 409
    empty = create_event(api("owner"), campaign, name="空场")
    assert api("owner").delete(f"/events/{empty['id']}?version=1").status_code == 204


def test_the_boards_funnel_shows_visitors_registrations_and_check_ins(
    api, users, campaign, public, django_capture_on_commit_callbacks
):
    """访问 → 报名 → 签到 on the campaign's board from the public page alone: nobody types a number."""
    from django.test import Client

    from campaignflow.tracking.selectors import board

    event = create_event(api("owner"), campaign)
    with django_capture_on_commit_callbacks(execute=True):
        for _visitor in range(8):
            Client().get(f"/e/{event['slug']}/?ch=抖音")  # each a new browser: a visitor
        codes = [
            register(public, event, phone=f"1390000000{i}", channel="抖音").json()["ticket_code"] for i in range(4)
        ]
        api("member").post(f"/events/{event['id']}/checkin", {"ticket_code": codes[0]})
    steps = {s["key"]: s for s in board(campaign, user=users["viewer"])["funnel"]["steps"]}
    assert [steps[k]["value"] for k in ("visit", "registration", "check_in")] == [8, 4, 1]
    assert steps["registration"]["rate"] == Decimal("0.5") and steps["check_in"]["rate"] == Decimal("0.25")


def test_closing_registration_shows_at_once_though_the_public_event_is_cached(
    api, campaign, public, django_capture_on_commit_callbacks
):
    event = create_event(api("owner"), campaign)
    assert register(public, event).status_code == 201  # the event is now in the cache
    with django_capture_on_commit_callbacks(execute=True):
        closed = api("owner").patch(f"/events/{event['id']}", {"version": 1, "closes_at": "2020-01-01T00:00:00+08:00"})
    assert closed.status_code == 200
    late = register(public, event, phone="13900139000")
    assert late.status_code == 409 and late.json()["closes_at"]


def test_a_check_in_time_far_off_is_refused_naming_at_and_a_door_phones_clock_a_little_off_is_taken(
    api, campaign, public
):
    event = create_event(api("owner"), campaign)
    code = register(public, event).json()["ticket_code"]
    url = f"/events/{event['id']}/checkin"
    registered = Registration.objects.get().created_at
    far = {
        "0001-01-01T00:00:00": "日期须在 2000 年至 2100 年之间。",
        "9999-12-31T23:59:59": "日期须在 2000 年至 2100 年之间。",
        "9999-12-31T23:59:59-12:00": "日期须在 2000 年至 2100 年之间。",
        (timezone.now() + dt.timedelta(hours=2)).isoformat(): "签到时间不能晚于现在。",
    }
    for at, message in far.items():
        response = api("member").post(url, {"ticket_code": code, "at": at})
        assert response.status_code == 422 and response.json()["errors"] == [{"field": "at", "message": message}]
    before = api("member").post(url, {"ticket_code": code, "at": (registered - dt.timedelta(days=1)).isoformat()})
    assert before.status_code == 422 and "签到时间不能早于报名时间" in before.json()["errors"][0]["message"]
    assert Registration.objects.get().checked_in_at is None
    slow_clock = (timezone.localtime(registered) - dt.timedelta(minutes=3)).replace(tzinfo=None)  # naive, local
    taken = api("member").post(url, {"ticket_code": code, "at": slow_clock.isoformat()})
    assert taken.status_code == 200
    assert Registration.objects.get().checked_in_at == registered  # not before the registration
