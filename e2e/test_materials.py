"""Materials (物料) in the browser: add a material, upload a PNG revision, wait for its preview, pin a comment
on a box drawn on the image, submit it for review and approve it; then the same page on a phone, where a
box is drawn with a finger and nothing scrolls sideways; the materials as milestones on the Gantt."""

import io

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from e2e.conftest import login, new_campaign, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "locale": "zh-CN"}


@pytest.fixture
def campaign(owner, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # previews wait in the queue (the database backend) until the test makes them: the page polls meanwhile
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    return new_campaign(owner, "2025春季新品发布会", "2025-03-01", "2025-03-31", "300000")


@pytest.fixture
def poster(tmp_path):
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (900, 600), (200, 30, 40))
    ImageDraw.Draw(image).rectangle((300, 200, 600, 400), fill=(255, 255, 255))
    path = tmp_path / "主视觉海报.png"
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())
    return path


def make_pending_previews() -> None:
    """What the worker does: make the previews waiting in the queue."""
    from campaignflow.materials import previews
    from campaignflow.materials.models import MaterialFile

    for file in MaterialFile.objects.filter(preview_status="pending"):
        previews.make(file)


def drag_with_mouse(page, box, start, end) -> None:
    page.mouse.move(box["x"] + box["width"] * start[0], box["y"] + box["height"] * start[1])
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * end[0], box["y"] + box["height"] * end[1], steps=8)
    page.mouse.up()


def drag_with_finger(page, box, start, end) -> None:
    """A one-finger drag through Chromium's touch input (the browser turns it into touch pointer events)."""
    cdp = page.context.new_cdp_session(page)

    def at(fraction):
        return [{"x": box["x"] + box["width"] * fraction[0], "y": box["y"] + box["height"] * fraction[1]}]

    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": at(start)})
    for step in range(1, 9):
        point = [start[i] + (end[i] - start[i]) * step / 8 for i in (0, 1)]
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": at(point)})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


def test_pin_a_comment_on_a_poster_and_approve_it(page, campaign, poster, browser, live_server):
    login(page, "wangjl", PASSWORD)
    page.goto(f"{page.base}/campaigns/{campaign.pk}/")
    page.click("[data-testid=tab-materials]")
    page.fill("#id_name", "主视觉海报")
    page.select_option("#id_kind", "poster")
    page.fill("#id_quantity", "500")
    page.fill("#id_unit", "张")
    page.fill("#id_due_date", "2025-02-26")
    page.click("[data-testid=save-material]")
    row = page.locator("[data-testid=material-M001]")
    expect(row).to_contain_text("主视觉海报")
    expect(row.locator("[data-testid=material-status]")).to_have_text("草稿")
    expect(row.locator("[data-testid=overdue]")).to_be_visible()  # due before today, not accepted
    page.screenshot(path="/tmp/materials_list_desktop.png", full_page=True)

    row.locator("[data-testid=material-link]").click()
    script = poster.with_name("logo.svg")
    script.write_text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    page.set_input_files("[data-testid=upload-file]", str(script))
    page.click("[data-testid=upload-submit]")  # refused: the upload card comes back with the reason
    expect(page.locator("[data-upload-error]")).to_contain_text("SVG")
    expect(page.locator("[data-testid=no-file]")).to_be_visible()
    assert [e for e in page.console_errors if "422" not in e] == [], page.console_errors
    page.console_errors.clear()  # the refused upload's 422 is the one expected
    page.set_input_files("[data-testid=upload-file]", str(poster))
    page.click("[data-testid=upload-submit]")
    expect(page.locator("[data-testid=preview-pending]")).to_be_visible()  # the placeholder polls
    make_pending_previews()
    image = page.locator("[data-testid=preview-image]")
    expect(image).to_be_visible(timeout=10_000)
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())

    drag_with_mouse(page, image.bounding_box(), (0.3, 0.3), (0.7, 0.65))
    expect(page.locator("[data-region-chosen]")).to_be_visible()
    page.fill("[data-testid=comment-form] textarea", "Logo 再放大一点")
    page.click("[data-testid=save-comment]")
    expect(page.locator("[data-testid=pin]")).to_have_count(1)
    expect(page.locator("[data-testid=thread]")).to_contain_text("Logo 再放大一点")
    from campaignflow.materials.models import MaterialComment

    comment = MaterialComment.objects.get()
    assert comment.x == pytest.approx(0.3, abs=0.02) and comment.w == pytest.approx(0.4, abs=0.02)

    page.click("[data-testid=submit-review]")
    expect(page.locator("[data-testid=material-name] [data-testid=material-status]")).to_have_text("审核中")
    page.fill("[data-testid=review-form] textarea", "可以定稿")
    page.click("[data-testid=approve]")
    expect(page.locator("[data-testid=material-name] [data-testid=material-status]")).to_have_text("已批准")
    expect(page.locator("[data-testid=history]")).to_contain_text("可以定稿")
    page.screenshot(path="/tmp/materials_desktop.png", full_page=True)
    shot(page, "materials-01-desktop")
    assert page.console_errors == [], page.console_errors

    phone = browser.new_context(**PHONE)
    mobile = phone.new_page()
    mobile.base = live_server.url
    try:
        login(mobile, "wangjl", PASSWORD)
        for path in ("materials/", f"materials/{comment.material_id}/"):
            mobile.goto(f"{mobile.base}/campaigns/{campaign.pk}/{path}")
            mobile.wait_for_load_state("networkidle")
            width = mobile.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, f"{path} is {width} px wide"
            mobile.screenshot(path=f"/tmp/materials_phone_{path.count('/')}.png", full_page=True)
        mobile.click("[data-draw-toggle]")
        image = mobile.locator("[data-testid=preview-image]")
        drag_with_finger(mobile, image.bounding_box(), (0.1, 0.1), (0.3, 0.25))
        expect(mobile.locator("[data-region-chosen]")).to_be_visible()
        mobile.fill("[data-testid=comment-form] textarea", "背景颜色偏暗")
        mobile.click("[data-testid=save-comment]")
        expect(mobile.locator("[data-testid=pin]")).to_have_count(2)
        assert mobile.evaluate("document.documentElement.scrollWidth") <= 390
        mobile.screenshot(path="/tmp/materials_phone.png", full_page=True)
        shot(mobile, "materials-02-phone")
    finally:
        phone.close()
    assert MaterialComment.objects.filter(body="背景颜色偏暗", x__isnull=False).exists()


def test_materials_are_milestones_on_the_gantt(page, campaign):
    """The materials list on the Gantt (issue #20): a read-only group row 物料 with a milestone per material
    on its due date, its code, name and status beside it, a late one marked; a double click opens it."""
    import datetime as dt

    from django.utils import timezone

    from campaignflow.materials.models import Material

    today = timezone.localdate()
    late = Material.objects.create(
        campaign=campaign, code="M001", name="主视觉海报", due_date=today - dt.timedelta(days=2), sort_order=1
    )
    Material.objects.create(
        campaign=campaign, code="M002", name="展架", due_date=today + dt.timedelta(days=3), status="approved"
    )
    login(page, "wangjl", PASSWORD)
    page.goto(f"{page.base}/campaigns/{campaign.pk}/gantt/")
    page.locator("#gantt-app[data-loaded]").wait_for(state="attached")
    chart = page.locator("[data-testid=gantt]")
    expect(chart.locator(".gantt_grid_data")).to_contain_text("物料")
    sides = chart.locator(".gantt_side_content")
    expect(sides.filter(has_text="M001 主视觉海报 · 草稿 ⚠ 已逾期")).to_have_count(1)
    expect(sides.filter(has_text="M002 展架 · 已批准")).to_have_count(1)
    expect(chart.locator(".gantt_task_line.cf-marker")).to_have_count(2)
    expect(chart.locator(".gantt_task_line.cf-marker-late")).to_have_count(1)
    expect(page.locator("#gantt-legend .cf-marker-legend")).to_have_text("物料")
    shot(page, "materials-03-gantt")
    chart.locator(f".gantt_grid_data [data-task-id=materials-{late.pk}]").dblclick()  # its row in the grid
    page.wait_for_url(f"**/campaigns/{campaign.pk}/materials/{late.pk}/")
    assert page.console_errors == [], page.console_errors
