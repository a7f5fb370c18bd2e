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


def test_a_channel_is_edited_in_place_its_numbers_read_back_exactly(owner, campaign, channel, users):
    from campaignflow.core.models import AuditEntry

    Channel.objects.filter(pk=channel.pk).update(
        targets={"曝光": "412345", "点击": "40000"}, benchmarks={"点击率": "0.025"}, owner=users["member"]
    )
    url = f"/campaigns/{campaign.id}/goals/channels/{channel.id}/"
    html = owner.get(url).content.decode()
    # exact, not the page's 41.23万: saved again unchanged, the numbers stay what they were
    assert 'value="曝光=412345; 点击=40000"' in html and 'value="点击率=2.5%"' in html
    assert f'<option value="{users["member"].username}" selected>' in html
    assert 'data-testid="channel-name"' in html and 'name="name" value="抖音"' in html  # no data names it yet
    same = {"targets": "曝光=412345; 点击=40000", "benchmarks": "点击率=2.5%", "owner": users["member"].username}
    assert owner.post(url, same | {"version": 1}).status_code == 302
    channel.refresh_from_db()
    assert channel.targets == {"曝光": "412345", "点击": "40000"} and channel.benchmarks == {"点击率": "0.025"}
    edit = {"content_form": "短视频+直播", "start_date": "2025-06-01", "end_date": "2025-06-20", "targets": "曝光=50万",
            "benchmarks": "", "note": "主推直播", "name": "抖音", "shared_with_partners": "1", "owner": ""}  # fmt: skip
    response = owner.post(url, edit | {"version": channel.version}, follow=True)
    assert "Channel “抖音” saved." in response.content.decode()
    channel.refresh_from_db()
    assert (channel.name, channel.content_form, channel.note, channel.shared_with_partners) == (
        "抖音",
        "短视频+直播",
        "主推直播",
        True,
    )
    assert channel.targets == {"曝光": "500000"} and channel.benchmarks == {} and channel.owner is None
    assert str(channel.end_date) == "2025-06-20"
    assert "主推直播" in owner.get(f"/campaigns/{campaign.id}/goals/").content.decode()  # the matrix shows the note
    entry = AuditEntry.objects.filter(action="channel.update").latest("id")
    assert entry.before["content_form"] == "" and entry.after["content_form"] == "短视频+直播"
    # unticked, the share box is not sent: the channel is no longer shared
    assert owner.post(url, {"version": channel.version}).status_code == 302
    assert Channel.objects.get().shared_with_partners is False


def test_a_bad_or_stale_channel_edit_shows_why_and_writes_nothing(owner, campaign, channel):
    url = f"/campaigns/{campaign.id}/goals/channels/{channel.id}/"
    bad = owner.post(url, {"targets": "曝光=很多", "end_date": "2025-06-01", "version": 1})
    assert bad.status_code == 422 and "Not a number: 很多" in bad.content.decode()
    backwards = owner.post(url, {"start_date": "2025-06-10", "end_date": "2025-06-01", "version": 1})
    assert backwards.status_code == 422 and "The end is before the start." in backwards.content.decode()
    stale = owner.post(url, {"content_form": "直播", "version": 2})
    assert stale.status_code == 422 and 'data-testid="conflict"' in stale.content.decode()
    channel.refresh_from_db()
    assert (channel.version, channel.targets, channel.content_form, channel.end_date) == (1, {}, "", None)


def test_a_viewer_reads_a_channel_without_a_save_button(campaign, channel, users):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(users["viewer"])
    url = f"/campaigns/{campaign.id}/goals/channels/{channel.id}/"
    page = client.get(url)
    assert page.status_code == 200 and "Save" not in page.content.decode()
    assert client.post(url, {"content_form": "直播", "version": 1}).status_code == 403
    assert Channel.objects.get().content_form == ""


def test_a_bad_plan_value_shows_the_error_and_writes_nothing(owner, campaign, kpi):
    url = f"/campaigns/{campaign.id}/goals/kpis/{kpi.id}/plan/?g=month"
    response = owner.post(url, {"granularity": "month", "action": "save", "v_2025-06-01": "abc"})
    assert response.status_code == 422 and "Not a number: abc" in response.content.decode()
    assert not KpiPlan.objects.exists()


@pytest.mark.parametrize("what", ["kpi-edit", "kpi-delete", "channel-edit", "channel-delete", "channel-share"])
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


def test_a_channel_is_renamed_until_data_names_it(owner, campaign, channel, users, api_for):
    """A typo mended before the first data ("抖因" → "抖音"): the name changes on the page and through the API, a KPI
    scoped to the channel follows it. Once metric rows, a budget line or a registration link name it, the page
    shows the name fixed and says why, and a rename is refused on the name field, nothing written."""
    from campaignflow.budgets.models import BudgetLine
    from campaignflow.goals.models import Kpi
    from campaignflow.tracking.domain.parsers import ParseResult, Row
    from campaignflow.tracking.services import metrics_ingest

    Channel.objects.filter(pk=channel.pk).update(name="抖因")
    kpi = Kpi.objects.create(campaign=campaign, name="抖音曝光", metric="曝光", target=1, channel=channel)
    url = f"/campaigns/{campaign.id}/goals/channels/{channel.id}/"
    renamed = owner.post(url, {"name": "抖音", "version": 1}, follow=True)
    assert "Channel “抖音” saved." in renamed.content.decode()
    channel.refresh_from_db()
    kpi.refresh_from_db()
    assert (channel.name, channel.version, kpi.channel_name) == ("抖音", 2, "抖音")
    # data arrives under the name: metric rows, then a budget line
    rows = ParseResult(rows=[Row("2025-06-01", "抖音", "曝光", "120000")])
    metrics_ingest(actor=users["owner"], campaign=campaign, parsed=rows, source="api")
    html = owner.get(url).content.decode()
    assert 'name="name"' not in html and "The campaign's metric rows find this channel by its name" in html
    refused = owner.post(url, {"name": "抖音号", "version": 2})
    assert refused.status_code == 422 and "metric rows" in refused.context["channel_form"].errors["name"][0]
    BudgetLine.objects.create(campaign=campaign, category="channel", item="抖音投放", planned=1000, channel="抖音")
    api = api_for(users["owner"])
    by_api = api.patch(f"/campaigns/{campaign.id}/channels/{channel.id}", {"version": 2, "name": "抖音号"})
    assert by_api.status_code == 422 and by_api.json()["errors"][0]["field"] == "name"
    assert "指标数据行和预算明细" in by_api.json()["detail"]
    channel.refresh_from_db()
    assert (channel.name, channel.version) == ("抖音", 2)
    # another channel's name is refused too, before anything is looked up
    Channel.objects.create(campaign=campaign, name="小红书")
    taken = api.patch(f"/campaigns/{campaign.id}/channels/{channel.id}", {"version": 2, "name": "小红书"})
    assert taken.status_code == 422 and taken.json()["errors"][0]["field"] == "name"
