"""The installable app's three public files: the manifest, the service worker and the offline page (ADR 0017).

All three are the same for every reader (no one's data), so they may be cached and shown after a logout.
"""

import json

from django.http import HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.cache import cache_control

from campaignflow.core.pages import Pages

from . import shell

page = Pages()

THEME_COLOUR = "#14213d"  # the topbar (app.css)
BACKGROUND_COLOUR = "#f4f6fa"  # --bg (app.css)
START_URL = "/today/?source=pwa"


def manifest_data() -> dict:
    icons = [
        {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any"},
        {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any"},
        {"src": static("icons/maskable-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "maskable"},
        {"src": static("icons/maskable-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "maskable"},
    ]
    return {
        "id": "/today/",
        "name": "CampaignFlow 营销活动",
        "short_name": "CampaignFlow",
        "description": "营销活动策划与执行跟踪",
        "lang": "zh-CN",
        "dir": "ltr",
        "start_url": START_URL,
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": icons,
    }


@page("manifest.webmanifest", "manifest", public=True)
@cache_control(public=True, max_age=3600)
def manifest(request):
    body = json.dumps(manifest_data(), ensure_ascii=False, indent=2)
    return HttpResponse(body, content_type="application/manifest+json; charset=utf-8")


@page("sw.js", "service-worker", public=True)
def service_worker(request):
    """The worker's script with its settings written in front: served from the root so that its scope is the
    whole site, never cached by HTTP (the browser compares its bytes to find a new version)."""
    settings = {
        "CF_CACHE": f"cf-shell-{shell.shell_version()}",
        "CF_PRECACHE": shell.precache_urls(),
        "CF_OFFLINE_URL": shell.precache_urls()[-1],
        "CF_STATIC_URL": static(""),
    }
    preamble = "".join(f"const {name} = {json.dumps(value)};\n" for name, value in settings.items())
    response = HttpResponse(preamble + shell.worker_source(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@page("offline/", "offline", public=True)
def offline(request):
    """What a navigation shows without a connection: the same page for everyone (it is cached on the phone)."""
    response = render(request, shell.OFFLINE_TEMPLATE)
    response["Cache-Control"] = "no-cache"
    return response
