"""Materials through the API as a client uses it: the list, revisions, the two-brand review, comments on a
region, acceptance (验收), leftovers, the late alert, the gate and the XLSX list."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from campaignflow.alerts.engine import evaluate_campaign
from campaignflow.alerts.models import Alert
from campaignflow.campaigns.models import Campaign
from campaignflow.core.models import AuditEntry
from campaignflow.materials.models import Material, MaterialFile
from conftest import make_campaign
from tests.support.bad_input import one_bad_field

from . import sample_files as files


@pytest.fixture
def campaign(db, users):
    """The tests' campaign without a playbook: its materials are the ones each test makes, numbered from
    M001 (what a playbook's list makes: test_playbook_materials.py)."""
    return make_campaign(users)


@pytest.fixture
def api(api_for, users):
    return lambda who: api_for(users[who])


def create(client, campaign, **data):
    response = client.post(f"/campaigns/{campaign.id}/materials", {"name": "主视觉海报", "kind": "poster", **data})
    assert response.status_code == 201, response.content
    return response.json()


def upload(client, material_id: int, content: bytes, name: str = "poster.png"):
    """Uploaded as a client does, with the English messages (the API answers in Chinese by default)."""
    return client.client.post(
        f"/api/v1/materials/{material_id}/files",
        {"file": SimpleUploadedFile(name, content)},
        HTTP_ACCEPT_LANGUAGE="en",
        **client.headers,
    )


def stored_files(folder: str = "materials") -> list[str]:
    if not default_storage.exists(folder):
        return []
    dirs, names = default_storage.listdir(folder)
    return [f"{folder}/{n}" for n in names] + [f for d in dirs for f in stored_files(f"{folder}/{d}")]


def test_list_create_and_fields(api, campaign):
    owner = api("owner")
    body = create(owner, campaign, quantity=500, unit="张", owner="member1", vendor="印刷厂", due_date="2025-05-28")
    assert body["code"] == "M001" and body["status"] == "draft" and body["revision"] == 0
    assert body["quantity"] == 500 and body["owner"] == "member1" and body["due_date"] == "2025-05-28"
    assert create(owner, campaign, name="邀请函")["code"] == "M002"
    listed = owner.get(f"/campaigns/{campaign.id}/materials").json()
    assert [m["name"] for m in listed] == ["主视觉海报", "邀请函"]
    assert AuditEntry.objects.filter(object_type="materials.material", action="create").count() == 2
    one = owner.get(f"/materials/{body['id']}").json()  # a list item is the object as GET shows it, in order
    assert listed[0] == {k: v for k, v in one.items() if k != "waiting_for"}


@pytest.mark.parametrize(
    ("payload", "field"),
    one_bad_field(
        {"name": "海报"},
        {
            "name": "",
            "kind": "hologram",
            "owner": "outsider1",
            "due_date": "2025-02-30",
            "quantity": -1,
            "budget_line": 999999,
            "task": 999999,
        },
    ),
)
def test_bad_input_names_the_field_and_writes_nothing(api, campaign, payload, field):
    response = api("owner").post(f"/campaigns/{campaign.id}/materials", payload)
    assert response.status_code == 422, response.content
    assert field in response.content.decode()
    assert not Material.objects.exists()


def test_upload_revisions_preview_and_download(api, campaign, django_capture_on_commit_callbacks):
    owner = api("owner")
    material = create(owner, campaign)
    with django_capture_on_commit_callbacks(execute=True):  # the preview is queued once the upload commits
        first = upload(owner, material["id"], files.png(), "主视觉.png")
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["revision"] == 1 and body["content_type"] == "image/png" and body["filename"] == "主视觉.png"
    assert len(body["sha256"]) == 64 and body["size"] > 0
    with django_capture_on_commit_callbacks(execute=True):
        second = upload(owner, material["id"], files.pdf(), "poster-v2.pdf").json()
    assert second["revision"] == 2 and second["content_type"] == "application/pdf"
    listed = owner.get(f"/materials/{material['id']}/files").json()
    assert [f["revision"] for f in listed] == [2, 1]
    assert {f["preview_status"] for f in listed} == {"ready"}  # made by the (immediate) background task
    assert listed[0]["pages"] == 2
    preview = owner.client.get(listed[0]["preview_url"], **owner.headers)
    assert preview.status_code == 200 and preview["Content-Type"] == "image/webp"
    download = owner.client.get(listed[1]["url"], **owner.headers)
    assert download.status_code == 200 and download["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in download["Content-Security-Policy"]
    assert download["Content-Disposition"].startswith("inline")
    assert b"".join(download.streaming_content) == files.png()
    assert owner.get(f"/materials/{material['id']}").json()["revision"] == 2


def test_office_documents_download_as_attachments(api, campaign):
    owner = api("owner")
    material = create(owner, campaign, name="新闻稿", kind="press_release")
    body = upload(owner, material["id"], files.docx(), "新闻稿.docx").json()
    assert body["content_type"].endswith("wordprocessingml.document")
    assert body["preview_status"] in ("pending", "none")
    download = owner.client.get(body["url"], **owner.headers)
    assert download["Content-Disposition"].startswith("attachment")


@pytest.mark.parametrize(
    ("content", "status", "words"),
    [
        (files.svg_with_script(), 415, "SVG"),
        (files.html_page(), 415, "SVG, HTML"),
        (b"MZ\x90\x00 a windows program", 415, "not accepted"),
        (b"", 422, "empty"),
        (files.truncated_png(), 422, "incomplete"),
        (files.bomb_png(), 422, "pixels"),
    ],
)
def test_refused_files_leave_nothing_behind(api, campaign, content, status, words):
    owner = api("owner")
    material = create(owner, campaign)
    response = upload(owner, material["id"], content, "poster.png")
    assert response.status_code == status, response.content
    assert words in response.json()["detail"]
    assert not MaterialFile.objects.exists()
    assert Material.objects.get().revision == 0
    assert stored_files() == []


def test_too_large_is_413(api, campaign, settings):
    settings.MATERIAL_UPLOAD_MAX_BYTES = 50_000
    owner = api("owner")
    material = create(owner, campaign)
    response = upload(owner, material["id"], files.png(2000, 2000, (1, 2, 3)) + b"\x00" * 200_000)
    assert response.status_code == 413 and "MB" in response.json()["detail"]
    assert not MaterialFile.objects.exists()


def test_the_same_bytes_are_stored_once(api, campaign):
    owner = api("owner")
    a, b = create(owner, campaign), create(owner, campaign, name="海报B")
    upload(owner, a["id"], files.png())
    upload(owner, b["id"], files.png())
    names = set(MaterialFile.objects.values_list("blob", flat=True))
    assert len(names) == 1
    version = owner.get(f"/materials/{a['id']}").json()["version"]
    owner.delete(f"/materials/{a['id']}?version={version}")
    assert default_storage.exists(names.pop())  # still used by the other material


def test_deleting_the_last_user_of_a_file_deletes_it(api, campaign, django_capture_on_commit_callbacks):
    owner = api("owner")
    material = create(owner, campaign)
    upload(owner, material["id"], files.png())
    blob = MaterialFile.objects.get().blob
    version = owner.get(f"/materials/{material['id']}").json()["version"]
    with django_capture_on_commit_callbacks(execute=True):
        assert owner.delete(f"/materials/{material['id']}?version={version}").status_code == 204
    assert not default_storage.exists(blob)


def test_a_failed_upload_leaves_no_orphan_file(users, campaign):
    """The material disappears between the access check and the write: the stored bytes go again."""
    from campaignflow.materials import services

    material = services.material_create(actor=users["owner"], campaign=campaign, data={"name": "海报"})
    Material.objects.filter(pk=material.pk).delete()
    with pytest.raises(Material.DoesNotExist):
        services.file_upload(actor=users["owner"], material=material, upload=io.BytesIO(files.png()))
    assert not MaterialFile.objects.exists()
    assert stored_files() == []


def test_review_by_our_side(api, campaign):
    owner, member = api("owner"), api("member")
    material = create(owner, campaign)
    no_file = owner.post(f"/materials/{material['id']}/submit")
    assert no_file.status_code == 409 and no_file.json()["detail"] == "请先上传文件，再提交审核。"
    upload(owner, material["id"], files.png())
    assert member.post(f"/materials/{material['id']}/submit").json()["status"] == "in_review"
    assert member.post(f"/materials/{material['id']}/review", {"decision": "approve"}).status_code == 403
    assert api("viewer").post(f"/materials/{material['id']}/review", {"decision": "approve"}).status_code == 403
    changes = api("manager").post(
        f"/materials/{material['id']}/review", {"decision": "request_changes", "comment": "Logo 太小"}
    )
    assert changes.json()["status"] == "changes_requested"
    upload(owner, material["id"], files.jpeg())  # the fix: revision 2, and the review starts again
    assert owner.get(f"/materials/{material['id']}").json()["status"] == "in_review"
    approved = owner.post(f"/materials/{material['id']}/review", {"decision": "approve"}).json()
    assert approved["status"] == "approved" and approved["waiting_for"] == []
    history = owner.get(f"/materials/{material['id']}/history").json()
    assert [(h["revision"], h["decision"]) for h in history] == [
        (1, "submit"),
        (1, "request_changes"),
        (2, "submit"),
        (2, "approve"),
    ]
    assert history[1]["comment"] == "Logo 太小" and history[1]["actor"] == "manager1"


def test_co_branded_material_needs_both_brands(api, campaign):
    owner, partner = api("owner"), api("partner")
    internal = create(owner, campaign, name="内部排期表")
    material = create(owner, campaign, name="联名海报", partner_approval=True)
    assert material["shared_with_partners"] is True
    assert [m["name"] for m in partner.get(f"/campaigns/{campaign.id}/materials").json()] == ["联名海报"]
    assert partner.get(f"/materials/{internal['id']}").status_code == 404
    assert partner.post(f"/materials/{internal['id']}/review", {"decision": "approve"}).status_code == 404
    upload(owner, material["id"], files.png())
    owner.post(f"/materials/{material['id']}/submit")
    ours = owner.post(f"/materials/{material['id']}/review", {"decision": "approve"}).json()
    assert ours["status"] == "in_review" and ours["waiting_for"] == ["partner"]
    theirs = partner.post(f"/materials/{material['id']}/review", {"decision": "approve", "comment": "品牌露出OK"})
    assert theirs.status_code == 200 and theirs.json()["status"] == "approved"
    # a new revision: what both approved no longer counts
    upload(owner, material["id"], files.jpeg())
    again = owner.get(f"/materials/{material['id']}").json()
    assert again["status"] == "in_review" and again["waiting_for"] == ["host", "partner"]
    assert partner.patch(f"/materials/{material['id']}", {"version": again["version"], "name": "x"}).status_code == 403


def test_acceptance_and_leftovers(api, campaign):
    owner = api("owner")
    material = create(owner, campaign, name="宣传单", kind="flyer", quantity=500, unit="份")
    early = owner.post(f"/materials/{material['id']}/accept", {"received_quantity": 500})
    assert early.status_code == 409 and "只有已批准的物料可以验收" in early.json()["detail"]
    upload(owner, material["id"], files.pdf())
    owner.post(f"/materials/{material['id']}/submit")
    approved = owner.post(f"/materials/{material['id']}/review", {"decision": "approve"}).json()
    too_soon = owner.patch(f"/materials/{material['id']}", {"version": approved["version"], "leftover_quantity": 3})
    assert too_soon.status_code == 409
    accepted = owner.post(f"/materials/{material['id']}/accept", {"received_quantity": 480}).json()
    assert (
        accepted["status"] == "accepted"
        and accepted["received_quantity"] == 480
        and accepted["accepted_by"] == "owner1"
    )
    assert upload(owner, material["id"], files.png()).status_code == 409  # accepted: closed to new revisions
    over = owner.patch(f"/materials/{material['id']}", {"version": accepted["version"], "leftover_quantity": 481})
    assert over.status_code == 422 and "leftover_quantity" in over.content.decode()
    left = owner.patch(
        f"/materials/{material['id']}",
        {
            "version": accepted["version"],
            "leftover_quantity": 120,
            "leftover_action": "stock",
            "leftover_place": "2号仓",
        },
    ).json()
    assert (left["leftover_quantity"], left["leftover_action"], left["leftover_place"]) == (120, "stock", "2号仓")


def test_status_moves_name_the_allowed_ones(api, campaign):
    owner = api("owner")
    material = create(owner, campaign)
    response = owner.patch(f"/materials/{material['id']}", {"version": material["version"], "status": "accepted"})
    assert response.status_code == 409 and "in_review" in response.json()["detail"]
    upload(owner, material["id"], files.png())
    current = owner.get(f"/materials/{material['id']}").json()
    moved = owner.patch(f"/materials/{material['id']}", {"version": current["version"], "status": "in_review"})
    assert moved.json()["status"] == "in_review"
    stale = owner.patch(f"/materials/{material['id']}", {"version": current["version"], "name": "新名字"})
    assert stale.status_code == 409 and stale.json()["current_version"] == moved.json()["version"]


def test_comments_on_a_region_replies_and_resolving(api, campaign):
    owner, member = api("owner"), api("member")
    material = create(owner, campaign, partner_approval=True)
    upload(owner, material["id"], files.png())
    url = f"/materials/{material['id']}/comments"
    pinned = member.post(url, {"body": "Logo 再放大一点", "x": 0.1, "y": 0.2, "w": 0.3, "h": 0.25}).json()
    assert pinned["revision"] == 1 and (pinned["x"], pinned["w"]) == (0.1, 0.3)
    outside = member.post(url, {"body": "x", "x": 0.9, "y": 0.1, "w": 0.3, "h": 0.1})
    assert outside.status_code == 422 and "w" in outside.content.decode()
    half = member.post(url, {"body": "x", "x": 0.1})
    assert half.status_code == 422
    reply = api("partner").post(url, {"body": "同意", "parent": pinned["id"]}).json()
    assert reply["parent"] == pinned["id"] and reply["x"] is None and reply["revision"] == 1
    assert api("viewer").post(url, {"body": "看看"}).status_code == 403
    resolved = owner.patch(f"/material-comments/{pinned['id']}", {"version": pinned["version"], "resolved": True})
    assert resolved.json()["resolved"] is True and resolved.json()["resolved_by"] == "owner1"
    not_author = owner.patch(
        f"/material-comments/{pinned['id']}", {"version": resolved.json()["version"], "body": "改"}
    )
    assert not_author.status_code == 403
    upload(owner, material["id"], files.jpeg())
    member.post(url, {"body": "第二版的意见"})
    assert [c["body"] for c in owner.get(url, {"revision": 2}).json()] == ["第二版的意见"]
    assert len(owner.get(url, {"revision": 1}).json()) == 2  # comments stay with their revision


def test_a_late_material_raises_an_alert(api, campaign):
    owner = api("owner")
    Campaign.objects.filter(pk=campaign.pk).update(status="executing")
    campaign.refresh_from_db()
    yesterday = (dt.date.today() - dt.timedelta(days=2)).isoformat()
    create(owner, campaign, name="展架", kind="stand", due_date=yesterday)
    create(owner, campaign, name="礼品", kind="gift", due_date=(dt.date.today() + dt.timedelta(days=5)).isoformat())
    evaluate_campaign(campaign, notify=False)
    alerts = Alert.objects.filter(campaign=campaign, rule__contains="material")
    assert [a.subject for a in alerts] == [f"material:{Material.objects.get(name='展架').pk}"]
    assert "展架" in alerts[0].message


def test_the_gate_lists_materials_not_approved(api, campaign):
    from conftest import satisfy_gates

    owner = api("owner")
    Campaign.objects.filter(pk=campaign.pk).update(status="planning")
    campaign.refresh_from_db()
    satisfy_gates(campaign, "executing")
    create(owner, campaign, name="签到表", kind="checkin", due_date="2025-05-30")
    create(owner, campaign, name="延续期海报", due_date="2025-06-20")  # due later: not needed on day one
    response = owner.post(f"/campaigns/{campaign.id}/transition", {"to": "executing"})
    assert response.status_code == 409, response.content
    unmet = " ".join(response.json()["unmet"])
    assert "签到表" in unmet and "延续期海报" not in unmet


def test_the_list_exports_in_the_seeds_layout(api, campaign):
    from openpyxl import load_workbook

    owner = api("owner")
    create(
        owner, campaign, name="宣传单", kind="flyer", quantity=500, unit="份", vendor="印刷厂", due_date="2025-05-28"
    )
    response = owner.client.get(f"/api/v1/campaigns/{campaign.id}/materials.xlsx", **owner.headers)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    assert sheet.title == "物料清单"
    header = next(r for r in rows if "物料名称" in r)
    assert header[:5] == ["编号", "物料名称", "类型", "数量", "单位"]
    assert any(r[:5] == ["M001", "宣传单", "宣传单", 500, "份"] for r in rows)
    assert "草稿" in next(r for r in rows if r[0] == "M001")  # the status in the pages' word (the model's label)


def test_the_export_is_for_the_team_and_acceptance_defaults_to_the_ordered_quantity(api, campaign):
    owner = api("owner")
    material = create(owner, campaign, quantity=300, unit="份", vendor="印刷厂", partner_approval=True)
    partner = api("partner")
    assert partner.client.get(f"/api/v1/campaigns/{campaign.id}/materials.xlsx", **partner.headers).status_code == 403
    upload(owner, material["id"], files.png())
    owner.post(f"/materials/{material['id']}/submit")
    owner.post(f"/materials/{material['id']}/review", {"decision": "approve"})
    partner.post(f"/materials/{material['id']}/review", {"decision": "approve"})
    accepted = owner.post(f"/materials/{material['id']}/accept", {"received_quantity": None}).json()
    assert accepted["status"] == "accepted" and accepted["received_quantity"] == 300


@pytest.mark.parametrize("decision", ["approve", "request_changes"])
def test_a_material_without_a_file_cannot_be_reviewed(api, campaign, decision):
    """In review with no revision (data from before the rule, or written around the services): no decision on
    it, by the action or by a status PATCH (409, as a submit without a file), nothing written."""
    owner = api("owner")
    material = create(owner, campaign)
    Material.objects.filter(pk=material["id"]).update(status="in_review")
    shown = owner.get(f"/materials/{material['id']}").json()
    assert shown["waiting_for"] == []  # nothing to approve yet
    audit_before = AuditEntry.objects.count()
    response = owner.client.post(
        f"/api/v1/materials/{material['id']}/review",
        {"decision": decision},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
        **owner.headers,
    )
    assert response.status_code == 409
    assert "no file yet" in response.json()["detail"]
    target = "approved" if decision == "approve" else "changes_requested"
    patched = owner.patch(f"/materials/{material['id']}", {"version": shown["version"], "status": target})
    assert patched.status_code == 409 and patched.json()["detail"] == "该物料尚无文件：请先上传第一版，之后才能审核。"
    assert Material.objects.get(pk=material["id"]).status == "in_review"
    assert AuditEntry.objects.count() == audit_before
    assert owner.post(f"/materials/{material['id']}/accept").status_code == 409  # never approved: no 验收
    # once a file is uploaded, the review goes on
    upload(owner, material["id"], files.png())
    assert owner.post(f"/materials/{material['id']}/review", {"decision": "approve"}).json()["status"] == "approved"
