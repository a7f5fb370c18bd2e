"""Inline edits in the WBS table (htmx): name, phase, module, deliverable and acceptance criterion,
with the version check (a stale form shows the conflict and writes nothing)."""

import pytest
from django.test import Client

from campaignflow.core.models import AuditEntry
from campaignflow.planning import services
from campaignflow.planning.models import Task

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def wbs(users, campaign):
    Task.objects.filter(campaign=campaign).delete()
    for name, phase, module in (
        ("预热海报设计", "预热期", "设计"),
        ("KOL种草", "预热期", "设计"),
        ("直播", "爆发期", ""),
    ):
        services.task_create(
            actor=users["owner"], campaign=campaign, data={"name": name, "phase": phase, "module": module}
        )
    return campaign


def fields(task, **changes) -> dict:
    data = {
        "version": task.version,
        "row": "wbs",
        "panel": "details",
        "name": task.name,
        "phase": task.phase,
        "module": task.module,
        "deliverable": task.deliverable,
        "acceptance": task.acceptance,
    }
    return {**data, **changes}


def post(client, task, data, **headers):
    return client.post(f"/tasks/{task.pk}/quick/", data, HTTP_HX_REQUEST="true", **headers)


def test_the_plan_page_offers_the_fields_inline(users, wbs):
    page = login(users["member"]).get(f"/campaigns/{wbs.id}/plan/").content.decode()
    for field in ("name", "phase", "module", "deliverable", "acceptance"):
        assert f'data-testid="edit-{field}-T001"' in page
    assert 'data-testid="up-T001"' in page and 'data-testid="drag-T001"' in page
    assert "planning/wbs.js" in page and 'id="wbs-i18n"' in page
    # Read-only roles get neither the fields nor the reorder tools.
    page = login(users["viewer"]).get(f"/campaigns/{wbs.id}/plan/").content.decode()
    assert 'data-testid="edit-phase-T001"' not in page and 'data-testid="up-T001"' not in page
    assert "planning/wbs.js" not in page


def test_edit_deliverable_and_acceptance_in_place(users, wbs):
    task = Task.objects.get(campaign=wbs, code="T001")
    before = AuditEntry.objects.count()
    r = post(login(users["member"]), task, fields(task, deliverable="3张海报终稿", acceptance="品牌部签字确认"))
    assert r.status_code == 200
    html = r.content.decode()
    assert "3张海报终稿" in html and "品牌部签字确认" in html
    assert f'id="task-{task.pk}"' in html and "<details" in html and " open>" in html  # the panel stays open
    task.refresh_from_db()
    assert (task.deliverable, task.acceptance, task.version) == ("3张海报终稿", "品牌部签字确认", 2)
    assert AuditEntry.objects.count() == before + 1
    assert "HX-Refresh" not in r.headers


def test_edit_module_within_the_phase_moves_the_task_and_refreshes_the_page(users, wbs):
    task = Task.objects.get(campaign=wbs, code="T001")
    client = login(users["member"])
    r = post(client, task, fields(task, module="投放"))
    assert r.status_code == 200
    assert r.headers["HX-Refresh"] == "true"
    task.refresh_from_db()
    assert (task.phase, task.module, task.version) == ("预热期", "投放", 2)
    # The end of its phase (no task had that module yet): after T002, before the next phase.
    codes = list(Task.objects.filter(campaign=wbs).order_by("sort_order").values_list("code", flat=True))
    assert codes == ["T002", "T001", "T003"]
    page = client.get(f"/campaigns/{wbs.id}/plan/").content.decode()
    assert "T001 moved to 预热期 / 投放" in page or "T001 已移至 预热期 / 投放" in page


def test_edit_phase(users, wbs):
    task = Task.objects.get(campaign=wbs, code="T001")
    r = post(login(users["owner"]), task, fields(task, phase="爆发期", module=""))
    assert r.headers["HX-Refresh"] == "true"
    codes = list(Task.objects.filter(campaign=wbs).order_by("sort_order").values_list("code", flat=True))
    assert codes == ["T002", "T003", "T001"]


def test_a_stale_version_shows_the_conflict_and_writes_nothing(users, wbs):
    task = Task.objects.get(campaign=wbs, code="T001")
    stale = fields(task, phase="爆发期", deliverable="海报")
    services.task_update(actor=users["owner"], task=task, version=task.version, data={"name": "预热海报设计（改）"})
    before = AuditEntry.objects.count()
    r = post(login(users["member"]), task, stale)
    assert r.status_code == 200
    html = r.content.decode()
    assert 'data-testid="row-error-T001"' in html
    assert "current version 2" in html or "当前版本 2" in html
    assert "预热海报设计（改）" in html  # the row shows what is stored now, with its version
    assert 'name="version" value="2"' in html
    task.refresh_from_db()
    assert (task.phase, task.deliverable, task.version) == ("预热期", "", 2)
    assert AuditEntry.objects.count() == before
    assert "HX-Refresh" not in r.headers


def test_invalid_values_name_the_problem_and_write_nothing(users, wbs):
    task = Task.objects.get(campaign=wbs, code="T001")
    client = login(users["member"])
    r = post(client, task, fields(task, acceptance="验" * 501))
    assert 'data-testid="row-error-T001"' in r.content.decode()
    assert "500" in r.content.decode()
    r = post(client, task, fields(task, name="  "))
    assert 'data-testid="row-error-T001"' in r.content.decode()
    task.refresh_from_db()
    assert (task.acceptance, task.name, task.version) == ("", "预热海报设计", 1)


def test_read_only_roles_cannot_edit_the_fields(users, wbs):
    task = Task.objects.get(campaign=wbs, code="T001")
    assert post(login(users["viewer"]), task, fields(task, deliverable="x")).status_code == 403
    assert post(login(users["outsider"]), task, fields(task, deliverable="x")).status_code == 404
    # The owner of a task without the edit right (a partner) may not change its WBS fields either.
    Task.objects.filter(pk=task.pk).update(owner=users["partner"])
    r = post(login(users["partner"]), task, fields(task, deliverable="x"))
    assert r.status_code == 200 and 'data-testid="row-error-T001"' in r.content.decode()
    task.refresh_from_db()
    assert (task.deliverable, task.version) == ("", 1)
