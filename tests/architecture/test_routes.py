"""Each page route reaches its own view: pages are declared on their views (core.pages), in module order, so a
general route declared before a specific one would silently take its requests."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve


def _page_routes(resolver=None, prefix="", namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if str(pattern.pattern) in ("api/v1/", "admin/"):
                continue
            yield from _page_routes(pattern, prefix + str(pattern.pattern), pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), namespace, pattern


def _example_path(route: str) -> str:
    """The route with each converter filled in: a number for <int:…>, a word for the others."""
    return "/" + re.sub(r"<(?!int:)\w+:\w+>", "abc", re.sub(r"<int:\w+>", "7", route))


ROUTES = list(_page_routes())


def test_the_pages_are_all_there():
    assert len(ROUTES) > 100


@pytest.mark.parametrize("route,namespace,pattern", ROUTES, ids=[route or "/" for route, _, _ in ROUTES])
def test_a_route_reaches_its_own_view(route, namespace, pattern):
    match = resolve(_example_path(route))
    assert (match.namespace, match.url_name) == (namespace, pattern.name)
    assert match.func is pattern.callback


OPEN = {
    ("events", "public"),
    ("events", "ticket"),
    ("events", "ticket-ics"),
    ("", "login"),
    ("", "logout"),
    # the company sign-ins (ADR 0015): whoever uses them is not signed in yet
    ("signin", "oidc-start"),
    ("signin", "oidc-callback"),
    ("signin", "in-app"),
    ("signin", "chat-app-code"),
    ("signin", "chat-callback"),
    ("signin", "chat-start"),
    # the chat platforms call these (ADR 0018): they act only on a request signed with the app's keys
    ("chatcards", "feishu-card"),
    ("chatcards", "wecom-callback"),
    # the installable app's manifest, service worker and offline page (ADR 0017): the same for everyone
    ("pwa", "manifest"),
    ("pwa", "service-worker"),
    ("pwa", "offline"),
}
# Django's language switch and catalogue, and the health check: not pages of ours
PAGES = [r for r in ROUTES if not r[0].startswith(("i18n/", "jsi18n/", "healthz"))]


@pytest.mark.django_db
@pytest.mark.parametrize("route,namespace,pattern", PAGES, ids=[route or "/" for route, _, _ in PAGES])
def test_a_page_needs_a_signed_in_user_unless_it_is_open(client, route, namespace, pattern):
    """Pages sign in by default (core.pages); only the event registration pages, the login, logout and the company
    sign-in pages are open. (An open page may itself send the browser to the login page, without `next`: a failed
    sign-in's message, an ordinary browser at the in-app sign-in.)"""
    response = client.get(_example_path(route))
    signing_in = response.status_code == 302 and response["Location"].startswith("/login/?next=")
    assert signing_in != ((namespace, pattern.name) in OPEN), response.status_code
