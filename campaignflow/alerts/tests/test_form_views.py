"""The error paths of the alerts page: a refused acknowledgement, resolution or threshold is a message
(the resolution's field errors also show at that alert) and nothing is written."""

import pytest

from campaignflow.alerts.models import Alert, RuleSetting
from conftest import logged_in as client_for
from tests.support.pages import last_message, zh

pytestmark = pytest.mark.django_db


@pytest.fixture
def alert(campaign) -> Alert:
    return Alert.objects.create(
        campaign=campaign, rule="kpi_deviation", subject="kpi:销售额", severity="high", message="销售额落后12%"
    )


def test_a_resolution_without_evaluation_shows_at_the_alert_and_writes_nothing(users, campaign, alert):
    client = client_for(users["owner"])
    url = f"/campaigns/{campaign.id}/alerts/{alert.id}/"
    refused = client.post(url, {"action": "resolve", "evaluation": " ", "decision": "adjust"})
    assert refused.status_code == 302 and refused.url == f"/campaigns/{campaign.id}/alerts/#alert-{alert.id}"
    message = zh("Write the evaluation: what caused it and what is done about it.")
    assert last_message(refused) == f"评估：{message}"  # the field by its label, not its code
    page = client.get(f"/campaigns/{campaign.id}/alerts/").content.decode()
    assert message in page and '<details class="resolve" open>' in page
    assert Alert.objects.get(pk=alert.pk).status == "open"


def test_acknowledging_twice_or_an_unknown_alert_is_a_message(users, campaign, alert):
    client = client_for(users["owner"])
    url = f"/campaigns/{campaign.id}/alerts/{alert.id}/"
    assert last_message(client.post(url, {"action": "acknowledge"})) == zh("Acknowledged.")
    again = client.post(url, {"action": "acknowledge"})
    assert last_message(again) == zh("Only an open alert can be acknowledged.")
    unknown = client.post(f"/campaigns/{campaign.id}/alerts/{alert.id + 1}/", {"action": "acknowledge"})
    assert unknown.url == f"/campaigns/{campaign.id}/alerts/" and last_message(unknown) == zh("No such alert.")
    assert Alert.objects.get(pk=alert.pk).version == 2


def test_resolving_a_resolved_alert_is_a_message(users, campaign, alert):
    client = client_for(users["owner"])
    url = f"/campaigns/{campaign.id}/alerts/{alert.id}/"
    resolve = {"action": "resolve", "evaluation": "素材疲劳", "decision": "adjust"}
    assert last_message(client.post(url, resolve)) == zh("Resolved with the evaluation recorded.")
    assert last_message(client.post(url, resolve)) == zh("This alert is already resolved.")
    assert Alert.objects.get(pk=alert.pk).version == 2


def test_a_viewer_may_not_act_on_an_alert(users, campaign, alert):
    response = client_for(users["viewer"]).post(f"/campaigns/{campaign.id}/alerts/{alert.id}/", {"action": "ack"})
    assert response.status_code == 403 and Alert.objects.get(pk=alert.pk).status == "open"


def test_a_threshold_out_of_range_is_a_message_and_saves_nothing(users, campaign):
    response = client_for(users["owner"]).post(
        f"/campaigns/{campaign.id}/alerts/rules/", {"conversion_drop.enabled": "on", "conversion_drop.threshold": "500"}
    )
    assert response.url == f"/campaigns/{campaign.id}/alerts/#rules"
    assert last_message(response) == "渠道转化率日环比下降 · 阈值：请填写 5% 到 100% 之间的数字。"
    assert not RuleSetting.objects.filter(campaign=campaign).exists()


def test_checking_now_says_how_many_new_alerts_and_members_may_not(users, campaign):
    url = f"/campaigns/{campaign.id}/alerts/evaluate/"
    checked = client_for(users["owner"]).post(url)
    assert checked.status_code == 302 and checked.url == f"/campaigns/{campaign.id}/alerts/"
    assert last_message(checked) == zh("Checked: %(n)d new alerts.", n=Alert.objects.filter(campaign=campaign).count())
    assert client_for(users["viewer"]).post(url).status_code == 403
