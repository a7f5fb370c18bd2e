from decimal import Decimal

import pytest

from campaignflow.campaigns.services import campaign_transition
from campaignflow.core.errors import GateUnmet
from campaignflow.core.models import AuditEntry
from campaignflow.goals.domain.decompose import daily_plan, distribute, periods, plan_gap
from campaignflow.goals.domain.kpi import achievement_rate
from campaignflow.goals.models import Kpi

pytestmark = pytest.mark.django_db


def test_achievement_rate_examples_from_the_seeds():
    assert achievement_rate(target=Decimal(300000), actual=Decimal(350000)) == Decimal("1.1667")
    assert achievement_rate(target=Decimal(3000), actual=Decimal(2800)) == Decimal("0.9333")
    assert achievement_rate(target=Decimal(100000), actual=Decimal(80000)) == Decimal("0.8000")
    # lower is better: cost per order target 50, actual 40 → 125%
    assert achievement_rate(target=Decimal(50), actual=Decimal(40), direction="down") == Decimal("1.2500")
    assert achievement_rate(target=Decimal(50), actual=Decimal(0), direction="down") is None


def test_distribute_sums_exactly_and_periods_clip():
    parts = distribute(Decimal(100000), [Decimal(1)] * 3)
    assert sum(parts) == Decimal(100000) and parts[0] == Decimal("33333.3333")
    import datetime as dt

    weeks = periods(dt.date(2026, 11, 10), dt.date(2026, 12, 10), "week")
    assert weeks[0].key == "2026-11-10" and weeks[0].days == 6  # Tue..Sun
    assert sum(w.days for w in weeks) == 31
    months = periods(dt.date(2026, 11, 10), dt.date(2026, 12, 10), "month")
    assert [m.days for m in months] == [21, 10]
    assert plan_gap(Decimal(10), [Decimal(4), Decimal(5)]) == Decimal(-1)
    plan = daily_plan(start=dt.date(2026, 11, 10), end=dt.date(2026, 11, 19), target=Decimal(100), plans={})
    assert len(plan) == 10 and plan[dt.date(2026, 11, 10)] == Decimal(10)


def _rows(api, campaign, rows):
    r = api.post(f"/campaigns/{campaign.id}/metrics", {"rows": rows})
    assert r.status_code == 200, r.content
    return r.json()


def test_kpi_api_with_actuals_and_ratio(campaign, users, api_for):
    api = api_for(users["member"])
    r = api.post(
        f"/campaigns/{campaign.id}/kpis",
        {"name": "销售额", "metric": "销售额", "unit": "元", "target": "30万", "priority": "core", "direction": "up"},
    )
    assert r.status_code == 201, r.content
    sales = r.json()
    assert Decimal(sales["target"]) == 300000 and Decimal(sales["actual"]) == 0
    r = api.post(
        f"/campaigns/{campaign.id}/kpis",
        {"name": "新增会员", "metric": "新增会员", "target": 3000, "priority": "auxiliary"},
    )
    assert r.status_code == 201
    r = api.post(
        f"/campaigns/{campaign.id}/kpis",
        {"name": "点击率", "numerator": "点击", "denominator": "曝光", "target": "10%", "priority": "auxiliary"},
    )
    assert r.status_code == 201, r.content
    _rows(
        api,
        campaign,
        [
            {"date": "2025-06-10", "channel": "抖音", "metric": "销售额", "value": "20万"},
            {"date": "2025-06-11", "channel": "小红书", "metric": "销售额", "value": 150000},
            {"date": "2025-06-10", "channel": "抖音", "metric": "新增会员", "value": "2800"},
            {"date": "2025-06-10", "channel": "抖音", "metric": "曝光", "value": "100万"},
            {"date": "2025-06-10", "channel": "抖音", "metric": "点击", "value": "12万"},
        ],
    )
    kpis = {k["name"]: k for k in api.get(f"/campaigns/{campaign.id}/kpis").json()}
    assert Decimal(kpis["销售额"]["actual"]) == 350000
    assert kpis["销售额"]["achievement_rate"] == pytest.approx(1.1667)
    assert kpis["新增会员"]["achievement_rate"] == pytest.approx(0.9333)
    assert Decimal(kpis["点击率"]["actual"]) == Decimal("0.12")
    assert kpis["点击率"]["achievement_rate"] == pytest.approx(1.2)


def test_kpi_validation_names_fields(campaign, users, api_for):
    api = api_for(users["member"])
    r = api.post(f"/campaigns/{campaign.id}/kpis", {"name": "x", "metric": "m", "target": "lots"})
    assert r.status_code == 422 and "target" in r.json()["detail"]
    r = api.post(f"/campaigns/{campaign.id}/kpis", {"name": "x", "numerator": "点击", "target": 1})
    assert r.status_code == 422 and "denominator" in r.json()["detail"]
    r = api.post(f"/campaigns/{campaign.id}/kpis", {"name": "x", "metric": "m", "target": 1, "priority": "top"})
    assert r.status_code == 422 and "priority" in r.json()["detail"]
    assert not Kpi.objects.exists()


def test_kpi_patch_delete_versioned_and_audited(campaign, users, api_for):
    api = api_for(users["owner"])
    kpi = api.post(f"/campaigns/{campaign.id}/kpis", {"name": "销售额", "metric": "销售额", "target": 1}).json()
    r = api.patch(f"/campaigns/{campaign.id}/kpis/{kpi['id']}", {"version": 1, "target": "35万", "owner": "member1"})
    assert r.status_code == 200 and r.json()["version"] == 2 and r.json()["owner"] == "member1"
    r = api.patch(f"/campaigns/{campaign.id}/kpis/{kpi['id']}", {"version": 1, "target": 5})
    assert r.status_code == 409
    assert api.delete(f"/campaigns/{campaign.id}/kpis/{kpi['id']}?version=1").status_code == 409
    assert api.delete(f"/campaigns/{campaign.id}/kpis/{kpi['id']}?version=2").status_code == 204
    actions = list(AuditEntry.objects.filter(object_type="goals.kpi").values_list("action", flat=True))
    assert sorted(actions) == ["kpi.create", "kpi.delete", "kpi.update"]


def test_access_matrix(campaign, users, api_for):
    body = {"name": "销售额", "metric": "销售额", "target": 1}
    assert api_for(users["outsider"]).get(f"/campaigns/{campaign.id}/kpis").status_code == 404
    assert api_for(users["outsider"]).post(f"/campaigns/{campaign.id}/kpis", body).status_code == 404
    assert api_for(users["viewer"]).get(f"/campaigns/{campaign.id}/kpis").status_code == 200
    assert api_for(users["viewer"]).post(f"/campaigns/{campaign.id}/kpis", body).status_code == 403
    assert api_for(users["viewer"]).post(f"/campaigns/{campaign.id}/channels", {"name": "抖音"}).status_code == 403
    assert api_for(None).get(f"/campaigns/{campaign.id}/kpis").status_code == 401


def test_gate_needs_a_core_kpi_with_target(campaign, users, api_for):
    r = api_for(users["owner"]).post(f"/campaigns/{campaign.id}/transition", {"to": "planning"})
    assert r.status_code == 409
    assert any("core KPI" in m or "核心" in m for m in r.json()["unmet"])
    Kpi.objects.create(campaign=campaign, name="曝光", metric="曝光", target=1, priority="auxiliary")
    with pytest.raises(GateUnmet):
        campaign_transition(campaign=campaign, to="planning", actor=users["owner"])
    Kpi.objects.create(campaign=campaign, name="销售额", metric="销售额", target=300000, priority="core")
    r = api_for(users["owner"]).post(f"/campaigns/{campaign.id}/transition", {"to": "planning"})
    assert r.status_code == 200, r.content


def test_channels_api(campaign, users, api_for):
    api = api_for(users["member"])
    r = api.post(
        f"/campaigns/{campaign.id}/channels",
        {
            "name": "抖音",
            "content_form": "短视频+直播",
            "start_date": "2025-06-01",
            "end_date": "2025-06-20",
            "owner": "member1",
            "targets": {"曝光": "50万", "点击": 50000},
            "benchmarks": {"点击率": "2.5%"},
        },
    )
    assert r.status_code == 201, r.content
    assert r.json()["targets"] == {"曝光": "500000", "点击": "50000"}
    assert r.json()["benchmarks"] == {"点击率": "0.025"}
    assert api.post(f"/campaigns/{campaign.id}/channels", {"name": "抖音"}).status_code == 422
    r = api.post(f"/campaigns/{campaign.id}/channels", {"name": "小红书", "benchmarks": {"点击率": "abc"}})
    assert r.status_code == 422 and "benchmarks" in r.json()["detail"]
    r = api.post(
        f"/campaigns/{campaign.id}/channels", {"name": "x", "start_date": "2025-06-05", "end_date": "2025-06-01"}
    )
    assert r.status_code == 422 and "end_date" in r.json()["detail"]
    assert [c["name"] for c in api.get(f"/campaigns/{campaign.id}/channels").json()] == ["抖音"]


def test_plan_generate_and_edit_reports_gap(campaign, users, api_for):
    api = api_for(users["member"])
    kpi = api.post(f"/campaigns/{campaign.id}/kpis", {"name": "销售额", "metric": "销售额", "target": "30万"}).json()
    r = api.post(f"/campaigns/{campaign.id}/kpis/{kpi['id']}/plan", {"granularity": "week", "method": "even"})
    assert r.status_code == 200, r.content
    plan = r.json()
    assert Decimal(plan["gap"]) == 0 and Decimal(plan["total"]) == 300000
    first = plan["values"][0]
    assert first["key"] == "2025-06-01"  # a Sunday: one-day first week
    assert Decimal(first["value"]) == Decimal(10000)
    r = api.post(
        f"/campaigns/{campaign.id}/kpis/{kpi['id']}/plan",
        {"granularity": "week", "values": {"2025-06-01": "2万"}},
    )
    assert Decimal(r.json()["gap"]) == Decimal(10000)
    r = api.post(
        f"/campaigns/{campaign.id}/kpis/{kpi['id']}/plan", {"granularity": "week", "values": {"2099-01-01": 1}}
    )
    assert r.status_code == 422
    api.post(f"/campaigns/{campaign.id}/channels", {"name": "抖音", "targets": {"销售额": 3}})
    api.post(f"/campaigns/{campaign.id}/channels", {"name": "门店", "targets": {"销售额": 1}})
    r = api.post(f"/campaigns/{campaign.id}/kpis/{kpi['id']}/plan", {"granularity": "channel", "method": "weighted"})
    values = {v["key"]: Decimal(v["value"]) for v in r.json()["values"]}
    assert values == {"抖音": Decimal(225000), "门店": Decimal(75000)}


def test_goals_pages(client, campaign, users):
    client.force_login(users["member"])
    r = client.post(
        f"/campaigns/{campaign.id}/goals/kpis/new/",
        {"name": "销售额", "metric": "销售额", "target": "30万", "priority": "core", "direction": "up"},
    )
    assert r.status_code == 302
    r = client.post(
        f"/campaigns/{campaign.id}/goals/kpis/new/",
        {"name": "坏", "metric": "x", "target": "abc", "priority": "core", "direction": "up"},
    )
    assert (r.status_code == 422 and "Not a number" in r.content.decode()) or "数字" in r.content.decode()
    r = client.get(f"/campaigns/{campaign.id}/goals/")
    assert r.status_code == 200 and "销售额" in r.content.decode()
    kpi = Kpi.objects.get(name="销售额")
    r = client.post(
        f"/campaigns/{campaign.id}/goals/kpis/{kpi.id}/plan/?g=month", {"granularity": "month", "action": "even"}
    )
    assert r.status_code == 302
    r = client.get(f"/campaigns/{campaign.id}/goals/kpis/{kpi.id}/plan/?g=month")
    assert r.status_code == 200 and 'data-testid="plan-gap"' in r.content.decode()
    r = client.post(
        f"/campaigns/{campaign.id}/goals/channels/new/",
        {"name": "抖音", "targets": "曝光=50万", "benchmarks": "点击率=2.5%"},
    )
    assert r.status_code == 302
    client.force_login(users["outsider"])
    assert client.get(f"/campaigns/{campaign.id}/goals/").status_code == 404
    client.force_login(users["viewer"])
    assert client.post(f"/campaigns/{campaign.id}/goals/kpis/new/", {"name": "x"}).status_code == 403
