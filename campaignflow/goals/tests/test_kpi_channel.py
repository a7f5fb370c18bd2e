"""A KPI scoped to one channel of the reach matrix (小红书笔记总曝光500万次, seed 004 table 3): its actual sums
that channel's metric rows only, wherever KPI actuals are read (the KPI list, the board, the weekly figures,
the case library), in the same number of queries; the channel is given by name, must be the campaign's, and
cannot be deleted while a KPI counts it."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from campaignflow.goals import selectors
from campaignflow.goals.models import Channel, Kpi

pytestmark = pytest.mark.django_db

# The tester's finding on the demo's Q3 campaign: 535万 exposure in all, 145.87万 of it on 小红书 (a KPI for 小红书 read 107 %).
EXPOSURE = {"抖音": 2_000_000, "小红书": 1_458_700, "微信公众号": 1_100_000, "线下门店": 791_300}
CLICKS = {"抖音": 220_000, "小红书": 175_044, "微信公众号": 88_000, "线下门店": 71_217}
XHS = {"name": "小红书曝光", "metric": "曝光", "unit": "次", "target": "500万", "priority": "auxiliary"}


@pytest.fixture
def q3(campaign, owner_api):
    """The campaign with the four demo channels and a day of exposure and clicks per channel."""
    for name in EXPOSURE:
        Channel.objects.create(campaign=campaign, name=name)
    rows = [
        {"date": "2025-06-02", "channel": ch, "metric": metric, "value": values[ch]}
        for metric, values in (("曝光", EXPOSURE), ("点击", CLICKS))
        for ch in EXPOSURE
    ]
    assert owner_api.post(f"/campaigns/{campaign.id}/metrics", {"rows": rows}).status_code == 200
    return campaign


def test_a_kpi_scoped_to_a_channel_sums_only_that_channels_rows(owner_api, q3):
    base = f"/campaigns/{q3.id}/kpis"
    scoped = owner_api.post(base, XHS | {"channel": "小红书"})
    whole = owner_api.post(base, XHS | {"name": "总曝光"})
    assert scoped.status_code == whole.status_code == 201
    assert scoped.json()["channel"] == "小红书" and whole.json()["channel"] is None
    assert Decimal(scoped.json()["actual"]) == 1_458_700
    assert scoped.json()["achievement_rate"] == pytest.approx(0.2917)
    assert Decimal(whole.json()["actual"]) == 5_350_000
    listed = {k["name"]: k for k in owner_api.get(base).json()}
    assert (listed["小红书曝光"]["channel"], Decimal(listed["小红书曝光"]["actual"])) == ("小红书", 1_458_700)
    assert Decimal(listed["总曝光"]["actual"]) == 5_350_000
    one = owner_api.get(f"{base}/{scoped.json()['id']}").json()
    assert (one["channel"], Decimal(one["actual"])) == ("小红书", 1_458_700)


def test_a_scoped_ratio_kpi_divides_the_channels_sums(owner_api, q3):
    body = {"name": "小红书点击率", "numerator": "点击", "denominator": "曝光", "target": "10%", "channel": "小红书"}
    response = owner_api.post(f"/campaigns/{q3.id}/kpis", body)
    assert response.status_code == 201
    assert Decimal(response.json()["actual"]) == Decimal(175_044) / Decimal(1_458_700)  # 12%, not 10.4% overall


def test_patch_sets_and_clears_the_channel(owner_api, q3):
    kpi = owner_api.post(f"/campaigns/{q3.id}/kpis", XHS).json()
    url = f"/campaigns/{q3.id}/kpis/{kpi['id']}"
    scoped = owner_api.patch(url, {"version": 1, "channel": "小红书"})
    assert scoped.status_code == 200
    assert (scoped.json()["channel"], Decimal(scoped.json()["actual"])) == ("小红书", 1_458_700)
    assert Kpi.objects.get().channel.name == "小红书"
    untouched = owner_api.patch(url, {"version": 2, "target": "400万"})
    assert untouched.json()["channel"] == "小红书"
    cleared = owner_api.patch(url, {"version": 3, "channel": None})
    assert cleared.status_code == 200
    assert (cleared.json()["channel"], Decimal(cleared.json()["actual"])) == (None, 5_350_000)
    assert owner_api.patch(url, {"version": 4, "channel": ""}).json()["channel"] is None  # blank: whole campaign


@pytest.mark.parametrize("channel", ["微博", "其他活动的渠道"])
def test_a_channel_not_of_the_campaign_is_422_naming_channel_and_writes_nothing(
    owner_api, q3, users, playbooks, channel
):
    from conftest import make_campaign

    other = make_campaign(users)
    Channel.objects.create(campaign=other, name="其他活动的渠道")
    response = owner_api.post(f"/campaigns/{q3.id}/kpis", XHS | {"channel": channel})
    assert response.status_code == 422
    assert "channel" in response.json()["detail"]
    assert not Kpi.objects.exists()
    kpi = owner_api.post(f"/campaigns/{q3.id}/kpis", XHS).json()
    patched = owner_api.patch(f"/campaigns/{q3.id}/kpis/{kpi['id']}", {"version": 1, "channel": channel})
    assert patched.status_code == 422 and "channel" in patched.json()["detail"]
    assert Kpi.objects.get().channel is None and Kpi.objects.get().version == 1


def test_a_channel_a_kpi_counts_is_not_deleted(owner_api, q3):
    kpi = owner_api.post(f"/campaigns/{q3.id}/kpis", XHS | {"channel": "小红书"}).json()
    channel = Channel.objects.get(campaign=q3, name="小红书")
    refused = owner_api.delete(f"/campaigns/{q3.id}/channels/{channel.id}?version=1")
    assert refused.status_code == 409
    assert "小红书曝光" in refused.json()["detail"]
    assert Channel.objects.filter(pk=channel.pk).exists()
    assert Kpi.objects.get(pk=kpi["id"]).channel_id == channel.pk
    # once the KPI counts the whole campaign again, the channel can go
    owner_api.patch(f"/campaigns/{q3.id}/kpis/{kpi['id']}", {"version": 1, "channel": None})
    assert owner_api.delete(f"/campaigns/{q3.id}/channels/{channel.id}?version=1").status_code == 204


def test_the_database_refuses_it_too_but_a_campaign_still_deletes_with_its_kpis_and_channels(owner_api, q3):
    from django.db.models import RestrictedError

    owner_api.post(f"/campaigns/{q3.id}/kpis", XHS | {"channel": "小红书"})
    with pytest.raises(RestrictedError):
        Channel.objects.filter(name="小红书").delete()
    type(q3).objects.filter(pk=q3.pk).delete()  # RESTRICT, not PROTECT: one cascade takes both
    assert not Kpi.objects.exists() and not Channel.objects.exists()


def test_a_channel_named_by_its_rows_keeps_its_name_and_its_kpis_their_actuals(owner_api, q3):
    """Renaming a channel whose metric rows name it would have left them behind (its KPI's actual falling to 0):
    refused on the name, nothing changed. A channel nothing names yet takes the new name, its KPI follows it."""
    kpi = owner_api.post(f"/campaigns/{q3.id}/kpis", XHS | {"channel": "小红书"}).json()
    channel = Channel.objects.get(campaign=q3, name="小红书")
    actual = owner_api.get(f"/campaigns/{q3.id}/kpis/{kpi['id']}").json()["actual"]
    refused = owner_api.patch(f"/campaigns/{q3.id}/channels/{channel.id}", {"version": 1, "name": "RED"})
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "name"
    kept = owner_api.get(f"/campaigns/{q3.id}/kpis/{kpi['id']}").json()
    assert (kept["channel"], kept["actual"]) == ("小红书", actual) and Decimal(actual) > 0
    fresh = Channel.objects.create(campaign=q3, name="B站")
    scoped = owner_api.post(f"/campaigns/{q3.id}/kpis", XHS | {"name": "B站曝光", "channel": "B站"}).json()
    assert (
        owner_api.patch(f"/campaigns/{q3.id}/channels/{fresh.id}", {"version": 1, "name": "哔哩哔哩"}).status_code
        == 200
    )
    rows = [{"date": "2025-06-03", "channel": "哔哩哔哩", "metric": "曝光", "value": 1000}]
    owner_api.post(f"/campaigns/{q3.id}/metrics", {"rows": rows})
    renamed = owner_api.get(f"/campaigns/{q3.id}/kpis/{scoped['id']}").json()
    assert (renamed["channel"], Decimal(renamed["actual"])) == ("哔哩哔哩", 1000)


def _scoped_kpis(campaign, n: int) -> None:
    channels = list(Channel.objects.filter(campaign=campaign))
    Kpi.objects.bulk_create(
        Kpi(
            campaign=campaign,
            name=f"KPI{i}",
            metric="曝光" if i % 3 else "",
            numerator="" if i % 3 else "点击",
            denominator="" if i % 3 else "曝光",
            target=Decimal(1000),
            channel=channels[i % len(channels)] if i % 2 else None,
            position=i,
        )
        for i in range(n)
    )


def _count(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_scoped_kpis_cost_no_more_queries_per_kpi(q3, owner_api, users, playbooks):
    from conftest import make_campaign

    def uncached_list() -> int:
        from django.conf import settings
        from django.core.cache import caches

        from campaignflow.campaigns.access import forget_rows

        for alias in settings.CACHES:  # the list is cached by the campaign's newest audit entry, which
            caches[alias].clear()  # bulk_create does not move
        forget_rows()  # (so is the campaign's row: ADR 0027)
        return _count(lambda: owner_api.get(f"/campaigns/{q3.id}/kpis"))

    _scoped_kpis(q3, 2)
    few = _count(lambda: selectors.kpis_with_actuals(q3))
    few_api = uncached_list()
    _scoped_kpis(q3, 10)
    assert _count(lambda: selectors.kpis_with_actuals(q3)) == few == 2
    assert uncached_list() == few_api
    other = make_campaign(users)
    Channel.objects.create(campaign=other, name="小红书")
    _scoped_kpis(other, 12)
    by_campaign = {}
    assert _count(lambda: by_campaign.update(selectors.kpis_with_actuals_by_campaign([q3.pk, other.pk]))) == 2
    for k in by_campaign[q3.pk]:  # each its channel's sum or the whole campaign's
        exposure, clicks = (EXPOSURE[k.channel.name], CLICKS[k.channel.name]) if k.channel else (5_350_000, 554_261)
        assert k.actual == (exposure if k.metric else Decimal(clicks) / Decimal(exposure)), k.name
    assert {k.actual for k in by_campaign[other.pk] if k.metric} == {0}
    assert len(by_campaign[q3.pk]) == 12 and len(by_campaign[other.pk]) == 12


def test_the_board_shows_a_scoped_core_kpis_channel_and_its_daily_values(owner_api, q3):
    from campaignflow.tracking.selectors import board

    body = XHS | {"priority": "core", "channel": "小红书"}
    assert owner_api.post(f"/campaigns/{q3.id}/kpis", body).status_code == 201
    data = board(q3, today=dt.date(2025, 6, 30))
    [card] = data["kpis"]
    assert (card["channel"], card["actual"]) == ("小红书", 1_458_700)
    day = next(d for d in data["daily"] if d["date"] == dt.date(2025, 6, 2))
    assert day["actual"] == 1_458_700
    assert data["cumulative"]["metric"] == "曝光"


def test_week_figures_of_a_scoped_kpi_count_its_channel(owner_api, q3):
    from campaignflow.execution.reporting import week_figures

    for body in (XHS | {"channel": "小红书"}, XHS | {"name": "总曝光"}):
        assert owner_api.post(f"/campaigns/{q3.id}/kpis", body).status_code == 201
    # the week of 2025-06-02 (Monday) against the week before: one more day on 小红书 and one on 抖音
    rows = [
        {"date": "2025-05-27", "channel": "小红书", "metric": "曝光", "value": 1000},
        {"date": "2025-05-27", "channel": "抖音", "metric": "曝光", "value": 5000},
    ]
    owner_api.post(f"/campaigns/{q3.id}/metrics", {"rows": rows})
    figures = week_figures(q3, dt.date(2025, 6, 2), today=dt.date(2025, 6, 8))
    rows_by = {r["kpi"]: r for r in figures["rows"]}
    assert (rows_by["小红书曝光"]["this_week"], rows_by["小红书曝光"]["last_week"]) == (1_458_700, 1000)
    assert (rows_by["总曝光"]["this_week"], rows_by["总曝光"]["last_week"]) == (5_350_000, 6000)
    trend = {s["kpi"]: s["values"] for s in figures["trend"]["series"]}
    day = figures["trend"]["dates"].index(dt.date(2025, 6, 2))
    assert (trend["小红书曝光"][day], trend["总曝光"][day]) == (1_458_700, 5_350_000)


@pytest.fixture
def owner(users) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(users["owner"])
    return client


def test_the_kpi_form_offers_the_channels_and_the_list_shows_the_kpis_channel(owner, q3):
    page = owner.get(f"/campaigns/{q3.id}/goals/").content.decode()
    assert '<option value="">Whole campaign</option><option value="抖音">抖音</option>' in page
    typed = {"name": "小红书曝光", "metric": "曝光", "target": "500万", "priority": "core", "direction": "up"}
    response = owner.post(f"/campaigns/{q3.id}/goals/kpis/new/", typed | {"channel": "小红书"})
    assert response.status_code == 302
    kpi = Kpi.objects.get()
    assert kpi.channel.name == "小红书"
    page = owner.get(f"/campaigns/{q3.id}/goals/").content.decode()
    assert 'data-testid="kpi-channel">小红书</span>' in page
    edit = owner.get(f"/campaigns/{q3.id}/goals/kpis/{kpi.id}/").content.decode()
    assert '<option value="小红书" selected>' in edit
    saved = owner.post(f"/campaigns/{q3.id}/goals/kpis/{kpi.id}/", {"version": 1, "channel": ""})
    assert saved.status_code == 302
    assert Kpi.objects.get().channel is None


def test_a_chinese_reader_sees_the_whole_campaign_choice_in_chinese(users, q3):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(users["owner"])
    assert '<option value="">整个活动</option>' in client.get(f"/campaigns/{q3.id}/goals/").content.decode()


def test_an_unknown_channel_shows_on_the_field_and_writes_nothing(owner, q3):
    typed = {"name": "曝光", "metric": "曝光", "target": "500万", "channel": "微博"}
    response = owner.post(f"/campaigns/{q3.id}/goals/kpis/new/", typed)
    assert response.status_code == 422
    assert '<span class="field-error">Not a channel of this campaign: 微博.' in response.content.decode()
    assert not Kpi.objects.exists()


def test_deleting_a_channel_a_kpi_counts_shows_why_on_the_page(owner, q3):
    channel = Channel.objects.get(campaign=q3, name="小红书")
    Kpi.objects.create(campaign=q3, name="小红书曝光", metric="曝光", target=5_000_000, channel=channel)
    url = f"/campaigns/{q3.id}/goals/channels/{channel.id}/delete/"
    page = owner.post(url, {"version": 1}, follow=True).content.decode()
    assert "KPIs count only this channel&#x27;s data: 小红书曝光" in page
    assert Channel.objects.filter(pk=channel.pk).exists()


def test_the_demo_scopes_the_kpis_whose_description_names_a_channel(campaign):
    from campaignflow.goals.demo import extend_demo

    extend_demo(campaigns={"Q3新品营销策略执行": campaign}, users={}, specs=[])
    scoped = {k.name: k.channel_name for k in Kpi.objects.filter(campaign=campaign).select_related("channel")}
    assert scoped == {"新品销售额": None, "新客占比": None, "小红书曝光": "小红书", "社群新增": None}
    extend_demo(campaigns={"Q3新品营销策略执行": campaign}, users={}, specs=[])  # idempotent
    assert Kpi.objects.filter(campaign=campaign).count() == 4


def test_a_scoped_kpi_decomposes_over_its_own_channel_only(owner_api, q3):
    kpi = owner_api.post(f"/campaigns/{q3.id}/kpis", XHS | {"channel": "小红书"}).json()
    plan = owner_api.post(f"/campaigns/{q3.id}/kpis/{kpi['id']}/plan", {"granularity": "channel"}).json()
    assert [(v["key"], Decimal(v["value"])) for v in plan["values"]] == [("小红书", 5_000_000)]
