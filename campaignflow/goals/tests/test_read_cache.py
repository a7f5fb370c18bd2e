"""KPI and channel lists are cached per change stamp (campaigns.read_cache): the cached body is the same
bytes django-ninja renders without the cache, and metric writes, edits and sharing show at once."""

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(campaign, users, api_for):
    member = api_for(users["member"])
    member.post(f"/campaigns/{campaign.id}/kpis", {"name": "销售额", "metric": "销售额", "target": "30万",
                                                   "priority": "core", "direction": "up"})  # fmt: skip
    member.post(f"/campaigns/{campaign.id}/kpis", {"name": "点击率", "numerator": "点击", "denominator": "曝光",
                                                   "target": "5%", "priority": "auxiliary"})  # fmt: skip
    member.post(f"/campaigns/{campaign.id}/channels", {"name": "抖音", "benchmarks": {"点击率": "3%"},
                                                       "targets": {"曝光": "1.2万"}, "shared_with_partners": True})  # fmt: skip
    member.post(f"/campaigns/{campaign.id}/channels", {"name": "小红书"})
    rows = [
        {"date": "2025-06-01", "channel": "抖音", "metric": m, "value": v}
        for m, v in (("销售额", "35万"), ("点击", "120"), ("曝光", "3000"))
    ]
    assert member.post(f"/campaigns/{campaign.id}/metrics", {"rows": rows}).status_code == 200
    return member


@pytest.mark.parametrize("path", ["kpis", "channels"])
def test_cached_body_is_what_ninja_renders(campaign, api, users, api_for, path):
    for client in (api, api_for(users["partner"])):
        cached = client.get(f"/campaigns/{campaign.id}/{path}")
        again = client.get(f"/campaigns/{campaign.id}/{path}")
        with override_settings(READ_CACHE_SECONDS=0):
            plain = client.get(f"/campaigns/{campaign.id}/{path}")
        assert cached.status_code == plain.status_code == 200
        assert cached.content == again.content == plain.content
        assert cached["Content-Type"] == plain["Content-Type"]


def test_writes_show_at_once(campaign, api, users, api_for):
    kpis = {k["name"]: k for k in api.get(f"/campaigns/{campaign.id}/kpis").json()}
    assert float(kpis["销售额"]["actual"]) == 350000
    assert kpis["销售额"]["achievement_rate"] == pytest.approx(1.1667, abs=1e-4)
    assert float(kpis["点击率"]["actual"]) == pytest.approx(0.04)

    push = {"rows": [{"date": "2025-06-02", "channel": "小红书", "metric": "销售额", "value": "5万"}]}
    assert api.post(f"/campaigns/{campaign.id}/metrics", push).status_code == 200
    kpis = {k["name"]: k for k in api.get(f"/campaigns/{campaign.id}/kpis").json()}
    assert float(kpis["销售额"]["actual"]) == 400000

    partner = api_for(users["partner"])
    assert [c["name"] for c in partner.get(f"/campaigns/{campaign.id}/channels").json()] == ["抖音"]
    hidden = next(c for c in api.get(f"/campaigns/{campaign.id}/channels").json() if c["name"] == "小红书")
    shared = api.patch(
        f"/campaigns/{campaign.id}/channels/{hidden['id']}",
        {"version": hidden["version"], "shared_with_partners": True},
    )
    assert shared.status_code == 200, shared.content
    assert {c["name"] for c in partner.get(f"/campaigns/{campaign.id}/channels").json()} == {"抖音", "小红书"}
