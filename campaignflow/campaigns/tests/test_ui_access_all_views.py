"""Every web page under /campaigns/<pk>/…, found from the URL configuration (so a new page is covered
automatically): anonymous users are sent to log in, non-members get 404, the owner gets the page, and
POST-only actions refuse GET."""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver


def _campaign_routes(patterns=None, prefix=""):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            yield from _campaign_routes(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            if route.startswith("campaigns/<int:pk>/") and route.count("<") == 1:
                yield route


ROUTES = sorted(set(_campaign_routes()))


def test_there_are_campaign_pages_to_check():
    assert len(ROUTES) >= 20, ROUTES


@pytest.mark.parametrize("route", ROUTES)
def test_campaign_page_access(route, users, campaign):
    url = "/" + route.replace("<int:pk>", str(campaign.pk))
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and anonymous.url.startswith("/login/"), (url, anonymous.status_code)
    outsider = Client()
    outsider.force_login(users["outsider"])
    assert outsider.get(url).status_code in (404, 405), url
    owner = Client()
    owner.force_login(users["owner"])
    status = owner.get(url).status_code
    assert status in (200, 302, 405), (url, status)
