"""Benchmark: the Gantt page of a 10,000-task campaign in Chromium (issue #25, second round: "first screen
≤ 1 s and no main-thread task over 200 ms afterwards (Long Tasks API), scroll at 60 fps").

The server: gunicorn (one sync worker) against the bench database, the read cache off, so that every load builds
the Gantt data as the first read after a change does. The browser: Debian's Chromium through Playwright,
headless, 1400×900, zh-CN, signed in with a session cookie; a warm-up load first (the workers' first
requests, dhtmlxgantt.js into the browser's cache, as on a planner's second visit).

What one load measures, by a script the browser runs before the page's own (`INIT`):
- first screen: from navigation to the frame that draws the first bars: the script sees the first
  `.gantt_task_line` enter the DOM (a MutationObserver) and times the next animation frame once its style and
  layout are done (the frame's paint, a few ms, follows). Element Timing was tried and not kept: dhtmlx-gantt
  replaces the bars it drew first when it renders again, and Chromium then reports only the later bars. The time
  the first bar entered the DOM, the data's arrival and the LCP are in the note;
- every Long Task (PerformanceObserver 'longtask') that starts after the first screen, until the end of the
  scroll: the longest is the figure, the count of tasks over 50 ms in the note;
- scrolling: once every row is in the chart (`#gantt-app[data-loaded]`) and a quiet moment later, the chart is
  scrolled by `gantt.scrollTo` in each animation frame for `SCROLL_SECONDS` (1.5 rows a frame down, then
  sideways a day column a frame, turning at the ends), counting the frames: fps = frames / seconds, and the
  worst gap between two frames. The reference is the frame rate of an idle page in the same browser (headless
  Chromium draws at most at the display rate, 60 frames a second).

The anchor: the same measures on a 100-task campaign in the same run, the ratio beside each figure.

Run alone: `.venv/bin/python -m bench.bench_gantt [--tasks 10000] [--loads 3]` (a temporary SQLite file, or
DATABASE_URL's PostgreSQL). `bench/__main__.py` runs it as its "gantt 10k" step. bench/profile_gantt.py
profiles one load (CPU profile and trace).
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
VIEWPORT = {"width": 1400, "height": 900}
ANCHOR_TASKS = 100
FIRST_SCREEN_GOAL_MS = 1000
LONG_TASK_GOAL_MS = 200
FPS_GOAL = 60
# headless Chromium's frames come from a 60 Hz clock: a page that keeps up with every frame counts 59-60 a
# second (the first and last frame of the window, timer jitter); one frame missed in a second is 58-59.
AT_DISPLAY_RATE = 0.95  # fps ≥ 95 % of the idle page's rate counts as "at the display rate"
SCROLL_SECONDS = 2.0
WORKERS = 1  # the page and its data one after the other: one sync worker serves them (and boots faster)

# Runs in the page before its own scripts: first screen, long tasks, LCP.
INIT = """
(() => {
  const m = (window.__cfBench = { longTasks: [], bars: null, painted: null, lcp: null });
  const watch = (type, fn) => {
    try { new PerformanceObserver((list) => list.getEntries().forEach(fn)).observe({ type, buffered: true }); }
    catch (e) { /* not supported */ }
  };
  watch("longtask", (e) => m.longTasks.push({ start: e.startTime, duration: e.duration }));
  watch("largest-contentful-paint", (e) => { m.lcp = e.renderTime || e.startTime; });
  const observer = new MutationObserver(() => {
    if (!document.querySelector(".gantt_task_line")) return;
    m.bars = performance.now();
    observer.disconnect();
    // the next frame draws them: its style and layout done here (the frame would do them anyway), then time
    requestAnimationFrame(() => { document.body.getBoundingClientRect(); m.painted = performance.now(); });
  });
  observer.observe(document, { childList: true, subtree: true });
})();
"""

# Scrolls the chart in each animation frame; returns the frame times.
SCROLL = """async ({ seconds, dy, dx }) => {
  const s = gantt.getScrollState();
  // getScrollState: width and height are the whole chart's, inner_width and inner_height what is on screen
  const maxY = Math.max(0, s.height - s.inner_height), maxX = Math.max(0, s.width - s.inner_width);
  let x = s.x, y = s.y, sy = dy, sx = dx;
  const frames = [];
  return new Promise((resolve) => {
    const step = (t) => {
      frames.push(t);
      const elapsed = t - frames[0];
      if (elapsed >= seconds * 1000) return resolve({ frames, rows: gantt.getVisibleTaskCount() });
      if (elapsed < seconds * 600) {  // down first, 1.5 rows a frame
        if (y + sy > maxY || y + sy < 0) sy = -sy;
        y += sy;
      } else {  // then sideways
        if (x + sx > maxX || x + sx < 0) sx = -sx;
        x += sx;
      }
      gantt.scrollTo(x, y);
      requestAnimationFrame(step);
    };
    requestAnimationFrame(step);
  });
}"""

IDLE_FRAMES = """async (seconds) => new Promise((resolve) => {
  const frames = [];
  const step = (t) => { frames.push(t); if (t - frames[0] >= seconds * 1000) resolve(frames); else requestAnimationFrame(step); };
  requestAnimationFrame(step);
})"""


def campaigns(tasks: int) -> tuple[int, int]:
    """(a campaign with `tasks` tasks, the 100-task anchor), made by generate_data's bulk paths."""
    from bench.data import generate

    big = generate(campaigns=1, days=120, channels=1, metrics=1, tasks=tasks)[-1]
    small = generate(campaigns=1, days=120, channels=1, metrics=1, tasks=ANCHOR_TASKS)[-1]
    return big, small


def session_cookie(user) -> str:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


@contextmanager
def browser_page(user, **server_env):
    """(server, page): gunicorn on the bench database and a signed-in Chromium page running `INIT`."""
    from playwright.sync_api import sync_playwright

    from bench.http_load import Server

    session = session_cookie(user)
    env = {"READ_CACHE_SECONDS": "0", **server_env}
    with Server(workers=WORKERS, **env) as server, sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        try:
            context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
            context.add_cookies([{"name": "sessionid", "value": session, "domain": "127.0.0.1", "path": "/"}])
            context.add_init_script(INIT)
            page = context.new_page()
            page.set_default_timeout(60_000)
            page.errors = []
            page.on("pageerror", lambda e: page.errors.append(str(e)))
            server.session = session
            yield server, page
        finally:
            browser.close()


def warm(server, cid: int) -> None:
    """Each worker's first requests (imports, the connection): the page and data of a small campaign, twice a
    worker (the larger data is built by the same code)."""
    for _ in range(2 * WORKERS):
        for path in (f"/campaigns/{cid}/gantt/", f"/campaigns/{cid}/gantt/data/"):
            request = urllib.request.Request(server.base + path, headers={"Cookie": f"sessionid={server.session}"})
            with urllib.request.urlopen(request, timeout=120) as response:
                response.read()


def open_gantt(page, base: str, cid: int) -> dict:
    """Navigate to the campaign's Gantt and wait until every row is in the chart: the page's timings."""
    page.goto(f"{base}/campaigns/{cid}/gantt/", wait_until="commit")
    page.wait_for_function("() => document.getElementById('gantt-app')?.dataset.loaded", timeout=120_000)
    page.wait_for_timeout(300)  # the tasks right after "loaded" (overlays, idle work) belong to the load
    return page.evaluate(
        """() => { const m = window.__cfBench;
          const data = performance.getEntriesByType('resource').filter((r) => r.name.includes('/gantt/data/'))
            .map((r) => r.responseEnd).sort((a, b) => a - b)[0];
          return { bars: m.bars, painted: m.painted,
                   lcp: m.lcp, data, loaded: Number(document.getElementById('gantt-app').dataset.loaded) - performance.timeOrigin,
                   rows: gantt.getTaskCount(), drawn: document.querySelectorAll('.gantt_task_line').length }; }"""
    )


def scroll(page, seconds: float = SCROLL_SECONDS) -> dict:
    """Scroll the chart for `seconds`: fps, the worst frame gap, every long task since the first screen."""
    result = page.evaluate(SCROLL, {"seconds": seconds, "dy": 45, "dx": 30})
    frames = result["frames"]
    gaps = [b - a for a, b in itertools.pairwise(frames)]
    span = (frames[-1] - frames[0]) / 1000
    return {"fps": len(gaps) / span if span else 0.0, "worst_gap": max(gaps, default=0.0), "frames": len(frames)}


def measure(page, base: str, cid: int, seconds: float) -> dict:
    load = open_gantt(page, base, cid)
    scrolled = scroll(page, seconds)
    long_tasks = page.evaluate("() => window.__cfBench.longTasks")
    after = [t for t in long_tasks if t["start"] >= load["painted"]]
    before = [t for t in long_tasks if t["start"] < load["painted"]]
    return {
        **load,
        **scrolled,
        "longest_after": max((t["duration"] for t in after), default=0.0),
        "long_after": len(after),
        "longest_before": max((t["duration"] for t in before), default=0.0),
    }


def idle_fps(page, seconds: float = 1.0) -> float:
    """The frame rate of an idle page in this browser: what "every frame" means here."""
    page.goto("about:blank")
    frames = page.evaluate(IDLE_FRAMES, seconds)
    return (len(frames) - 1) / ((frames[-1] - frames[0]) / 1000)


def run(user, *, tasks: int = 10_000, loads: int = 3, seconds: float = SCROLL_SECONDS) -> list[dict]:
    """Records shaped like bench/__main__.py's `record(...)` keyword arguments."""
    if not Path(CHROMIUM).exists():
        return [{"name": "Gantt page, 10,000 tasks", "value": "skipped", "unit": "", "goal": "", "ok": None,
                 "note": f"Chromium not found at {CHROMIUM}"}]  # fmt: skip
    big, small = campaigns(tasks)
    with browser_page(user) as (server, page):
        warm(server, small)
        open_gantt(page, server.base, small)  # the browser's cache: dhtmlxgantt.js, the CSS
        display = idle_fps(page, min(1.0, seconds / 2))
        runs = {cid: [] for cid in (big, small)}
        for _ in range(loads):
            for cid in (big, small):
                runs[cid].append(measure(page, server.base, cid, seconds))
        errors = page.errors
    load_avg = os.getloadavg()[0]
    med = {cid: {k: statistics.median(r[k] for r in rs) for k in rs[0]} for cid, rs in runs.items()}
    worst = {cid: max(r["longest_after"] for r in rs) for cid, rs in runs.items()}
    b, s = med[big], med[small]
    size = f"{tasks:,} tasks + {tasks // 1000 + (tasks % 1000 > 0)} phase rows, Chromium 1400×900"
    anchor = f"{ANCHOR_TASKS} tasks"
    how = f"median of {loads} loads" + (f", the worst load {worst[big]:.0f} ms" if loads > 1 else "")
    common = f"load average {load_avg:.1f} on {os.cpu_count()} cores" + (
        f"; page errors: {errors[:2]}" if errors else ""
    )
    fps_floor = min(FPS_GOAL, display) * AT_DISPLAY_RATE
    return [
        {
            "name": "Gantt 10k: first screen (Chromium)",
            "value": round(b["painted"]),
            "unit": "ms",
            "goal": f"≤ {FIRST_SCREEN_GOAL_MS} ms",
            "ok": b["painted"] <= FIRST_SCREEN_GOAL_MS,
            "reference": f"{anchor}: {s['painted']:.0f} ms",
            "ratio": b["painted"] / s["painted"] if s["painted"] else None,
            "size": size,
            "note": f"from navigation to the frame that draws the first bars (its style and layout done; its paint, "
            f"~5 ms here, follows); "
            f"data answered at {b['data']:.0f} ms (read cache off), bars in the DOM at {b['bars']:.0f} ms, "
            f"LCP {b['lcp'] or 0:.0f} ms, every row in the chart at {b['loaded']:.0f} ms "
            f"({b['rows']:.0f} rows, {b['drawn']:.0f} bars in the DOM); {how.split(',')[0]}; {common}",
        },
        {
            "name": "Gantt 10k: longest main-thread task after the first screen",
            "value": round(b["longest_after"]),
            "unit": "ms",
            "goal": f"≤ {LONG_TASK_GOAL_MS} ms",
            "ok": worst[big] <= LONG_TASK_GOAL_MS,
            "reference": f"{anchor}: {s['longest_after']:.0f} ms",
            "ratio": b["longest_after"] / s["longest_after"] if s["longest_after"] else None,
            "size": size,
            "note": f"Long Tasks API (tasks of 50 ms or more; 0: none), from the first screen through loading the rest "
            f"and {seconds:g} s of scrolling; "
            f"{how} (the goal is judged on the worst); tasks over 50 ms after the first screen: "
            f"{b['long_after']:.0f} ({anchor}: {s['long_after']:.0f}); the longest before it {b['longest_before']:.0f} ms",
        },
        {
            "name": "Gantt 10k: scroll frame rate",
            "value": round(b["fps"], 1),
            "unit": "fps",
            "goal": f"≥ {FPS_GOAL} fps (the display rate)",
            "ok": b["fps"] >= fps_floor,
            "reference": f"{anchor}: {s['fps']:.1f} fps; idle page {display:.1f} fps",
            "ratio": b["fps"] / s["fps"] if s["fps"] else None,
            "size": size,
            "note": f"gantt.scrollTo in each animation frame for {seconds:g} s (45 px down a frame, then 30 px sideways); "
            f"worst frame gap {b['worst_gap']:.0f} ms ({anchor}: {s['worst_gap']:.0f} ms); met when ≥ "
            f"{AT_DISPLAY_RATE:.0%} of the idle page's rate (headless Chromium draws at most 60 frames a second); "
            f"{how.split(',')[0]}",
        },
    ]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--loads", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=SCROLL_SECONDS)
    args = parser.parse_args()
    from bench.__main__ import SIZES, bench_gantt_step
    from bench.data import standalone

    with standalone("cf-bench-gantt-") as (_tmp, user):
        t0 = time.perf_counter()
        SIZES.update(gantt_page_big=args.tasks, gantt_page_loads=args.loads, gantt_scroll_s=args.seconds)
        bench_gantt_step(user)
        print(f"({time.perf_counter() - t0:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
