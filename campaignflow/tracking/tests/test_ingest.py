from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from campaignflow.core.models import AuditEntry
from campaignflow.goals.models import Kpi
from campaignflow.tracking import rollups
from campaignflow.tracking.models import ImportBatch, MetricRow
from tests.support.uploads import upload_metrics, xlsx_bytes

pytestmark = pytest.mark.django_db


def row(date="2025-06-01", channel="抖音", metric="曝光", value="100"):
    return {"date": date, "channel": channel, "metric": metric, "value": value}


def values(campaign):
    return {(str(r.date), r.channel, r.metric): r.value for r in MetricRow.objects.filter(campaign=campaign)}


def test_push_upserts_and_counts(campaign, users, api_for):
    api = api_for(users["member"])
    r = api.post(f"/campaigns/{campaign.id}/metrics", {"rows": [row(), row(metric="点击", value="1.2万")]})
    assert r.status_code == 200, r.content
    assert r.json()["created"] == 2 and r.json()["updated"] == 0
    r = api.post(f"/campaigns/{campaign.id}/metrics", {"rows": [row(value=150), row(date="2025-06-02")]})
    assert (r.json()["created"], r.json()["updated"]) == (1, 1)
    assert values(campaign)[("2025-06-01", "抖音", "曝光")] == 150
    assert values(campaign)[("2025-06-01", "抖音", "点击")] == 12000
    assert AuditEntry.objects.filter(action="metrics.import").count() == 2  # one per batch, not per row


def test_invalid_rows_422_name_index_and_field_and_write_nothing(campaign, users, api_for):
    api = api_for(users["member"])
    rows = [row(date=f"2025-06-{(i % 28) + 1:02d}", metric=f"m{i // 28}", value=i) for i in range(10_000)]
    rows[7345]["value"] = "12元多"
    r = api.post(f"/campaigns/{campaign.id}/metrics", {"rows": rows})
    assert r.status_code == 422
    body = r.json()
    assert body["errors"][0]["field"] == "rows[7345].value"
    assert "rows[7345].value" in body["detail"]
    assert MetricRow.objects.count() == 0 and ImportBatch.objects.count() == 0
    rows[7345]["value"] = "12"
    r = api.post(f"/campaigns/{campaign.id}/metrics", {"rows": rows})
    assert r.status_code == 200 and r.json()["created"] == 10_000
    assert r.json()["updated"] == 0
    r = api.post(f"/campaigns/{campaign.id}/metrics", {"rows": "nope"})
    assert r.status_code == 422


def test_import_gbk_csv_then_undo_restores(campaign, users, api_for):
    api = api_for(users["member"])
    api.post(f"/campaigns/{campaign.id}/metrics", {"rows": [row(value=100), row(metric="点击", value=10)]})
    csv_bytes = '日期,渠道,指标,数值\n2025/6/1,抖音,曝光,"1,200"\n2025年6月2日,抖音,曝光,1.2万\n'.encode("gbk")
    r = upload_metrics(api, campaign, "数据.csv", csv_bytes)
    assert r.status_code == 200, r.content
    assert (r.json()["created"], r.json()["updated"]) == (1, 1)
    batch = r.json()["batch"]
    assert values(campaign) == {
        ("2025-06-01", "抖音", "曝光"): 1200,
        ("2025-06-01", "抖音", "点击"): 10,
        ("2025-06-02", "抖音", "曝光"): 12000,
    }
    r = api.delete(f"/import-batches/{batch}")
    assert r.status_code == 200 and r.json()["status"] == "undone"
    assert values(campaign) == {("2025-06-01", "抖音", "曝光"): 100, ("2025-06-01", "抖音", "点击"): 10}
    assert api.delete(f"/import-batches/{batch}").status_code == 409
    assert AuditEntry.objects.filter(action="metrics.undo").count() == 1


def test_undo_refused_while_a_later_batch_overwrote_rows(campaign, users, api_for):
    api = api_for(users["member"])
    first = api.post(f"/campaigns/{campaign.id}/metrics", {"rows": [row(value=1)]}).json()["batch"]
    second = api.post(f"/campaigns/{campaign.id}/metrics", {"rows": [row(value=2)]}).json()["batch"]
    r = api.delete(f"/import-batches/{first}")
    assert r.status_code == 409 and f"#{second}" in r.json()["detail"]
    assert api.delete(f"/import-batches/{second}").status_code == 200
    assert values(campaign) == {("2025-06-01", "抖音", "曝光"): 1}
    assert api.delete(f"/import-batches/{first}").status_code == 200
    assert values(campaign) == {}


def test_import_errors_and_limits(campaign, users, api_for, settings):
    api = api_for(users["member"])
    r = upload_metrics(
        api, campaign, "x.csv", "日期,渠道,指标,数值\n2025-06-01,抖音,曝光,abc\n2025-06-31,抖音,曝光,1\n".encode()
    )
    assert r.status_code == 422
    fields = [e["field"] for e in r.json()["errors"]]
    assert fields == ["rows[0].value", "rows[1].date"]
    assert r.json()["errors"][0]["line"] == 2
    r = upload_metrics(api, campaign, "x.csv", b"name,amount\nfoo,1\n")
    assert r.status_code == 422 and "date" in r.json()["detail"]
    r = upload_metrics(api, campaign, "x.xlsx", b"PK\x03\x04not really")
    assert r.status_code == 422
    settings.UPLOAD_MAX_BYTES = 100
    r = upload_metrics(api, campaign, "big.csv", b"date,metric,value\n" + b"2025-06-01,a,1\n" * 20)
    assert r.status_code == 413
    assert MetricRow.objects.count() == 0


def test_xlsx_import(campaign, users, api_for):
    """Whole numbers in an XLSX file reach the writer as ints (the parser's fast path), decimals and text as
    decimal text: the same stored values and exact totals whichever way in, into a campaign without rows
    (SQLite's streamed insert, PostgreSQL's COPY) and over existing ones (the upsert)."""
    api = api_for(users["member"])
    header = ["date", "channel", "metric", "value"]
    content = xlsx_bytes([header, ["2025-06-01", "小红书", "曝光", 5000], ["2025-06-01", "抖音", "曝光", 123_456_789_012_345],
                          ["2025-06-01", "抖音", "点击率", 0.35], ["2025-06-02", "抖音", "曝光", "1.2万"],
                          ["2025-06-02", "小红书", "曝光", 0]])  # fmt: skip
    r = upload_metrics(api, campaign, "m.xlsx", content)
    assert r.status_code == 200, r.content
    assert values(campaign) == {
        ("2025-06-01", "小红书", "曝光"): 5000,
        ("2025-06-01", "抖音", "曝光"): 123_456_789_012_345,  # 15 digits: what SQLite reads back exactly
        ("2025-06-01", "抖音", "点击率"): Decimal("0.35"),
        ("2025-06-02", "抖音", "曝光"): 12000,
        ("2025-06-02", "小红书", "曝光"): 0,
    }
    second = xlsx_bytes([header, ["2025-06-01", "小红书", "曝光", 7000], ["2025-06-03", "小红书", "曝光", 42]])
    r = upload_metrics(api, campaign, "m2.xlsx", second)
    assert r.status_code == 200, r.content
    assert (r.json()["created"], r.json()["updated"]) == (1, 1)
    assert values(campaign)[("2025-06-01", "小红书", "曝光")] == 7000
    assert rollups.matches_rows(campaign.pk)  # the totals written from the rows equal SQL's aggregation


def test_access(campaign, users, api_for):
    batch = api_for(users["member"]).post(f"/campaigns/{campaign.id}/metrics", {"rows": [row()]}).json()["batch"]
    assert api_for(users["outsider"]).post(f"/campaigns/{campaign.id}/metrics", {"rows": [row()]}).status_code == 404
    assert api_for(users["outsider"]).get(f"/campaigns/{campaign.id}/metrics").status_code == 404
    assert api_for(users["outsider"]).delete(f"/import-batches/{batch}").status_code == 404
    assert api_for(users["viewer"]).post(f"/campaigns/{campaign.id}/metrics", {"rows": [row()]}).status_code == 403
    assert api_for(users["viewer"]).delete(f"/import-batches/{batch}").status_code == 403
    assert api_for(users["viewer"]).get(f"/campaigns/{campaign.id}/metrics").status_code == 200
    assert api_for(users["viewer"]).get(f"/campaigns/{campaign.id}/board").status_code == 200


def test_list_filters(campaign, users, api_for):
    api = api_for(users["member"])
    api.post(
        f"/campaigns/{campaign.id}/metrics",
        {"rows": [row(), row(channel="小红书"), row(date="2025-06-05", metric="点击", value="7")]},
    )
    assert len(api.get(f"/campaigns/{campaign.id}/metrics").json()) == 3
    assert len(api.get(f"/campaigns/{campaign.id}/metrics", {"channel": "小红书"}).json()) == 1
    got = api.get(
        f"/campaigns/{campaign.id}/metrics", {"metric": "点击", "date_from": "2025-06-02", "date_to": "2025-06-30"}
    ).json()
    assert [(g["date"], Decimal(str(g["value"]))) for g in got] == [("2025-06-05", 7)]


def _seed_board(campaign, days: int, channels: int):
    import datetime as dt

    from campaignflow.tracking.domain.parsers import ParseResult, Row
    from campaignflow.tracking.services import metrics_ingest

    rows = []
    for d in range(days):
        date = dt.date(2025, 6, 1) + dt.timedelta(days=d)
        for c in range(channels):
            for metric, value in (("销售额", 10000), ("曝光", 100000), ("点击", 10000), ("转化", 1000), ("购买", 500)):
                rows.append(Row(date.isoformat(), f"渠道{c}", metric, str(value)))
    metrics_ingest(actor=None, campaign=campaign, parsed=ParseResult(rows=rows), source="api")


def test_board_numbers_and_constant_queries(campaign, users, api_for, django_assert_num_queries):
    Kpi.objects.create(campaign=campaign, name="销售额", metric="销售额", target=Decimal(300000), priority="core")
    Kpi.objects.create(
        campaign=campaign,
        name="点击率",
        numerator="点击",
        denominator="曝光",
        target=Decimal("0.08"),
        priority="auxiliary",
    )
    api = api_for(users["member"])
    from campaignflow.tracking import selectors

    _seed_board(campaign, days=3, channels=2)
    with django_assert_num_queries(7):
        small = selectors.board(campaign)
    _seed_board(campaign, days=30, channels=8)
    with django_assert_num_queries(7):
        selectors.board(campaign)
    assert small["kpis"][0]["actual"] == Decimal(60000)
    board = api.get(f"/campaigns/{campaign.id}/board").json()
    sales = board["kpis"][0]
    assert sales["actual"] == 30 * 8 * 10000 and sales["achievement_rate"] == pytest.approx(8.0)
    assert board["kpis"][1]["actual"] == pytest.approx(0.1)
    assert [s["rate"] for s in board["funnel"]["steps"]] == [None, 0.1, 0.1, 0.5]
    assert len(board["funnel"]["channels"]) == 8
    day = board["daily"][0]
    assert day["target"] == pytest.approx(10000) and day["actual"] == 80000 and day["achievement_rate"] == 8
    assert board["cumulative"]["option"]["series"][1]["data"][-1] == 2400000


def test_pages_board_upload_preview_confirm_grid_undo(client, campaign, users):
    Kpi.objects.create(campaign=campaign, name="销售额", metric="销售额", target=Decimal(300000), priority="core")
    client.force_login(users["member"])
    assert client.get(f"/campaigns/{campaign.id}/board/").status_code == 200
    bad = "日期,渠道,指标,数值\n2025-06-01,抖音,销售额,abc\n".encode("gbk")
    r = client.post(f"/campaigns/{campaign.id}/data/", {"file": SimpleUploadedFile("a.csv", bad)})
    assert r.status_code == 422 and "abc" in r.content.decode()
    assert MetricRow.objects.count() == 0
    good = "日期,渠道,指标,数值\n2025-06-01,抖音,销售额,8万\n".encode("gbk")
    r = client.post(f"/campaigns/{campaign.id}/data/", {"file": SimpleUploadedFile("a.csv", good)})
    assert r.status_code == 200 and MetricRow.objects.count() == 0
    token = r.context["token"]
    r = client.post(f"/campaigns/{campaign.id}/data/confirm/", {"token": token})
    assert r.status_code == 302 and values(campaign) == {("2025-06-01", "抖音", "销售额"): 80000}
    assert client.post(f"/campaigns/{campaign.id}/data/confirm/", {"token": token}).status_code == 302
    assert ImportBatch.objects.count() == 1
    r = client.get(f"/campaigns/{campaign.id}/board/")
    assert "8万" in r.content.decode()
    # grid: change one value, leave others
    r = client.get(f"/campaigns/{campaign.id}/data/grid/?channel=抖音")
    assert r.status_code == 200
    metrics = [m for _i, m in r.context["metrics"]]
    col = metrics.index("销售额")
    r = client.post(
        f"/campaigns/{campaign.id}/data/grid/",
        {
            "channel": "抖音",
            "cols": len(metrics),
            **{f"m{i}": m for i, m in enumerate(metrics)},
            f"c0_{col}": "9万",
            f"c1_{col}": "1,000",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    assert values(campaign)[("2025-06-01", "抖音", "销售额")] == 90000
    batch = ImportBatch.objects.filter(source="grid").get()
    r = client.post(f"/campaigns/{campaign.id}/data/batches/{batch.id}/undo/")
    assert r.status_code == 302 and values(campaign) == {("2025-06-01", "抖音", "销售额"): 80000}
    client.force_login(users["viewer"])
    assert (
        client.post(f"/campaigns/{campaign.id}/data/", {"file": SimpleUploadedFile("a.csv", good)}).status_code == 403
    )
