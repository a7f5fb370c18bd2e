"""A playbook's materials list becomes the campaign's, due with its steps (seed 001 输出物料清单)."""

import datetime as dt

import pytest

from campaignflow.campaigns.domain.playbooks import PlaybookInvalid, parse_phases, phases_to_json
from campaignflow.campaigns.models import Playbook, PlaybookVersion
from campaignflow.campaigns.services import campaign_create
from campaignflow.materials.models import Material

PHASES = [
    {
        "name": "筹备阶段",
        "steps": [
            {"name": "确认目标", "anchor": "start", "offset_days": -20},
            {
                "name": "物料制作与验收",
                "owner_role": "设计",
                "anchor": "start",
                "offset_days": -3,
                "workdays": True,
                "materials": [
                    {"name": "主视觉海报", "kind": "poster", "quantity": 3, "unit": "张"},
                    {"name": "联名邀请函", "kind": "invitation", "partner_approval": True},
                    {"name": "互动装置", "kind": "hologram"},
                ],
            },
        ],
    }
]


def test_steps_keep_their_json_when_they_have_no_materials():
    phases = parse_phases(PHASES)
    steps = phases_to_json(phases)[0]["steps"]
    assert "materials" not in steps[0]
    assert [m["name"] for m in steps[1]["materials"]] == ["主视觉海报", "联名邀请函", "互动装置"]
    assert parse_phases(phases_to_json(phases)) == phases


@pytest.mark.parametrize(
    ("materials", "path"),
    [
        ("海报", "phases[0].steps[0].materials"),
        ([{"kind": "poster"}], "phases[0].steps[0].materials[0].name"),
        ([{"name": "海报", "quantity": -1}], "phases[0].steps[0].materials[0].quantity"),
        ([{"name": "海报", "partner_approval": "yes"}], "phases[0].steps[0].materials[0].partner_approval"),
    ],
)
def test_bad_materials_are_named_by_their_path(materials, path):
    with pytest.raises(PlaybookInvalid) as error:
        parse_phases([{"name": "筹备", "steps": [{"name": "物料", "materials": materials}]}])
    assert path in [p for p, _m in error.value.errors]


def test_a_campaign_from_the_playbook_gets_its_materials(users):
    playbook = Playbook.objects.create(key="with-materials", name="带物料清单的流程", created_by=users["owner"])
    PlaybookVersion.objects.create(playbook=playbook, number=1, phases=PHASES, created_by=users["owner"])
    campaign, _warnings = campaign_create(
        actor=users["owner"],
        data={"name": "国庆促销", "start_date": "2025-10-09", "end_date": "2025-10-20"},
        playbook_key="with-materials",
    )
    task = campaign.tasks.get(name="物料制作与验收")
    # 3 China working days before 2025-10-09 (the National Day holiday and its make-up Saturday counted)
    assert task.end_date < dt.date(2025, 10, 9)
    materials = list(Material.objects.filter(campaign=campaign).order_by("code"))
    assert [(m.code, m.name, m.kind, m.quantity, m.unit) for m in materials] == [
        ("M001", "主视觉海报", "poster", 3, "张"),
        ("M002", "联名邀请函", "invitation", None, ""),
        ("M003", "互动装置", "other", None, ""),
    ]
    assert {m.due_date for m in materials} == {task.end_date}
    assert {m.task_id for m in materials} == {task.pk}
    assert materials[1].partner_approval and materials[1].shared_with_partners
    assert all(m.status == "draft" for m in materials)


def _without_materials(phases: list) -> list:
    return [{**p, "steps": [{k: v for k, v in s.items() if k != "materials"} for s in p["steps"]]} for p in phases]


def test_sync_playbooks_stores_a_new_version_with_the_materials(db):
    """A database synced before the built-in playbooks named materials gets a new version that has them."""
    from django.core.management import call_command

    from campaignflow.campaigns.domain.builtin_playbooks import BUILTIN_PLAYBOOKS

    call_command("sync_playbooks")
    for data in BUILTIN_PLAYBOOKS:  # as an older release stored them
        PlaybookVersion.objects.filter(playbook__key=data["key"]).update(phases=_without_materials(data["phases"]))
    call_command("sync_playbooks")
    for data in BUILTIN_PLAYBOOKS:
        playbook = Playbook.objects.get(key=data["key"])
        named = any(s.get("materials") for p in data["phases"] for s in p["steps"])
        assert playbook.version == (2 if named else 1), data["key"]
        assert playbook.latest().phases == data["phases"]


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("enterprise-campaign", {"宣传海报", "活动H5", "邀请函", "宣传视频", "展架", "礼品", "设备"}),
        ("cross-industry", {"联名海报", "联名短视频", "活动H5", "联合新闻稿", "联名产品包装设计"}),
        ("online-event", {"宣传海报", "宣传长图", "预热短视频", "直播PPT", "直播背景图", "签到表", "电子票二维码"}),
        ("execution-followup", {"预热海报", "宣传单", "赠品"}),
    ],
)
def test_a_campaign_from_each_builtin_playbook_has_its_materials_due_with_their_tasks(users, playbooks, key, expected):
    campaign, _w = campaign_create(
        actor=users["owner"],
        data={"name": "物料", "start_date": "2025-06-02", "end_date": "2025-06-30"},
        playbook_key=key,
    )
    materials = list(Material.objects.filter(campaign=campaign).select_related("task"))
    assert expected <= {m.name for m in materials}
    for m in materials:
        assert m.due_date is not None and m.task is not None and m.due_date == m.task.end_date, m.name
        assert m.due_date <= campaign.start_date, m.name  # needed by the event (the gate lists them)
    assert [m.code for m in materials] == [f"M{i:03d}" for i in range(1, len(materials) + 1)]
    assert all(m.partner_approval for m in materials) == (key == "cross-industry")
