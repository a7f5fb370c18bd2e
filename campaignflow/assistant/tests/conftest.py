import pytest

from conftest import add_kpis_and_metrics
from tests.support.openai_server import FakeOpenAI


@pytest.fixture
def fake_ai(settings):
    """The fake endpoint, started on 127.0.0.1, and the assistant pointed at it (1 s deadline: the stall
    tests stay fast; the default of 30 s is checked on its own)."""
    server = FakeOpenAI().start()
    settings.AI_BASE_URL = server.base_url
    settings.AI_API_KEY = "sk-test-secret"
    settings.AI_MODEL = "fake-gpt"
    settings.AI_TIMEOUT = 2.0
    settings.AI_MAX_RETRIES = 2
    settings.AI_DAILY_TOKENS_PER_USER = 100000
    settings.AI_DAILY_TOKENS_PER_CAMPAIGN = 100000
    yield server
    server.stop()


@pytest.fixture
def sales(campaign, api_for, users):
    """The seed example: sales target 30万, actual 35万 (达成率 117%), on two channels, one of them shared
    with partners; a cost line (internal) and a shared KPI."""
    owner = api_for(users["owner"])
    kpis = [
        {"name": "销售额", "metric": "销售额", "unit": "元", "target": "30万", "shared_with_partners": True},
        {"name": "推广费用", "metric": "推广费", "unit": "元", "target": "8万"},
    ]
    rows = [
        {"date": "2025-06-09", "channel": "抖音", "metric": "销售额", "value": "200000"},
        {"date": "2025-06-10", "channel": "小红书", "metric": "销售额", "value": "150000"},
        {"date": "2025-06-09", "channel": "抖音", "metric": "推广费", "value": "61234"},
    ]
    add_kpis_and_metrics(campaign, owner, kpis, rows)
    for name, shared in (("抖音", True), ("小红书", False)):
        assert (
            owner.post(f"/campaigns/{campaign.pk}/channels", {"name": name, "shared_with_partners": shared}).status_code
            == 201
        )
    response = owner.post(
        f"/campaigns/{campaign.pk}/budget-lines", {"category": "channel", "item": "抖音投放", "planned": "98765"}
    )
    assert response.status_code == 201, response.content
    return campaign
