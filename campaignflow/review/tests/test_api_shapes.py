"""The review API's JSON, field by field and in order, for the seeds' evaluation numbers: what the evaluation,
the retrospective, the playbook promotion and starting from a case answer (and with which status). Ids and
the stamps the server takes from the clock are replaced by their type, so a change of schema or mapping
that renames, retypes, drops or reorders a field fails here."""

import pytest

from campaignflow.campaigns.models import Campaign
from campaignflow.execution.tests.test_api_shapes import call, same
from campaignflow.goals.models import Kpi
from campaignflow.planning.models import Task

pytestmark = pytest.mark.django_db


def row(kpi, metric, unit, priority, target, actual, rate, cause, **note):
    return {
        "id": "<int>",
        "kpi": kpi,
        "metric": metric,
        "unit": unit,
        "priority": priority,
        "target": target,
        "actual": actual,
        "achievement_rate": rate,
        "cause": cause,
        "dimension": "",
        "analysis": "",
        "improvement": "",
        "version": 0,
    } | note


SALES = row("销售额", "销售额", "元", "core", 5000000.0, 6200000.0, 1.24, "success")
GMV = row("直播场均GMV", "GMV", "元", "auxiliary", 200000.0, 150000.0, 0.75, "shortfall")
MEMBERS = row("新增会员", "新增会员", "人", "auxiliary", 3000.0, 2800.0, 0.9333, "shortfall")


def test_evaluation_json(owner_api, seeded):
    base = f"/campaigns/{seeded.pk}/evaluation"
    evaluation = {"campaign": seeded.pk, "rows": [SALES, GMV, MEMBERS], "complete": False, "missing": 3}
    response = owner_api.get(base)
    body = response.json() | {"rows": [r | {"id": "<int>"} for r in response.json()["rows"]]}
    same((response.status_code, body), (200, evaluation))
    kpi = Kpi.objects.get(campaign=seeded, name="直播场均GMV")
    patched = call(owner_api, "patch", f"{base}/{kpi.pk}", {"version": 0, "analysis": "话术", "dimension": "内容"})
    same(patched, (200, GMV | {"dimension": "内容", "analysis": "话术", "version": 1}))


RETRO = {
    "campaign": "<int>",
    "worked": "",
    "improve": "",
    "lessons": "",
    "assets": [],
    "completed_at": None,
    "completed_by": None,
    "due_date": "2025-07-03",
    "completed": False,
    "days_late": "<int>",
    "version": 0,
}


def retro_shape(body: dict) -> dict:
    clock = {"campaign", "days_late"} | ({"completed_at"} if body["completed_at"] else set())
    return {k: f"<{type(v).__name__}>" if k in clock else v for k, v in body.items()}


def test_retrospective_json(owner_api, campaign):
    base = f"/campaigns/{campaign.pk}/retrospective"
    response = owner_api.get(base)
    same((response.status_code, retro_shape(response.json())), (200, RETRO))
    change = {
        "version": 0,
        "worked": "好",
        "improve": "改",
        "lessons": "提前",
        "assets": [{"title": "模板", "url": "https://e.com/a"}],
        "complete": True,
    }
    response = owner_api.patch(base, change)
    done = RETRO | {k: v for k, v in change.items() if k not in ("version", "complete")}
    done |= {"completed_at": "<str>", "completed_by": "owner1", "completed": True, "version": 1}
    same((response.status_code, retro_shape(response.json())), (200, done))


def test_playbook_promotion_json(owner_api, campaign):
    Campaign.objects.filter(pk=campaign.pk).update(status="reviewing")
    Task.objects.filter(campaign=campaign, code="T002").update(owner_role="市场部")
    base = f"/campaigns/{campaign.pk}/playbook-promotion"
    response = owner_api.get(base)
    preview = response.json()
    assert response.status_code == 200 and list(preview) == [
        "playbook",
        "playbook_version",
        "base_version",
        "builtin",
        "phases",
        "diff",
        "note",
    ]
    first_step = preview["phases"][0]["steps"][0]
    assert list(preview["phases"][0]) == ["name", "goal", "steps"]
    assert list(first_step) == ["name", "owner_role", "anchor", "offset_days", "workdays", "output", "remark"]
    note = "由活动 2024年夏季新品促销 沉淀而来"
    same(
        {k: v for k, v in preview.items() if k != "phases"},
        {
            "playbook": "enterprise-campaign",
            "playbook_version": 1,
            "base_version": 1,
            "builtin": True,
            "diff": [
                {
                    "change": "changed",
                    "phase": "筹备阶段",
                    "step": "市场与用户调研",
                    "fields": [["owner_role", "市场专员", "市场部"]],
                },
            ],
            "note": note,
        },
    )
    promoted = call(owner_api, "post", base, {"name": "夏季模板", "key": "summer"})
    same(promoted, (201, {"playbook": "summer", "name": "夏季模板", "version": 1, "note": note}))


def test_start_from_a_case_json(owner_api, campaign):
    Campaign.objects.filter(pk=campaign.pk).update(status="archived")
    started = call(
        owner_api, "post", f"/campaigns/{campaign.pk}/start-from-case", {"name": "新活动", "start_date": "2026-06-01"}
    )
    expected = {
        "id": "<int>",
        "name": "新活动",
        "status": "preparing",
        "start_date": "2026-06-01",
        "end_date": "2026-06-30",
        "version": 1,
    }
    same(started, (201, expected))


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("evaluation/{kpi}", {"version": -1, "analysis": "x"}, "version"),
        ("evaluation/{kpi}", {"version": 0, "dimension": "x" * 101}, "dimension"),
        ("retrospective", {"version": 0, "lessons": "x" * 5001}, "lessons"),
        ("retrospective", {"version": 0, "assets": [{"title": "x"}] * 31}, "assets"),
        ("retrospective", {"version": -1, "worked": "x"}, "version"),
        ("retrospective", {"worked": "x"}, "version"),
    ],
)
def test_a_refused_patch_names_the_field(owner_api, seeded, path, body, field):
    kpi = Kpi.objects.filter(campaign=seeded).first()
    response = owner_api.patch(f"/campaigns/{seeded.pk}/" + path.format(kpi=kpi.pk), body)
    assert response.status_code == 422 and field in response.json()["detail"], response.content
