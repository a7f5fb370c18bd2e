"""`make bench`: every benchmark in one run, each figure with its goal and, where there is one, the
ratio to a reference measured in the same run. Writes bench/results/latest.md and latest.json.

Uses its own database: a temporary SQLite file migrated at start (or, when DATABASE_URL points to
PostgreSQL, that database, which must be a private one: the bench adds data to it). Never the dev
db.sqlite3. `BENCH_QUICK=1` runs small sizes (a ~2-minute smoke run).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
QUICK = os.environ.get("BENCH_QUICK", "") not in ("", "0")
SIZES = (
    {"import_rows": 50_000, "cpm_tasks": 10_000, "gantt_tasks": 2_000, "page_tasks": 1_000, "board_rows": 100_000,
     "load_requests": 100, "load_seconds": 20, "list_small": 10, "list_large": 1_000}
    if QUICK
    else {"import_rows": 1_000_000, "cpm_tasks": 10_000, "gantt_tasks": 10_000, "page_tasks": 5_000,
          "board_rows": 1_000_000, "board_more_campaigns": 9, "load_requests": 400, "load_seconds": 90,
          "list_small": 10, "list_large": 1_000}
)  # fmt: skip
RESULTS: list[dict] = []


def record(name, value, unit, goal, ok=None, *, reference=None, ratio=None, size="", note=""):
    RESULTS.append(
        {
            "benchmark": name,
            "value": value,
            "unit": unit,
            "goal": goal,
            "meets_goal": ok,
            "reference": reference,
            "ratio": ratio,
            "size": size,
            "note": note,
        }
    )
    flag = "ok" if ok else ("—" if ok is None else "MISS")
    extra = f" · ref {reference}" if reference else ""
    extra += f" · ratio {ratio:.0%}" if isinstance(ratio, float) else ""
    print(f"[{flag:4}] {name}: {value} {unit} (goal {goal}){extra} [{size}] {note}", flush=True)


def median_ms(fn, runs=5):
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def setup(tmp: Path):
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        print(f"database: PostgreSQL from DATABASE_URL (must be private to the bench): {url.rsplit('/', 1)[-1]}")
    else:
        os.environ.pop("DATABASE_URL", None)
        os.environ["SQLITE_PATH"] = str(tmp / "bench.sqlite3")
        print(f"database: temporary SQLite {tmp / 'bench.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["TASKS_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"  # alert evaluation not timed
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from campaignflow.accounts.models import User

    user, _ = User.objects.get_or_create(username="bench", defaults={"display_name": "bench", "is_superuser": True})
    return user


def generate(**kw) -> int:
    """Run generate_data; return the id of the (last) campaign it made."""
    from django.core.management import call_command

    from campaignflow.campaigns.models import Campaign

    t0 = time.perf_counter()
    call_command("generate_data", **kw, stdout=open(os.devnull, "w"))  # noqa: SIM115
    elapsed = time.perf_counter() - t0
    print(f"  generate_data {kw}: {elapsed:.1f} s", flush=True)
    return Campaign.objects.order_by("-pk").values_list("pk", flat=True)[0]


# --- benchmarks -----------------------------------------------------------------------------------


def bench_import(tmp, user):
    from bench import bench_import as bi

    n = SIZES["import_rows"]
    for r in bi.run(n, tmp, user):
        record(**r)


def bench_cpm():
    from bench import bench_schedule as bs
    from campaignflow.planning.domain.schedule import cpm

    durations, links = bs.build()
    ms = median_ms(lambda: cpm(durations, links), runs=5)
    record("critical path (pure cpm)", round(ms, 1), "ms", "≤ 200 ms", ms <= 200, size="10,000 tasks, 20,000 links")


def _api_client(user):
    from django.test import Client

    from campaignflow.accounts.services import token_create

    _t, raw = token_create(user=user, name="bench")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    # A token's first request records its last use (one UPDATE): warm it up so that it is not counted
    # in the first endpoint's queries.
    client.get("/api/v1/campaigns")
    return client, raw


def _queries(client, path) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as q:
        r = client.get(path)
    assert r.status_code == 200, (path, r.status_code, r.content[:300])
    return len(q)


def bench_gantt_api(user):
    n = SIZES["gantt_tasks"]
    big = generate(campaigns=1, days=120, channels=1, metrics=1, tasks=n)
    small = generate(campaigns=1, days=120, channels=1, metrics=1, tasks=10)
    client, _raw = _api_client(user)
    ms = median_ms(lambda: client.get(f"/api/v1/campaigns/{big}/gantt"), runs=5)
    q_big, q_small = (
        _queries(client, f"/api/v1/campaigns/{big}/gantt"),
        _queries(client, f"/api/v1/campaigns/{small}/gantt"),
    )
    record("Gantt data endpoint", round(ms, 1), "ms", "≤ 500 ms", ms <= 500, size=f"{n:,} tasks",
           note=f"queries {q_small} (10 tasks) vs {q_big} ({n:,} tasks)")  # fmt: skip
    record("Gantt data query count constant", f"{q_small} / {q_big}", "queries", "equal", q_small == q_big,
           size=f"10 vs {n:,} tasks")  # fmt: skip


def bench_lists(user):
    """Query counts of list endpoints at 10 and 1,000 items."""
    from campaignflow.goals.models import Kpi
    from campaignflow.tracking.models import ImportBatch

    counts = {}
    client, _raw = _api_client(user)
    for size in (SIZES["list_small"], SIZES["list_large"]):
        cid = generate(campaigns=1, days=1, channels=size, metrics=1, tasks=size)
        from campaignflow.campaigns.models import Campaign

        campaign = Campaign.objects.get(pk=cid)
        ImportBatch.objects.bulk_create(
            [ImportBatch(campaign=campaign, actor=user, source="api", rows_total=1) for _ in range(size - 1)]
        )
        Kpi.objects.bulk_create(
            [Kpi(campaign=campaign, name=f"k{i}", metric=f"k{i}", target=1) for i in range(size - 1)]
        )
        for name in ("tasks", "metrics", "import-batches", "channels", "kpis"):
            counts.setdefault(name, []).append(_queries(client, f"/api/v1/campaigns/{cid}/{name}"))
    for name, (a, b) in counts.items():
        record(f"list /{name} query count", f"{a} / {b}", "queries", "equal", a == b,
               size=f"{SIZES['list_small']} vs {SIZES['list_large']:,} items")  # fmt: skip


def bench_uploads_step():
    """Hostile XLSX files (zip bombs, XML entities): time to refusal by the parser and the upload API."""
    from bench import bench_uploads

    for r in bench_uploads.run():
        record(**r)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn on a free port against the bench database, started and stopped by the bench."""

    def __init__(self, workers: int):
        self.port = free_port()
        env = {**os.environ, "DEBUG": "0", "CONN_MAX_AGE": "60"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{self.port}", "-w", str(workers),
             "--log-level", "warning", "--timeout", "120"],
            cwd=ROOT, env=env,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def _load(url: str, token: str, concurrency: int, requests: int, seconds: float) -> dict:
    """Run bench/load.py as a second process; {"p50", "p95", "p99", "median", "note"}."""
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "load.py"), url, "--token", token, "--concurrency", str(concurrency),
         "--requests", str(requests), "--seconds", str(seconds), "--warmup", str(concurrency * 2)],
        capture_output=True, text=True, check=True, timeout=900,
    )  # fmt: skip
    data = json.loads(out.stdout)
    lat = sorted(data["latencies_ms"])
    if not lat:
        raise RuntimeError(f"no successful request: {data['errors']}")

    def pct(p):
        return round(lat[min(len(lat) - 1, int(p / 100 * len(lat)))], 1)

    rate = len(lat) / data["wall_s"]
    return {
        "p50": pct(50),
        "p95": pct(95),
        "p99": pct(99),
        "median": round(statistics.median(lat), 1),
        "note": f"{len(lat)} requests in {data['wall_s']:.1f} s ({rate:.1f} req/s), errors {len(data['errors'])}",
    }


def bench_board(user, server: Server):
    rows = SIZES["board_rows"]
    channels, metrics = 100, 28
    days = max(1, round(rows / (channels * metrics)))
    cid = generate(campaigns=1, days=days, channels=channels, metrics=metrics)
    _client, raw = _api_client(user)
    url = f"{server.base}/api/v1/campaigns/{cid}/board"
    per_campaign = days * channels * metrics
    size = f"{per_campaign:,} metric rows ({days} days × {channels} channels × {metrics} metrics)"
    single = _load(url, raw, 1, 10, 120)["median"]
    load = _load(url, raw, 16, SIZES["load_requests"], SIZES["load_seconds"])
    record("board API p50 (16 connections)", load["p50"], "ms", "—", None, size=size, note=load["note"])
    record("board API p95 (16 connections)", load["p95"], "ms", "≤ 300 ms", load["p95"] <= 300, size=size)
    record("board API p99 (16 connections)", load["p99"], "ms", "≤ 500 ms", load["p99"] <= 500, size=size)
    record("board API single request (median of 10)", round(single, 1), "ms", "—", None, size=size)
    if SIZES.get("board_more_campaigns"):
        # The database grows tenfold (more campaigns of the same shape); the same board is measured again.
        extra = SIZES["board_more_campaigns"]
        generate(campaigns=extra, days=days, channels=channels, metrics=metrics)
        big = _load(url, raw, 16, SIZES["load_requests"], SIZES["load_seconds"])
        total = f"{per_campaign * (extra + 1):,} metric rows in the database ({extra + 1} campaigns); same board"
        record("board API p95 (16 connections), 10× database", big["p95"], "ms", "≤ 300 ms", big["p95"] <= 300,
               size=total, note=big["note"])  # fmt: skip
        record("board API p99 (16 connections), 10× database", big["p99"], "ms", "≤ 500 ms", big["p99"] <= 500,
               size=total)  # fmt: skip
        growth = big["p95"] / max(load["p95"], 0.1)
        record("board p95 growth, 10× database", round(growth, 2), "×", "≤ 1.5", growth <= 1.5,
               size=f"{per_campaign:,} → {per_campaign * (extra + 1):,} rows")  # fmt: skip
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from campaignflow.campaigns.models import Campaign
    from campaignflow.tracking.selectors import board

    small = generate(campaigns=1, days=30, channels=2, metrics=5)
    counts = []
    for c in (small, cid):
        with CaptureQueriesContext(connection) as q:
            board(Campaign.objects.get(pk=c))
        counts.append(len(q))
    record("board query count constant", f"{counts[0]} / {counts[1]}", "queries", "equal", counts[0] == counts[1],
           size=f"300 vs {days * channels * metrics:,} rows")  # fmt: skip


def bench_gantt_page(user, server: Server):
    chromium = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not Path(chromium).exists():
        record("Gantt page first paint", "skipped", "", "≤ 1000 ms", None, note=f"Chromium not found at {chromium}")
        return
    from django.test import Client
    from playwright.sync_api import sync_playwright

    n = SIZES["page_tasks"]
    cid = generate(campaigns=1, days=120, channels=1, metrics=1, tasks=n)
    client = Client()
    client.force_login(user)
    session = client.cookies["sessionid"].value
    fcp, bars = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True, args=["--no-sandbox"])
        ctx = browser.new_context()
        ctx.add_cookies([{"name": "sessionid", "value": session, "domain": "127.0.0.1", "path": "/"}])
        page = ctx.new_page()
        for i in range(4):
            page.goto(f"{server.base}/campaigns/{cid}/gantt/", wait_until="commit")
            page.wait_for_selector(".gantt_task_line", timeout=30_000)
            drawn = page.evaluate("performance.now()")
            paint = page.evaluate(
                "(performance.getEntriesByName('first-contentful-paint')[0] || {startTime: null}).startTime"
            )
            if i:  # the first load warms the server's caches
                bars.append(drawn)
                fcp.append(paint or drawn)
        browser.close()
    ms = statistics.median(bars)
    record("Gantt page: bars drawn (Chromium)", round(ms), "ms", "≤ 1000 ms", ms <= 1000, size=f"{n:,} tasks",
           note=f"first contentful paint {statistics.median(fcp):.0f} ms; median of 3 loads")  # fmt: skip


# --- report ---------------------------------------------------------------------------------------


def write_results(sizes, elapsed):
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    from django.db import connection

    meta = {
        "when": dt.datetime.now().isoformat(timespec="seconds"),
        "quick": QUICK,
        "database": connection.vendor,
        "machine": f"{platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}",
        "sizes": sizes,
        "elapsed_s": round(elapsed, 1),
    }
    (out / "latest.json").write_text(
        json.dumps({"meta": meta, "results": RESULTS}, ensure_ascii=False, indent=2, default=str)
    )
    lines = [
        f"# CampaignFlow benchmarks ({meta['when']}{', QUICK' if QUICK else ''})",
        "",
        f"Database {meta['database']} · {meta['machine']} · {meta['elapsed_s']} s",
        "",
        "| benchmark | figure | goal | reference | ratio | meets | size | note |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in RESULTS:
        ratio = f"{r['ratio']:.0%}" if isinstance(r["ratio"], float) else ""
        meets = {True: "yes", False: "**no**", None: "—"}[r["meets_goal"]]
        lines.append(
            f"| {r['benchmark']} | {r['value']} {r['unit']} | {r['goal']} | {r['reference'] or ''} | {ratio} | {meets} "
            f"| {r['size']} | {r['note']} |"
        )
    (out / "latest.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    print(f"\nwritten: {out / 'latest.md'}, {out / 'latest.json'}")


def main() -> int:
    t_start = time.perf_counter()
    print(f"CampaignFlow bench{' (QUICK)' if QUICK else ''}; sizes: {SIZES}", flush=True)
    tmp = Path(tempfile.mkdtemp(prefix="cf-bench-"))
    server = None
    try:
        user = setup(tmp)
        steps = [
            ("import", lambda: bench_import(tmp, user)),
            ("cpm", bench_cpm),
            ("gantt api", lambda: bench_gantt_api(user)),
            ("lists", lambda: bench_lists(user)),
            ("uploads", lambda: bench_uploads_step()),
        ]
        for name, fn in steps:
            print(f"\n== {name}", flush=True)
            try:
                fn()
            except Exception as exc:
                traceback.print_exc()
                record(name, "error", "", "", False, note=f"{type(exc).__name__}: {exc}"[:200])
        try:
            server = Server(workers=max(2, (os.cpu_count() or 2) * 2))
        except Exception as exc:
            record("server", "error", "", "", False, note=str(exc))
        if server is not None:
            for name, fn in (
                ("board", lambda: bench_board(user, server)),
                ("gantt page", lambda: bench_gantt_page(user, server)),
            ):
                print(f"\n== {name}", flush=True)
                try:
                    fn()
                except Exception as exc:
                    traceback.print_exc()
                    record(name, "error", "", "", False, note=f"{type(exc).__name__}: {exc}"[:200])
    finally:
        if server is not None:
            server.stop()
        write_results(SIZES, time.perf_counter() - t_start)
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
