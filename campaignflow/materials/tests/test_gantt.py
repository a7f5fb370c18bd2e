"""The materials list on the Gantt (issue #20): each material with a due date is a milestone marker with
its code, name and status, late ones marked; a partner sees only what is shared with them; planning
knows nothing of materials (planning.gantt_markers, filled in by MaterialsConfig.ready())."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from campaignflow.materials.models import Material
from campaignflow.planning import api as planning_api
from campaignflow.planning.gantt_markers import _SOURCES
from conftest import make_campaign


def gantt(client, campaign) -> dict:
    response = client.get(f"/campaigns/{campaign.id}/gantt")
    assert response.status_code == 200, response.content
    return response.json()


def markers(body: dict) -> list[dict]:
    groups = {g["key"]: g for g in body["marker_groups"]}
    return groups["materials"]["markers"] if "materials" in groups else []


def test_materials_register_as_a_marker_source_planning_does_not_import_them():
    assert "materials" in _SOURCES
    assert "materials" not in planning_api.__dict__ and "Material" not in planning_api.__dict__


def test_the_playbooks_materials_are_milestones_on_their_due_dates(api_for, users, campaign):
    body = gantt(api_for(users["owner"]), campaign)
    expected = list(
        Material.objects.filter(campaign=campaign, due_date__isnull=False)
        .order_by("due_date", "sort_order", "id")
        .values_list("pk", "code", "name", "due_date")
    )
    assert expected, "the enterprise playbook names its materials (seed 001 物料清单)"
    (group,) = body["marker_groups"]
    assert group["key"] == "materials" and group["label"] == "物料"
    got = group["markers"]
    assert [(m["code"], m["name"], m["date"]) for m in got] == [(c, n, d.isoformat()) for _pk, c, n, d in expected]
    first = got[0]
    assert first["id"] == f"materials-{expected[0][0]}"
    assert first["status"] == "draft" and first["status_label"] == "草稿"
    assert first["url"] == f"/campaigns/{campaign.id}/materials/{expected[0][0]}/"
    # the tasks' rows are as they were: markers are not tasks
    assert all(isinstance(row["id"], int) for row in body["data"] if row["type"] != "project")


def test_late_materials_are_marked_and_accepted_ones_are_not(api_for, users, db):
    owner = users["owner"]
    campaign = make_campaign(users)  # no playbook: only the materials made here
    today = timezone.localdate()
    rows = [
        ("M001", "宣传海报", today - dt.timedelta(days=2), "approved"),  # not accepted by its due date: late
        ("M002", "展架", today - dt.timedelta(days=2), "accepted"),
        ("M003", "礼品", today, "draft"),  # due today: not late yet
        ("M004", "邀请函", None, "draft"),  # no due date: not on the chart
    ]
    for i, (code, name, due, status) in enumerate(rows):
        Material.objects.create(campaign=campaign, code=code, name=name, due_date=due, status=status, sort_order=i)
    got = {m["code"]: m for m in markers(gantt(api_for(owner), campaign))}
    assert set(got) == {"M001", "M002", "M003"}
    assert got["M001"]["late"] is True and got["M001"]["status_label"] == "已批准"
    assert got["M002"]["late"] is False and got["M002"]["status"] == "accepted"
    assert got["M003"]["late"] is False


def test_no_materials_no_group(api_for, users, db):
    campaign = make_campaign(users)
    assert gantt(api_for(users["owner"]), campaign)["marker_groups"] == []


def test_a_partner_sees_only_the_materials_shared_with_them(api_for, users, db):
    campaign = make_campaign(users)
    due = dt.date(2025, 5, 28)
    Material.objects.create(campaign=campaign, code="M001", name="内部物料", due_date=due)
    Material.objects.create(campaign=campaign, code="M002", name="联名海报", due_date=due, partner_approval=True)
    Material.objects.create(campaign=campaign, code="M003", name="共享邀请函", due_date=due, shared_with_partners=True)
    assert [m["code"] for m in markers(gantt(api_for(users["owner"]), campaign))] == ["M001", "M002", "M003"]
    assert [m["code"] for m in markers(gantt(api_for(users["partner"]), campaign))] == ["M002", "M003"]


def test_a_material_change_shows_on_the_cached_gantt(api_for, users, campaign, settings):
    """The Gantt is cached per change stamp (campaigns.read_cache): a material's write is audited with the
    campaign, so the next read has its new due date."""
    settings.READ_CACHE_SECONDS = 60
    owner = api_for(users["owner"])
    before = markers(gantt(owner, campaign))
    material = Material.objects.get(pk=int(before[0]["id"].removeprefix("materials-")))
    response = owner.patch(f"/materials/{material.pk}", {"version": material.version, "due_date": "2025-07-15"})
    assert response.status_code == 200, response.content
    after = {m["code"]: m for m in markers(gantt(owner, campaign))}
    assert after[material.code]["date"] == "2025-07-15"


def test_the_gantts_query_count_does_not_grow_with_the_materials(api_for, users, db, settings):
    """(tests/test_list_query_counts.py counts the Gantt route with n tasks and n materials too.)"""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.READ_CACHE_SECONDS = 0  # built on every read
    counts = []
    for n in (2, 30):
        campaign = make_campaign(users)
        Material.objects.bulk_create(
            Material(campaign=campaign, code=f"M{i:03d}", name=f"物料{i}", due_date=dt.date(2025, 6, 1 + i % 28))
            for i in range(1, n + 1)
        )
        client = api_for(users["partner"])
        with CaptureQueriesContext(connection) as ctx:
            assert len(markers(gantt(client, campaign))) == 0  # none shared with the partner
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
