"""The goals API's JSON, field by field and in order, for a fixed data set: what the KPI, plan and channel
endpoints answer (and with which status). Ids are replaced by their type, so a change of schema or mapping
that renames, retypes, drops or reorders a field fails here."""

import pytest

from tests.support.api_shapes import assert_patch_documents_create, call, same

pytestmark = pytest.mark.django_db


RATE = {
    "id": "<int>",
    "name": "点击率",
    "metric": "",
    "numerator": "点击",
    "denominator": "曝光",
    "channel": None,
    "unit": "%",
    "target": "0.0500",
    "priority": "auxiliary",
    "direction": "up",
    "owner": "member1",
    "specific": "S",
    "measurable": "M",
    "achievable": "A",
    "relevant": "R",
    "deadline": "2025-06-30",
    "actual": None,
    "achievement_rate": None,
    "shared_with_partners": True,
    "version": 1,
}
SALES = RATE | {
    "name": "销售额",
    "metric": "销售额",
    "numerator": "",
    "denominator": "",
    "unit": "",
    "target": "300000.0000",
    "priority": "core",
    "owner": None,
    "specific": "",
    "measurable": "",
    "achievable": "",
    "relevant": "",
    "deadline": None,
    "shared_with_partners": False,
}


def test_kpi_json(owner_api, campaign):
    base = f"/campaigns/{campaign.id}/kpis"
    create = {k: v for k, v in RATE.items() if k not in ("id", "actual", "achievement_rate", "version")}
    same(call(owner_api, "post", base, create | {"target": "5%"}), (201, RATE))
    same(
        call(owner_api, "post", base, {"name": "销售额", "metric": "销售额", "target": "30万"}),
        (201, SALES | {"actual": "0", "achievement_rate": 0.0}),
    )
    rows = [
        {"date": "2025-06-01", "channel": "抖音", "metric": metric, "value": value}
        for metric, value in (("销售额", "35万"), ("点击", "120"), ("曝光", "3000"))
    ]
    assert owner_api.post(f"/campaigns/{campaign.id}/metrics", {"rows": rows}).status_code == 200
    rate = RATE | {"actual": "0.04", "achievement_rate": 0.8}
    sales = SALES | {"actual": "350000", "achievement_rate": 1.1667}
    same(call(owner_api, "get", base), (200, [rate, sales]))
    rate_id = owner_api.get(base).json()[0]["id"]
    same(call(owner_api, "get", f"{base}/{rate_id}"), (200, rate))
    change = {"version": 1, "target": "6%", "owner": None}
    patched = rate | {"target": "0.0600", "owner": None, "achievement_rate": 0.6667, "version": 2}
    same(call(owner_api, "patch", f"{base}/{rate_id}", change), (200, patched))


def test_plan_json(owner_api, campaign):
    kpi = owner_api.post(f"/campaigns/{campaign.id}/kpis", {"name": "销售额", "metric": "销售额", "target": "30万"})
    plan = f"/campaigns/{campaign.id}/kpis/{kpi.json()['id']}/plan"
    even = {
        "granularity": "month",
        "target": "300000.0000",
        "total": "300000.0000",
        "gap": "0.0000",
        "values": [{"key": "2025-06-01", "value": "300000.0000"}],
    }
    same(call(owner_api, "post", plan, {"granularity": "month"}), (200, even))
    same(call(owner_api, "get", f"{plan}?granularity=month"), (200, even))
    edited = even | {
        "total": "200000.0000",
        "gap": "-100000.0000",
        "values": [{"key": "2025-06-01", "value": "200000.0000"}],
    }
    same(call(owner_api, "post", plan, {"granularity": "month", "values": {"2025-06-01": "20万"}}), (200, edited))


CHANNEL = {
    "id": "<int>",
    "name": "抖音",
    "content_form": "短视频",
    "start_date": "2025-06-01",
    "end_date": "2025-06-20",
    "owner": "member1",
    "targets": {"曝光": "500000"},
    "benchmarks": {"点击率": "0.025"},
    "note": "主阵地",
    "shared_with_partners": True,
    "version": 1,
}


def test_channel_json(owner_api, campaign):
    base = f"/campaigns/{campaign.id}/channels"
    create = {k: v for k, v in CHANNEL.items() if k not in ("id", "version")}
    create |= {"targets": {"曝光": "50万"}, "benchmarks": {"点击率": "2.5%"}}
    same(call(owner_api, "post", base, create), (201, CHANNEL))
    same(
        call(owner_api, "post", base, {"name": "小红书"}),
        (
            201,
            CHANNEL
            | {
                "name": "小红书",
                "content_form": "",
                "start_date": None,
                "end_date": None,
                "owner": None,
                "targets": {},
                "benchmarks": {},
                "note": "",
                "shared_with_partners": False,
            },
        ),
    )
    channel_id = owner_api.get(base).json()[0]["id"]
    patched = CHANNEL | {"note": "", "owner": None, "version": 2}
    same(call(owner_api, "patch", f"{base}/{channel_id}", {"version": 1, "note": "", "owner": None}), (200, patched))
    same(call(owner_api, "get", base)[1][0], patched)


@pytest.mark.parametrize(("create", "patch"), [("KpiIn", "KpiPatch"), ("ChannelIn", "ChannelPatch")])
def test_the_patch_documents_the_create_fields_and_limits_optional_plus_version(api_for, users, create, patch):
    schemas = api_for(users["admin"]).get("/openapi.json").json()["components"]["schemas"]
    assert_patch_documents_create(schemas, create, patch)
