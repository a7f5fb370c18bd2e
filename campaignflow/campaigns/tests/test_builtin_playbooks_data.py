"""Data checks for the built-in playbooks (plain pytest, no Django needed)."""

import itertools
import re

import pytest

from campaignflow.campaigns.domain.builtin_playbooks import BUILTIN_PLAYBOOKS

EXPECTED_KEYS = [
    "enterprise-campaign",
    "cross-industry",
    "online-event",
    "strategy-execution",
    "execution-followup",
]

CAMPAIGN_TYPES = {
    "enterprise-campaign": "general",
    "cross-industry": "cross_industry",
    "online-event": "online_event",
    "strategy-execution": "strategy",
    "execution-followup": "followup",
}

PHASE_NAMES = {
    "enterprise-campaign": ["筹备阶段", "策划阶段", "执行阶段", "复盘与收尾阶段"],
    "cross-industry": [
        "前期准备与目标共识",
        "方案策划与资源整合",
        "执行计划与风险预判",
        "活动执行与实时监控",
        "复盘总结与长效运营",
    ],
    "online-event": ["前期策划", "中期执行", "后期复盘"],
    "strategy-execution": [
        "前期调研与目标锚定",
        "策略规划与方案细化",
        "执行落地与过程管控",
        "效果评估与持续优化",
    ],
    "execution-followup": [
        "活动启动前置",
        "任务拆解与责任到人",
        "执行过程动态跟踪",
        "收尾复盘与效果评估",
    ],
}

# Key steps named in the seeds, in the seeds' order (a playbook may hold more).
SEED_STEPS = {
    "enterprise-campaign": [
        "需求发起与目标确认",
        "市场与用户调研",
        "资源评估与预算初定",
        "跨部门沟通与团队组建",
        "活动主题与创意设计",
        "方案框架与内容细化",
        "预算确认与资源分配",
        "风险预案制定",
        "宣传预热与引流",
        "现场/线上活动落地",
        "跨部门协同与进度监控",
        "数据收集与效果评估",
        "复盘会议与总结报告",
        "资源清理与资料归档",
    ],
    "cross-industry": [
        "需求与目标对齐",
        "合作方筛选与角色分工",
        "资源盘点与预算规划",
        "活动主题与创意设计",
        "用户触达与渠道规划",
        "内容与物料制作",
        "制定详细执行时间表",
        "风险预案制定",
        "内部培训与分工确认",
        "多渠道同步上线与推广",
        "数据实时监测与效果跟踪",
        "用户互动与体验优化",
        "效果评估与数据复盘",
        "资源结算与成果归档",
    ],
    "online-event": [
        "需求分析与目标拆解",
        "方案策划与资源确认",
        "预算编制与审批",
        "团队分工与责任矩阵",
        "宣传推广与报名引流",
        "技术测试与物料准备",
        "现场执行与流程把控",
        "应急处理与风险管控",
    ],
    "strategy-execution": [
        "市场与竞品调研",
        "内部资源盘点",
        "目标设定与拆解",
        "制定核心营销策略",
        "细化执行动作与分工",
        "预算与资源分配",
        "启动会与培训宣贯",
        "日清周结进度跟踪",
        "风险预案与动态调整",
        "数据收集与KPI达成分析",
        "经验沉淀与标准化迭代",
    ],
}

SEED_OUTPUTS = {
    "enterprise-campaign": [
        "《活动目标确认书》",
        "《市场调研报告》",
        "《用户画像》",
        "《初步预算表》",
        "《专项小组分工表》",
        "《活动主题方案》",
        "《创意KV设计稿》",
        "《复盘报告》",
    ],
    "cross-industry": [
        "《合作方职责清单》",
        "《活动预算表》",
        "《渠道触达矩阵表》",
        "《活动执行甘特图》",
        "《活动效果评估报告》",
    ],
    "online-event": [
        "《活动需求说明书》",
        "《活动策划方案》",
        "《活动预算表》",
        "《活动责任分工表》",
        "《宣传排期表》",
        "《报名数据日报》",
        "《技术测试报告》",
        "《物料清单》",
        "《现场执行日志》",
        "《风险预案》",
    ],
    "strategy-execution": [
        "《市场与竞品分析报告》",
        "《内部资源清单》",
        "《营销策略执行表》",
        "《预算分配表》",
        "《日进度表》",
        "《营销效果评估报告》",
        "《营销策略执行模板》",
    ],
    "execution-followup": [
        "《活动基本信息与目标表》",
        "《任务分解与责任跟踪表》",
        "《执行进度每日跟踪表》",
        "《问题与风险记录表》",
        "《活动效果评估表》",
        "《周进度报告》",
        "《活动复盘报告》",
    ],
}

STEP_FIELDS = {
    "name": str,
    "owner_role": str,
    "anchor": str,
    "offset_days": int,
    "workdays": bool,
    "output": str,
    "remark": str,
}

# Characters that only exist in Traditional Chinese (seeds 002 and 004 are Traditional).
TRADITIONAL_ONLY = set(
    "營銷執劃動進與報會現標準題務據達響關鍵聯溝際優單獎審導環節這讓說們為時間問應發覺數構確認預設計產專線績費準備階"
)

OUTPUT_RE = re.compile(r"^(《[^《》]+》)+$")
# ASCII punctuation that should be full-width in Chinese text (17:00 style times are fine).
HALF_WIDTH_RE = re.compile(r"[,;()]|(?<!\d):|:(?!\d)")

START, END = 0, 30


def _by_key():
    return {p["key"]: p for p in BUILTIN_PLAYBOOKS}


def _steps(playbook):
    return [s for phase in playbook["phases"] for s in phase["steps"]]


def _time_value(step):
    base = START if step["anchor"] == "start" else END
    factor = 7 / 5 if step["workdays"] else 1
    return base + step["offset_days"] * factor


def _texts(playbook):
    yield playbook["name"]
    yield playbook["description"]
    for phase in playbook["phases"]:
        yield phase["name"]
        yield phase["goal"]
        for step in phase["steps"]:
            yield step["name"]
            yield step["owner_role"]
            yield step["output"]
            yield step["remark"]


def test_five_unique_keys_in_order():
    keys = [p["key"] for p in BUILTIN_PLAYBOOKS]
    assert keys == EXPECTED_KEYS
    assert len(set(keys)) == 5


MATERIAL_FIELDS = {"name": str, "kind": str, "quantity": int, "unit": str, "partner_approval": bool}


@pytest.mark.parametrize("playbook", BUILTIN_PLAYBOOKS, ids=lambda p: p["key"])
def test_step_materials_are_named_with_known_kinds(playbook):
    from campaignflow.materials.models import MaterialKind  # the model's choices: what a material may be

    for step in _steps(playbook):
        if "materials" not in step:
            continue
        materials = step["materials"]
        assert isinstance(materials, list) and materials, step["name"]
        names = [m["name"] for m in materials]
        assert len(names) == len(set(names)), step["name"]  # one step does not list a material twice
        for m in materials:
            assert {"name", "kind"} <= set(m) <= set(MATERIAL_FIELDS), (step["name"], m)
            for field, typ in MATERIAL_FIELDS.items():
                if field in m:
                    assert isinstance(m[field], typ) and (typ is bool or not isinstance(m[field], bool)), m
            assert m["name"].strip() and len(m["name"]) <= 200, m
            assert m["kind"] in MaterialKind.values, m
            assert m.get("quantity", 1) > 0, m
            assert len(m.get("unit", "")) <= 20, m


def test_the_seeds_material_lists_are_in_the_playbooks():
    """Seed 001's 物料清单 (enterprise), seed 000's co-branded materials (cross-industry), seed 003's
    promotion, event and check-in materials (online event), seed 002's 物料验收 (follow-up)."""
    kinds = {
        key: {m["kind"] for s in _steps(playbook) for m in s.get("materials", [])}
        for key, playbook in _by_key().items()
    }
    assert {"poster", "h5", "invitation", "video", "stand", "gift", "device"} <= kinds["enterprise-campaign"]
    assert {"poster", "video", "press_release"} <= kinds["cross-industry"]
    assert {"poster", "slides", "checkin", "gift"} <= kinds["online-event"]
    assert {"poster", "flyer", "gift"} <= kinds["execution-followup"]
    co_branded = [m for s in _steps(_by_key()["cross-industry"]) for m in s.get("materials", [])]
    assert co_branded and all(m.get("partner_approval") for m in co_branded)


@pytest.mark.parametrize("playbook", BUILTIN_PLAYBOOKS, ids=lambda p: p["key"])
def test_playbook_top_level_fields(playbook):
    assert playbook["campaign_type"] == CAMPAIGN_TYPES[playbook["key"]]
    for field in ("name", "name_en", "description"):
        assert isinstance(playbook[field], str) and playbook[field].strip(), field
    assert len(playbook["name"]) <= 200
    assert playbook["phases"], "a playbook needs phases"
    for phase in playbook["phases"]:
        assert set(phase) == {"name", "name_en", "goal", "steps"}
        assert isinstance(phase["name"], str) and phase["name"].strip()
        assert isinstance(phase["name_en"], str) and phase["name_en"].strip()
        assert isinstance(phase["goal"], str)
        assert len(phase["name"]) <= 200
        assert phase["steps"], f"phase {phase['name']} has no steps"


@pytest.mark.parametrize("playbook", BUILTIN_PLAYBOOKS, ids=lambda p: p["key"])
def test_every_step_has_typed_fields(playbook):
    for step in _steps(playbook):
        assert set(step) - {"materials"} == set(STEP_FIELDS), step.get("name")
        for field, typ in STEP_FIELDS.items():
            value = step[field]
            if typ is int:
                assert isinstance(value, int) and not isinstance(value, bool), step
            else:
                assert isinstance(value, typ), (field, step)
        assert step["anchor"] in {"start", "end"}
        for field in ("name", "owner_role", "remark"):
            assert step[field].strip(), (field, step["name"])
        assert len(step["name"]) <= 200
        assert len(step["owner_role"]) <= 200
        assert len(step["output"]) <= 200
        assert len(step["remark"]) <= 500
        assert step["output"] == "" or OUTPUT_RE.match(step["output"]), step


@pytest.mark.parametrize("playbook", BUILTIN_PLAYBOOKS, ids=lambda p: p["key"])
def test_step_names_unique_within_playbook(playbook):
    names = [s["name"] for s in _steps(playbook)]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("playbook", BUILTIN_PLAYBOOKS, ids=lambda p: p["key"])
def test_phase_names_follow_seed(playbook):
    assert [ph["name"] for ph in playbook["phases"]] == PHASE_NAMES[playbook["key"]]


@pytest.mark.parametrize("key", sorted(SEED_STEPS))
def test_seed_steps_present_in_order(key):
    names = [s["name"] for s in _steps(_by_key()[key])]
    positions = [names.index(n) for n in SEED_STEPS[key]]  # ValueError if missing
    assert positions == sorted(positions)


def test_enterprise_campaign_first_step_exact():
    first = _by_key()["enterprise-campaign"]["phases"][0]["steps"][0]
    fields = ("name", "owner_role", "anchor", "offset_days", "workdays", "output", "remark")
    assert set(first) == set(fields)
    expected = ("需求发起与目标确认", "活动负责人", "start", -30, False, "《活动目标确认书》", "需管理层签字")
    assert tuple(first[f] for f in fields) == expected


def test_enterprise_campaign_first_phase_matches_seed_table():
    phase = _by_key()["enterprise-campaign"]["phases"][0]
    rows = [(s["name"], s["owner_role"], s["anchor"], s["offset_days"], s["output"]) for s in phase["steps"]]
    assert rows == [
        ("需求发起与目标确认", "活动负责人", "start", -30, "《活动目标确认书》"),
        ("市场与用户调研", "市场专员", "start", -25, "《市场调研报告》《用户画像》"),
        ("资源评估与预算初定", "财务", "start", -20, "《初步预算表》"),
        ("跨部门沟通与团队组建", "活动负责人", "start", -18, "《专项小组分工表》"),
    ]
    remarks = [s["remark"] for s in phase["steps"]]
    assert remarks[0] == "需管理层签字"
    assert "竞品分析" in remarks[1]
    assert "应急资金" in remarks[2] and "10%-15%" in remarks[2]
    assert "职责" in remarks[3]
    assert not any(s["workdays"] for s in phase["steps"])


def test_enterprise_campaign_review_within_three_workdays():
    steps = {s["name"]: s for s in _steps(_by_key()["enterprise-campaign"])}
    for name in ("数据收集与效果评估", "复盘会议与总结报告"):
        step = steps[name]
        assert step["anchor"] == "end" and step["workdays"] is True
        assert 0 < step["offset_days"] <= 3
    assert steps["宣传预热与引流"]["anchor"] == "start"
    assert steps["宣传预热与引流"]["offset_days"] == -7
    assert steps["现场/线上活动落地"]["anchor"] == "start"
    assert steps["现场/线上活动落地"]["offset_days"] == 0


def test_cross_industry_has_five_phases_and_seed_time_nodes():
    playbook = _by_key()["cross-industry"]
    assert len(playbook["phases"]) == 5
    steps = {s["name"]: s for s in _steps(playbook)}
    training = steps["内部培训与分工确认"]
    assert (training["anchor"], training["offset_days"]) == ("start", -3)
    evaluation = steps["效果评估与数据复盘"]
    assert evaluation["output"] == "《活动效果评估报告》"
    assert (
        evaluation["anchor"],
        evaluation["offset_days"],
        evaluation["workdays"],
    ) == (
        "end",
        3,
        True,
    )


def test_online_event_seed_time_nodes():
    steps = {s["name"]: s for s in _steps(_by_key()["online-event"])}
    promo = steps["宣传推广与报名引流"]
    assert (promo["anchor"], promo["offset_days"]) == ("start", -7)
    assert "彩排" in steps["现场执行与流程把控"]["remark"]


def test_strategy_execution_deviation_rule():
    steps = {s["name"]: s for s in _steps(_by_key()["strategy-execution"])}
    assert "10%" in steps["风险预案与动态调整"]["remark"]


def test_execution_followup_sla_and_meetings():
    steps = _steps(_by_key()["execution-followup"])
    text = "".join(s["name"] + s["remark"] for s in steps)
    for needle in ("24小时", "48小时", "17:00", "每周五", "RACI", "WBS"):
        assert needle in text, needle


@pytest.mark.parametrize("playbook", BUILTIN_PLAYBOOKS, ids=lambda p: p["key"])
def test_steps_in_chronological_order(playbook):
    values = [_time_value(s) for s in _steps(playbook)]
    for i, (a, b) in enumerate(itertools.pairwise(values)):
        assert a <= b, (i, _steps(playbook)[i]["name"], a, b)


@pytest.mark.parametrize("key", sorted(SEED_OUTPUTS))
def test_seed_output_documents_present(key):
    outputs = "".join(s["output"] for s in _steps(_by_key()[key]))
    missing = [doc for doc in SEED_OUTPUTS[key] if doc not in outputs]
    assert not missing


@pytest.mark.parametrize("playbook", BUILTIN_PLAYBOOKS, ids=lambda p: p["key"])
def test_simplified_chinese_and_full_width_punctuation(playbook):
    for text in _texts(playbook):
        traditional = TRADITIONAL_ONLY.intersection(text)
        assert not traditional, (text, traditional)
        assert not HALF_WIDTH_RE.search(text), text
