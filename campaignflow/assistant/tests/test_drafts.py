"""The plan draft applied through the normal services; the alert analyses of a small evaluation set."""

import datetime as dt
import json

import pytest

from campaignflow.alerts.models import Alert
from campaignflow.assistant.domain import prompts
from campaignflow.assistant.models import Draft
from campaignflow.budgets.models import BudgetLine
from campaignflow.goals.models import Channel, Kpi
from campaignflow.planning.models import Task
from conftest import add_kpis_and_metrics
from tests.support.openai_server import Reply


def _plan(task_code: str) -> dict:
    return {
        "kpis": [
            {"name": "新增会员", "metric": "新增会员", "unit": "人", "target": 3000, "specific": "新会员",
             "measurable": "会员系统", "achievable": "去年2500", "relevant": "复购", "deadline": "2025-06-30"},
            {"name": "销售额目标", "metric": "销售额", "unit": "元", "target": 300000},
        ],
        "channels": [{"name": "抖音", "content_form": "短视频", "share": 0.6}, {"name": "小红书", "share": 0.4}],
        "budget": [
            {"category": "channel", "item": "抖音投放", "planned": 255000, "channel": "抖音"},
            {"category": "materials", "item": "物料", "planned": 170000},
            {"category": "contingency", "item": "应急预备金", "planned": 75000},
        ],
        "task_adjustments": [{"code": task_code, "start_date": "2025-05-20", "end_date": "2025-05-25", "remark": "提前"},
                             {"code": "NOPE", "end_date": "2025-06-01"}],
        "rationale": "按简报",
        "citations": [],
    }  # fmt: skip


def test_plan_draft_shows_a_diff_and_applying_creates_exactly_that(owner_api, campaign, fake_ai):
    task = Task.objects.filter(campaign=campaign).order_by("sort_order").first()
    fake_ai.answer_json(_plan(task.code))
    response = owner_api.post(
        f"/campaigns/{campaign.pk}/assist",
        {"task": "plan_from_brief", "brief": "夏季新品促销，目标年轻女性，预算50万。"},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    prompt = fake_ai.prompt_text()
    assert "夏季新品促销，目标年轻女性" in prompt and "企业营销活动通用流程" in prompt and task.code in prompt
    assert body["draft"]["warnings"] == []  # 75000 / 500000 = 15 %: inside the 10–15 % rule
    diff = body["diff"]
    assert [(r["kind"], r["action"], r["key"]) for r in diff] == [
        ("kpi", "add", "新增会员"),
        ("kpi", "add", "销售额目标"),
        ("channel", "add", "抖音"),
        ("channel", "add", "小红书"),
        ("budget", "add", "channel · 抖音投放"),
        ("budget", "add", "materials · 物料"),
        ("budget", "add", "contingency · 应急预备金"),
        ("task", "change", task.code),
    ]  # fmt: skip  (the unknown task code was dropped before it was shown)
    assert Kpi.objects.count() == 0  # nothing written by the draft itself

    applied = owner_api.post(f"/assist/drafts/{body['id']}/apply", {"version": body["version"]})
    assert applied.status_code == 200, applied.content
    assert sorted(Kpi.objects.values_list("name", "target")) == [("新增会员", 3000), ("销售额目标", 300000)]
    assert sorted(Channel.objects.values_list("name", flat=True)) == ["小红书", "抖音"]
    assert sorted(BudgetLine.objects.values_list("category", "item", "planned")) == [
        ("channel", "抖音投放", 255000), ("contingency", "应急预备金", 75000), ("materials", "物料", 170000)
    ]  # fmt: skip
    task.refresh_from_db()
    assert (task.start_date, task.end_date) == (dt.date(2025, 5, 20), dt.date(2025, 5, 25))
    draft = Draft.objects.get()
    assert draft.applied_by.username == "owner1" and len(draft.applied["kpis"]) == 2
    # once only, and with the draft's version
    assert owner_api.post(f"/assist/drafts/{body['id']}/apply", {"version": draft.version}).status_code == 409


def test_plan_apply_is_all_or_nothing(owner_api, campaign, fake_ai):
    owner_api.post(f"/campaigns/{campaign.pk}/channels", {"name": "小红书"})
    fake_ai.answer_json(_plan("T001"))
    body = owner_api.post(f"/campaigns/{campaign.pk}/assist", {"task": "plan_from_brief", "brief": "b"}).json()
    assert ("channel", "change", "小红书") in [(r["kind"], r["action"], r["key"]) for r in body["diff"]]
    response = owner_api.post(f"/assist/drafts/{body['id']}/apply", {"version": body["version"]})
    assert response.status_code == 422 and "channels[1].name" in response.json()["detail"]
    assert Kpi.objects.count() == 0 and BudgetLine.objects.count() == 0


def test_plan_contingency_outside_rule_is_warned(owner_api, campaign, fake_ai):
    plan = _plan("T001")
    plan["budget"][2]["planned"] = 5000
    fake_ai.answer_json(plan)
    body = owner_api.post(f"/campaigns/{campaign.pk}/assist", {"task": "plan_from_brief", "brief": "b"}).json()
    assert any("10%–15%" in w for w in body["draft"]["warnings"])


def test_a_member_cannot_apply_someone_elses_plan_without_edit(api_for, users, owner_api, campaign, fake_ai):
    fake_ai.answer_json(_plan("T001"))
    body = owner_api.post(f"/campaigns/{campaign.pk}/assist", {"task": "plan_from_brief", "brief": "b"}).json()
    response = api_for(users["viewer"]).post(f"/assist/drafts/{body['id']}/apply", {"version": body["version"]})
    assert response.status_code == 403 and Kpi.objects.count() == 0


# --- a small evaluation set: campaigns with a known cause ---------------------------------------

CASES = [
    # (channels' daily 点击 values, the channel and days that fell)
    ({"抖音": [500, 500, 120, 110, 500], "微信": [300, 310, 305, 300, 298]}, "抖音", ["2025-06-12", "2025-06-13"]),
    (
        {"抖音": [500, 505, 498, 510, 500], "微信": [300, 310, 40, 30, 35]},
        "微信",
        ["2025-06-12", "2025-06-13", "2025-06-14"],
    ),
]


def _fixture_answer(prompt_data: dict) -> dict:
    """What the fixture model answers: the channel with the largest fall below its first day, and the days."""
    rows = prompt_data["daily_metrics"]
    first = {}
    falls = {}
    for r in rows:
        first.setdefault(r["channel"], float(r["value"]))
        if float(r["value"]) < first[r["channel"]] * 0.5:
            falls.setdefault(r["channel"], []).append(str(r["date"]))
    channel = max(falls, key=lambda c: len(falls[c]))
    alert_ref = prompt_data["focus_alert"]["ref"]
    return {
        "causes": [{"cause": f"{channel} 点击下降", "evidence": "、".join(falls[channel]), "channel": channel,
                    "days": falls[channel], "refs": [alert_ref]}],
        "decision": "adjust", "decision_reason": "渠道异常", "follow_up_task": f"排查{channel}投放",
        "evaluation": f"{channel}在{falls[channel][0]}起点击下降。", "citations": [{"ref": alert_ref, "figure": "点击"}],
    }  # fmt: skip


@pytest.mark.parametrize(("series", "channel", "days"), CASES)
def test_alert_analysis_cites_the_right_channel_and_days(owner_api, campaign, fake_ai, series, channel, days):
    rows = [
        {"date": f"2025-06-{10 + i:02d}", "channel": name, "metric": "点击", "value": str(v)}
        for name, values in series.items()
        for i, v in enumerate(values)
    ]
    add_kpis_and_metrics(campaign, owner_api, [{"name": "点击", "metric": "点击", "target": 20000}], rows)
    alert = Alert.objects.create(campaign=campaign, rule="deviation", subject="点击", message="点击低于计划 30%")
    Alert.objects.filter(pk=alert.pk).update(created_at=dt.datetime(2025, 6, 15, 12, tzinfo=dt.UTC))

    def fixture_model(body: dict) -> Reply:  # reads the data block of the prompt it is sent
        user = body["messages"][1]["content"]
        block = user.split(prompts.DATA_OPEN + "\n", 1)[1].rsplit("\n" + prompts.DATA_CLOSE, 1)[0]
        return Reply(content=json.dumps(_fixture_answer(json.loads(block.replace("<\\/", "</"))), ensure_ascii=False))

    fake_ai.responder = fixture_model
    response = owner_api.post(f"/campaigns/{campaign.pk}/assist", {"task": "alert_analysis", "alert": alert.pk})
    assert response.status_code == 200, response.content
    assert prompts.DATA_OPEN in fake_ai.prompt_text()
    cause = response.json()["draft"]["causes"][0]
    assert cause["channel"] == channel and cause["days"] == days
    assert response.json()["citations"][0]["ref"] == f"alert:{alert.pk}"
    assert response.json()["draft"]["decision"] == "adjust"
