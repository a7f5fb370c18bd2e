"""Milestones: one "at risk" rule for the Gantt, the schedule, the task list and the alert; a milestone is a point
in time on the Gantt (its one date as start and end, its baseline a point too)."""

import datetime as dt

import pytest
from django.utils import timezone

from campaignflow.alerts.engine import evaluate_campaign
from campaignflow.alerts.models import Alert
from campaignflow.planning.domain.milestones import at_risk, milestone_date
from campaignflow.planning.models import Task, TaskDependency

TODAY = dt.date(2030, 6, 10)


@pytest.mark.parametrize(
    ("status", "date", "slip", "expected"),
    [
        ("not_started", TODAY + dt.timedelta(days=3), 0, True),  # due within 3 days, not under way
        ("delayed", TODAY, 0, True),
        ("blocked", TODAY - dt.timedelta(days=1), 0, True),
        ("not_started", TODAY + dt.timedelta(days=4), 0, False),  # not yet near
        ("in_progress", TODAY + dt.timedelta(days=1), 0, False),  # near but under way, on plan
        ("in_progress", TODAY + dt.timedelta(days=30), 2, True),  # the plan forecasts it late
        ("done", TODAY - dt.timedelta(days=5), 3, False),  # done: never
        ("not_started", None, 0, False),  # no date
    ],
)
def test_the_rule(status, date, slip, expected):
    assert at_risk(milestone=True, status=status, date=date, slip_days=slip, today=TODAY) is expected
    assert at_risk(milestone=False, status=status, date=date, slip_days=slip, today=TODAY) is False


def test_a_milestone_is_on_its_end_date():
    assert milestone_date(dt.date(2030, 6, 1), dt.date(2030, 6, 8)) == dt.date(2030, 6, 8)
    assert milestone_date(dt.date(2030, 6, 1), None) == dt.date(2030, 6, 1)
    assert milestone_date(None, None) is None


# --- the same answer everywhere ------------------------------------------------------------------------------


def _day(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


# (predecessor's status and end, in days from today; the milestone's status and date; at risk?)
CASES = {
    # the alert's old rule only: due in 2 days and not started (the Gantt called it on plan)
    "due soon, not started": (("done", -8), ("not_started", 2), True),
    "due soon, delayed": (("done", -8), ("delayed", 3), True),
    # the Gantt's old rule only: a predecessor planned past the milestone's date (the alert looked 3 days ahead)
    "predecessor past its date": (("in_progress", 12), ("in_progress", 10), True),
    "predecessor overdue": (("in_progress", -2), ("not_started", -1), True),
    # done: the old Gantt still flagged it when a predecessor ran late
    "done, predecessor late": (("in_progress", 12), ("done", 10), False),
    "due soon, under way": (("done", -8), ("in_progress", 2), False),
    "on plan, later": (("done", -8), ("not_started", 10), False),
}


@pytest.fixture
def plan_of(campaign):
    def make(case: str) -> Task:
        (p_status, p_end), (m_status, m_day) = CASES[case][:2]
        Task.objects.filter(campaign=campaign).delete()
        pred = Task.objects.create(
            campaign=campaign,
            code="T001",
            name="主视觉设计",
            start_date=_day(p_end - 4),
            end_date=_day(p_end),
            status=p_status,
            sort_order=1,
        )
        milestone = Task.objects.create(
            campaign=campaign,
            code="T002",
            name="活动上线",
            start_date=_day(m_day - 6),  # a milestone with a range (as playbooks make them): its date is its end
            end_date=_day(m_day),
            status=m_status,
            milestone=True,
            sort_order=2,
        )
        TaskDependency.objects.create(campaign=campaign, predecessor=pred, successor=milestone, type="FS")
        return milestone

    return make


@pytest.mark.parametrize("case", list(CASES))
def test_gantt_schedule_task_list_and_alert_agree(case, plan_of, campaign, api_for, users):
    milestone = plan_of(case)
    expected = CASES[case][2]
    evaluate_campaign(campaign, notify=False)
    alert = Alert.objects.filter(campaign=campaign, rule="milestone_at_risk", subject=f"milestone:{milestone.pk}")
    client = api_for(users["owner"])
    gantt = {row["id"]: row for row in client.get(f"/campaigns/{campaign.id}/gantt").json()["data"]}
    schedule = client.get(f"/campaigns/{campaign.id}/schedule").json()
    listed = {t["id"]: t for t in client.get(f"/campaigns/{campaign.id}/tasks").json()}
    answers = {
        "alert": alert.exists(),
        "gantt": gantt[milestone.pk]["at_risk"],
        "schedule": milestone.pk in schedule["at_risk_milestones"],
        "schedule row": next(t for t in schedule["tasks"] if t["id"] == milestone.pk)["at_risk"],
        "task list": listed[milestone.pk]["at_risk"],
        "task": client.get(f"/tasks/{milestone.pk}").json()["at_risk"],
    }
    assert answers == dict.fromkeys(answers, expected)
    if expected:
        assert alert.get().data["due"] == milestone.end_date.isoformat()


def test_the_alert_flags_what_the_plan_page_lists(plan_of, campaign, client):
    milestone = plan_of("due soon, not started")
    evaluate_campaign(campaign, notify=False)
    assert Alert.objects.filter(rule="milestone_at_risk", subject=f"milestone:{milestone.pk}").exists()
    client.force_login(campaign.owner)
    html = client.get(f"/campaigns/{campaign.id}/plan/").content.decode()
    assert 'data-testid="milestones-at-risk"' in html and 'data-testid="at-risk-T002"' in html
    # at risk for being due soon, not for a slip: the banner says when it is due, not "0 days late"
    notice = html[html.index('data-testid="milestones-at-risk"') :].split("</div>")[0]
    assert f"{milestone.end_date:%m-%d} 到期" in notice and "延迟 0 天" not in notice


# --- a milestone on the Gantt -----------------------------------------------------------------------------------


def test_a_milestone_is_one_date_on_the_gantt(plan_of, campaign, api_for, users):
    milestone = plan_of("on plan, later")
    client = api_for(users["owner"])
    assert client.post(f"/campaigns/{campaign.id}/baselines", {"name": "V1"}).status_code == 201
    Task.objects.filter(pk=milestone.pk).update(end_date=_day(12))  # moved after the baseline
    rows = {row["id"]: row for row in client.get(f"/campaigns/{campaign.id}/gantt").json()["data"]}
    drawn = rows[milestone.pk]
    # the task has a start date six days before: the milestone is still one point, its end date
    assert drawn["type"] == "milestone"
    assert drawn["start_date"] == drawn["end_date"] == _day(12).isoformat()
    # and the grid is told the window it spans, to show its first day in the Start column
    assert drawn["span_start"] == milestone.start_date.isoformat() < drawn["start_date"]
    # its baseline too is a point: its baseline date (not a bar from the task's old start date)
    assert drawn["baseline_start"] == drawn["baseline_end"] == _day(10).isoformat()
    version = Task.objects.get(pk=milestone.pk).version  # a one-day milestone has no window
    assert (
        client.patch(f"/tasks/{milestone.pk}", {"start_date": _day(12).isoformat(), "version": version}).status_code
        == 200
    )
    rows = {row["id"]: row for row in client.get(f"/campaigns/{campaign.id}/gantt").json()["data"]}
    assert "span_start" not in rows[milestone.pk]
    task = rows[Task.objects.get(campaign=campaign, code="T001").pk]
    assert task["type"] == "task" and task["end_date"] == (_day(-8) + dt.timedelta(days=1)).isoformat()
    assert (task["baseline_start"], task["baseline_end"]) == (_day(-12).isoformat(), _day(-7).isoformat())
