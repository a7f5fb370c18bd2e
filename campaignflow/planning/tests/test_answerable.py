"""The tasks a person answers for: "my tasks" and the inbox count the same overdue tasks, and a task
nobody owns (no owner, no Responsible in the RACI matrix) counts for the campaign's owner."""

import datetime as dt
import re

from django.test import Client
from django.utils import timezone

from campaignflow.planning.models import RaciAssignment, RaciRole, Task


def _plan(campaign, users):
    """T001 the owner's, T002 nobody's, T003 the member's, T004 unowned but the member is R; all overdue."""
    today = timezone.localdate()
    Task.objects.filter(campaign=campaign).update(owner=None, end_date=today + dt.timedelta(days=30))
    late = today - dt.timedelta(days=2)
    Task.objects.filter(campaign=campaign, code="T001").update(owner=users["owner"], end_date=late)
    Task.objects.filter(campaign=campaign, code="T002").update(end_date=late)
    Task.objects.filter(campaign=campaign, code="T003").update(owner=users["member"], end_date=late)
    Task.objects.filter(campaign=campaign, code="T004").update(end_date=late)
    RaciAssignment.objects.create(task=campaign.tasks.get(code="T004"), user=users["member"], role=RaciRole.R)


def _my_overdue(api_for, user) -> set[str]:
    return {t["code"] for t in api_for(user).get("/me/tasks").json() if t["bucket"] == "overdue"}


def _inbox_overdue(user) -> int:
    client = Client()
    client.force_login(user)
    html = client.get("/inbox/").content.decode()
    found = re.search(r'data-testid="inbox-overdue" data-count="(\d+)"', html)
    return int(found.group(1)) if found else 0


def test_my_tasks_and_the_inbox_count_the_same_overdue_tasks(api_for, users, campaign):
    _plan(campaign, users)
    owner = _my_overdue(api_for, users["owner"])
    assert owner == {"T001", "T002"}  # their own and the one nobody owns; not the member's or the R's
    assert _inbox_overdue(users["owner"]) == len(owner)
    member = _my_overdue(api_for, users["member"])
    assert member == {"T003", "T004"}
    assert _inbox_overdue(users["member"]) == len(member)
    for other in ("manager", "viewer"):
        assert _my_overdue(api_for, users[other]) == set()
        assert _inbox_overdue(users[other]) == 0


def test_the_my_tasks_page_lists_the_unassigned_overdue_task_for_the_owner(users, campaign):
    _plan(campaign, users)
    client = Client()
    client.force_login(users["owner"])
    html = client.get("/my/tasks/").content.decode()
    overdue = html.split('data-testid="bucket-overdue"')[1].split("</section>")[0]
    names = dict(campaign.tasks.values_list("code", "name"))
    assert names["T001"] in overdue and names["T002"] in overdue and names["T003"] not in overdue
