"""Every main page of the demo, in Chinese and English: it renders, and no page logs a JavaScript
error (which includes Content-Security-Policy violations)."""

import io

import pytest
from django.core.management import call_command

from e2e.conftest import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", stdout=io.StringIO())
    from campaignflow.campaigns.models import Campaign

    return Campaign.objects.get(name="冬季新品焕新季促销")


def _tab_urls(page, base) -> list[str]:
    return [
        base + href
        for href in page.eval_on_selector_all(
            "[data-testid=campaign-tabs] a", "els => els.map(e => e.getAttribute('href'))"
        )
    ]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_main_pages_render_without_javascript_errors(page, demo, language):
    login(page, "wangjl", "CampaignFlow2025")
    if language == "en":
        with page.expect_navigation():
            page.select_option("[data-testid=language]", "en")  # the switch submits its form
    page.goto(f"{page.base}/campaigns/{demo.pk}/")
    urls = [
        f"{page.base}/campaigns/",
        f"{page.base}/playbooks/",
        f"{page.base}/playbooks/enterprise-campaign/",
        f"{page.base}/inbox/",
        f"{page.base}/profile/",
        *_tab_urls(page, page.base),
    ]
    assert len(urls) > 8, urls
    visited = []
    for url in dict.fromkeys(urls):
        response = page.goto(url)
        page.wait_for_load_state("networkidle")
        assert response.status == 200, url
        visited.append(url)
        if language == "zh-hans":
            assert page.locator("html").get_attribute("lang") == "zh-hans"
    shot(page, f"pages-last-{language}")
    assert page.console_errors == [], page.console_errors
    assert len(visited) == len(dict.fromkeys(urls))


def test_top_bar_fits_a_phone(browser, live_server, demo, settings):
    """At 390 px the top bar wraps (its menu scrolls inside its own row) instead of widening the page, and
    its links stay tappable; the people-facing list pages scroll no wider than the screen."""
    settings.AXES_ENABLED = False
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="zh-CN"
    )
    page = context.new_page()
    page.base = live_server.url
    try:
        login(page, "wangjl", "CampaignFlow2025")
        for path in ("/campaigns/", "/playbooks/", "/my/tasks/", "/inbox/", "/profile/"):
            page.goto(page.base + path)
            page.wait_for_load_state("networkidle")
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, f"{path} is {width} px wide"
        heights = page.eval_on_selector_all(".mainnav a", "els => els.map(e => e.getBoundingClientRect().height)")
        assert heights and min(heights) >= 40, heights
        shot(page, "phone-top-bar")
    finally:
        context.close()
