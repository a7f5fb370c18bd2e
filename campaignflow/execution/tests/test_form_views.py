"""The error paths of the execution pages' forms and buttons: the refusal shows where the user reads it
(on the form's field, above the form or as a message) and nothing is written."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from campaignflow.execution.models import ExecutionLogEntry, Issue, Risk, RunOfShowItem, Standup, WeeklyReport

pytestmark = pytest.mark.django_db

INVISIBLE = "\u200b"  # passes the form's `required`, the service's clean_text makes it empty
STALE = "changed by someone else"


def client_for(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def post(client: Client, url: str, data: dict | None = None):
    """POST; `response.said` holds the messages it leaves for the next page (then forgotten, as showing that
    page would, so each response tells only its own)."""
    response = client.post(url, data or {})
    response.said = [str(m) for m in get_messages(response.wsgi_request)]
    client.cookies.pop("messages", None)
    return response


@pytest.fixture
def owner(users):
    return client_for(users["owner"])


@pytest.fixture
def base(campaign):
    return f"/campaigns/{campaign.id}/execution/"


def test_a_refused_stand_up_shows_on_its_field_and_writes_nothing(owner, base):
    bad = post(owner, base, {"date": "2025-06-10", "not_done": "物料未到"})
    assert bad.status_code == 422 and "Say why it was not done." in bad.context["form"].errors["not_done_reason"]
    empty = post(owner, base, {"date": "2025-06-10", "done": INVISIBLE})
    assert empty.status_code == 422 and empty.context["form"].errors["done"]
    assert not Standup.objects.exists()


def test_a_viewer_cannot_post_a_stand_up(users, base):
    assert post(client_for(users["viewer"]), base, {"date": "2025-06-10", "done": "x"}).status_code == 403
    assert not Standup.objects.exists()


@pytest.mark.parametrize(
    ("section", "data", "field", "model"),
    [
        ("issues/", {"description": INVISIBLE, "severity": "medium", "owner": ""}, "description", Issue),
        (
            "risks/",
            {"title": INVISIBLE, "category": "resource", "likelihood": 3, "impact": 4, "status": "open"},
            "title",
            Risk,
        ),
    ],
)
def test_a_service_refusal_shows_on_the_create_forms_field(owner, base, section, data, field, model):
    response = post(owner, base + section, data)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == ["This field is required."]
    assert not model.objects.exists()


def test_the_log_page_shows_each_forms_errors_on_that_form(owner, base):
    log = post(owner, base + "logs/", {"form": "log", "event": INVISIBLE})
    assert log.status_code == 200 and log.context["log_form"].errors["event"] == ["This field is required."]
    assert not log.context["segment_form"].is_bound
    segment = post(
        owner, base + "logs/", {"form": "segment", "starts_at": "2025-06-10T10:00", "minutes": 5, "segment": INVISIBLE}
    )
    assert segment.status_code == 200 and segment.context["segment_form"].errors["segment"]
    assert not segment.context["log_form"].is_bound
    assert not ExecutionLogEntry.objects.exists() and not RunOfShowItem.objects.exists()


def test_a_stale_issue_update_names_the_issue_and_writes_nothing(owner, base):
    post(owner, base + "issues/", {"description": "到场率低", "severity": "medium", "owner": ""})
    issue = Issue.objects.get()
    prefix = f"i{issue.id}"
    stale = post(
        owner,
        base + f"issues/{issue.id}/",
        {f"{prefix}-version": 7, f"{prefix}-status": "resolved", f"{prefix}-solution": "x"},
    )
    assert stale.status_code == 302
    [message] = stale.said
    assert message.startswith(f"{issue.code}: ") and STALE in message
    issue.refresh_from_db()
    assert (issue.status, issue.version) == ("open", 1)
    done = post(
        owner,
        base + f"issues/{issue.id}/",
        {f"{prefix}-version": 1, f"{prefix}-status": "resolved", f"{prefix}-solution": "x"},
    )
    assert done.said == [f"{issue.code} updated."]


@pytest.mark.parametrize("version", ["abc", "7"])
def test_ticking_a_segment_with_a_stale_or_textual_version_is_a_message(owner, base, version):
    post(owner, base + "logs/", {"form": "segment", "starts_at": "2025-06-10T10:00", "minutes": 5, "segment": "开场"})
    item = RunOfShowItem.objects.get()
    response = post(owner, base + f"run-of-show/{item.id}/toggle/", {"version": version})
    [message] = response.said
    assert response.status_code == 302 and STALE in message  # text is no version: stale, never a 500
    item.refresh_from_db()
    assert item.done_at is None and item.version == 1
    ticked = post(owner, base + f"run-of-show/{item.id}/toggle/", {"version": 1})
    assert ticked.status_code == 302 and ticked.said == []
    item.refresh_from_db()
    assert item.done_at is not None


def _publish(owner, base, report: WeeklyReport) -> None:
    report.refresh_from_db()
    response = post(
        owner, base + f"reports/{report.id}/", {"version": report.version, "key_results": "曝光", "action": "publish"}
    )
    assert response.said == ["Published."]
    report.refresh_from_db()
    assert report.status == "published"


def _published_report(owner, base) -> WeeklyReport:
    post(owner, base + "reports/", {"week_start": "2025-06-09"})
    report = WeeklyReport.objects.get()
    _publish(owner, base, report)
    return report


def test_generating_a_published_weeks_report_again_is_a_message(owner, base):
    report = _published_report(owner, base)
    again = post(owner, base + "reports/", {"week_start": "2025-06-11"})
    assert again.status_code == 200 and again.said == ["This week's report is already published."]
    assert WeeklyReport.objects.get().version == report.version


def test_generating_a_draft_goes_to_it(owner, base):
    response = post(owner, base + "reports/", {"week_start": "2025-06-11"})
    report = WeeklyReport.objects.get()
    assert report.week_start == dt.date(2025, 6, 9)
    assert response.status_code == 302 and response["Location"] == f"{base}reports/{report.id}/"
    assert response.said == ["Draft generated from this week's data; edit it, then publish."]


def test_a_stale_report_save_shows_the_conflict_and_writes_nothing(owner, base):
    post(owner, base + "reports/", {"week_start": "2025-06-09"})
    report = WeeklyReport.objects.get()
    url = base + f"reports/{report.id}/"
    stale = post(owner, url, {"version": report.version + 1, "key_results": "覆盖"})
    assert stale.status_code == 200 and stale.context["conflict"].startswith("This object was changed")
    assert 'data-testid="conflict"' in stale.content.decode()
    report.refresh_from_db()
    assert report.key_results != "覆盖" and report.version == 1
    saved = post(owner, url, {"version": report.version, "key_results": "曝光120万"})
    assert saved.status_code == 302 and saved.said == ["Saved."]


def test_a_published_report_refuses_a_save_above_the_form(owner, base):
    report = _published_report(owner, base)
    response = post(owner, base + f"reports/{report.id}/", {"version": report.version, "key_results": "改"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["A published report cannot be edited."]
    assert WeeklyReport.objects.get().key_results == "曝光"


def test_a_member_cannot_publish_and_nothing_is_saved_first(users, owner, base):
    post(owner, base + "reports/", {"week_start": "2025-06-09"})
    report = WeeklyReport.objects.get()
    member = client_for(users["member"])
    url = base + f"reports/{report.id}/"
    refused = post(member, url, {"version": report.version, "key_results": "改", "action": "publish"})
    assert refused.status_code == 403
    assert WeeklyReport.objects.get().version == report.version


def test_sharing_a_draft_is_a_message(owner, base):
    post(owner, base + "reports/", {"week_start": "2025-06-09"})
    report = WeeklyReport.objects.get()
    response = post(owner, base + f"reports/{report.id}/share/")
    assert response.status_code == 302 and response.said == ["Publish the report before sending it to the team."]
    _publish(owner, base, report)
    [message] = post(owner, base + f"reports/{report.id}/share/").said
    assert message.startswith("Sent to ")
