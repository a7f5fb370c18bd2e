"""A campaign made from a playbook with too little preparation time: the steps whose dates are already
past are flagged in the preview, and neither choice (reschedule them from today, or keep their dates)
gives overdue alerts the moment the campaign exists."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from campaignflow.campaigns.domain.builtin_playbooks import BUILTIN_PLAYBOOKS
from campaignflow.campaigns.models import Campaign
from campaignflow.planning.models import Task

pytestmark = pytest.mark.django_db
KEY = "enterprise-campaign"


def _dates():
    today = timezone.localdate()
    return today, today + dt.timedelta(days=3), today + dt.timedelta(days=30)


def _steps_due_before_today() -> int:
    """The enterprise playbook's steps anchored before a start 3 days away by more than 3 days."""
    playbook = next(p for p in BUILTIN_PLAYBOOKS if p["key"] == KEY)
    steps = [s for phase in playbook["phases"] for s in phase["steps"]]
    return sum(1 for s in steps if s["anchor"] == "start" and not s["workdays"] and s["offset_days"] < -3)


@pytest.fixture
def owner(api_for, users, playbooks):
    client = api_for(users["owner"])
    client.headers["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def _create(client, **extra):
    _today, start, end = _dates()
    payload = {
        "name": "三天后开幕的发布会",
        "start_date": start.isoformat(),
        "end_date": end.isoformat(),
        "playbook": KEY,
    }
    response = client.post("/campaigns", {**payload, **extra})
    assert response.status_code == 201, response.content
    return response.json()


def _overdue_alerts(client, campaign_id: int) -> list[dict]:
    assert client.post(f"/campaigns/{campaign_id}/alerts/evaluate").status_code == 200
    return [a for a in client.get(f"/campaigns/{campaign_id}/alerts").json() if a["rule"] == "task_overdue"]


def test_preview_flags_the_past_steps_and_writes_nothing(owner):
    today, start, end = _dates()
    before = (Campaign.objects.count(), Task.objects.count())
    query = {"start_date": start.isoformat(), "end_date": end.isoformat()}
    kept = owner.get(f"/playbooks/{KEY}/preview", query).json()
    assert [t["past_due"] for t in kept["tasks"]] == [t["start_date"] < today.isoformat() for t in kept["tasks"]]
    assert kept["past_due_count"] == sum(t["past_due"] for t in kept["tasks"])
    assert sum(t["end_date"] < today.isoformat() for t in kept["tasks"]) == _steps_due_before_today() > 0

    moved = owner.get(f"/playbooks/{KEY}/preview", {**query, "past_steps": "reschedule"}).json()
    assert moved["past_due_count"] == kept["past_due_count"]
    for old, new in zip(kept["tasks"], moved["tasks"], strict=True):
        assert new["past_due"] == old["past_due"]
        assert new["start_date"] >= today.isoformat() and new["end_date"] >= new["start_date"]
        if old["end_date"] < today.isoformat():
            assert new["original_end_date"] == old["end_date"]
        else:  # a step not yet due keeps the date its time node gives
            assert new["end_date"] == old["end_date"] and new["original_end_date"] is None
    ends = [t["end_date"] for t in moved["tasks"]]
    assert ends == sorted(ends)  # the steps' order holds
    assert (Campaign.objects.count(), Task.objects.count()) == before

    bad = owner.get(f"/playbooks/{KEY}/preview", {**query, "past_steps": "later"})
    assert bad.status_code == 422 and "past_steps" in bad.content.decode()


def test_created_without_a_choice_keeps_the_dates_and_raises_no_overdue_alert(owner):
    """An old client (no past_steps): the dates are the time nodes, as documented; 9 alerts before the fix."""
    today, _start, _end = _dates()
    campaign = _create(owner)
    tasks = owner.get(f"/campaigns/{campaign['id']}/tasks").json()
    assert sum(t["end_date"] < today.isoformat() for t in tasks) == _steps_due_before_today()
    assert _overdue_alerts(owner, campaign["id"]) == []


def test_keep_then_a_new_date_that_passes_is_overdue_again(owner):
    today, _start, _end = _dates()
    campaign = _create(owner, past_steps="keep")
    assert _overdue_alerts(owner, campaign["id"]) == []
    kept = next(t for t in owner.get(f"/campaigns/{campaign['id']}/tasks").json() if t["end_date"] < today.isoformat())
    moved = owner.patch(
        f"/tasks/{kept['id']}", {"version": kept["version"], "end_date": (today - dt.timedelta(days=1)).isoformat()}
    )
    assert moved.status_code == 200, moved.content
    assert [a["message"] for a in _overdue_alerts(owner, campaign["id"])] != []
    assert kept["code"] in _overdue_alerts(owner, campaign["id"])[0]["message"]


def test_reschedule_moves_the_past_steps_to_today_or_later_in_order(owner):
    today, start, end = _dates()
    computed = owner.get(f"/playbooks/{KEY}/preview", {"start_date": start.isoformat(), "end_date": end.isoformat()})
    campaign = _create(owner, past_steps="reschedule")
    tasks = sorted(owner.get(f"/campaigns/{campaign['id']}/tasks").json(), key=lambda t: t["code"])
    assert len(tasks) == len(computed.json()["tasks"])
    assert all(t["start_date"] >= today.isoformat() and t["end_date"] >= t["start_date"] for t in tasks)
    ends = [t["end_date"] for t in tasks]
    assert ends == sorted(ends)
    assert _overdue_alerts(owner, campaign["id"]) == []


def test_an_unknown_choice_is_422_and_creates_nothing(owner):
    _today, start, end = _dates()
    before = Campaign.objects.count()
    response = owner.post(
        "/campaigns",
        {"name": "x", "start_date": start.isoformat(), "end_date": end.isoformat(), "playbook": KEY, "past_steps": "x"},
    )
    assert response.status_code == 422 and "past_steps" in response.content.decode()
    assert Campaign.objects.count() == before


def test_the_create_form_warns_offers_the_choice_and_reschedules_by_default(users, playbooks):
    today, start, end = _dates()
    client = Client()
    client.force_login(users["owner"])
    dates = {"start_date": start.isoformat(), "end_date": end.isoformat()}
    html = client.get("/campaigns/new/preview/", {"playbook": KEY, **dates}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = html.content.decode()
    assert 'data-testid="past-steps"' in html and "活动准备期不足" in html
    assert 'value="reschedule" form="campaign-form" data-testid="past-reschedule" checked' in html
    assert html.count('data-testid="past-row"') > _steps_due_before_today() - 1

    response = client.post(
        "/campaigns/new/",
        {"name": "表单创建", "type": "general", "owner": "owner1", "playbook": KEY, **dates},
    )
    assert response.status_code == 302
    campaign = Campaign.objects.get(name="表单创建")
    assert not campaign.tasks.filter(start_date__lt=today).exists()
    assert not campaign.tasks.filter(end_date__lt=today).exists()

    response = client.post(
        "/campaigns/new/",
        {"name": "保留日期", "type": "general", "owner": "owner1", "playbook": KEY, "past_steps": "keep", **dates},
    )
    kept = Campaign.objects.get(name="保留日期")
    assert kept.tasks.filter(end_date__lt=today).count() == _steps_due_before_today()
    assert client.post(f"/campaigns/{kept.id}/alerts/evaluate/").status_code in (200, 302)
    assert not kept.alerts.filter(rule="task_overdue").exists()


def test_rescheduled_working_day_steps_land_on_working_days_in_order():
    from campaignflow.campaigns.domain.playbooks import Phase, Step, generate_tasks
    from campaignflow.core.domain.workdays import WorkdayCalendar

    calendar = WorkdayCalendar()
    today = dt.date(2025, 10, 1)  # National Day: 1–8 October are holidays
    steps = tuple(Step(name=f"s{n}", offset_days=-n, workdays=True) for n in (20, 15, 10, 5, 3))
    start = dt.date(2025, 10, 10)  # the steps fall on 10–29 September; 9 October is the next working day
    phases = [Phase(name="p", steps=(*steps, Step(name="go")))]
    specs = generate_tasks(phases, start, start, calendar, today=today)
    assert all(s.end_date < today for s in specs[:5]) and specs[5].end_date == start
    assert [s.past_due for s in specs] == [s.start_date < today for s in specs] == [True] * 6
    moved = generate_tasks(phases, start, start, calendar, today=today, reschedule=True)
    assert [s.original_end_date for s in moved[:5]] == [s.end_date for s in specs[:5]]
    assert all(calendar.is_workday(s.end_date) for s in moved[:5])  # not in the holiday week
    assert all(today <= s.start_date <= s.end_date <= start for s in moved)
    ends = [s.end_date for s in moved]
    assert ends == sorted(ends) and moved[5].end_date == start and moved[5].original_end_date is None
