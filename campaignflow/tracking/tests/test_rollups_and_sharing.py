"""The board's pre-aggregated totals stay equal to the rows through every kind of write, and partners
see only the KPIs and channels shared with them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from campaignflow.goals.models import Channel, Kpi
from campaignflow.tracking import rollups, selectors
from campaignflow.tracking.models import MetricChannelTotal, MetricDayTotal

pytestmark = pytest.mark.django_db


def push(api, campaign, rows):
    response = api.post(f"/campaigns/{campaign.id}/metrics", {"rows": rows})
    assert response.status_code == 200, response.content
    return response.json()


def rows_for(days, channels, metric="销售额", value=100):
    return [
        {"date": (dt.date(2025, 6, 1) + dt.timedelta(days=d)).isoformat(), "channel": ch, "metric": metric,
         "value": str(value + d)}
        for d in range(days)
        for ch in channels
    ]  # fmt: skip


def day_total(campaign, metric, date):
    return MetricDayTotal.objects.get(campaign=campaign, metric=metric, date=date).total


def test_totals_follow_push_upsert_import_undo_and_grid(campaign, users, api_for, client):
    api = api_for(users["member"])
    first = push(api, campaign, rows_for(3, ["抖音", "小红书"]) + rows_for(2, ["抖音"], metric="曝光", value=1000))
    assert rollups.matches_rows(campaign.pk)
    assert day_total(campaign, "销售额", dt.date(2025, 6, 1)) == 200
    assert MetricChannelTotal.objects.get(campaign=campaign, metric="曝光", channel="抖音").total == 2001

    # upsert: a day is replaced, not added to
    second = push(api, campaign, [{"date": "2025-06-01", "channel": "抖音", "metric": "销售额", "value": "1.2万"}])
    assert second["updated"] == 1
    assert day_total(campaign, "销售额", dt.date(2025, 6, 1)) == 12100
    assert rollups.matches_rows(campaign.pk)

    # a file import, then undo of it and of the upsert: the totals are back to the first push
    csv = "日期,渠道,指标,数值\n2025/6/2,微博,销售额,5000\n2025年6月9日,微博,销售额,7\n".encode("gbk")
    response = api.client.post(
        f"/api/v1/campaigns/{campaign.id}/metrics/import", {"file": SimpleUploadedFile("d.csv", csv)}, **api.headers
    )
    assert response.status_code == 200
    imported = response.json()["batch"]
    assert day_total(campaign, "销售额", dt.date(2025, 6, 9)) == 7
    assert rollups.matches_rows(campaign.pk)
    assert api.delete(f"/import-batches/{imported}").status_code == 200
    assert not MetricDayTotal.objects.filter(campaign=campaign, date=dt.date(2025, 6, 9)).exists()
    assert api.delete(f"/import-batches/{second['batch']}").status_code == 200
    assert day_total(campaign, "销售额", dt.date(2025, 6, 1)) == 200
    assert rollups.matches_rows(campaign.pk)

    # the grid writes through the same service
    client.force_login(users["member"])
    page = client.post(
        f"/campaigns/{campaign.id}/data/grid/?channel=抖音",
        {"channel": "抖音", "cols": "1", "m0": "销售额", "c0_0": "900"},
    )
    assert page.status_code in (200, 302)
    assert rollups.matches_rows(campaign.pk)
    assert first["created"] == 8


def test_trend_draws_the_biggest_channels_and_one_line_for_the_rest(campaign, users, api_for):
    Kpi.objects.create(campaign=campaign, name="销售额", metric="销售额", target=Decimal(300000), priority="core")
    channels = [f"渠道{i:02d}" for i in range(11)]
    rows = []
    for i, ch in enumerate(channels):
        rows += rows_for(4, [ch], value=(i + 1) * 100)
    push(api_for(users["member"]), campaign, rows)
    board = selectors.board(campaign, today=dt.date(2025, 6, 30))
    series = {s["name"]: s["data"] for s in board["trend"]["option"]["series"]}
    assert len(series) == 9  # 8 biggest + "other channels (3)"
    assert "渠道10" in series and "渠道00" not in series
    other = next(name for name in series if name not in channels)
    assert "3" in other
    for day in range(4):
        drawn = sum(values[day] or 0 for values in series.values())
        assert drawn == pytest.approx(float(board["daily"][day]["actual"]))


def test_board_reads_a_constant_number_of_queries(campaign, users, api_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    Kpi.objects.create(campaign=campaign, name="销售额", metric="销售额", target=Decimal(300000), priority="core")
    api = api_for(users["member"])
    counts = []
    for n in (1, 12):
        push(api, campaign, rows_for(n, [f"c{i}" for i in range(n)]))
        fresh = type(campaign).objects.get(pk=campaign.pk)  # no cached role
        with CaptureQueriesContext(connection) as queries:
            selectors.board(fresh, user=users["member"])
        counts.append(len(queries))
    assert counts[0] == counts[1]


@pytest.fixture
def shared_setup(campaign, users, api_for):
    Kpi.objects.create(campaign=campaign, name="销售额", metric="销售额", target=Decimal(300000), priority="core",
                       shared_with_partners=True)  # fmt: skip
    Kpi.objects.create(campaign=campaign, name="推广费", metric="推广费", target=Decimal(50000), priority="auxiliary")
    Channel.objects.create(campaign=campaign, name="抖音", shared_with_partners=True)
    Channel.objects.create(campaign=campaign, name="小红书")
    rows = rows_for(2, ["抖音", "小红书"]) + rows_for(2, ["抖音", "小红书"], metric="曝光", value=5000)
    rows += rows_for(2, ["小红书"], metric="推广费", value=300)
    push(api_for(users["member"]), campaign, rows)
    return campaign


def test_partner_sees_only_shared_kpis_channels_and_rows(shared_setup, users, api_for):
    campaign = shared_setup
    partner, member = api_for(users["partner"]), api_for(users["member"])
    assert [k["name"] for k in partner.get(f"/campaigns/{campaign.id}/kpis").json()] == ["销售额"]
    assert len(member.get(f"/campaigns/{campaign.id}/kpis").json()) == 2
    # the shared KPI shows the campaign's whole actual: that is what was shared
    assert Decimal(str(partner.get(f"/campaigns/{campaign.id}/kpis").json()[0]["actual"])) == 100 + 101 + 100 + 101
    hidden = Kpi.objects.get(campaign=campaign, name="推广费")
    assert partner.get(f"/campaigns/{campaign.id}/kpis/{hidden.id}").status_code == 404
    assert partner.get(f"/campaigns/{campaign.id}/kpis/{hidden.id}/plan").status_code == 404
    assert [c["name"] for c in partner.get(f"/campaigns/{campaign.id}/channels").json()] == ["抖音"]
    rows = partner.get(f"/campaigns/{campaign.id}/metrics").json()
    assert rows and {r["channel"] for r in rows} == {"抖音"}
    assert partner.get(f"/campaigns/{campaign.id}/import-batches").json() == []
    assert len(member.get(f"/campaigns/{campaign.id}/import-batches").json()) == 1

    board = partner.get(f"/campaigns/{campaign.id}/board").json()
    assert [k["name"] for k in board["kpis"]] == ["销售额"]
    assert board["channels"] == ["抖音"]
    assert [c["channel"] for c in board["funnel"]["channels"]] == ["抖音"]
    assert board["funnel"]["steps"][0]["value"] == 5000 + 5001
    assert {s["name"] for s in board["trend"]["option"]["series"]} == {"抖音"}
    team = member.get(f"/campaigns/{campaign.id}/board").json()
    assert {c["channel"] for c in team["funnel"]["channels"]} == {"抖音", "小红书"}


def test_partner_pages_show_only_shared_things(shared_setup, users, client):
    campaign = shared_setup
    client.force_login(users["partner"])
    goals = client.get(f"/campaigns/{campaign.id}/goals/").content.decode()
    assert "销售额" in goals and "推广费" not in goals and "小红书" not in goals
    board = client.get(f"/campaigns/{campaign.id}/board/").content.decode()
    assert "推广费" not in board and "小红书" not in board
    grid = client.get(f"/campaigns/{campaign.id}/data/grid/?channel=小红书")
    assert grid.status_code == 200 and "小红书" not in grid.content.decode()


def test_sharing_is_set_through_api_and_page(campaign, users, api_for, client):
    api = api_for(users["member"])
    created = api.post(f"/campaigns/{campaign.id}/channels", {"name": "抖音", "shared_with_partners": True}).json()
    assert created["shared_with_partners"] is True
    kpi = api.post(f"/campaigns/{campaign.id}/kpis", {"name": "GMV", "metric": "GMV", "target": "30万"}).json()
    assert kpi["shared_with_partners"] is False
    patched = api.patch(
        f"/campaigns/{campaign.id}/kpis/{kpi['id']}", {"version": kpi["version"], "shared_with_partners": True}
    ).json()
    assert patched["shared_with_partners"] is True

    client.force_login(users["member"])
    channel = Channel.objects.get(pk=created["id"])
    response = client.post(
        f"/campaigns/{campaign.id}/goals/channels/{channel.id}/share/",
        {"version": channel.version, "shared_with_partners": "0"},
    )
    assert response.status_code == 302
    channel.refresh_from_db()
    assert channel.shared_with_partners is False
    stale = client.post(
        f"/campaigns/{campaign.id}/goals/channels/{channel.id}/share/",
        {"version": 1, "shared_with_partners": "1"},
        follow=True,
    )
    channel.refresh_from_db()
    assert channel.shared_with_partners is False and stale.status_code == 200
    client.force_login(users["viewer"])
    denied = client.post(
        f"/campaigns/{campaign.id}/goals/channels/{channel.id}/share/",
        {"version": channel.version, "shared_with_partners": "1"},
    )
    assert denied.status_code == 403


def _upload(api, campaign, name, content):
    return api.client.post(
        f"/api/v1/campaigns/{campaign.id}/metrics/import", {"file": SimpleUploadedFile(name, content)}, **api.headers
    )


@pytest.mark.parametrize("has_rows", [False, True])
def test_a_repeated_key_in_a_file_is_named_and_nothing_is_written(campaign, users, api_for, has_rows):
    """Into an empty campaign the file is parsed without the duplicate dict and the unique index refuses
    the repeat; the service parses again and names the row, as it does for a campaign with rows."""
    from campaignflow.tracking.models import ImportBatch, MetricRow

    api = api_for(users["member"])
    if has_rows:
        push(api, campaign, rows_for(1, ["微博"]))
    before = (MetricRow.objects.count(), ImportBatch.objects.count(), MetricDayTotal.objects.count())
    lines = ["日期,渠道,指标,数值"] + [f"2025-06-{d:02d},抖音,曝光,{d}" for d in range(1, 21)]
    lines.append("2025/6/3,抖音 ,曝光,99")  # the same key as line 4, written differently
    response = _upload(api, campaign, "dup.csv", "\n".join(lines).encode())
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors[0]["line"] == 22 and errors[0]["field"] == "rows[20].row"
    assert errors[0]["message"] == "第 22 行：与第 4 行的日期、渠道、指标相同"  # spreadsheet rows, header = row 1
    assert (MetricRow.objects.count(), ImportBatch.objects.count(), MetricDayTotal.objects.count()) == before


def test_fresh_import_of_csv_and_xlsx_counts_and_totals(campaign, users, api_for):
    import io

    import openpyxl

    api = api_for(users["member"])
    lines = ["日期,渠道,指标,数值"] + [f"2025-06-{d:02d},抖音,曝光,{d * 100}" for d in range(1, 11)]
    first = _upload(api, campaign, "a.csv", "\n".join(lines).encode()).json()
    assert (first["created"], first["updated"]) == (10, 0)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["date", "channel", "metric", "value"])
    for d in range(1, 4):
        ws.append([dt.date(2025, 6, d), "抖音", "曝光", d])
    buf = io.BytesIO()
    wb.save(buf)
    second = _upload(api, campaign, "b.xlsx", buf.getvalue()).json()
    assert (second["created"], second["updated"]) == (0, 3)
    assert day_total(campaign, "曝光", dt.date(2025, 6, 2)) == 2
    assert rollups.matches_rows(campaign.pk)


def test_rows_follow_their_campaign_and_batch_without_database_constraints(campaign, users, api_for):
    """MetricRow has no database FK constraints (bulk speed); the ORM still cascades and nulls."""
    from campaignflow.tracking.models import ImportBatch, MetricRow

    result = push(api_for(users["member"]), campaign, rows_for(2, ["抖音"]))
    ImportBatch.objects.filter(pk=result["batch"]).delete()
    assert MetricRow.objects.filter(campaign=campaign, batch__isnull=True).count() == 2
    campaign.delete()
    assert not MetricRow.objects.exists() and not MetricDayTotal.objects.exists()
    assert not MetricChannelTotal.objects.exists()


def test_names_with_backslashes_and_tabs_survive_the_bulk_path(campaign, users, api_for):
    from campaignflow.tracking.models import MetricRow

    content = '日期,渠道,指标,数值\n2025-06-01,"C:\\\\门店\\\\一店",曝光,5\n2025-06-02,"抖\t音",曝光,6\n'
    response = _upload(api_for(users["member"]), campaign, "odd.csv", content.encode())
    assert response.status_code == 200, response.content
    assert set(MetricRow.objects.values_list("channel", flat=True)) == {"C:\\\\门店\\\\一店", "抖\t音"}


@pytest.mark.django_db(transaction=True)
def test_a_large_load_is_vacuumed_on_postgresql():
    """After a large committed load, PostgreSQL's visibility map and statistics are set (the board's
    index-only reads then skip the heap); nothing to do on SQLite, nor inside a transaction."""
    from django.db import connection, transaction

    assert rollups.after_bulk_load(10) is False  # small loads: autovacuum's business
    with transaction.atomic():
        assert rollups.after_bulk_load(10**6) is False  # VACUUM cannot run in a transaction
    ran = rollups.after_bulk_load(10**6)
    assert ran is (connection.vendor == "postgresql")
    if ran:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT last_vacuum IS NOT NULL FROM pg_stat_user_tables WHERE relname = 'tracking_metricrow'"
            )
            assert cursor.fetchone() == (True,)


def test_metric_rows_list_as_documented(campaign, users, api_for):
    """The metric rows are written as JSON by the database (SQLite) or directly (PostgreSQL): the same
    documented shape, order, filters and text values ("5832.0000") either way."""
    from conftest import assert_matches_openapi

    api = api_for(users["member"])
    push(api, campaign, rows_for(3, ["抖音", "小红书"]) + rows_for(2, ['微博"引号"\\反斜杠'], metric="曝光", value=1.5))
    rows = api.get(f"/campaigns/{campaign.id}/metrics").json()
    assert_matches_openapi("/api/v1/campaigns/{campaign_id}/metrics", rows)
    assert len(rows) == 8
    assert [r["date"] for r in rows] == sorted(r["date"] for r in rows)  # then channel, metric (collation)
    assert {"date": "2025-06-01", "channel": "小红书", "metric": "销售额", "value": "100.0000"} in rows
    odd = [r for r in rows if r["metric"] == "曝光"]
    assert odd[0]["channel"] == '微博"引号"\\反斜杠' and odd[0]["value"] == "1.5000"
    day = api.get(f"/campaigns/{campaign.id}/metrics", {"date_from": "2025-06-02", "date_to": "2025-06-02"}).json()
    assert {r["date"] for r in day} == {"2025-06-02"} and len(day) == 3
    page = api.get(f"/campaigns/{campaign.id}/metrics", {"limit": 2, "offset": 1}).json()
    assert page == rows[1:3]
    assert api.get(f"/campaigns/{campaign.id}/metrics", {"metric": "无此指标"}).json() == []


def test_a_partner_without_shared_channels_gets_no_rows(campaign, users, api_for):
    push(api_for(users["member"]), campaign, rows_for(2, ["抖音"]))
    response = api_for(users["partner"]).get(f"/campaigns/{campaign.id}/metrics")
    assert response.status_code == 200 and response.json() == []
