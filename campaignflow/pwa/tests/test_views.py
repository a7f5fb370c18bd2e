"""The installable app's files (manifest, service worker, offline page), the logout's clearing and the answers a
form sent by offline.js gets (ADR 0017)."""

import json
import struct

import pytest
from django.test import Client

from campaignflow.pwa import shell
from conftest import logged_in

pytestmark = pytest.mark.django_db


def test_the_manifest_describes_the_app():
    response = Client().get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/manifest+json")
    manifest = json.loads(response.content)
    assert manifest["name"] == "CampaignFlow 营销活动"
    assert manifest["short_name"] == "CampaignFlow"
    assert manifest["lang"] == "zh-CN"
    assert manifest["start_url"] == "/today/?source=pwa"
    assert manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#14213d" and manifest["background_color"] == "#f4f6fa"
    sizes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("192x192", "maskable"), ("512x512", "maskable")} <= sizes


def test_each_icon_is_a_png_of_its_declared_size():
    client = Client()
    manifest = json.loads(client.get("/manifest.webmanifest").content)
    for icon in [*manifest["icons"], {"src": "/static/icons/apple-touch-icon.png", "sizes": "180x180"}]:
        body = b"".join(client.get(icon["src"]).streaming_content)
        assert body[:8] == b"\x89PNG\r\n\x1a\n", icon["src"]
        width, height = struct.unpack(">II", body[16:24])
        assert f"{width}x{height}" == icon["sizes"]


def test_the_service_worker_is_served_from_the_root_uncached():
    response = Client().get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    script = response.content.decode()
    assert f'const CF_CACHE = "cf-shell-{shell.shell_version()}";' in script
    precache = json.loads(script.split("const CF_PRECACHE = ", 1)[1].split(";\n", 1)[0])
    assert "/offline/" in precache and "/static/js/offline.js" in precache and "/static/css/app.css" in precache
    assert not any(url.startswith(("/api/", "/admin/")) for url in precache)
    assert 'addEventListener("fetch"' in script  # the static file's code follows the settings


def test_the_cache_name_changes_with_a_static_file(settings, tmp_path):
    before = shell._digest()
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "app.css").write_text("body { color: red; }")
    settings.STATICFILES_DIRS = [tmp_path, *settings.STATICFILES_DIRS]
    assert shell._digest() != before


def test_the_offline_page_is_public_and_names_no_one(users):
    anonymous = Client(HTTP_ACCEPT_LANGUAGE="en").get("/offline/")
    assert anonymous.status_code == 200 and "You are offline" in anonymous.content.decode()
    signed_in = logged_in(users["owner"]).get("/offline/")
    page = signed_in.content.decode()
    assert "你已离线" in page
    assert users["owner"].username not in page and users["owner"].label not in page
    assert "csrfmiddlewaretoken" not in page and "Set-Cookie" not in str(signed_in.headers)


def test_pages_link_the_manifest_and_name_the_signed_in_user_for_offline_js(users):
    page = logged_in(users["owner"]).get("/campaigns/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    assert '<meta name="theme-color" content="#14213d">' in page
    assert f'<meta name="cf-user" content="{users["owner"].pk}" data-logout="/logout/">' in page
    assert "/static/js/offline.js" in page
    login_page = Client().get("/login/").content.decode()
    assert "cf-user" not in login_page and '<link rel="manifest"' in login_page


def test_logout_tells_the_browser_to_clear_the_cache_and_storage_and_the_login_page_still_works(users):
    client = logged_in(users["owner"])
    response = client.post("/logout/")
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    login = client.get(response["Location"])
    assert login.status_code == 200 and "Clear-Site-Data" not in login
    assert "csrfmiddlewaretoken" in login.content.decode()


def test_a_fetched_form_learns_where_the_saved_page_goes(users, campaign):
    client = logged_in(users["owner"])
    url = f"/campaigns/{campaign.id}/execution/"
    data = {"date": "2025-06-10", "done": "完成"}
    plain = client.post(url, data)
    assert plain.status_code == 302  # an ordinary form post is unchanged
    fetched = client.post(url, {**data, "done": "再次完成", "version": "1"}, HTTP_X_CF_SUBMIT="fetch")
    assert fetched.status_code == 204 and "Location" not in fetched
    assert fetched["X-CF-Location"] == f"{url}?date=2025-06-10"
    assert "messages" in fetched.cookies  # "saved" waits for the page the script opens


def test_a_fetched_form_of_a_signed_out_person_is_401(campaign):
    response = Client().post(f"/campaigns/{campaign.id}/execution/", {"done": "x"}, HTTP_X_CF_SUBMIT="fetch")
    assert response.status_code == 401
    assert response["X-CF-Location"].startswith("/login/?next=")
