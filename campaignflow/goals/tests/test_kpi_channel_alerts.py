"""The KPI rules (behind / ahead of plan) compare a channel-scoped KPI's plan with that channel's actual, not
the whole campaign's: the other channels' figures neither raise a false alarm nor hide a real one."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from campaignflow.alerts.tests.conftest import metric_rows
from campaignflow.goals.models import Channel, Kpi

# Rules run when the write commits (on_commit), as in production: real transactions here.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def api(api_for, users):
    return api_for(users["owner"])


def _alerts(api, campaign, rule):
    return [a for a in api.get(f"/campaigns/{campaign.id}/alerts").json() if a["rule"] == rule]


@pytest.fixture
def scoped(campaign):
    """Ten days into a 30-day campaign; 小红书's sales KPI: 30万, so 10万 planned to date."""
    today = timezone.localdate()
    campaign.start_date, campaign.end_date = today - dt.timedelta(days=9), today + dt.timedelta(days=20)
    campaign.save()
    channel = Channel.objects.create(campaign=campaign, name="小红书")
    Kpi.objects.create(
        campaign=campaign, name="小红书销售额", metric="销售额", unit="元", target=Decimal("300000"), channel=channel
    )
    return campaign


def _push(api, campaign, channel, per_day):
    rows = metric_rows(channel, {n: {"销售额": per_day} for n in range(10)})
    assert api.post(f"/campaigns/{campaign.id}/metrics", {"rows": rows}).status_code == 200


def test_a_channel_behind_plan_is_a_deviation_though_the_campaign_is_far_ahead(api, scoped):
    _push(api, scoped, "抖音", 30000)  # the whole campaign: 30万 + 8万 against 10万 planned
    _push(api, scoped, "小红书", 8000)  # 小红书: 8万 against 10万 → 20% behind
    [alert] = _alerts(api, scoped, "kpi_deviation")
    assert "小红书销售额" in alert["message"] and "20%" in alert["message"]
    assert _alerts(api, scoped, "kpi_ahead") == []


def test_other_channels_do_not_make_a_channel_on_plan_look_ahead(api, scoped):
    _push(api, scoped, "小红书", 10000)  # on plan
    _push(api, scoped, "抖音", 30000)
    assert _alerts(api, scoped, "kpi_ahead") == [] and _alerts(api, scoped, "kpi_deviation") == []
