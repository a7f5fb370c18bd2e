"""The settlement as a PDF statement beside the XLSX: the parties, each share to the cent (the same
figures as the XLSX and the API), the sign-off record; a partner gets only their own company's statement."""

import io
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from campaignflow.budgets.models import SettlementSignoff
from campaignflow.campaigns.models import Membership
from conftest import make_user

from .conftest import add_line

pytestmark = pytest.mark.django_db


def pdf_text(body: bytes) -> str:
    """The PDF's text without spaces or line breaks (pypdf spaces CJK glyphs and wraps long cells)."""
    from pypdf import PdfReader

    return re.sub(r"\s+", "", "".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages))


def cents(value) -> str:
    """An amount to the cent, as the statement prints it: ¥10,333.34, -¥2,066.67."""
    value = Decimal(str(value))
    return f"{'-' if value < 0 else ''}¥{abs(value):,.2f}"


@pytest.fixture
def settled(api, bc):
    """Host 50% / 健康科技 30% / 运动装备 20%; costs whose split leaves cents to place; 健康科技 signed."""
    admin, owner = api("admin"), api("owner")
    health = admin.post("/partners", {"name": "健康科技", "contacts": "李经理 13800138000"}).json()
    sports = admin.post("/partners", {"name": "运动装备", "contacts": "周总 13900139000"}).json()
    assert admin.post(f"/partners/{health['id']}/contacts", {"username": "partner1"}).status_code == 201
    cps = {}
    for key, company in (("health", health), ("sports", sports)):
        body = {"partner": company["id"], "state": "participating"}
        cps[key] = owner.post(f"/campaigns/{bc.id}/partners", body).json()["id"]
    shares = [{"party": "host", "ratio": "50%"}, {"party": cps["health"], "ratio": "30%"}]
    shares.append({"party": cps["sports"], "ratio": "20%"})
    assert owner.put(f"/campaigns/{bc.id}/cost-shares", {"shares": shares}).status_code == 200
    koc = add_line(owner, bc, planned=100000)
    gifts = add_line(owner, bc, category="prizes", item="试用装礼品", planned=100)
    for line, amount, paid_by in ((koc, "10000.01", cps["health"]), (koc, "333.33", "host"), (gifts, "0.05", "host")):
        body = {"budget_line": line["id"], "amount": amount, "date": "2025-06-03", "paid_by": paid_by}
        assert owner.post(f"/campaigns/{bc.id}/expenses", body).status_code == 201
    statement = owner.get(f"/campaigns/{bc.id}/settlement").json()
    signed = api("partner").post(f"/campaigns/{bc.id}/settlement/sign", {"digest": statement["digest"]})
    assert signed.status_code == 201
    return {"campaign": bc, **cps, "statement": signed.json()}


def xlsx_parties(api, campaign) -> dict:
    """{party name: (share, owed, paid, balance)} as the settlement XLSX states them."""
    response = api("owner").get(f"/campaigns/{campaign.id}/settlement.xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if row[0] == "Party") + 1
    out = {}
    for row in rows[start:]:
        if row[0] is None:
            break
        out[row[0]] = tuple(Decimal(str(v)) for v in row[1:5])
    return out


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("zh-hans", ["结算单", "参与方", "联系人", "各方分摊", "签署记录", "我方（主办方）", "未签署", "合计"]),
        (
            "en",
            ["Settlement statement", "Parties", "Contact", "Shares", "Sign-off", "Our company (host)", "Not signed"],
        ),
    ],
)
def test_the_pdf_states_both_parties_each_share_to_the_cent_and_the_signoffs(api, api_for, settled, users, lang, words):
    campaign, statement = settled["campaign"], settled["statement"]
    client = api_for(users["owner"])
    client.headers["HTTP_ACCEPT_LANGUAGE"] = lang
    response = client.get(f"/campaigns/{campaign.id}/settlement.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"WenQuanYi" in response.content  # the CJK font is embedded
    text = pdf_text(response.content)
    for word in [*words, campaign.name, "健康科技", "运动装备", "李经理13800138000", users["owner"].label]:
        assert word.replace(" ", "") in text, word
    if lang == "en":
        assert not re.search("结算单|签署|合计|联系人|应承担|已支付", text)  # no Chinese wording left
    # every figure to the cent, the same as the API and the XLSX (the cents of 0.05 split by the remainder rule)
    xlsx = xlsx_parties(api, campaign)
    assert sum(Decimal(r["owed"]) for r in statement["parties"]) == Decimal("10333.39")
    for row in statement["parties"]:
        name = "Our company (host)" if row["party"] == "host" else row["name"]
        assert xlsx[name][1:] == (Decimal(row["owed"]), Decimal(row["paid"]), Decimal(row["balance"]))
        for value in (row["owed"], row["paid"], row["balance"]):
            assert cents(value) in text, (row["name"], value)
    assert [cents(r["owed"]) for r in statement["parties"]] == ["¥5,166.70", "¥3,100.01", "¥2,066.68"]
    assert "50%" in text and "30%" in text and "20%" in text
    assert cents(statement["total_cost"]) in text and "¥0.03" in text  # the host's part of the 0.05 line
    # the sign-off record: who, when, the digest; the host has not signed
    signed_at = timezone.localtime(SettlementSignoff.objects.get().at)
    assert users["partner"].label in text and statement["digest"] in text
    assert f"{signed_at:%Y-%m-%d%H:%M}" in text


def test_a_partner_gets_only_their_own_companys_statement(api, settled):
    campaign, statement = settled["campaign"], settled["statement"]
    response = api("partner").get(f"/campaigns/{campaign.id}/settlement.pdf")
    assert response.status_code == 200
    text = pdf_text(response.content)
    health = next(r for r in statement["parties"] if r["name"] == "健康科技")
    sports = next(r for r in statement["parties"] if r["name"] == "运动装备")
    assert "健康科技" in text and "Ourcompany(host)" in text
    assert all(cents(health[k]) in text for k in ("owed", "paid", "balance"))
    # the other company is neither named nor itemised: its figures are folded into "Other partners"
    assert "运动装备" not in text and "周总" not in text and "Otherpartners" in text
    assert cents(sports["owed"]) in text  # the column of the others still makes the lines add up
    assert cents(statement["total_cost"]) in text


def test_who_may_download_the_statement(api, api_for, settled, users):
    campaign = settled["campaign"]
    url = f"/campaigns/{campaign.id}/settlement.pdf"
    for key in ("owner", "manager", "finance", "viewer", "admin"):
        assert api(key).get(url).status_code == 200, key
    assert api("outsider").get(url).status_code == 404
    assert api_for(None).get(url).status_code == 401
    # a partner member whose company does not take part has no statement of their own
    stranger = make_user("partner2")  # the root conftest's
    Membership.objects.create(campaign=campaign, user=stranger, role="partner")
    refused = api_for(stranger).get(url)
    assert refused.status_code == 403


def test_the_settlement_page_offers_the_pdf_beside_the_xlsx(settled, users):
    campaign = settled["campaign"]
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(users["partner"])
    page = client.get(f"/campaigns/{campaign.id}/settlement/").content.decode()
    assert 'data-testid="settlement-pdf"' in page and "下载 PDF" in page
    response = client.get(f"/campaigns/{campaign.id}/settlement.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "结算单" in text and "健康科技" in text and "运动装备" not in text
    client.force_login(users["outsider"])
    assert client.get(f"/campaigns/{campaign.id}/settlement.pdf").status_code == 404


def test_a_settlement_without_costs_still_gives_a_statement(api, bc):
    response = api("owner").get(f"/campaigns/{bc.id}/settlement.pdf")
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "Total¥0.00" in text and "Ourcompany(host)" in text and "Notsigned" in text


def test_a_statement_with_many_partners_lays_their_columns_out_in_groups(api, bc):
    """Thirty partners and the host: the costs table cannot hold 31 figure columns on A4 (reportlab refused
    the table: a 500), so it comes in groups of parties; every party's name and share to the cent is there."""
    admin, owner = api("admin"), api("owner")
    shares = [{"party": "host", "ratio": "10%"}]
    for i in range(30):
        company = admin.post("/partners", {"name": f"合作方{i:02d}", "contacts": ""}).json()
        body = {"partner": company["id"], "state": "participating"}
        shares.append({"party": owner.post(f"/campaigns/{bc.id}/partners", body).json()["id"], "ratio": "3%"})
    assert owner.put(f"/campaigns/{bc.id}/cost-shares", {"shares": shares}).status_code == 200
    line = add_line(owner, bc, planned=100000)
    body = {"budget_line": line["id"], "amount": "1000.00", "date": "2025-06-03", "paid_by": "host"}
    assert owner.post(f"/campaigns/{bc.id}/expenses", body).status_code == 201
    response = owner.get(f"/campaigns/{bc.id}/settlement.pdf")
    assert response.status_code == 200, response.content[:300]
    text = pdf_text(response.content)
    assert all(f"合作方{i:02d}" in text for i in range(30))
    assert text.count("¥30.00") >= 60  # each partner's 3 % of ¥1,000 in the costs table and in the shares
    assert "¥100.00" in text  # the host's 10 %
