"""Pure rules: money input, contingency, deviation, overrun, revision diff, settlement to the cent."""

from decimal import Decimal as D

import pytest

from campaignflow.budgets.domain import budget as bd
from campaignflow.budgets.domain import settlement as st
from campaignflow.core.domain.numbers import parse_money


@pytest.mark.parametrize(
    ("text", "value"),
    [(12000, "12000.00"), ("1.2万", "12000.00"), ("12,000.00", "12000.00"), ("¥500", "500.00"), (0.1, "0.10")],
)
def test_parse_money_accepts_what_people_type(text, value):
    assert parse_money(text) == D(value)
    assert isinstance(parse_money(text), D)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("-5", "must not be negative"),
        ("abc", "not a number"),
        ("", "required"),
        (None, "required"),
        (True, "not a number"),
        ("1.234", "at most 2 decimal places"),
        ("10000亿", "too large"),
        ("NaN", "not a number"),
    ],
)
def test_parse_money_refuses_bad_input(text, error):
    with pytest.raises(bd.MoneyError, match=error):
        parse_money(text)


def test_parse_ratio_percent_and_fraction():
    assert bd.parse_ratio("60%") == bd.parse_ratio(0.6) == bd.parse_ratio(60) == D("0.6")
    with pytest.raises(bd.MoneyError):
        bd.parse_ratio("-1%")


def test_categories_map_chinese_names_and_stay_extensible():
    assert bd.normalize_category("渠道推广") == "channel"
    assert bd.normalize_category("应急预备金") == "contingency"
    assert bd.normalize_category("Venue") == "venue"
    assert bd.normalize_category("公关危机处理") == "公关危机处理"


def lines(*rows):
    return [bd.LineFigures(i, c, f"item{i}", D(p), D(a)) for i, (c, p, a) in enumerate(rows, 1)]


def test_contingency_ratio_and_rule():
    ls = lines(("channel", "80000", "0"), ("contingency", "20000", "0"))
    assert bd.contingency_ratio(ls) == D("0.2")
    assert bd.contingency_state(D("0.2"), D("0.1"), D("0.15")) == "high"
    assert bd.contingency_state(D("0.05"), D("0.1"), D("0.15")) == "low"
    assert bd.contingency_state(D("0.10"), D("0.1"), D("0.15")) == "ok"
    assert bd.contingency_state(None, D("0.1"), D("0.15")) == "none"


def test_deviation_over_ten_percent_alerts():
    assert bd.deviation(D(100), D(111)) == D("0.11")
    assert bd.deviation_alert(D(100), D("110.01"))
    assert not bd.deviation_alert(D(100), D(110))
    assert bd.deviation_alert(D(0), D(1))
    ln = lines(("channel", "100", "125"))[0]
    assert ln.over == D(25)


def test_would_overrun_line_then_total():
    kw = {"line_planned": D(100), "total_planned": D(1000), "total_actual": D(500)}
    assert bd.would_overrun(line_actual=D(90), amount=D(10), **kw) is None
    assert bd.would_overrun(line_actual=D(90), amount=D("10.01"), **kw) == "line"
    assert (
        bd.would_overrun(line_planned=D(100), line_actual=D(0), total_planned=D(100), total_actual=D(95), amount=D(10))
        == "total"
    )


def test_revision_diff_line_level():
    before = [
        {"id": 1, "category": "channel", "item": "KOC", "planned": "80000.00"},
        {"id": 2, "category": "prizes", "item": "礼品", "planned": "15000.00"},
    ]
    after = [
        {"id": 1, "category": "channel", "item": "KOC", "planned": "90000.00"},
        {"id": 3, "category": "venue", "item": "场地", "planned": "5000.00"},
    ]
    diff = bd.revision_diff(before, after)
    assert [(d["id"], d["change"]) for d in diff] == [(1, "changed"), (2, "removed"), (3, "added")]
    assert diff[0]["before"]["planned"] == "80000.00" and diff[0]["after"]["planned"] == "90000.00"
    assert bd.revision_diff(before, before) == []
    assert bd.revision_diff(None, after) == []


def test_category_chart_option_has_no_floats():
    groups = bd.by_category(lines(("prizes", "10", "5"), ("channel", "80000", "1.2")))
    option = bd.category_chart(groups, {"channel": "渠道推广"}, {"planned": "计划", "actual": "实际"})
    assert option["xAxis"]["data"] == ["渠道推广", "prizes"]  # known order: channel before prizes
    assert option["series"][0]["data"] == ["80000", "10"]
    assert option["series"][1]["data"] == ["1.2", "5"]


# --- settlement ---------------------------------------------------------------------------


def test_split_balances_to_the_cent_deterministically():
    thirds = {"a": D("0.3333"), "b": D("0.3333"), "c": D("0.3334")}
    parts = st.split(D("100.00"), thirds, ["a", "b", "c"])
    assert sum(parts.values()) == D("100.00")
    assert parts == {"a": D("33.33"), "b": D("33.33"), "c": D("33.34")}
    # 0.01 split three ways: the cent goes to the largest remainder, ties to the first party.
    assert st.split(D("0.01"), {"a": D("0.5"), "b": D("0.5")}, ["a", "b"]) == {"a": D("0.01"), "b": D("0.00")}
    with pytest.raises(st.SettlementError):
        st.split(D("1.00"), {"a": D("0.5"), "b": D("0.4")}, ["a", "b"])


def test_three_parties_uneven_payments():
    parties = ["host", "p1", "p2"]
    shares = {"host": D("0.5"), "p1": D("0.3"), "p2": D("0.2")}
    costs = [
        st.Cost(key=1, amount=D("10000.01")),
        st.Cost(key=2, amount=D("333.33")),
        st.Cost(key=3, amount=D("999.99"), shares={"host": D("1")}),  # a line the host carries alone
    ]
    paid = {"host": D("1333.32"), "p1": D("10000.01"), "p2": D("0")}
    s = st.settle(parties=parties, default_shares=shares, costs=costs, paid=paid)
    assert s.total_cost == D("11333.33")
    assert sum(s.owed.values()) == s.total_cost
    # 10000.01: 5000.005/3000.003/2000.002 → 5000.01 (largest remainder .5), 3000.00, 2000.00
    # 333.33: 166.665/99.999/66.666, two cents left → remainders .9 (p1), .6 (p2): 166.66, 100.00, 66.67
    assert s.owed == {"host": D("6166.66"), "p1": D("3100.00"), "p2": D("2066.67")}
    assert s.balance == {"host": D("-4833.34"), "p1": D("6900.01"), "p2": D("-2066.67")}
    assert sum(s.balance.values()) == 0
    assert [(t.payer, t.payee, t.amount) for t in s.transfers] == [
        ("host", "p1", D("4833.34")),
        ("p2", "p1", D("2066.67")),
    ]
    assert len(s.transfers) <= len(parties) - 1
    again = st.settle(parties=parties, default_shares=shares, costs=costs, paid=paid)
    assert st.digest(again) == st.digest(s)


def test_transfers_settle_every_balance():
    balance = {"a": D("-10.00"), "b": D("-5.01"), "c": D("7.00"), "d": D("8.01")}
    result = st.transfers(balance, list(balance))
    net = dict.fromkeys(balance, D(0))
    for t in result:
        net[t.payer] += t.amount
        net[t.payee] -= t.amount
    assert all(net[p] + balance[p] == 0 for p in balance)
    assert len(result) <= 3


def test_settle_refuses_unknown_parties_and_unbalanced_payments():
    with pytest.raises(st.SettlementError):
        st.settle(parties=["host"], default_shares={"x": D(1)}, costs=[], paid={})
    with pytest.raises(st.SettlementError):
        st.settle(parties=["host"], default_shares={"host": D(1)}, costs=[st.Cost(1, D("5.00"))], paid={})
