import datetime as dt
from decimal import Decimal

from campaignflow.core.domain.workdays import WorkdayCalendar
from campaignflow.review.domain import attribution as at
from campaignflow.review.domain import evaluation as ev
from campaignflow.review.domain import promote as pr
from campaignflow.review.domain.similarity import CaseFacts, most_similar, similarity

STEPS = [
    ("exposure", ("曝光",)),
    ("click", ("点击",)),
    ("conversion", ("转化",)),
    ("purchase", ("购买",)),
]


def test_funnel_contributions_per_channel():
    f = at.funnel_by_channel(
        {
            "抖音": {"曝光": Decimal(600000), "点击": Decimal(60000), "转化": Decimal(6000), "购买": Decimal(3000)},
            "小红书": {"曝光": Decimal(400000), "点击": Decimal(40000), "转化": Decimal(4000), "购买": Decimal(2000)},
        },
        STEPS,
    )
    assert [s["total"] for s in f["steps"]] == [1000000, 100000, 10000, 5000]  # seed 002: 100万→10万→1万→5000
    douyin = next(c for c in f["channels"] if c["channel"] == "抖音")
    assert douyin["share"]["purchase"] == Decimal("0.6")
    assert douyin["rates"]["click"] == Decimal("0.1") and douyin["rates"]["exposure"] is None


def test_roi_cost_per_result_and_marginal_ranking():
    rows = at.channel_economics(
        [
            at.ChannelMoney(
                "小红书",
                revenue=Decimal(800000),
                cost=Decimal(80000),
                exposure=Decimal(5000000),
                clicks=Decimal(100000),
                conversions=Decimal(4000),
                elasticity=0.5,
            ),
            at.ChannelMoney("抖音", revenue=Decimal(450000), cost=Decimal(30000), elasticity=None),
            at.ChannelMoney("线下门店", revenue=Decimal(10000), cost=Decimal(20000), elasticity=1.0),
            at.ChannelMoney("社群", revenue=Decimal(5000), cost=None),
        ]
    )
    by = {r["channel"]: r for r in rows}
    assert by["小红书"]["roi"] == Decimal("10") and by["小红书"]["cpa"] == Decimal("20")
    assert by["小红书"]["cpc"] == Decimal("0.8") and by["小红书"]["cpm"] == Decimal("16")
    assert by["抖音"]["marginal_roi"] == Decimal("9")  # 15 × default elasticity 0.6
    assert [r["channel"] for r in rows] == ["抖音", "小红书", "线下门店", "社群"]
    suggestion = at.budget_suggestion(rows)
    assert [s["advice"] for s in suggestion] == ["increase", "increase", "hold", "no_data"]
    assert sum(s["suggested_share"] for s in suggestion) == Decimal("1")


def test_elasticity_is_estimated_from_daily_data():
    # revenue = 3·exposure^0.5 exactly
    days = [(float(x), 3 * float(x) ** 0.5) for x in (100, 400, 900, 1600, 2500, 3600)]
    assert abs(at.elasticity(days) - 0.5) < 1e-9
    assert at.elasticity(days[:3]) is None


def test_cause_and_retro_due():
    assert (
        ev.cause(Decimal("1.24")) == "success" and ev.cause(Decimal("0.9333")) == "shortfall" and ev.cause(None) is None
    )
    cal = WorkdayCalendar(overrides={})
    assert ev.retro_due(dt.date(2025, 9, 30), cal) == dt.date(2025, 10, 11)
    assert ev.days_late(dt.date(2025, 10, 11), None, dt.date(2025, 10, 14)) == 3
    assert ev.days_late(dt.date(2025, 10, 11), dt.date(2025, 10, 10), dt.date(2025, 12, 1)) == 0


def test_similarity_prefers_same_type_industry_and_channels():
    a = CaseFacts(
        1, "618直播带货专场", "online_event", "美妆护肤", frozenset({"直播"}), frozenset({"抖音"}), 18, 300000
    )
    b = CaseFacts(2, "双11直播带货", "online_event", "美妆护肤", frozenset({"直播"}), frozenset({"抖音"}), 11, 200000)
    c = CaseFacts(3, "夏季新品促销", "promotion", "快消零售", frozenset({"新品"}), frozenset({"线下门店"}), 30, 500000)
    assert similarity(a, b) > similarity(a, c)
    assert [f.id for f, _s in most_similar(a, [a, b, c])] == [2, 3]


def test_plan_to_phases_and_diff():
    start, end = dt.date(2025, 6, 1), dt.date(2025, 6, 30)
    tasks = [
        pr.PlanTask("筹备阶段", "需求发起", "经理", dt.date(2025, 5, 2), "《活动目标确认书》", ""),
        pr.PlanTask("复盘阶段", "复盘会", "经理", dt.date(2025, 7, 3), "《复盘报告》", ""),
    ]
    phases = pr.phases_from_plan(tasks, start, end)
    assert phases[0]["steps"][0]["anchor"] == "start" and phases[0]["steps"][0]["offset_days"] == -30
    assert phases[1]["steps"][0]["anchor"] == "end" and phases[1]["steps"][0]["offset_days"] == 3
    new = [dict(phases[0], steps=[dict(phases[0]["steps"][0], owner_role="市场部")]), phases[1]]
    diff = pr.diff_phases(phases, new)
    assert diff == [
        {"change": "changed", "phase": "筹备阶段", "step": "需求发起", "fields": [("owner_role", "经理", "市场部")]}
    ]
    assert pr.add_lessons(phases, "")[-1]["steps"] == phases[-1]["steps"]
