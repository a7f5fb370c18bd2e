"""The weekly report's key results are the week's own figures against last week (issue #18), not the
campaign-to-date totals: in the draft, the API, the page (with its trend chart and share actions) and the PDF."""

import pytest
from django.test import Client

from campaignflow.notifications.models import Delivery, Notification, WebhookEndpoint
from conftest import COST_PER_MEMBER, add_kpis_and_metrics

pytestmark = pytest.mark.django_db

THIS_WEEK, LAST_WEEK = "2025-06-09", "2025-06-02"  # Mondays; the campaign runs 2025-06-01 ~ 06-30


def add_two_weeks(campaign, client, *, members_last_week: int = 400) -> None:
    """Sales 3万 before the weeks, 10万 last week, 12万 this week (25万 to date of a 30万 target); cost per
    member 20000/`members_last_week` last week, 18000/450 = 40 this week (a "down" KPI: the fall is good)."""
    kpis = [
        {"name": "销售额", "metric": "销售额", "unit": "元", "target": "30万", "priority": "core"},
        {**COST_PER_MEMBER, "target": "45"},
    ]
    values = [
        ("2025-06-01", "销售额", "30000"),
        ("2025-06-03", "销售额", "40000"),
        ("2025-06-05", "销售额", "60000"),
        ("2025-06-04", "推广费", "20000"),
        ("2025-06-04", "新增会员", str(members_last_week)),
        ("2025-06-10", "销售额", "50000"),
        ("2025-06-12", "销售额", "70000"),
        ("2025-06-11", "推广费", "18000"),
        ("2025-06-11", "新增会员", "450"),
    ]
    rows = [{"date": d, "channel": "抖音", "metric": m, "value": v} for d, m, v in values]
    add_kpis_and_metrics(campaign, client, kpis, rows)


@pytest.fixture
def weeks(campaign, api_for, users):
    """Cost per member 50 last week, 40 this week."""
    add_two_weeks(campaign, api_for(users["owner"]))
    return campaign


def test_draft_key_results_are_the_weeks_figures_with_the_change(weeks, api_for, users):
    owner = api_for(users["owner"])
    report = owner.post(f"/campaigns/{weeks.pk}/weekly-reports", {"week_start": "2025-06-11"}).json()
    text = report["key_results"]
    assert "销售额：本周 ¥12万，上周 ¥10万，环比 +20%；累计达成率 83%（目标 ¥30万）" in text
    assert "获客成本：本周 40元/人，上周 50元/人，环比 −20%" in text
    assert "25万" not in text  # the campaign-to-date total is not a key result of the week
    owner.headers["HTTP_ACCEPT_LANGUAGE"] = "en"
    report = owner.post(f"/campaigns/{weeks.pk}/weekly-reports", {"week_start": THIS_WEEK}).json()
    assert (
        "销售额: this week ¥120,000.00, last week ¥100,000.00, +20% week on week; 83% of the target"
        in (report["key_results"])
    )


def test_figures_endpoint_gives_the_week_last_week_change_and_trend(weeks, api_for, users):
    owner = api_for(users["owner"])
    report = owner.post(f"/campaigns/{weeks.pk}/weekly-reports", {"week_start": THIS_WEEK}).json()
    response = owner.get(f"/weekly-reports/{report['id']}/figures")
    assert response.status_code == 200
    body = response.json()
    assert (body["week_start"], body["week_end"]) == (THIS_WEEK, "2025-06-15")
    sales, cost = body["rows"]
    assert (float(sales["this_week"]), float(sales["last_week"]), float(sales["change"])) == (120000, 100000, 20000)
    assert float(sales["change_rate"]) == pytest.approx(0.2) and sales["good"] is True
    assert float(sales["achievement_rate"]) == pytest.approx(0.8333)
    assert (float(cost["this_week"]), float(cost["last_week"])) == (40, 50)
    assert float(cost["change_rate"]) == pytest.approx(-0.2) and cost["good"] is True  # lower cost is better
    assert len(body["trend_dates"]) == 28 and body["trend_dates"][-1] == "2025-06-15"
    daily = dict(zip(body["trend_dates"], body["trend"][0]["values"], strict=True))
    assert float(daily["2025-06-10"]) == 50000 and daily["2025-06-09"] is None
    assert api_for(users["outsider"]).get(f"/weekly-reports/{report['id']}/figures").status_code == 404
    assert owner.get("/weekly-reports/999999/figures").status_code == 404


def test_report_page_shows_the_week_chart_and_share_actions(weeks, api_for, users):
    owner_api = api_for(users["owner"])
    report = owner_api.post(f"/campaigns/{weeks.pk}/weekly-reports", {"week_start": THIS_WEEK}).json()
    client = Client()
    client.force_login(users["owner"])
    url = f"/campaigns/{weeks.pk}/execution/reports/{report['id']}/"
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'data-testid="week-figures"' in html and 'data-testid="trend-chart"' in html
    assert "本周" in html and "上周" in html and "累计达成率" in html
    assert "¥12万" in html and "¥10万" in html and "+20%" in html
    assert f"report.pdf?kind=weekly&amp;week_start={THIS_WEEK}" in html
    assert 'data-testid="copy-link"' in html
    assert 'data-testid="send-report"' not in html  # a draft is not sent to the team

    # published: sent to the team's inboxes and the campaign's chat robot
    WebhookEndpoint.objects.create(campaign=weeks, name="群机器人", kind="generic", url="https://example.com/hook")
    assert owner_api.post(f"/weekly-reports/{report['id']}/share").status_code == 409
    assert owner_api.post(f"/weekly-reports/{report['id']}/publish", {"version": report["version"]}).status_code == 200
    assert 'data-testid="send-report"' in client.get(url).content.decode()
    assert client.post(url + "share/").status_code == 302
    notified = set(Notification.objects.filter(kind="report").values_list("recipient__username", flat=True))
    assert notified >= {"owner1", "manager1", "member1", "viewer1"} and "partner1" not in notified
    assert Delivery.objects.filter(channel="webhook", kind="report").count() == 1
    viewer = Client()
    viewer.force_login(users["viewer"])
    assert viewer.post(url + "share/").status_code == 403


def test_weekly_pdf_has_the_weeks_figures_and_trend(weeks, api_for, users):
    from campaignflow.reports.tests.test_exports import pdf_text

    owner = api_for(users["owner"])
    owner.post(f"/campaigns/{weeks.pk}/weekly-reports", {"week_start": LAST_WEEK})
    owner.post(f"/campaigns/{weeks.pk}/weekly-reports", {"week_start": THIS_WEEK})
    response = owner.get(f"/campaigns/{weeks.pk}/report.pdf", {"kind": "weekly", "week_start": THIS_WEEK})
    assert response.status_code == 200
    text = pdf_text(response.content).replace(" ", "")
    assert "2025-06-09~2025-06-15" in text
    assert "本周核心成果" in text and "本周" in text and "上周" in text and "累计达成率" in text
    assert "¥12万" in text and "¥10万" in text and "+20%" in text and "83.3%" in text
    assert "销售额：近4周每日" in text  # the trend chart's title
    earlier = owner.get(f"/campaigns/{weeks.pk}/report.pdf", {"kind": "weekly", "week_start": LAST_WEEK})
    assert "2025-06-02~2025-06-08" in pdf_text(earlier.content).replace(" ", "")
    bad = owner.get(f"/campaigns/{weeks.pk}/report.pdf", {"kind": "weekly", "week_start": "next week"})
    assert bad.status_code == 422


def test_a_week_in_progress_is_compared_with_the_same_days_of_last_week(weeks, api_for, users):
    """On Wednesday 2025-06-11 this week has Mon–Wed (销售额 5万) and is compared with Mon–Wed of last
    week (4万: 06-05's 6万 is not yet comparable), not with the whole of last week (10万 → a false −50%)."""
    from freezegun import freeze_time

    owner = api_for(users["owner"])
    with freeze_time("2025-06-11 12:00:00"):
        report = owner.post(f"/campaigns/{weeks.pk}/weekly-reports", {"week_start": THIS_WEEK}).json()
        assert "（本周截至 06-11，与上周同期相比）" in report["key_results"]
        assert "销售额：本周 ¥5万，上周 ¥4万，环比 +25%" in report["key_results"]
        body = owner.get(f"/weekly-reports/{report['id']}/figures").json()
        assert body["through"] == "2025-06-11"
        sales, cost = body["rows"]
        assert (float(sales["this_week"]), float(sales["last_week"])) == (50000, 40000)
        assert (float(cost["this_week"]), float(cost["last_week"])) == (40, 50)
        client = Client()
        client.force_login(users["owner"])
        page = client.get(f"/campaigns/{weeks.pk}/execution/reports/{report['id']}/").content.decode()
        assert 'data-testid="week-so-far"' in page and "06-11" in page
    # once the week is over it counts every day of both weeks
    assert owner.get(f"/weekly-reports/{report['id']}/figures").json()["through"] == "2025-06-15"


def test_a_week_in_progress_runs_to_its_last_day_with_figures(weeks, api_for, users):
    """Friday 06-13 in the morning, nothing entered for today yet: the week runs Mon–Thu (12万) and is
    compared with Mon–Thu of last week (10万, +20%), not with Mon–Fri (12万 with last Friday's 2万: a
    false 0%, and every morning's report read as a fall)."""
    from freezegun import freeze_time

    owner = api_for(users["owner"])
    friday = {"date": "2025-06-06", "channel": "抖音", "metric": "销售额", "value": "20000"}
    assert owner.post(f"/campaigns/{weeks.pk}/metrics", {"rows": [friday]}).status_code == 200
    with freeze_time("2025-06-13 09:00:00"):
        report = owner.post(f"/campaigns/{weeks.pk}/weekly-reports", {"week_start": THIS_WEEK}).json()
        body = owner.get(f"/weekly-reports/{report['id']}/figures").json()
    assert body["through"] == "2025-06-12"
    sales = body["rows"][0]
    assert (float(sales["this_week"]), float(sales["last_week"])) == (120000, 100000)
    assert "（本周截至 06-12，与上周同期相比）" in report["key_results"]
    assert "销售额：本周 ¥12万，上周 ¥10万，环比 +20%" in report["key_results"]
