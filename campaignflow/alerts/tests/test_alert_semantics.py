"""Issue #18, the daily loop's false alarms: good news is not a deviation, rates read as percentages,
anomalies in words, one unusual day is one alert. Data goes in through the ingestion API, as in production."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from campaignflow.alerts.models import Alert
from campaignflow.alerts.tests.conftest import metric_rows
from campaignflow.goals.models import Kpi

# Rules run when the write commits (on_commit), as in production: real transactions here.
pytestmark = pytest.mark.django_db(transaction=True)


def _alerts(api, campaign, rule, **extra):
    return [a for a in api.get(f"/campaigns/{campaign.id}/alerts", **extra).json() if a["rule"] == rule]


def _ten_days_in(campaign):
    today = timezone.localdate()
    campaign.start_date, campaign.end_date = today - dt.timedelta(days=9), today + dt.timedelta(days=20)
    campaign.save()


def _push(api, campaign, channel, metrics_by_day):
    response = api.post(f"/campaigns/{campaign.id}/metrics", {"rows": metric_rows(channel, metrics_by_day)})
    assert response.status_code == 200, response.content


# --- KPI direction: above plan is good news for "up" KPIs, below plan for "down" ones --------------------------


def test_sales_above_plan_is_good_news_not_a_deviation_to_evaluate(api, campaign, users):
    _ten_days_in(campaign)
    Kpi.objects.create(campaign=campaign, name="销售额", metric="销售额", unit="元", target=Decimal("300000"))
    # Plan to date: 10 of 30 days → 10万; actual 11.7万 → 117% (seed 002's 30万 → 35万).
    _push(api, campaign, "抖音", {n: {"销售额": 11700} for n in range(10)})
    assert _alerts(api, campaign, "kpi_deviation") == []
    [note] = _alerts(api, campaign, "kpi_ahead")
    assert note["severity"] == "info" and "销售额" in note["message"] and "117%" in note["message"]
    assert "评估" not in note["message"].replace("无需评估", "")
    # Not among the alerts that need attention, and closing it needs no decision.
    client = Client()
    client.force_login(users["owner"])
    attention = client.get(f"/campaigns/{campaign.id}/alerts/").content.decode()
    assert f'id="alert-{note["id"]}"' not in attention
    assert f'id="alert-{note["id"]}"' in client.get(f"/campaigns/{campaign.id}/alerts/?status=good").content.decode()
    assert api.post(f"/alerts/{note['id']}/resolve", {"evaluation": "KOL种草效果超预期"}).status_code == 200


def test_sales_below_plan_stays_a_deviation_needing_an_evaluation(api, campaign):
    _ten_days_in(campaign)
    Kpi.objects.create(campaign=campaign, name="销售额", metric="销售额", unit="元", target=Decimal("300000"))
    _push(api, campaign, "抖音", {n: {"销售额": 8000} for n in range(10)})
    [alert] = _alerts(api, campaign, "kpi_deviation")
    assert alert["severity"] == "high" and "低于" in alert["message"] and "20%" in alert["message"]
    assert _alerts(api, campaign, "kpi_ahead") == []


@pytest.mark.parametrize(("spend", "rule", "word"), [(6000, "kpi_deviation", "高于"), (4000, "kpi_ahead", "低于")])
def test_cost_per_lead_less_is_better(api, campaign, spend, rule, word):
    _ten_days_in(campaign)
    Kpi.objects.create(
        campaign=campaign,
        name="线索成本",
        numerator="花费",
        denominator="线索",
        unit="元",
        direction="down",
        target=Decimal("50"),
    )
    _push(api, campaign, "抖音", {n: {"花费": spend, "线索": 100} for n in range(10)})
    [alert] = [a for a in api.get(f"/campaigns/{campaign.id}/alerts").json() if a["rule"].startswith("kpi_")]
    # 60 元 a lead is over the 50 元 plan (the deviation); 40 元 under it (the good news), said as it is.
    assert alert["rule"] == rule and word in alert["message"] and "20%" in alert["message"]


def test_rate_kpi_reads_as_percentages(api, campaign):
    _ten_days_in(campaign)
    Kpi.objects.create(
        campaign=campaign, name="转化率", numerator="转化", denominator="点击", unit="%", target=Decimal("0.03")
    )
    _push(api, campaign, "抖音", {n: {"点击": 1000, "转化": 23} for n in range(10)})
    [alert] = _alerts(api, campaign, "kpi_deviation")
    assert "实际 2.3%" in alert["message"] and "计划 3%" in alert["message"], alert["message"]
    assert "0.023" not in alert["message"] and alert["data"]["actual"] == pytest.approx(0.023)


# --- anomalies: in words, and one unusual day is one alert -----------------------------------------------------

METRICS = {"曝光": 10000, "点击": 300, "转化": 30, "销售额": 3000}


def _normal(n):
    """A day's figures with some day-to-day noise (±4%)."""
    wobble = 1 + ((n * 7) % 5 - 2) * 0.02
    return {metric: round(base * wobble) for metric, base in METRICS.items()}


def _doubled(n):
    return {metric: value * 2 for metric, value in _normal(n).items()}


def test_one_unusual_day_raises_one_alert_in_words_and_not_again(api, campaign):
    for channel in ("抖音", "小红书"):
        _push(api, campaign, channel, {n: _normal(n) for n in range(21, 1, -1)})
    assert _alerts(api, campaign, "anomaly") == []
    # Day 1: 抖音's import came in twice, every metric doubled; 小红书 is normal.
    _push(api, campaign, "小红书", {1: _normal(1)})
    _push(api, campaign, "抖音", {1: _doubled(1)})
    alerts = _alerts(api, campaign, "anomaly")
    assert len(alerts) == 1, [a["message"] for a in alerts]
    alert = alerts[0]
    message = alert["message"]
    assert "抖音" in message and "小红书" not in message
    assert all(metric in message for metric in METRICS), message
    assert "高出很多" in message and "14 天" in message and "2" in message and "倍" in message
    assert "z" not in message.lower()
    assert {m["metric"] for m in alert["data"]["metrics"]} == set(METRICS)
    assert all(m["z"] > 3.5 for m in alert["data"]["metrics"])
    # Resolved, the scheduler's next runs (and the next day's partial data) do not raise that day again.
    assert (
        api.post(f"/alerts/{alert['id']}/resolve", {"evaluation": "抖音数据重复导入，已删除重复行"}).status_code == 200
    )
    assert api.post(f"/campaigns/{campaign.id}/alerts/evaluate").json() == []
    _push(api, campaign, "抖音", {0: {"曝光": _normal(0)["曝光"]}})
    assert api.post(f"/campaigns/{campaign.id}/alerts/evaluate").json() == []
    # The next day's normal figures: the odd day in their window does not make them look odd.
    for channel in ("抖音", "小红书"):
        _push(api, campaign, channel, {0: _normal(0)})
    assert api.post(f"/campaigns/{campaign.id}/alerts/evaluate").json() == []
    assert Alert.objects.filter(rule="anomaly").count() == 1


def test_a_whole_unusual_day_is_one_alert_naming_the_channels(api, campaign):
    for channel in ("抖音", "小红书"):
        _push(api, campaign, channel, {n: _normal(n) for n in range(21, 1, -1)})
    for channel in ("抖音", "小红书"):
        _push(api, campaign, channel, {1: _doubled(1)})
    alerts = _alerts(api, campaign, "anomaly")
    assert len(alerts) == 1, [a["message"] for a in alerts]
    alert = alerts[0]
    assert "抖音" in alert["message"] and "小红书" in alert["message"]
    assert len(alert["data"]["metrics"]) == 2 * len(METRICS)


def test_anomaly_in_english_words(api, campaign):
    # Rules off while the data comes in, then checked by someone reading English.
    api.put(f"/campaigns/{campaign.id}/alert-rules", {"rules": {"anomaly": {"enabled": False}}})
    for channel in ("抖音", "小红书"):
        _push(api, campaign, channel, {n: _normal(n) for n in range(21, 1, -1)})
    _push(api, campaign, "抖音", {1: {**_normal(1), "点击": 60}})
    api.put(f"/campaigns/{campaign.id}/alert-rules", {"rules": {"anomaly": {"enabled": True}}})
    new = api.post(f"/campaigns/{campaign.id}/alerts/evaluate", HTTP_ACCEPT_LANGUAGE="en").json()
    [alert] = [a for a in new if a["rule"] == "anomaly"]
    message = alert["message"]
    assert "far below the usual level of the last 14 days" in message and "点击 60" in message, message
    assert "usual 3" in message and "z" not in message.replace("usual", "").lower().replace("about", "")


def test_rules_form_names_the_anomaly_sensitivity_in_words(users, campaign):
    client = Client()
    client.force_login(users["owner"])
    page = client.get(f"/campaigns/{campaign.id}/alerts/").content.decode()
    assert "稳健" not in page and "robust z" not in page
    assert "灵敏度" in page and 'name="anomaly.z"' in page
    client.post(f"/campaigns/{campaign.id}/alerts/rules/", {"anomaly.enabled": "on", "anomaly.z": "5"})
    from campaignflow.alerts.models import RuleSetting

    assert RuleSetting.objects.get(campaign=campaign, rule="anomaly").params["z"] == 5
