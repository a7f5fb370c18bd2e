"""The app shell the service worker keeps on the phone, and the version that names its cache.

Only files that are the same for every reader are in it: the stylesheets, scripts, icons and the offline page
(which shows no one's data). The version is a digest of every static file's content, so a deploy that changes
any of them gives the worker new bytes: the browser installs it and it drops the previous cache (ADR 0017).
"""

import hashlib
from functools import cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import get_template
from django.templatetags.static import static
from django.urls import reverse

SHELL_STATIC = (
    "css/app.css",
    "css/offline.css",
    "js/app.js",
    "js/offline.js",
    "vendor/htmx.min.js",
    "icons/icon-192.png",
    "icons/maskable-192.png",
)
WORKER_SOURCE = "js/sw.js"
OFFLINE_TEMPLATE = "pwa/offline.html"


def precache_urls() -> list[str]:
    """What the worker fetches when it installs: the shell's static files and the offline page."""
    return [static(path) for path in SHELL_STATIC] + [reverse("pwa:offline")]


def worker_source() -> str:
    """The service worker's script as written (static/js/sw.js)."""
    return _read_static(WORKER_SOURCE).decode("utf-8")


def shell_version() -> str:
    """12 hex digits that change whenever a static file or the offline page's template changes.

    Read once per process (a deploy starts new processes); with DEBUG on, on every request, so an edited
    file reaches the browser during development."""
    return _digest() if settings.DEBUG else _cached_digest()


@cache
def _cached_digest() -> str:
    return _digest()


def _digest() -> str:
    digest = hashlib.sha256()
    for path, storage in sorted(_static_files(), key=lambda item: item[0]):
        digest.update(path.encode())
        with storage.open(path) as handle:
            digest.update(hashlib.sha256(handle.read()).digest())
    digest.update(get_template(OFFLINE_TEMPLATE).template.source.encode())
    return digest.hexdigest()[:12]


def _static_files():
    seen = set()
    for finder in finders.get_finders():
        for path, storage in finder.list([]):
            if path not in seen:  # the first finder's file is the one served, as in `static()`
                seen.add(path)
                yield path, storage


def _read_static(path: str) -> bytes:
    found = finders.find(path)
    if not found:
        raise FileNotFoundError(path)
    with open(found, "rb") as handle:
        return handle.read()
