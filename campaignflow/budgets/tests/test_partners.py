"""Partners: evaluation ranking, cost shares, partner contacts' visibility, settlement and its XLSX."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from campaignflow.budgets.models import CostShare, SettlementSignoff

from .conftest import add_line

pytestmark = pytest.mark.django_db


@pytest.fixture
def partners(api, bc, users):
    """Two participating partner companies; partner1 is the contact of 健康科技."""
    admin = api("admin")
    health = admin.post("/partners", {"name": "健康科技", "industry": "健康"}).json()
    sports = admin.post("/partners", {"name": "运动装备", "industry": "运动"}).json()
    assert admin.post(f"/partners/{health['id']}/contacts", {"username": "partner1"}).status_code == 201
    cp_h = (
        api("owner")
        .post(
            f"/campaigns/{bc.id}/partners",
            {
                "partner": health["id"],
                "state": "participating",
                "industry_relevance": 8,
                "audience_overlap": 7.5,
                "resource_strength": 9,
                "brand_fit": 8,
            },
        )
        .json()
    )
    cp_s = (
        api("owner")
        .post(
            f"/campaigns/{bc.id}/partners",
            {
                "partner": sports["id"],
                "state": "participating",
                "industry_relevance": 9,
                "audience_overlap": 9,
                "resource_strength": 9,
                "brand_fit": 9,
            },
        )
        .json()
    )
    return {"health": cp_h, "sports": cp_s}


def test_weighted_score_and_ranking_follow_the_weights(api, bc, partners):
    ranked = api("owner").get(f"/campaigns/{bc.id}/partners").json()
    assert [(r["name"], Decimal(r["score"]), r["rank"]) for r in ranked] == [
        ("运动装备", Decimal("9.00"), 1),
        ("健康科技", Decimal("8.05"), 2),  # .3*8 + .3*7.5 + .2*9 + .2*8
    ]
    budget = api("owner").get(f"/campaigns/{bc.id}/budget").json()
    bad = api("owner").patch(
        f"/campaigns/{bc.id}/budget", {"version": budget["version"], "partner_weights": {"brand_fit": "90%"}}
    )
    assert bad.status_code == 422 and "100%" in bad.json()["detail"]
    ok = api("owner").patch(
        f"/campaigns/{bc.id}/budget",
        {
            "version": budget["version"],
            "partner_weights": {
                "industry_relevance": "0%",
                "audience_overlap": "0%",
                "resource_strength": "0%",
                "brand_fit": "100%",
            },
        },
    )
    assert ok.status_code == 200
    ranked = api("owner").get(f"/campaigns/{bc.id}/partners").json()
    assert [Decimal(r["score"]) for r in ranked] == [Decimal("9.00"), Decimal("8.00")]
    bad_score = api("owner").patch(f"/campaign-partners/{partners['health']['id']}", {"version": 1, "brand_fit": 11})
    assert bad_score.status_code == 422 and bad_score.json()["errors"][0]["field"] == "brand_fit"


def test_cost_shares_must_sum_to_100(api, bc, partners):
    url = f"/campaigns/{bc.id}/cost-shares"
    h, s = partners["health"]["id"], partners["sports"]["id"]
    bad = api("owner").put(url, {"shares": [{"party": "host", "ratio": "60%"}, {"party": h, "ratio": "30%"}]})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "shares" and "90%" in bad.json()["detail"]
    assert not CostShare.objects.exists()
    ok = api("owner").put(
        url, {"shares": [{"party": "host", "ratio": "50%"}, {"party": h, "ratio": 0.3}, {"party": s, "ratio": 20}]}
    )
    assert ok.status_code == 200, ok.content
    assert [Decimal(r["ratio"]) for r in ok.json()["default"]] == [Decimal("0.5"), Decimal("0.3"), Decimal("0.2")]
    line = add_line(api("owner"), bc)
    per_line = api("owner").put(url, {"budget_line": line["id"], "shares": [{"party": "host", "ratio": "100%"}]})
    assert per_line.status_code == 200 and str(line["id"]) in {str(k) for k in per_line.json()["lines"]}
    assert api("member").put(url, {"shares": [{"party": "host", "ratio": 1}]}).status_code == 403
    # The partner contact sees only their own company's share.
    mine = api("partner").get(url).json()
    assert [r["party"] for r in mine["default"]] == [h]


def test_partner_contact_sees_and_ticks_only_their_own_items(api, bc, partners):
    h, s = partners["health"], partners["sports"]
    item = api("owner").post(f"/campaign-partners/{h['id']}/responsibilities", {"text": "提供会员触达"}).json()
    other = api("owner").post(f"/campaign-partners/{s['id']}/responsibilities", {"text": "提供运动达人"}).json()
    seen = api("partner").get(f"/campaigns/{bc.id}/partners").json()
    assert [r["name"] for r in seen] == ["健康科技"]
    assert [r["text"] for r in seen[0]["responsibilities"]] == ["提供会员触达"]
    ticked = api("partner").patch(f"/responsibilities/{item['id']}", {"version": 1, "done": True})
    assert ticked.status_code == 200 and ticked.json()["done"] is True
    assert api("partner").patch(f"/responsibilities/{item['id']}", {"version": 2, "text": "改"}).status_code == 403
    assert api("partner").patch(f"/responsibilities/{other['id']}", {"version": 1, "done": True}).status_code == 404
    assert api("partner").post("/partners", {"name": "X"}).status_code == 403
    assert [p["name"] for p in api("partner").get("/partners").json()] == ["健康科技"]


def test_settlement_splits_approved_costs_and_records_signoffs(api, bc, partners, users):
    h = partners["health"]["id"]
    s = partners["sports"]["id"]
    api("owner").put(
        f"/campaigns/{bc.id}/cost-shares",
        {"shares": [{"party": "host", "ratio": "50%"}, {"party": h, "ratio": "30%"}, {"party": s, "ratio": "20%"}]},
    )
    line = add_line(api("owner"), bc, planned=100000)
    for amount, paid_by in (("10000.01", h), ("333.33", "host")):
        r = api("owner").post(
            f"/campaigns/{bc.id}/expenses",
            {"budget_line": line["id"], "amount": amount, "date": "2025-06-03", "paid_by": paid_by},
        )
        assert r.status_code == 201, r.content
    body = api("owner").get(f"/campaigns/{bc.id}/settlement").json()
    assert Decimal(body["total_cost"]) == Decimal("10333.34")
    rows = {r["name"]: r for r in body["parties"]}
    assert sum(Decimal(r["owed"]) for r in body["parties"]) == Decimal("10333.34")
    assert Decimal(rows["健康科技"]["paid"]) == Decimal("10000.01")
    assert sum(Decimal(r["balance"]) for r in body["parties"]) == 0
    assert {(t["payer"], t["payee"]) for t in body["transfers"]} <= {
        ("Our company (host)", "健康科技"),
        ("运动装备", "健康科技"),
    }
    signed = api("partner").post(f"/campaigns/{bc.id}/settlement/sign", {"digest": body["digest"]})
    assert signed.status_code == 201, signed.content
    assert api("partner").post(f"/campaigns/{bc.id}/settlement/sign", {"digest": body["digest"]}).status_code == 409
    assert api("member").post(f"/campaigns/{bc.id}/settlement/sign", {"digest": body["digest"]}).status_code == 403
    # no right to sign: 403 also with a stale digest (the refusal does not depend on the statement)
    assert api("member").post(f"/campaigns/{bc.id}/settlement/sign", {"digest": "0" * 64}).status_code == 403
    assert api("owner").post(f"/campaigns/{bc.id}/settlement/sign", {"digest": "0" * 64}).status_code == 409
    assert api("owner").post(f"/campaigns/{bc.id}/settlement/sign", {"digest": body["digest"]}).status_code == 201
    signoff = SettlementSignoff.objects.get(user=users["partner"])
    assert signoff.party_id == h and signoff.at is not None
    body = api("owner").get(f"/campaigns/{bc.id}/settlement").json()
    assert body["all_signed"] is False and len(body["signoffs"]) == 2


def test_settlement_xlsx_neutralises_formulas(api, bc, users):
    add_line(api("owner"), bc, item='=HYPERLINK("http://evil")', planned=100)
    line_id = bc.budget_lines.get().id
    api("owner").post(f"/campaigns/{bc.id}/expenses", {"budget_line": line_id, "amount": 50, "date": "2025-06-03"})
    response = api("viewer").get(f"/campaigns/{bc.id}/settlement.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
    evil = [c for c in cells if c.value == '=HYPERLINK("http://evil")']
    assert evil and all(c.data_type == "s" and c.quotePrefix for c in evil)  # text, never a formula
    assert not any(c.data_type == "f" for c in cells)
    assert api("outsider").get(f"/campaigns/{bc.id}/settlement.xlsx").status_code == 404


def test_a_statement_with_no_approved_cost_is_not_offered_for_signing(api, bc, partners, users):
    from conftest import logged_in

    body = api("owner").get(f"/campaigns/{bc.id}/settlement").json()
    assert Decimal(body["total_cost"]) == 0
    for who in ("owner", "partner"):
        refused = api(who).post(f"/campaigns/{bc.id}/settlement/sign", {"digest": body["digest"]})
        assert refused.status_code == 409
        assert refused.json()["detail"] == "There is nothing to settle yet: the campaign has no approved cost."
    assert not SettlementSignoff.objects.exists()
    page = logged_in(users["owner"]).get(f"/campaigns/{bc.id}/settlement/").content.decode()
    assert 'data-testid="sign-settlement"' not in page
