"""A published weekly report is a record: its figures (the week's table and trend on the page, the API's
/figures, the PDF's tables) are those of its publication, whatever data is imported later; a draft's
follow the data. A report published before reports kept their figures has none kept: it stays live."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.test import Client

from campaignflow.execution import report_snapshot
from campaignflow.execution.models import WeeklyReport
from campaignflow.execution.reporting import week_figures
from campaignflow.execution.tests.test_weekly_figures import add_two_weeks
from campaignflow.reports.tests.test_exports import pdf_text
from campaignflow.tracking.domain.parsers import parse_json_rows
from campaignflow.tracking.models import BatchSource
from campaignflow.tracking.services import metrics_ingest

pytestmark = pytest.mark.django_db

THIS_WEEK = "2025-06-09"  # a Monday; the campaign runs 2025-06-01 ~ 06-30


@pytest.fixture
def weeks(campaign, api_for, users):
    """Sales 10万 last week, 12万 this week (25万 of a 30万 target to date); cost per member 20000/300 last week
    (66.67, a figure no float keeps exactly), 18000/450 = 40 this week."""
    add_two_weeks(campaign, api_for(users["owner"]), members_last_week=300)
    return campaign


def import_more(campaign, user) -> None:
    """Friday's sales come in after the report: this week 15万 (+50%), 28万 to date (93.3%)."""
    rows = [{"date": "2025-06-13", "channel": "抖音", "metric": "销售额", "value": "30000"}]
    metrics_ingest(actor=user, campaign=campaign, parsed=parse_json_rows(rows), source=BatchSource.API)


def week_table(html: str) -> str:
    return html.split('data-testid="week-figures"')[1].split("</table>")[0]


def weekly_pdf(api, campaign, lang="zh-hans") -> str:
    api.headers["HTTP_ACCEPT_LANGUAGE"] = lang
    response = api.get(f"/campaigns/{campaign.pk}/report.pdf", {"kind": "weekly", "week_start": THIS_WEEK})
    assert response.status_code == 200
    return pdf_text(response.content).replace(" ", "")


def page(user, campaign, report_id, lang="zh-hans") -> str:
    client = Client()
    client.force_login(user)
    response = client.get(f"/campaigns/{campaign.pk}/execution/reports/{report_id}/", HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200
    return response.content.decode()


def listed(api, campaign) -> dict:
    """The week's report as the campaign's list of reports gives it."""
    (report,) = api.get(f"/campaigns/{campaign.pk}/weekly-reports").json()
    return report


def generate(api, campaign) -> dict:
    response = api.post(f"/campaigns/{campaign.pk}/weekly-reports", {"week_start": THIS_WEEK})
    assert response.status_code == 201
    return response.json()


def publish(api, report: dict) -> dict:
    response = api.post(f"/weekly-reports/{report['id']}/publish", {"version": report["version"]})
    assert response.status_code == 200, response.content
    return response.json()


def test_a_published_report_keeps_its_figures_on_the_page_the_api_and_the_pdf(weeks, api_for, users):
    owner = api_for(users["owner"])
    published = publish(owner, generate(owner, weeks))
    assert published["figures_fixed_at"] == published["published_at"]
    before = owner.get(f"/weekly-reports/{published['id']}/figures").json()
    assert float(before["rows"][0]["this_week"]) == 120000
    assert before["fixed_at"] is not None

    import_more(weeks, users["owner"])
    assert float(week_figures(weeks, dt.date(2025, 6, 9))["rows"][0]["this_week"]) == 150000  # the data moved

    # the API: the same answer as at publication, field for field
    assert owner.get(f"/weekly-reports/{published['id']}/figures").json() == before
    assert listed(owner, weeks)["figures_fixed_at"] == published["published_at"]

    # the page: the table, its trend chart and the date they were fixed
    html = page(users["owner"], weeks, published["id"])
    table = week_table(html)
    assert "¥12万" in table and "+20%" in table and "83%" in table
    assert "¥15万" not in table and "+50%" not in table and "93%" not in table
    trend = json.loads(html.split('id="report-trend" type="application/json">')[1].split("</script>")[0])
    sales = dict(zip(trend["xAxis"]["data"], trend["series"][0]["data"], strict=True))
    assert (sales["06-10"], sales["06-13"]) == (50000, None)  # the later 06-13 is not drawn
    fixed = html.split('data-testid="figures-fixed"')[1].split("</p>")[0]
    published_at = dt.datetime.fromisoformat(published["published_at"]).astimezone(dt.timezone(dt.timedelta(hours=8)))
    assert f"数据截至发布时 {published_at:%Y-%m-%d %H:%M}" in fixed
    assert 'data-testid="figures-live"' not in html

    # the PDF: the week's table, the progress to date and the daily tracking as published
    text = weekly_pdf(owner, weeks)
    assert "¥12万" in text and "+20%" in text and "83.3%" in text and "数据截至发布时" in text
    assert "¥15万" not in text and "+50%" not in text and "28万" not in text and "93.3%" not in text
    assert "30,000" not in text and "3万" not in text  # 06-13's sales are not a row of the daily table


def test_a_draft_follows_the_data(weeks, api_for, users):
    owner = api_for(users["owner"])
    draft = generate(owner, weeks)
    import_more(weeks, users["owner"])
    body = owner.get(f"/weekly-reports/{draft['id']}/figures").json()
    assert float(body["rows"][0]["this_week"]) == 150000 and body["fixed_at"] is None
    assert listed(owner, weeks)["figures_fixed_at"] is None
    html = page(users["owner"], weeks, draft["id"])
    assert "¥15万" in week_table(html) and "+50%" in week_table(html)
    assert 'data-testid="figures-fixed"' not in html and 'data-testid="figures-live"' not in html
    text = weekly_pdf(owner, weeks)
    assert "¥15万" in text and "+50%" in text and "93.3%" in text and "数据截至发布时" not in text


def test_the_kept_figures_read_as_the_live_ones_did_in_both_languages(weeks, api_for, users):
    """What publishing stored reads back exactly as the live computation gave it at that moment: the same
    Decimals (a ratio's 28 digits included) and the same words in Chinese and in English."""
    owner = api_for(users["owner"])
    published = publish(owner, generate(owner, weeks))
    report = WeeklyReport.objects.get(pk=published["id"])
    stored = report.figures_snapshot
    cost = stored["rows"][1]
    assert cost["kpi"] == "获客成本" and isinstance(cost["last_week"], str)
    assert Decimal(cost["last_week"]) == Decimal(20000) / Decimal(300)  # exact text, not a float
    for zh in (True, False):
        kept = report_snapshot.report_week_figures(report, zh=zh)
        assert kept.pop("fixed_at") == report.published_at
        assert kept == week_figures(weeks, report.week_start, zh=zh)
        assert all(isinstance(r["this_week"], Decimal) for r in kept["rows"])
    live = report_snapshot.document_figures(weeks, report.week_start, zh=False)
    report.figures_snapshot = stored
    assert report_snapshot.document_figures(weeks, report.week_start, report=report, zh=False) == live | {
        "fixed_at": report.published_at
    }

    import_more(weeks, users["owner"])
    html = page(users["owner"], weeks, published["id"], lang="en")
    assert "¥120,000.00" in week_table(html) and "¥150,000.00" not in week_table(html)
    assert "Figures as of publication" in html
    text = weekly_pdf(owner, weeks, lang="en")
    assert "¥120,000.00" in text and "¥150,000.00" not in text and "Figuresasofpublication" in text


def test_a_week_in_progress_keeps_the_day_it_ran_to(weeks, api_for, users):
    """Published through the page on Wednesday 06-11: the report stays "to 06-11" once the week is over."""
    from freezegun import freeze_time

    owner = api_for(users["owner"])
    with freeze_time("2025-06-11 12:00:00"):
        report = generate(owner, weeks)
        client = Client()
        client.force_login(users["owner"])
        url = f"/campaigns/{weeks.pk}/execution/reports/{report['id']}/"
        form = {f: report[f] for f in ("key_results", "delayed_tasks", "next_week_plan", "resources")}
        response = client.post(url, form | {"version": report["version"], "action": "publish"})
        assert response.status_code == 302
    import_more(weeks, users["owner"])
    body = owner.get(f"/weekly-reports/{report['id']}/figures").json()
    assert body["through"] == "2025-06-11" and float(body["rows"][0]["this_week"]) == 50000
    html = page(users["owner"], weeks, report["id"])
    assert 'data-testid="week-so-far"' in html and "¥5万" in week_table(html)


def test_a_report_published_before_figures_were_kept_stays_live_and_says_so(weeks, api_for, users):
    owner = api_for(users["owner"])
    published = publish(owner, generate(owner, weeks))
    WeeklyReport.objects.filter(pk=published["id"]).update(figures_snapshot=None)  # as the migration leaves it
    import_more(weeks, users["owner"])
    assert listed(owner, weeks)["figures_fixed_at"] is None
    body = owner.get(f"/weekly-reports/{published['id']}/figures").json()
    assert float(body["rows"][0]["this_week"]) == 150000 and body["fixed_at"] is None
    html = page(users["owner"], weeks, published["id"])
    assert "¥15万" in week_table(html)
    assert 'data-testid="figures-live"' in html and "本报告发布时系统尚未保存发布时的数据" in html
    assert 'data-testid="figures-fixed"' not in html
    text = weekly_pdf(owner, weeks)
    assert "¥15万" in text and "本报告发布时系统尚未保存发布时的数据" in text


def test_the_kept_figures_never_change_after_publication(weeks, api_for, users):
    """The rule: only publishing writes the figures, and a published report cannot be published again,
    regenerated or edited (409), so nothing rewrites them; a refused publish keeps none."""
    owner = api_for(users["owner"])
    draft = generate(owner, weeks)
    stale = owner.post(f"/weekly-reports/{draft['id']}/publish", {"version": draft["version"] + 1})
    assert stale.status_code == 409
    assert WeeklyReport.objects.get(pk=draft["id"]).figures_snapshot is None
    assert WeeklyReport.objects.get(pk=draft["id"]).status == "draft"

    published = publish(owner, draft)
    kept = WeeklyReport.objects.get(pk=published["id"]).figures_snapshot
    import_more(weeks, users["owner"])
    again = owner.post(f"/weekly-reports/{published['id']}/publish", {"version": published["version"]})
    assert again.status_code == 409
    assert owner.post(f"/campaigns/{weeks.pk}/weekly-reports", {"week_start": THIS_WEEK}).status_code == 409
    edit = owner.patch(f"/weekly-reports/{published['id']}", {"version": published["version"], "resources": "x"})
    assert edit.status_code == 409
    report = WeeklyReport.objects.get(pk=published["id"])
    assert report.figures_snapshot == kept and report.version == published["version"]
