import pytest

from conftest import satisfy_gates


@pytest.fixture
def seeded(campaign, api_for, users):
    """conftest's campaign with the seeds' evaluation numbers (seed 004 table 3 and seed 002 table 5)."""
    owner = api_for(users["owner"])
    for body in (
        {"name": "销售额", "metric": "销售额", "unit": "元", "target": "500万", "priority": "core", "direction": "up"},
        {
            "name": "直播场均GMV",
            "metric": "GMV",
            "unit": "元",
            "target": "200000",
            "priority": "auxiliary",
            "direction": "up",
        },
        {
            "name": "新增会员",
            "metric": "新增会员",
            "unit": "人",
            "target": "3000",
            "priority": "auxiliary",
            "direction": "up",
        },
    ):
        assert owner.post(f"/campaigns/{campaign.pk}/kpis", body).status_code == 201, body
    rows = [
        {"date": "2025-06-10", "channel": "抖音", "metric": "销售额", "value": "4200000"},
        {"date": "2025-06-11", "channel": "小红书", "metric": "销售额", "value": "2000000"},
        {"date": "2025-06-10", "channel": "抖音", "metric": "GMV", "value": "150000"},
        {"date": "2025-06-10", "channel": "线下门店", "metric": "新增会员", "value": "2800"},
    ]
    response = owner.post(f"/campaigns/{campaign.pk}/metrics", {"rows": rows})
    assert response.status_code == 200, response.content
    return campaign


def move_to(campaign, api, *statuses):
    for status in statuses:
        satisfy_gates(campaign, status) if status != "archived" else None
        response = api.post(f"/campaigns/{campaign.pk}/transition", {"to": status})
        assert response.status_code == 200, response.content
    campaign.refresh_from_db()
    return campaign
