"""Browser tests: Playwright (pip) driving Debian's Chromium against a live server."""

import os
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

from tests.support.identity_fixtures import (  # noqa: F401  (the real identity servers for e2e/test_signin.py)
    dingtalk_server,
    feishu_server,
    oidc_provider,
    oidc_provider_factory,
    wecom_server,
)

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).parent / "screenshots"


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, settings):
    settings.AXES_ENABLED = False
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    page.console_errors = []
    page.on("console", lambda m: page.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.console_errors.append(str(e)))
    page.base = live_server.url
    yield page
    context.close()


@pytest.fixture
def owner(transactional_db):
    """王经理 (wangjl), with the built-in playbooks to create campaigns from."""
    from campaignflow.campaigns.playbook_sync import sync_builtin_playbooks
    from conftest import make_user

    sync_builtin_playbooks()
    return make_user("wangjl", display_name="王经理")


def new_campaign(actor, name: str, start, end, budget_total: str, /, *, playbook_key: str | None = None, **fields):
    """A campaign from `start` to `end` (dates or ISO text) made by `actor` through the service, as the
    new-campaign form makes it; with a playbook, its dated tasks too. `fields`: more of the form's fields."""
    from campaignflow.campaigns.services import campaign_create

    data = {"name": name, "start_date": str(start), "end_date": str(end), "budget_total": budget_total, **fields}
    campaign, _warnings = campaign_create(actor=actor, data=data, playbook_key=playbook_key)
    return campaign


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def login(page, username: str, password: str) -> None:
    page.goto(page.base + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/campaigns/")


def log_out(page) -> None:
    """Log out from the top bar and wait for the log-in page: the page first sends what is queued offline and
    clears this device's storage (ADR 0017), so the logout's navigation starts a moment after the click."""
    page.click(".topbar form[action='/logout/'] button")
    page.wait_for_url("**/login/")


def fill_new_campaign(page, name: str, playbook: str, start, end) -> None:
    """On the new-campaign page: type the name, pick the playbook and type the dates (dates or ISO text); the
    end date's `change` asks for the plan's preview."""
    page.fill("#id_name", name)
    page.select_option("#id_playbook", playbook)
    page.fill("#id_start_date", str(start))
    page.fill("#id_end_date", str(end))
    page.locator("#id_end_date").dispatch_event("change")


def htmx_ready(locator) -> None:
    """Wait until htmx has wired up the form of `locator`'s element. Content swapped in by htmx is
    processed a moment after it appears; a change fired before that sends no request."""
    locator.page.wait_for_function(
        "el => el.form && el.form['htmx-internal-data']", arg=locator.element_handle(), timeout=10_000
    )


def change(locator) -> None:
    """Fire `change` on an htmx-driven field once its form is wired up."""
    htmx_ready(locator)
    locator.dispatch_event("change")


def add_budget_lines(page, lines) -> None:
    """On the budget tab: add each (category, item, planned) line through the form and see it listed."""
    from playwright.sync_api import expect

    for category, item, planned in lines:
        page.click("[data-testid=add-line]")
        page.fill("#id_category", category)
        page.fill("#id_item", item)
        page.fill("#id_planned", planned)
        page.click("[data-testid=save-line]")
        expect(page.locator("[data-testid=budget-lines]")).to_contain_text(item)


def start_budget(page, lines) -> None:
    """Open the budget tab (a draft budget) and add `lines` (see add_budget_lines)."""
    from playwright.sync_api import expect

    page.click("[data-testid=tab-budget]")
    expect(page.locator("[data-testid=budget-status]")).to_have_attribute("data-status", "draft")
    add_budget_lines(page, lines)


def upload_file(page, path) -> None:
    """On the data tab: choose the file and send it (a preview follows, or a background job for a large one)."""
    page.set_input_files("[data-testid=upload-file]", str(path))
    page.locator("[data-testid=upload-form] button[type=submit]").click()


def import_file(page, path, previewed: tuple[str, ...], screenshot: str):
    """On the data tab: send the file, see each of `previewed` in its preview (screenshot `screenshot`), confirm
    the import and see the file among the import batches; returns the batches' table."""
    from playwright.sync_api import expect

    upload_file(page, path)
    preview = page.locator("[data-testid=preview]")
    for text in previewed:
        expect(preview).to_contain_text(text)
    shot(page, screenshot)
    page.click("[data-testid=confirm-import]")
    batches = page.locator("[data-testid=batches]")
    expect(batches).to_contain_text(path.name)
    return batches
