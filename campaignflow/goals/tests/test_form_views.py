"""The error paths of the goals pages' forms and buttons: the error shows where the user reads it (on its
field, above the form, or as a message) and nothing is written."""

import pytest
from django.test import Client

from campaignflow.goals.models import Channel, Kpi, KpiPlan

pytestmark = pytest.mark.django_db

STALE = "This object was changed by someone else"


@pytest.fixture
def owner(users) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(users["owner"])
    return client


@pytest.fixture
def kpi(campaign):
    return Kpi.objects.create(campaign=campaign, name="销售额", metric="销售额", target=300000)


@pytest.fixture
def channel(campaign):
    return Channel.objects.create(campaign=campaign, name="抖音")


def field_error(html: str, message: str) -> bool:
    return f'<span class="field-error">{message}' in html


def test_a_bad_new_kpi_shows_the_error_on_its_field_keeps_the_input_and_writes_nothing(owner, campaign):
    typed = {"name": "新增会员", "metric": "会员", "target": "lots", "priority": "core", "direction": "up"}
    response = owner.post(f"/campaigns/{campaign.id}/goals/kpis/new/", typed)
    html = response.content.decode()
    assert response.status_code == 422
    assert field_error(html, "Not a number: lots")
    assert 'value="新增会员"' in html and 'value="lots"' in html
    assert not Kpi.objects.exists()


def test_a_bad_kpi_edit_shows_the_error_on_its_field_and_writes_nothing(owner, campaign, kpi):
    url = f"/campaigns/{campaign.id}/goals/kpis/{kpi.id}/"
    edit = {"name": "销售额", "metric": "销售额", "target": "-5", "priority": "core", "direction": "up"}
    response = owner.post(url, edit | {"version": kpi.version})
    assert response.status_code == 422 and field_error(response.content.decode(), "Must not be negative.")
    assert Kpi.objects.get().target == 300000 and Kpi.objects.get().version == 1


def test_a_stale_kpi_edit_shows_the_conflict_and_writes_nothing(owner, campaign, kpi):
    url = f"/campaigns/{campaign.id}/goals/kpis/{kpi.id}/"
    edit = {"name": "营收", "metric": "销售额", "target": "40万", "priority": "core", "direction": "up"}
    stale = owner.post(url, edit | {"version": kpi.version + 1})
    assert stale.status_code == 422 and STALE in stale.content.decode()
    assert Kpi.objects.get().name == "销售额"
    assert owner.post(url, edit | {"version": kpi.version}).status_code == 302
    assert Kpi.objects.get().name == "营收"


def test_a_stale_kpi_delete_is_a_message_and_deletes_nothing(owner, campaign, kpi):
    url = f"/campaigns/{campaign.id}/goals/kpis/{kpi.id}/delete/"
    response = owner.post(url, {"version": kpi.version + 1}, follow=True)
    assert STALE in response.content.decode() and Kpi.objects.exists()


def test_a_duplicate_channel_shows_the_error_keeps_the_input_and_writes_nothing(owner, campaign, channel):
    typed = {"name": "抖音", "targets": "曝光=50万", "benchmarks": "点击率=2.5%"}
    response = owner.post(f"/campaigns/{campaign.id}/goals/channels/new/", typed)
    html = response.content.decode()
    assert response.status_code == 422
    assert "This campaign already has a channel with this name." in html
    assert 'value="曝光=50万"' in html
    assert Channel.objects.count() == 1


def test_a_bad_channel_target_names_the_metric_and_writes_nothing(owner, campaign):
    typed = {"name": "小红书", "targets": "曝光=很多"}
    response = owner.post(f"/campaigns/{campaign.id}/goals/channels/new/", typed)
    assert response.status_code == 422 and "Not a number: 很多" in response.content.decode()
    assert not Channel.objects.exists()


@pytest.mark.parametrize("what", ["delete", "share"])
def test_a_stale_channel_button_is_a_message_and_changes_nothing(owner, campaign, channel, what):
    url = f"/campaigns/{campaign.id}/goals/channels/{channel.id}/{what}/"
    response = owner.post(url, {"version": channel.version + 1, "shared_with_partners": "1"}, follow=True)
    assert STALE in response.content.decode()
    assert Channel.objects.get().shared_with_partners is False


def test_a_bad_plan_value_shows_the_error_and_writes_nothing(owner, campaign, kpi):
    url = f"/campaigns/{campaign.id}/goals/kpis/{kpi.id}/plan/?g=month"
    response = owner.post(url, {"granularity": "month", "action": "save", "v_2025-06-01": "abc"})
    assert response.status_code == 422 and "Not a number: abc" in response.content.decode()
    assert not KpiPlan.objects.exists()


@pytest.mark.parametrize("what", ["kpi-edit", "kpi-delete", "channel-delete", "channel-share"])
def test_a_version_that_is_not_a_number_is_stale_not_a_500(owner, campaign, kpi, channel, what):
    kind, action = what.split("-")
    thing = kpi if kind == "kpi" else channel
    url = f"/campaigns/{campaign.id}/goals/{kind}s/{thing.id}/" + ("" if action == "edit" else f"{action}/")
    edit = {"name": "营收", "metric": "销售额", "target": "40万", "priority": "core", "direction": "up"}
    response = owner.post(url, edit | {"version": "abc", "shared_with_partners": "1"}, follow=True)
    html = response.content.decode()
    assert STALE in html
    if action == "edit":
        assert 'data-testid="conflict"' in html  # with the link to reload the current version
    thing.refresh_from_db()
    assert thing.version == 1
