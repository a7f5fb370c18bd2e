"""Benchmark: the pages a phone opens every day (issue #23: "Today and the stand-up form under 150 KB of
JavaScript and CSS transferred, LCP ≤ 1.5 s on a throttled mid-range phone profile (4× CPU slowdown,
Fast 3G) measured in Chromium").

The data: a director who manages `campaigns` campaigns being executed today, each with a task due, a channel
without today's numbers, an open alert, a submitted budget, a held overrun and a material in review (the
list-query-count case `me/today` of tests/support/list_factories.py, committed: gunicorn reads it).

Each page is opened in Chromium (Debian's, through Playwright) at 390×844 with touch, signed in, the browser
cache off (a first visit), through the Chrome DevTools Protocol: Emulation.setCPUThrottlingRate 4 and
Network.emulateNetworkConditions "Fast 3G" (562.5 ms latency, 1.6 Mbps down, 750 kbps up). Figures, per
page: the bytes of JavaScript and CSS transferred (encodedDataLength of every script and stylesheet
response, headers included, plus the CSS the phone pages carry in a <style>) and the Largest Contentful Paint, median of the measured loads after a warm-up
load, once every gunicorn worker (4, as deployed) has answered a few requests (its first imports and
connects).

Run alone: `.venv/bin/python -m bench.bench_phone` (a temporary SQLite file, migrated, as `python -m bench`
sets up). `bench/__main__.py` runs it as its "phone" step.
"""

from __future__ import annotations

import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

BYTES_GOAL_KB = 150
WORKERS = 4
STATIC = ["/static/js/app.js"]
LCP_GOAL_MS = 1500
FAST_3G = {
    "offline": False,
    "latency": 562.5,
    "downloadThroughput": 1.6 * 1024 * 1024 / 8,
    "uploadThroughput": 750 * 1024 / 8,
}
LCP = """() => new Promise((resolve) => {
    new PerformanceObserver((list) => {
        const entries = list.getEntries();
        resolve(entries[entries.length - 1].startTime);
    }).observe({type: "largest-contentful-paint", buffered: true});
    setTimeout(() => resolve(null), 10000);
})"""


def _data(admin, campaigns: int):
    """The director and the id of one of their campaigns (for the stand-up page)."""
    from tests.support.list_factories import Env, _my_today

    target = _my_today(Env(admin), campaigns)
    from campaignflow.campaigns.models import Membership

    campaign_id = Membership.objects.filter(user=target.user).values_list("campaign_id", flat=True).first()
    return target.user, campaign_id


def _warm(base: str, session: str, paths: list[str]) -> None:
    """Every worker's first request imports and connects (seconds): not what a phone waits for."""
    import urllib.request

    for _ in range(WORKERS * 2):
        for path in paths:
            request = urllib.request.Request(base + path, headers={"Cookie": f"sessionid={session}"})
            with urllib.request.urlopen(request, timeout=60) as response:
                response.read()


def _load(context, url: str, *, throttled: bool = True) -> tuple[int, float | None]:
    """One throttled, uncached load of `url`: (bytes of JS and CSS transferred, LCP in ms). Unthrottled: the
    load before the measured ones, which warms the browser (its renderer, the fonts) in a fraction of the time
    a Fast 3G load takes; nothing it fetches is kept (cache off)."""
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    if throttled:
        cdp.send("Network.emulateNetworkConditions", FAST_3G)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    kinds: dict[str, str] = {}
    sizes: dict[str, float] = {}
    cdp.on("Network.responseReceived", lambda e: kinds.__setitem__(e["requestId"], e["type"]))
    cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
    response = page.goto(url, wait_until="load", timeout=60_000)
    if response is None or response.status != 200:
        raise RuntimeError(f"{url}: {response and response.status}")
    lcp = page.evaluate(LCP)
    page.wait_for_load_state("networkidle")
    transferred = sum(size for rid, size in sizes.items() if kinds.get(rid) in ("Script", "Stylesheet"))
    # the phone pages carry their styles in the page: counted too
    transferred += page.evaluate(
        "() => [...document.querySelectorAll('style')].reduce((n, s) => n + new Blob([s.textContent]).size, 0)"
    )
    page.close()
    return int(transferred), lcp


def run(admin, *, campaigns: int = 5, loads: int = 3) -> list[dict]:
    from django.test import Client
    from playwright.sync_api import sync_playwright

    from bench.http_load import Server

    chromium = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not Path(chromium).exists():
        return [
            {"name": "phone pages", "value": "skipped", "unit": "", "goal": f"≤ {LCP_GOAL_MS} ms", "ok": None,
             "note": f"Chromium not found at {chromium}"}
        ]  # fmt: skip
    user, campaign_id = _data(admin, campaigns)
    client = Client()
    client.force_login(user)
    session = client.cookies["sessionid"].value
    pages = {"Today": "/today/", "stand-up": f"/campaigns/{campaign_id}/today/standup/"}
    results = []
    # 4 workers as deployed (Procfile, deploy/compose.yaml): a page's stylesheets and script come in parallel
    with Server(workers=WORKERS) as server, sync_playwright() as p:
        _warm(server.base, session, [*pages.values(), *STATIC])
        browser = p.chromium.launch(executable_path=chromium, headless=True, args=["--no-sandbox"])
        context = browser.new_context(
            viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="zh-CN"
        )
        context.add_cookies([{"name": "sessionid", "value": session, "domain": "127.0.0.1", "path": "/"}])
        for name, path in pages.items():
            _load(context, server.base + path, throttled=False)  # warms up
            measured = [_load(context, server.base + path) for _ in range(loads)]
            kb = statistics.median(b for b, _lcp in measured) / 1024
            lcps = [lcp for _b, lcp in measured if lcp is not None]
            lcp = statistics.median(lcps) if lcps else None
            size = f"390×844, {campaigns} campaigns"
            results.append(
                {"name": f"phone {name}: JS+CSS transferred", "value": round(kb, 1), "unit": "KB",
                 "goal": f"< {BYTES_GOAL_KB} KB", "ok": kb < BYTES_GOAL_KB, "size": size,
                 "note": "every script and stylesheet of a first visit (cache off, headers included) and the CSS in the page"}
            )  # fmt: skip
            results.append(
                {"name": f"phone {name}: LCP (4× CPU, Fast 3G)",
                 "value": round(lcp) if lcp is not None else "none", "unit": "ms",
                 "goal": f"≤ {LCP_GOAL_MS} ms", "ok": lcp is not None and lcp <= LCP_GOAL_MS, "size": size,
                 "note": f"Chromium, CDP throttling (562.5 ms latency, 1.6/0.75 Mbps), cache off; median of {len(lcps)}"}
            )  # fmt: skip
        browser.close()
    return results


def main() -> int:
    from bench.data import standalone

    with standalone("cf-bench-phone-", sqlite=True) as (_tmp, admin):
        for r in run(admin):
            print(
                f"{r['name']}: {r['value']} {r['unit']} (goal {r['goal']}) {'ok' if r['ok'] else 'MISS'} · {r['note']}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
