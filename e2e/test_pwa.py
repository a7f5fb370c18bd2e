"""The installable app on a phone (ADR 0017): the service worker controls the page and serves the app shell
without a connection, a page opened offline is the offline page (never someone's page), a stand-up written offline
waits in the queue and is sent exactly once (also after a reload, also when the answer of a send was lost), a
stale one is a conflict that overwrites nothing, drafts come back after a reload, and logging out leaves nothing
of the person on the phone."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD, make_user
from e2e.conftest import log_out, login, new_campaign, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "locale": "zh-CN"}

QUEUE = """() => new Promise((resolve) => {
    const opening = indexedDB.open("cf-offline", 1);
    opening.onupgradeneeded = () => opening.result.createObjectStore("queue", { keyPath: "id", autoIncrement: true });
    opening.onsuccess = () => {
        const db = opening.result;
        const all = db.transaction("queue").objectStore("queue").getAll();
        all.onsuccess = () => { db.close(); resolve(all.result); };
    };
})"""
CACHED = """async () => {
    const found = {};
    for (const key of await caches.keys()) found[key] = (await (await caches.open(key)).keys()).map((r) => new URL(r.url).pathname);
    return found;
}"""
QUEUE_EMPTY = QUEUE.replace("resolve(all.result)", "resolve(all.result.length === 0)")
OURS_IN_STORAGE = "() => Object.keys(localStorage).filter((k) => k.startsWith('cf-'))"


@pytest.fixture
def campaign(owner):
    today = dt.date.today()
    campaign = new_campaign(
        owner, "618大促直播", today - dt.timedelta(days=10), today + dt.timedelta(days=20), "300000"
    )
    from campaignflow.campaigns.models import Membership

    Membership.objects.create(campaign=campaign, user=make_user("lina", display_name="李娜"), role="member")
    return campaign


@pytest.fixture
def phone(browser, live_server, settings):
    settings.AXES_ENABLED = False
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.set_default_timeout(15000)
    page.base = live_server.url
    yield page
    context.close()


def controlled(page) -> None:
    """Wait until the service worker is active and controls the page. A page whose navigation began while the
    worker was still installing stays uncontrolled (the worker's clients.claim() came before it): reload it."""
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    if not page.evaluate("() => navigator.serviceWorker.controller !== null"):
        page.reload()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")


def standups_and_audits(owner):
    from campaignflow.core.models import AuditEntry
    from campaignflow.execution.models import Standup

    audits = AuditEntry.objects.filter(object_type="execution.standup", actor=owner).count()
    return Standup.objects.filter(user=owner).count(), audits


def open_standup(page, campaign):
    page.goto(f"{page.base}/campaigns/{campaign.id}/execution/")
    controlled(page)


def sign_in_to_standup(page, campaign, username: str = "wangjl") -> None:
    login(page, username, PASSWORD)
    open_standup(page, campaign)


def queue_standup(page, done: str) -> None:
    """Write a stand-up and send it when it cannot go (offline, or the server unreachable): it waits in the queue."""
    page.fill("#id_done", done)
    page.click("[data-testid=standup-form] button[type=submit]")
    expect(page.locator("[data-testid=offline-queue-badge]")).to_have_text("1")


def test_the_worker_serves_the_shell_offline_and_never_a_page(phone, owner, campaign):
    sign_in_to_standup(phone, campaign)
    cached = phone.evaluate(CACHED)
    assert len(cached) == 1 and next(iter(cached)).startswith("cf-shell-")
    paths = next(iter(cached.values()))
    assert {"/static/css/app.css", "/static/js/app.js", "/static/js/offline.js", "/offline/"} <= set(paths)
    # only static files and the offline page: no page of the signed-in person, no API answer
    assert all(p.startswith("/static/") or p == "/offline/" for p in paths), paths

    phone.context.set_offline(True)
    static = phone.evaluate("async () => (await fetch('/static/css/app.css')).status")
    assert static == 200  # from the cache
    phone.goto(f"{phone.base}/campaigns/{campaign.id}/")
    expect(phone.locator("[data-testid=offline-page]")).to_contain_text("你已离线")
    assert "王经理" not in phone.content() and "618大促直播" not in phone.content()
    shot(phone, "pwa-offline-page-390")
    phone.context.set_offline(False)
    assert all(p.startswith("/static/") or p == "/offline/" for p in next(iter(phone.evaluate(CACHED).values())))


def test_a_stand_up_written_offline_is_sent_once(phone, owner, campaign):
    sign_in_to_standup(phone, campaign)
    phone.context.set_offline(True)
    queue_standup(phone, "直播间灯光调试完成，主播彩排两轮")
    expect(phone.locator("[data-testid=offline-note]")).to_contain_text("已离线保存，联网后自动提交")
    shot(phone, "pwa-standup-queued-390")
    assert standups_and_audits(owner) == (0, 0)

    phone.reload()  # offline: the offline page; the queue stays on the phone
    expect(phone.locator("[data-testid=offline-page]")).to_be_visible()
    assert len(phone.evaluate(QUEUE)) == 1

    phone.context.set_offline(False)
    open_standup(phone, campaign)  # the page sends what waits when it opens
    expect(phone.locator("[data-testid=offline-queue-badge]")).to_be_hidden()
    phone.wait_for_function(QUEUE_EMPTY)
    assert standups_and_audits(owner) == (1, 1)
    phone.reload()
    expect(phone.locator("[data-testid=standup-wangjl]")).to_contain_text("直播间灯光调试完成")
    assert standups_and_audits(owner) == (1, 1)


def test_a_send_whose_answer_was_lost_is_sent_again_and_saved_once(phone, owner, campaign):
    """The server saved it but the phone never heard (the page was reloaded mid-send): the item is still queued,
    it goes again with the same client_key, and the server answers "done" without a second write."""
    sign_in_to_standup(phone, campaign)
    phone.context.set_offline(True)
    queue_standup(phone, "样品寄出 30 份")

    lost = []

    def save_then_lose_the_answer(route):
        if route.request.method != "POST" or route.request.headers.get("x-cf-submit") != "fetch":
            return route.continue_()
        route.fetch(max_redirects=0)  # the server saves it...
        lost.append(route.request.post_data)
        route.abort()  # ...and the phone never hears

    phone.context.route("**/execution/**", save_then_lose_the_answer)
    phone.context.set_offline(False)
    phone.evaluate("() => window.cfOffline.flush()")
    assert len(lost) == 1 and "client_key=" in lost[0]
    assert standups_and_audits(owner) == (1, 1)
    assert len(phone.evaluate(QUEUE)) == 1  # still waiting, as after a reload in the middle of the send

    phone.context.unroute("**/execution/**")
    phone.reload()
    controlled(phone)
    phone.wait_for_function(QUEUE_EMPTY)
    assert standups_and_audits(owner) == (1, 1)


def test_a_stale_stand_up_sent_from_the_queue_overwrites_nothing(phone, owner, campaign):
    from campaignflow.execution import services
    from campaignflow.execution.models import Standup

    services.standup_save(actor=owner, campaign=campaign, data={"done": "上午：场地确认"})
    sign_in_to_standup(phone, campaign)
    phone.context.set_offline(True)
    queue_standup(phone, "手机上离线改的")

    standup = Standup.objects.get()
    services.standup_save(
        actor=owner, campaign=campaign, data={"done": "电脑上改过", "version": standup.version}
    )  # meanwhile, on the desktop
    phone.context.set_offline(False)
    phone.evaluate("() => window.cfOffline.flush()")
    expect(phone.locator("[data-testid=offline-note]")).to_contain_text("有更新的版本")
    expect(phone.locator("[data-testid=offline-queue-badge]")).to_be_hidden()
    shot(phone, "pwa-standup-conflict-390")
    assert Standup.objects.get().done == "电脑上改过"
    assert standups_and_audits(owner) == (1, 2)
    phone.reload()  # the draft is kept: what was typed offline comes back to be checked
    expect(phone.locator("#id_done")).to_have_value("手机上离线改的")
    expect(phone.locator("[data-testid=offline-note]")).to_contain_text("已恢复草稿")


def test_a_draft_comes_back_after_a_reload_and_goes_once_saved(phone, owner, campaign):
    sign_in_to_standup(phone, campaign)
    phone.fill("#id_need_support", "需要设计同事支援两张海报")
    phone.reload()
    expect(phone.locator("#id_need_support")).to_have_value("需要设计同事支援两张海报")
    expect(phone.locator("[data-testid=offline-note]")).to_contain_text("已恢复草稿")
    shot(phone, "pwa-draft-restored-390")
    phone.click("[data-testid=standup-form] button[type=submit]")
    expect(phone.locator(".msg-success")).to_be_visible()
    assert phone.evaluate(OURS_IN_STORAGE) == []
    phone.reload()
    expect(phone.locator("[data-testid=offline-note]")).to_have_count(0)


def queue_while_the_server_is_unreachable(page, campaign) -> None:
    """A queued stand-up that cannot be sent (every script-sent form fails) and a draft of another day."""
    page.context.route(
        "**/execution/**",
        lambda route: route.abort() if route.request.headers.get("x-cf-submit") else route.continue_(),
    )
    open_standup(page, campaign)
    queue_standup(page, "离线队列里的站会")
    page.goto(f"{page.base}/campaigns/{campaign.id}/execution/?date={dt.date.today() - dt.timedelta(days=1)}")
    page.fill("#id_done", "昨天的草稿")
    page.evaluate("() => localStorage.setItem('cf-checkin-queue-1', '[{\"code\": \"T1\"}]')")
    assert len(page.evaluate(OURS_IN_STORAGE)) == 3  # two drafts and the door's queue


def assert_nothing_left(page) -> None:
    assert page.evaluate("async () => (await caches.keys()).length") == 0
    assert page.evaluate(QUEUE) == []
    assert not [k for k in page.evaluate(OURS_IN_STORAGE) if k.startswith(("cf-draft:", "cf-notice:"))]


def test_logging_out_leaves_nothing_for_the_next_person(phone, owner, campaign):
    login(phone, "wangjl", PASSWORD)
    queue_while_the_server_is_unreachable(phone, campaign)
    log_out(phone)
    assert_nothing_left(phone)
    assert phone.evaluate(OURS_IN_STORAGE) == []  # Clear-Site-Data: the door's queue too
    phone.context.unroute("**/execution/**")

    sign_in_to_standup(phone, campaign, "lina")
    expect(phone.locator("[data-testid=offline-queue-badge]")).to_be_hidden()
    expect(phone.locator("#id_done")).to_have_value("")
    expect(phone.locator("[data-testid=offline-note]")).to_have_count(0)
    assert phone.evaluate(QUEUE) == []
    assert standups_and_audits(owner) == (0, 0)


def test_the_page_clears_on_logout_even_without_clear_site_data(phone, owner, campaign):
    """A browser that ignores Clear-Site-Data: the page's own clearing still removes this person's queue, drafts
    and the caches (the door's queue, not this script's, is then left to the header)."""

    def without_clear_site_data(route):
        response = route.fetch(max_redirects=0)
        headers = {k: v for k, v in response.headers.items() if k.lower() != "clear-site-data"}
        route.fulfill(response=response, headers=headers)

    login(phone, "wangjl", PASSWORD)
    queue_while_the_server_is_unreachable(phone, campaign)
    phone.context.route("**/logout/", without_clear_site_data)
    log_out(phone)
    assert_nothing_left(phone)
    assert phone.evaluate(OURS_IN_STORAGE) == ["cf-checkin-queue-1"]
