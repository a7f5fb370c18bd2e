"""A campaign being executed today, as the phone pages see it: two channels with their owners, a KPI."""

import datetime as dt

import pytest
from django.utils import timezone

from campaignflow.campaigns.models import Campaign
from campaignflow.goals.models import Channel, Kpi
from conftest import make_campaign


@pytest.fixture
def live(users):
    """The tests' campaign (one member per role), running around today and being executed, with 抖音 (the
    member's channel, targets for 曝光 and 点击), 小红书 (the manager's) and a core KPI on 销售额."""
    campaign = make_campaign(users)
    today = timezone.localdate()
    Campaign.objects.filter(pk=campaign.pk).update(
        status="executing", start_date=today - dt.timedelta(days=10), end_date=today + dt.timedelta(days=10)
    )
    campaign.refresh_from_db()
    Channel.objects.create(
        campaign=campaign, name="抖音", owner=users["member"], targets={"曝光": "400000", "点击": "40000"}
    )
    Channel.objects.create(campaign=campaign, name="小红书", owner=users["manager"], targets={"曝光": "300000"})
    Kpi.objects.create(campaign=campaign, name="销售额", metric="销售额", target=500000)
    return campaign
