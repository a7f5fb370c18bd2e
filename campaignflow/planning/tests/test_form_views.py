"""The error paths of the plan pages' forms: the refusal shows on the page the user comes back to, and
nothing is written (a stale version included)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from campaignflow.core.models import AuditEntry
from campaignflow.planning import services
from campaignflow.planning.models import Baseline, CampaignPeriod, PlanSettings, RaciAssignment, Task
from conftest import logged_in

pytestmark = pytest.mark.django_db

STALE = "changed by someone else"


@pytest.fixture
def owner(users):
    return logged_in(users["owner"], "en")


def refused(client, url: str, data: dict, message: str) -> None:
    """The post comes back to the plan page showing `message`, and writes nothing."""
    before = AuditEntry.objects.count()
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain and "/plan/" in response.redirect_chain[-1][0]
    assert message in response.content.decode()
    assert AuditEntry.objects.count() == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "海报", "start_date": "2030-06-05", "end_date": "2030-06-01"}, "The end date is before the start"),
        ({"name": "海报", "owner": "outsider1"}, "is not a member of this campaign"),
        ({"name": "海报", "depends_on": "T001, T999"}, "Task T999 is not in this campaign."),
        ({"name": "  "}, "Name is required."),
    ],
)
def test_adding_a_bad_task_shows_the_error_and_adds_nothing(owner, campaign, data, message):
    count = Task.objects.count()
    refused(owner, f"/campaigns/{campaign.id}/plan/add/", data, message)
    assert Task.objects.count() == count


def test_adding_a_task_names_it(owner, campaign):
    response = owner.post(f"/campaigns/{campaign.id}/plan/add/", {"name": "海报", "depends_on": "T001，T002"})
    task = Task.objects.get(campaign=campaign, name="海报")
    assert response.url.endswith(f"/plan/#task-{task.pk}")
    assert [d.predecessor.code for d in task.dependencies.order_by("id")] == ["T001", "T002"]
    assert f"Task {task.code} added." in owner.get(response.url).content.decode()


def test_a_bulk_edit_with_no_task_or_a_stale_one_changes_nothing(owner, campaign):
    url = f"/campaigns/{campaign.id}/plan/bulk/"
    refused(owner, url, {"status": "done"}, "Select at least one task.")
    first, second = Task.objects.filter(campaign=campaign)[:2]
    stale = {"task": [f"{first.pk}:{first.version}", f"{second.pk}:{second.version + 1}"], "status": "done"}
    refused(owner, url, stale, STALE)
    delayed = {"task": [f"{first.pk}:{first.version}"], "status": "delayed"}
    refused(owner, url, delayed, "A delayed task needs a delay reason.")
    assert set(Task.objects.filter(pk__in=[first.pk, second.pk]).values_list("status", flat=True)) == {"not_started"}


def test_stale_plan_settings_and_periods_change_nothing(owner, campaign):
    version = services.plan_settings(campaign).version
    refused(owner, f"/campaigns/{campaign.id}/plan/settings/", {"version": version + 1, "auto_schedule": "on"}, STALE)
    assert not PlanSettings.objects.get(campaign=campaign).auto_schedule
    periods = {"version": version + 1, "warmup_start": "2025-06-01", "warmup_end": "2025-06-07"}
    refused(owner, f"/campaigns/{campaign.id}/plan/periods/", periods, STALE)
    backwards = {"version": version, "burst_start": "2025-06-10", "burst_end": "2025-06-01"}
    refused(owner, f"/campaigns/{campaign.id}/plan/periods/", backwards, "The end date is before the start date.")
    assert not CampaignPeriod.objects.exists()


def test_a_baseline_without_a_name_is_refused(owner, campaign):
    refused(owner, f"/campaigns/{campaign.id}/plan/baselines/", {"name": " "}, "Name is required.")
    assert not Baseline.objects.exists()


def test_a_stale_raci_cell_shows_the_error_in_the_grid_and_writes_nothing(owner, campaign):
    task = Task.objects.filter(campaign=campaign).first()
    version = services.plan_settings(campaign).version
    cell = {"task": task.pk, "user": "member1", "role": "A"}
    response = owner.post(f"/campaigns/{campaign.id}/raci/", {**cell, "version": version + 1}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and 'data-testid="raci-error"' in html and STALE in html
    assert not RaciAssignment.objects.exists()
    response = owner.post(f"/campaigns/{campaign.id}/raci/", {**cell, "version": version}, HTTP_HX_REQUEST="true")
    assert 'data-testid="raci-error"' not in response.content.decode()
    assert RaciAssignment.objects.get().role == "A"


@pytest.mark.parametrize("what", ["settings", "periods", "raci", "row"])
def test_a_version_that_is_not_a_number_is_a_refusal_not_a_500(owner, campaign, what):
    task = Task.objects.filter(campaign=campaign).first()
    url, data = {
        "settings": (f"/campaigns/{campaign.id}/plan/settings/", {"auto_schedule": "on"}),
        "periods": (
            f"/campaigns/{campaign.id}/plan/periods/",
            {"warmup_start": "2025-06-01", "warmup_end": "2025-06-07"},
        ),
        "raci": (f"/campaigns/{campaign.id}/raci/", {"task": task.pk, "user": "member1", "role": "A"}),
        "row": (f"/tasks/{task.pk}/quick/", {"row": "wbs", "name": "改名"}),
    }[what]
    before = AuditEntry.objects.count()
    response = owner.post(url, {**data, "version": "abc"}, HTTP_HX_REQUEST="true", follow=True)
    assert response.status_code == 200 and STALE in response.content.decode()
    assert AuditEntry.objects.count() == before


def _import(client, campaign, data):
    return client.post(f"/campaigns/{campaign.id}/plan/import/", data)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose a CSV or XLSX file."),
        ({"file": ("x.csv", b"\xff\xfe\x00bad")}, "The file is neither UTF-8 nor GBK text, nor an XLSX workbook."),
        ({"confirm": "1"}, "The preview expired; upload the file again."),
    ],
)
def test_a_refused_import_shows_why_and_writes_nothing(owner, campaign, data, message):
    if "file" in data:
        data = {"file": SimpleUploadedFile(*data["file"])}
    before = AuditEntry.objects.count()
    response = _import(owner, campaign, data)
    html = response.content.decode()
    assert response.status_code == 200 and 'data-testid="import-error"' in html and message in html
    assert AuditEntry.objects.count() == before


def test_an_import_is_previewed_then_confirmed(owner, campaign):
    csv = "任务ID,任务名称,起止时间\nT1,海报,6.1-6.5\n".encode()
    preview = _import(owner, campaign, {"file": SimpleUploadedFile("wbs.csv", csv)})
    assert 'data-testid="import-preview-table"' in preview.content.decode()
    assert not Task.objects.filter(campaign=campaign, code="T1").exists()
    done = _import(owner, campaign, {"confirm": "1"})
    assert done.status_code == 302 and done.url == f"/campaigns/{campaign.id}/plan/"
    assert Task.objects.get(campaign=campaign, code="T1").name == "海报"
    again = _import(owner, campaign, {"confirm": "1"})  # the preview is used up
    assert "The preview expired; upload the file again." in again.content.decode()


def test_the_import_preview_names_the_columns_it_does_not_read(owner, campaign):
    csv = "任务ID,任务名称,进度,起止时间,备注\nT1,海报,60%,6.1-6.5,加急\n".encode()
    html = _import(owner, campaign, {"file": SimpleUploadedFile("wbs.csv", csv)}).content.decode()
    assert 'data-testid="import-ignored"' in html and 'data-testid="import-preview-table"' in html
    assert "These columns of wbs.csv are not read: 进度, 备注." in html
    plain = _import(owner, campaign, {"file": SimpleUploadedFile("wbs.csv", "任务名称\n海报\n".encode())})
    assert 'data-testid="import-ignored"' not in plain.content.decode()
