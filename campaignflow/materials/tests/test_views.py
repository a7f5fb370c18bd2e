"""The materials pages as a browser uses them: each form's happy path and its error paths (the error shows
in the form, nothing is written, a stale version shows the conflict), and what a partner's pages leave out."""

from __future__ import annotations

import hashlib
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from campaignflow.core.models import AuditEntry
from campaignflow.materials import services
from campaignflow.materials.models import Material, MaterialComment, MaterialFile
from conftest import logged_in, make_campaign

from . import sample_files as files

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(db, users):
    """The tests' campaign without a playbook: its materials are the ones each test makes, numbered from
    M001 (what a playbook's list makes: test_playbook_materials.py)."""
    return make_campaign(users)


@pytest.fixture
def owner(users):
    return logged_in(users["owner"])


def make(users, campaign, **data) -> Material:
    return services.material_create(actor=users["owner"], campaign=campaign, data={"name": "主视觉海报", **data})


def with_file(users, material, content: bytes | None = None, name: str = "poster.png") -> Material:
    upload = SimpleUploadedFile(name, content or files.png())
    services.file_upload(actor=users["owner"], material=material, upload=upload)
    material.refresh_from_db()
    return material


def in_review(users, material, **kwargs) -> Material:
    with_file(users, material)
    return services.material_submit(actor=users["owner"], material=material, **kwargs)


def url(material, tail: str = "") -> str:
    return f"/campaigns/{material.campaign_id}/materials/{material.pk}/{tail}"


def page(response) -> str:
    return response.content.decode()


def writes(fn):
    """The number of audit entries `fn` wrote (every service write records one)."""
    before = AuditEntry.objects.count()
    fn()
    return AuditEntry.objects.count() - before


# --- the list -----------------------------------------------------------------------------------------------


def test_adding_a_material_lists_it(users, campaign, owner):
    response = owner.post(
        f"/campaigns/{campaign.id}/materials/",
        {
            "name": "邀请函",
            "kind": "invitation",
            "quantity": "500",
            "unit": "张",
            "owner": "member1",
            "due_date": "2025-05-28",
        },
    )
    assert response.status_code == 302
    material = Material.objects.get()
    assert (material.code, material.kind, material.quantity, material.owner.username) == (
        "M001",
        "invitation",
        500,
        "member1",
    )
    listed = page(owner.get(response.url))
    assert "M001" in listed and "邀请函" in listed and "2025-05-28" in listed and "member1" in listed


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "", "kind": "poster"}, "name", "此项为必填项"),
        ({"name": "海报", "kind": "poster", "owner": "outsider1"}, "owner", "outsider1"),
        ({"name": "海报", "kind": "poster", "due_date": "2025-02-30"}, "due_date", ""),
        ({"name": "海报", "kind": "poster", "quantity": "-1"}, "quantity", ""),
    ],
)
def test_a_bad_new_material_shows_the_error_in_the_form_and_writes_nothing(campaign, owner, data, field, message):
    response = owner.post(f"/campaigns/{campaign.id}/materials/", data)
    assert response.status_code == 422
    form = response.context["add_form"]
    assert form.errors.get(field), form.errors
    assert message in page(response)
    assert not Material.objects.exists()


def test_the_budget_choices_are_the_campaigns_material_lines(users, campaign, owner):
    from campaignflow.budgets.services import line_create

    line = line_create(
        actor=users["owner"], campaign=campaign, data={"category": "materials", "item": "海报印刷", "planned": "8000"}
    )
    line_create(
        actor=users["owner"], campaign=campaign, data={"category": "channel", "item": "KOC 投放", "planned": "9000"}
    )
    form = owner.get(f"/campaigns/{campaign.id}/materials/").context["add_form"]
    assert [label for _v, label in form.fields["budget_line"].choices] == ["—", "海报印刷"]
    owner.post(f"/campaigns/{campaign.id}/materials/", {"name": "海报", "kind": "poster", "budget_line": line.pk})
    assert Material.objects.get().budget_line == line


def test_the_list_filters_by_status_and_marks_late_materials(users, campaign, owner):
    late = make(users, campaign, name="展架", due_date="2020-01-01")
    in_review(users, make(users, campaign, name="邀请函"))
    html = page(owner.get(f"/campaigns/{campaign.id}/materials/"))
    assert html.count('data-testid="overdue"') == 1 and 'class="material-late"' in html
    filtered = owner.get(f"/campaigns/{campaign.id}/materials/?status=in_review")
    assert [r["material"].name for r in filtered.context["rows"]] == ["邀请函"]
    assert filtered.context["rows"][0]["waiting_for"] == ["host"]
    assert late.name in page(owner.get(f"/campaigns/{campaign.id}/materials/?status=nonsense"))


def test_inline_edit_saves_and_a_stale_edit_shows_the_conflict(users, campaign, owner):
    material = make(users, campaign)
    row = owner.get(url(material, "edit/"), HTTP_HX_REQUEST="true")
    assert page(row).startswith("<tr") and 'name="version"' in page(row)
    data = {"name": "主视觉海报（终稿）", "kind": "poster", "version": material.version}
    stale = owner.post(url(material, "edit/"), {**data, "version": material.version + 1})
    assert stale.status_code == 422 and 'data-testid="conflict"' in page(stale)
    material.refresh_from_db()
    assert material.name == "主视觉海报"
    assert owner.post(url(material, "edit/"), data).status_code == 302
    material.refresh_from_db()
    assert (material.name, material.kind) == ("主视觉海报（终稿）", "poster")


def test_a_bad_edit_shows_the_error_and_writes_nothing(users, campaign, owner):
    material = make(users, campaign)
    response = owner.post(url(material, "edit/"), {"name": "", "kind": "poster", "version": material.version})
    assert response.status_code == 422 and response.context["form"].errors["name"]
    material.refresh_from_db()
    assert material.name == "主视觉海报" and material.version == 1


def test_delete_needs_the_current_version(users, campaign, owner):
    material = make(users, campaign)
    stale = owner.post(url(material, "delete/"), {"version": "abc"}, follow=True)
    assert Material.objects.exists() and stale.context["messages"]
    assert owner.post(url(material, "delete/"), {"version": material.version}).status_code == 302
    assert not Material.objects.exists()


def test_a_material_is_shown_only_under_its_own_campaign(users, campaign, owner):

    material = make(users, campaign)
    other = make_campaign(users)
    assert owner.get(f"/campaigns/{other.id}/materials/{material.pk}/").status_code == 404


# --- the partner's view -------------------------------------------------------------------------------------


def test_a_partner_sees_only_shared_materials_without_internal_fields(users, campaign):
    make(users, campaign, name="内部物料", vendor="印刷厂甲")
    shared = make(users, campaign, name="联名海报", vendor="印刷厂乙", partner_approval=True)
    partner = logged_in(users["partner"])
    html = page(partner.get(f"/campaigns/{campaign.id}/materials/"))
    assert "联名海报" in html and "内部物料" not in html
    assert "印刷厂" not in html and 'data-testid="add-material"' not in html and "materials.xlsx" not in html
    detail = page(partner.get(url(shared)))
    assert "印刷厂" not in detail and 'data-testid="upload-form"' not in detail
    assert partner.get(url(make(users, campaign, name="另一个内部物料"))).status_code == 404


# --- files --------------------------------------------------------------------------------------------------


def test_a_real_upload_through_the_page_with_csrf_checks(users, campaign, django_capture_on_commit_callbacks):
    """The upload middleware hashes the file while it streams; the CSRF check still reads the token."""
    material = make(users, campaign)
    browser = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="zh-hans")
    browser.force_login(users["owner"])
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page(browser.get(url(material)))).group(1)
    content = files.png()
    refused = browser.post(url(material, "files/"), {"file": SimpleUploadedFile("主视觉.png", content)})
    assert refused.status_code == 403 and not MaterialFile.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(
            url(material, "files/"), {"file": SimpleUploadedFile("主视觉.png", content), "csrfmiddlewaretoken": token}
        )
    assert response.status_code == 302 and response.url == url(material)
    file = MaterialFile.objects.get()
    assert (file.revision, file.filename, file.sha256) == (1, "主视觉.png", hashlib.sha256(content).hexdigest())
    html = page(browser.get(url(material)))
    assert f"/api/v1/material-files/{file.pk}/preview" in html and "hx-trigger" not in html  # the preview is made


def test_a_pending_preview_is_polled_until_it_is_ready(users, campaign, owner):
    material = with_file(users, make(users, campaign))  # no commit callbacks: the preview stays pending
    html = page(owner.get(url(material)))
    assert 'data-testid="preview-pending"' in html and 'hx-trigger="every 2s"' in html
    from campaignflow.materials import previews

    previews.make(MaterialFile.objects.get())
    fragment = page(owner.get(url(material, "preview/") + "?rev=1")).strip()
    assert fragment.startswith('<div id="preview"') and "hx-trigger" not in fragment and "preview-image" in fragment


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (files.svg_with_script(), "poster.svg", "SVG"),
        (b"", "empty.png", "空文件"),
        (None, None, "请选择"),
    ],
)
def test_a_refused_upload_shows_on_the_file_field_and_stores_nothing(users, campaign, owner, content, name, message):
    material = make(users, campaign)
    data = {"file": SimpleUploadedFile(name, content)} if name else {}
    response = owner.post(url(material, "files/"), data)
    assert response.status_code == 422
    assert response.context["upload_form"].errors["file"] and message in page(response)
    assert 'id="upload-card"' in page(response)  # the upload script swaps this card in
    assert not MaterialFile.objects.exists() and Material.objects.get().revision == 0


def test_a_file_past_the_limit_is_stopped_while_it_streams(users, campaign, owner, settings):
    settings.MATERIAL_UPLOAD_MAX_BYTES = 2**20  # the request's length passes; its file does not
    material = make(users, campaign)
    big = files.png(1200, 1200) + b"\0" * (2**20)
    response = owner.post(url(material, "files/"), {"file": SimpleUploadedFile("big.png", big)})
    assert response.status_code in (413, 422)
    assert "1 MB" in page(response) and not MaterialFile.objects.exists()


def test_the_upload_page_gets_no_form_and_partners_cannot_upload(users, campaign):
    material = make(users, campaign, partner_approval=True)
    partner = logged_in(users["partner"])
    response = partner.post(url(material, "files/"), {"file": SimpleUploadedFile("p.png", files.png())})
    assert response.status_code == 403 and not MaterialFile.objects.exists()
    assert logged_in(users["owner"]).get(url(material, "files/")).status_code == 405


def test_compare_shows_a_revision_beside_the_one_before(users, campaign, owner):
    material = with_file(users, make(users, campaign))
    with_file(users, material, files.pdf(), "poster-v2.pdf")
    html = page(owner.get(url(material, "compare/") + "?rev=2"))
    assert 'data-testid="compare-r1"' in html and 'data-testid="compare-r2"' in html
    assert "poster-v2.pdf" in html and "poster.png" in html
    assert 'data-testid="compare"' not in page(owner.get(url(material, "compare/") + "?rev=1"))


# --- review, acceptance, leftovers --------------------------------------------------------------------------


def test_submit_approve_accept_and_leftovers(users, campaign, owner):
    material = with_file(users, make(users, campaign, quantity=500, unit="张"))
    assert owner.post(url(material, "submit/"), {"version": material.version}).status_code == 302
    material.refresh_from_db()
    assert material.status == "in_review"
    detail = page(owner.get(url(material)))
    assert 'data-testid="approve"' in detail and 'data-testid="submit-review"' not in detail
    owner.post(url(material, "review/"), {"decision": "approve", "comment": "可以", "version": material.version})
    material.refresh_from_db()
    assert material.status == "approved"
    assert "审核结果已记录：已批准" in page(owner.get(url(material)))  # the message, then the badge
    assert "已批准" in page(owner.get(url(material)))
    owner.post(url(material, "accept/"), {"received_quantity": "480", "version": material.version})
    material.refresh_from_db()
    assert (material.status, material.received_quantity) == ("accepted", 480)
    data = {
        "leftover_quantity": "30",
        "leftover_action": "stock",
        "leftover_place": "二号仓库",
        "version": material.version,
    }
    assert owner.post(url(material, "leftovers/"), data).status_code == 302
    material.refresh_from_db()
    assert (material.leftover_quantity, material.leftover_action, material.leftover_place) == (30, "stock", "二号仓库")


def test_submitting_without_a_file_or_with_a_stale_version_is_refused(users, campaign, owner):
    material = make(users, campaign)
    response = owner.post(url(material, "submit/"), {"version": material.version}, follow=True)
    assert "请先上传文件" in page(response)
    with_file(users, material)
    assert writes(lambda: owner.post(url(material, "submit/"), {"version": material.version - 1})) == 0
    assert Material.objects.get().status == "draft"


def test_a_co_branded_material_needs_the_partners_approval_too(users, campaign, owner):
    material = in_review(users, make(users, campaign, partner_approval=True))
    owner.post(url(material, "review/"), {"decision": "approve", "version": material.version})
    material.refresh_from_db()
    assert material.status == "in_review"
    assert 'data-testid="approve"' not in page(owner.get(url(material)))  # our side has approved
    partner = logged_in(users["partner"])
    html = page(partner.get(url(material)))
    assert 'data-testid="approve"' in html and 'data-testid="submit-review"' not in html
    partner.post(url(material, "review/"), {"decision": "approve", "version": material.version})
    material.refresh_from_db()
    assert material.status == "approved"


def test_only_reviewers_review(users, campaign):
    material = in_review(users, make(users, campaign))
    for who in ("member", "viewer", "partner"):
        client = logged_in(users[who])
        assert "review-form" not in page(client.get(url(material))) if who != "partner" else True
        response = client.post(url(material, "review/"), {"decision": "approve", "version": material.version})
        assert response.status_code == (404 if who == "partner" else 403), who  # not shared with the partner
    assert Material.objects.get().status == "in_review"


def test_requesting_changes_and_review_errors(users, campaign, owner):
    material = in_review(users, make(users, campaign))
    no_decision = owner.post(url(material, "review/"), {"version": material.version})
    assert no_decision.status_code == 422 and no_decision.context["review_form"].non_field_errors()
    stale = owner.post(url(material, "review/"), {"decision": "approve", "version": material.version + 1})
    assert stale.status_code == 422 and 'data-testid="conflict"' in page(stale)
    assert Material.objects.get().status == "in_review"
    owner.post(
        url(material, "review/"), {"decision": "request_changes", "comment": "Logo 太小", "version": material.version}
    )
    material.refresh_from_db()
    assert material.status == "changes_requested"
    assert "Logo 太小" in page(owner.get(url(material)))


def test_acceptance_errors_show_in_its_form(users, campaign, owner):
    material = in_review(users, make(users, campaign, quantity=100))
    not_approved = owner.post(url(material, "accept/"), {"received_quantity": "100", "version": material.version})
    assert not_approved.status_code == 422 and "只有已批准的物料可以验收" in page(not_approved)
    services.material_review(actor=users["owner"], material=material, data={"decision": "approve"})
    bad = owner.post(url(material, "accept/"), {"received_quantity": "-3", "version": material.version})
    assert bad.status_code == 422 and bad.context["accept_form"].errors["received_quantity"]
    assert Material.objects.get().status == "approved"
    owner.post(url(material, "accept/"), {"received_quantity": "", "version": Material.objects.get().version})
    assert Material.objects.get().received_quantity == 100  # none typed: the ordered quantity


def test_leftover_errors_show_in_its_form_and_write_nothing(users, campaign, owner):
    material = in_review(users, make(users, campaign, quantity=100))
    services.material_review(actor=users["owner"], material=material, data={"decision": "approve"})
    services.material_accept(actor=users["owner"], material=material, data={"received_quantity": 90})
    material.refresh_from_db()
    too_many = owner.post(
        url(material, "leftovers/"),
        {"leftover_quantity": "95", "leftover_action": "scrap", "version": material.version},
    )
    assert too_many.status_code == 422 and too_many.context["leftover_form"].errors["leftover_quantity"]
    stale = owner.post(url(material, "leftovers/"), {"leftover_quantity": "5", "version": material.version - 1})
    assert stale.status_code == 422 and 'data-testid="conflict"' in page(stale)
    assert Material.objects.get().leftover_quantity is None


# --- comments -----------------------------------------------------------------------------------------------


def test_a_region_comment_is_pinned_numbered_and_resolved(users, campaign, owner, django_capture_on_commit_callbacks):
    material = make(users, campaign)
    with django_capture_on_commit_callbacks(execute=True):
        with_file(users, material)
    box = {"x": "0.1", "y": "0.2", "w": "0.3", "h": "0.25"}
    response = owner.post(url(material, "comments/"), {"body": "Logo 再放大一点", "revision": "1", **box})
    comment = MaterialComment.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"#comment-{comment.pk}")
    assert (comment.x, comment.w, comment.file.revision) == (0.1, 0.3, 1)
    html = page(owner.get(url(material)))
    assert "left:10.000%;top:20.000%;width:30.000%;height:25.000%" in html and 'data-testid="pin"' in html
    owner.post(url(material, "comments/"), {"body": "已改", "parent": comment.pk, "revision": "1"})
    reply = MaterialComment.objects.get(parent=comment)
    assert reply.x is None and "已改" in page(owner.get(url(material)))
    owner.post(url(material, f"comments/{comment.pk}/"), {"version": comment.version, "resolved": "1"})
    comment.refresh_from_db()
    assert comment.resolved and comment.resolved_by == users["owner"]
    stale = owner.post(url(material, f"comments/{comment.pk}/"), {"version": "1", "resolved": "0"}, follow=True)
    comment.refresh_from_db()
    assert comment.resolved and stale.context["messages"]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"body": ""}, "body"),
        ({"body": "框", "x": "0.9", "y": "0.1", "w": "0.5", "h": "0.1"}, "w"),
        ({"body": "框", "x": "0.1"}, "y"),
    ],
)
def test_a_bad_comment_shows_the_error_in_its_form_and_writes_nothing(users, campaign, owner, data, field):
    material = with_file(users, make(users, campaign))
    response = owner.post(url(material, "comments/"), {"revision": "1", **data})
    assert response.status_code == 422
    form = response.context["comment_form"]
    assert form.errors.get(field) or form.non_field_errors(), form.errors
    assert not MaterialComment.objects.exists()


def test_who_may_comment(users, campaign):
    shared = with_file(users, make(users, campaign, shared_with_partners=True))
    viewer = logged_in(users["viewer"])
    assert 'data-testid="comment-form"' not in page(viewer.get(url(shared)))
    assert viewer.post(url(shared, "comments/"), {"body": "看过了"}).status_code == 403
    partner = logged_in(users["partner"])
    assert 'data-testid="comment-form"' in page(partner.get(url(shared)))
    assert partner.post(url(shared, "comments/"), {"body": "颜色偏暗"}).status_code == 302
    assert [c.body for c in MaterialComment.objects.all()] == ["颜色偏暗"]


def test_an_upload_to_an_accepted_material_shows_the_refusal(users, campaign, owner):
    material = in_review(users, make(users, campaign))
    services.material_review(actor=users["owner"], material=material, data={"decision": "approve"})
    services.material_accept(actor=users["owner"], material=material, data={})
    material.refresh_from_db()
    assert 'data-testid="upload-form"' not in page(owner.get(url(material)))
    response = owner.post(url(material, "files/"), {"file": SimpleUploadedFile("v2.png", files.png(color=(0, 0, 0)))})
    assert response.status_code == 422 and "已验收" in page(response)
    assert MaterialFile.objects.count() == 1


def test_a_long_list_shows_a_hundred_a_page_with_its_filter_kept(users, campaign, owner):
    from campaignflow.materials.models import Material

    Material.objects.bulk_create(
        Material(campaign=campaign, code=f"M{i:03d}", name=f"物料{i}", status="draft", sort_order=i)
        for i in range(1, 131)
    )
    first = owner.get(f"/campaigns/{campaign.id}/materials/?status=draft")
    assert len(first.context["rows"]) == 100 and "1 / 2" in page(first)
    assert "?status=draft&amp;page=2" in page(first)
    second = owner.get(f"/campaigns/{campaign.id}/materials/?status=draft&page=2")
    assert [r["material"].code for r in second.context["rows"]][-1] == "M130" and len(second.context["rows"]) == 30


def test_a_material_without_a_file_offers_no_review_and_says_why(users, campaign, owner):
    material = make(users, campaign)
    Material.objects.filter(pk=material.pk).update(status="in_review")
    material.refresh_from_db()
    html = page(owner.get(url(material)))
    assert 'data-testid="approve"' not in html and "review-form" not in html
    assert 'data-testid="review-needs-file"' in html and "该物料尚无文件：请先上传第一版，之后才能审核。" in html
    refused = owner.post(url(material, "review/"), {"decision": "approve", "version": material.version})
    assert refused.status_code == 422 and "该物料尚无文件" in page(refused)  # shown above the form
    material.refresh_from_db()
    assert material.status == "in_review"
    # the phone's approvals list does not offer it either
    items = logged_in(users["owner"]).get("/today/approvals/").context["items"]
    assert not [i for i in items if i["kind"] == "material"]
