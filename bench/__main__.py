"""`make bench`: every benchmark in one run, each figure with its goal and, where there is one, the
ratio to a reference measured in the same run. Writes bench/results/latest.md and latest.json.

Runs once per database, each in a process of its own: a temporary SQLite file, then PostgreSQL when a
server answers at BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres; a scratch
database is created there and dropped afterwards; BENCH_POSTGRES=0 skips it). With DATABASE_URL set to
a PostgreSQL database, only that one is used, and it must be private to the bench (data is added to it).
Never the dev db.sqlite3.

`BENCH_QUICK=1` runs small sizes (a smoke run of under two minutes on 2 cores). There the steps whose figures
do not depend on the database (SHARED_IN_QUICK: the pure-Python CPM, the pages measured in Chromium) run in the
SQLite run only, and the PostgreSQL run's report shows those figures as measured in the SQLite run; the
PostgreSQL run sets up (Django, migrations) beside the SQLite run and runs the steps that time nothing
(TOGETHER_IN_QUICK: query counts) at the same time as it, its timed steps after it; the schema is created from
the models (bench/data.py); the gunicorn servers are started ahead while it is, each forked from one process that
imported the app once (bench/server_zygote.py), and ended at once (bench/http_load.py).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import quick, verdict  # noqa: E402  (after the path: run as a script too)
from bench.data import settle, setup  # noqa: E402
from bench.parity import read_parity  # noqa: E402

QUICK = quick()
SIZES = (
    {"import_rows": 50_000, "cpm_runs": 1, "gantt_tasks": 2_000, "page_tasks": 1_000, "page_loads": 1,
     "board_rows": 100_000, "tasks_per_campaign": 200, "task_campaigns": 3, "grow_factor": 3, "export_rows": 10_000,
     "load_requests": 50, "load_seconds": 20, "change_cycles": 5, "list_small": 10, "list_large": 30,
     "material_upload_mb": 20, "materials_large": 200, "materials_runs": 10, "event_registrations": 500,
     "gantt_page_big": 2_000, "gantt_page_loads": 1, "gantt_scroll_s": 0.5}
    if QUICK
    else {"import_rows": 1_000_000, "cpm_runs": 5, "gantt_tasks": 10_000, "page_tasks": 5_000, "page_loads": 3,
          "board_rows": 1_000_000, "tasks_per_campaign": 1_000, "task_campaigns": 10, "grow_factor": 10,
          "export_rows": 100_000, "load_requests": 2_000, "load_seconds": 90, "change_cycles": 20, "list_small": 10,
          "list_large": 1_000, "material_upload_mb": 200, "materials_large": 5_000, "materials_runs": 20,
          "event_registrations": 5_000,
          "gantt_page_big": 10_000, "gantt_page_loads": 3, "gantt_scroll_s": 2.0}
)  # fmt: skip
RESULTS_DIR = ROOT / "bench" / "results"
RESULTS: list[dict] = []
STEP_SECONDS: dict[str, float] = {}  # wall time of each step of this run
STEP = [""]  # the step running (each record names it)
# QUICK: steps measured once, in the SQLite run (the CPM is pure Python; the others time what Chromium does with
# pages whose data is small at QUICK sizes); the PostgreSQL run's report repeats their figures, marked as such
SHARED_IN_QUICK = ("cpm", "gantt page", "gantt 10k", "phone")
SHARED_NOTE = "measured in the SQLite run (QUICK: a step whose figures do not depend on the database runs once)"
# QUICK: steps whose figures are query counts (nothing timed), which every run runs at the same time
TOGETHER_IN_QUICK = ("lists",)


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
            "step": STEP[0],
        }
    )
    flag = verdict(ok)
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


def prestart_servers(tmp: Path, steps: list[str]) -> None:
    """QUICK: the gunicorn servers that `steps` will ask for, started now, each as its step starts it (same workers,
    same environment): they boot (bench/wsgi_preload.py) while the database is migrated, and wait idle until their
    step takes them (bench/http_load.py's Server). The S3 server of the materials step is left to it (moto's
    address is known only then)."""
    from django.db import connection

    from bench import bench_api_load, bench_events, bench_gantt, bench_phone
    from bench.http_load import Server

    wanted = {
        "materials": [(1, {"MEDIA_ROOT": str(tmp / "media"),
                           "MATERIAL_UPLOAD_MAX_MB": str(max(SIZES["material_upload_mb"], 1))})],
        "events": [(bench_events.server_workers(connection.vendor == "postgresql"), bench_events.SERVER_ENV)],
        "api under load": [(bench_api_load.server_workers(), {}),
                           (bench_api_load.server_workers(), {"READ_CACHE_SECONDS": "0"})],
        "gantt page": [(2, {"READ_CACHE_SECONDS": "0"})],
        "gantt 10k": [(bench_gantt.WORKERS, {"READ_CACHE_SECONDS": "0"})],
        "phone": [(bench_phone.WORKERS, {})],
    }  # fmt: skip
    for step in steps:
        for workers, env in wanted.get(step, []):
            Server.prestart(workers, **env)


def generate(**kw) -> int:
    """Run generate_data; return the id of the (last) campaign it made."""
    from bench.data import generate as generate_all

    return generate_all(**kw)[-1]


# --- benchmarks -----------------------------------------------------------------------------------


def bench_import(tmp, user):
    from bench import bench_import as bi

    n = SIZES["import_rows"]
    for r in bi.run(n, tmp, user):
        record(**r)


def bench_cpm():
    """The pure CPM at 10,000 and 100,000 tasks against a bare topological sort of the same plan."""
    from bench import bench_schedule

    for r in bench_schedule.run(runs=SIZES["cpm_runs"]):
        record(**r)


def _api_client(user):
    from django.test import Client

    from bench.data import api_token

    return Client(HTTP_AUTHORIZATION=f"Bearer {api_token(user)}")


def _queries(client, path) -> int:
    """The queries of a GET of `path` as a process's first read of it makes them (no kept campaign row)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from campaignflow.campaigns.access import forget_rows

    forget_rows()
    with CaptureQueriesContext(connection) as q:
        r = client.get(path)
    assert r.status_code == 200, (path, r.status_code, r.content[:300])
    return len(q)


def bench_gantt_api(user):
    """The Gantt data built (the read cache off: what the first read after a change costs)."""
    from django.test import override_settings

    n = SIZES["gantt_tasks"]
    big = generate(campaigns=1, days=120, channels=1, metrics=1, tasks=n)
    small = generate(campaigns=1, days=120, channels=1, metrics=1, tasks=10)
    client = _api_client(user)
    with override_settings(READ_CACHE_SECONDS=0):
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
    """Query counts of every list endpoint at 10 and 1,000 items (bench/bench_lists.py)."""
    from bench import bench_lists

    for r in bench_lists.run(user, small=SIZES["list_small"], large=SIZES["list_large"]):
        record(**r)


def bench_uploads_step():
    """Hostile XLSX files (zip bombs, XML entities): time to refusal by the parser and the upload API."""
    from bench import bench_uploads

    for r in bench_uploads.run():
        record(**r)


def bench_materials_step(tmp, user):
    """A 200 MB material file through the upload API (time, the worker's peak RSS growth) and the materials
    list at 5,000 materials (API and page: p50/p95, query counts)."""
    from bench import bench_materials

    for r in bench_materials.run(user, tmp, upload_mb=SIZES["material_upload_mb"], large=SIZES["materials_large"],
                                 runs=SIZES["materials_runs"]):  # fmt: skip
        record(**r)


def bench_events_step(user):
    """A burst of public registrations from 64 clients at once: registrations/s, 0 lost and 0 duplicated, the
    public page's p95 during the burst, the metric 报名 after the recount (bench/bench_events.py)."""
    from bench import bench_events

    for r in bench_events.run(user, registrations=SIZES["event_registrations"]):
        record(**r)


def bench_export_step(user):
    """XLSX / PDF / CSV exports of a campaign with 100,000 metric rows: time and peak memory."""
    from bench import bench_export

    for r in bench_export.run(user, rows=SIZES["export_rows"]):
        record(**r)


def bench_board_queries():
    """The board's query count at 300 rows and at the largest campaign of the run."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from campaignflow.campaigns.models import Campaign
    from campaignflow.tracking.models import MetricDayTotal
    from campaignflow.tracking.selectors import board

    small = generate(campaigns=1, days=30, channels=2, metrics=5)
    big = MetricDayTotal.objects.order_by("-row_count").values_list("campaign_id", flat=True).first()
    rows = sum(MetricDayTotal.objects.filter(campaign_id=big).values_list("row_count", flat=True))
    counts = []
    for c in (small, big):
        with CaptureQueriesContext(connection) as q:
            board(Campaign.objects.get(pk=c))
        counts.append(len(q))
    record("board query count constant", f"{counts[0]} / {counts[1]}", "queries", "equal", counts[0] == counts[1],
           size=f"300 vs {rows:,} rows")  # fmt: skip


def bench_api_load():
    from bench import bench_api_load

    bench_api_load.run(SIZES, record)


def bench_gantt_page(user):
    chromium = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not Path(chromium).exists():
        record("Gantt page first paint", "skipped", "", "≤ 1000 ms", None, note=f"Chromium not found at {chromium}")
        return
    from django.test import Client
    from playwright.sync_api import sync_playwright

    from bench.http_load import Server

    n = SIZES["page_tasks"]
    cid = generate(campaigns=1, days=120, channels=1, metrics=1, tasks=n)
    client = Client()
    client.force_login(user)
    session = client.cookies["sessionid"].value
    fcp, bars, whole = [], [], []
    # the read cache off: every load builds the Gantt data, as the first one after a change does
    with Server(workers=2, READ_CACHE_SECONDS="0") as server, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True, args=["--no-sandbox"])
        ctx = browser.new_context()
        ctx.add_cookies([{"name": "sessionid", "value": session, "domain": "127.0.0.1", "path": "/"}])
        page = ctx.new_page()
        for i in range(1 + SIZES["page_loads"]):
            page.goto(f"{server.base}/campaigns/{cid}/gantt/", wait_until="commit")
            # gantt.js marks "cf-gantt-painted" in the first task after the frame that showed the bars;
            # "loaded" is set once every row is in the chart (a large plan is drawn in two steps)
            page.wait_for_function("() => document.getElementById('gantt-app').dataset.loaded", timeout=30_000)
            assert page.locator(".gantt_task_line").count() > 0, "no bars drawn"
            t = page.evaluate(
                """() => ({painted: performance.getEntriesByName('cf-gantt-painted')[0].startTime,
                          whole: Number(document.getElementById('gantt-app').dataset.loaded) - performance.timeOrigin,
                          fcp: (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime})"""
            )
            if i:  # the first load warms the server (imports, connections)
                bars.append(t["painted"])
                whole.append(t["whole"])
                fcp.append(t["fcp"] or t["painted"])
        browser.close()
    ms = statistics.median(bars)
    record("Gantt page: bars drawn (Chromium)", round(ms), "ms", "≤ 1000 ms", ms <= 1000, size=f"{n:,} tasks",
           note=f"from navigation to the first screen of bars painted; every row in the chart at "
           f"{statistics.median(whole):.0f} ms; first contentful paint {statistics.median(fcp):.0f} ms; "
           f"median of {len(bars)} load{'s' if len(bars) > 1 else ''}")  # fmt: skip


def bench_gantt_step(user):
    """The Gantt page of a 10,000-task campaign in Chromium: first screen, the longest main-thread task after it,
    scroll frame rate, against a 100-task campaign in the same run (bench/bench_gantt.py)."""
    from bench import bench_gantt

    for r in bench_gantt.run(user, tasks=SIZES["gantt_page_big"], loads=SIZES["gantt_page_loads"],
                             seconds=SIZES["gantt_scroll_s"]):  # fmt: skip
        record(**r)


def bench_phone_step(user):
    """Today and the stand-up on a throttled phone (4× CPU, Fast 3G): JS+CSS bytes and LCP in Chromium."""
    from bench import bench_phone

    for r in bench_phone.run(user, campaigns=3 if QUICK else 10, loads=1 if QUICK else 3):
        record(r["name"], r["value"], r["unit"], r["goal"], r["ok"], size=r.get("size", ""), note=r.get("note", ""))


# --- report ---------------------------------------------------------------------------------------


def _meta(database: str, elapsed: float) -> dict:
    return {
        "when": dt.datetime.now().isoformat(timespec="seconds"),
        "quick": QUICK,
        "database": database,
        "machine": f"{platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}",
        "sizes": SIZES,
        "elapsed_s": round(elapsed, 1),
        "step_seconds": dict(STEP_SECONDS),
    }


def _table(run: dict) -> list[str]:
    meta = run["meta"]
    seconds = meta.get("elapsed_s") and f"{meta['elapsed_s']} s"
    lines = ["## " + " · ".join(filter(None, [meta["database"], meta.get("machine"), seconds])), ""]
    if "step_seconds" in meta:
        lines += [
            "Steps (s): "
            + ", ".join(f"{k} {v}" for k, v in meta["step_seconds"].items())
            + "".join(f", {k} (in the SQLite run) {v}" for k, v in meta.get("steps_from_sqlite", {}).items()),
            "",
        ]
    lines += [
        "| benchmark | figure | goal | reference | ratio | meets | size | note |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in run["results"]:
        ratio = f"{r['ratio']:.0%}" if isinstance(r["ratio"], float) else ""
        meets = {True: "yes", False: "**no**", None: "—"}[r["meets_goal"]]
        lines.append(
            f"| {r['benchmark']} | {r['value']} {r['unit']} | {r['goal']} | {r['reference'] or ''} | {ratio} | {meets} "
            f"| {r['size']} | {r['note']} |"
        )
    return lines


def write_results(runs: list[dict], elapsed: float) -> None:
    """bench/results/latest.md and latest.json: one table per database."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    when = dt.datetime.now().isoformat(timespec="seconds")
    (RESULTS_DIR / "latest.json").write_text(
        json.dumps(
            {"when": when, "elapsed_s": round(elapsed, 1), "runs": runs}, ensure_ascii=False, indent=2, default=str
        )
    )
    misses = [
        (run["meta"]["database"], r["benchmark"]) for run in runs for r in run["results"] if r["meets_goal"] is False
    ]
    lines = [f"# CampaignFlow benchmarks ({when}{', QUICK' if QUICK else ''}; {elapsed:.0f} s in all)", ""]
    lines.append(f"Figures missing their goal: {len(misses)}" + "".join(f"\n- {db}: {name}" for db, name in misses))
    for run in runs:
        lines += ["", *_table(run)]
    (RESULTS_DIR / "latest.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    print(f"\nwritten: {RESULTS_DIR / 'latest.md'}, {RESULTS_DIR / 'latest.json'}")


# --- one database ---------------------------------------------------------------------------------


def run_one(out: Path) -> int:
    """All benchmarks against one database (the child process's DATABASE_URL or a temporary SQLite)."""
    t_start = time.perf_counter()
    print(f"CampaignFlow bench{' (QUICK)' if QUICK else ''}; sizes: {SIZES}", flush=True)
    tmp = Path(tempfile.mkdtemp(prefix="cf-bench-"))
    user = None
    try:
        steps = [
            ("import", lambda: bench_import(tmp, user)),
            ("cpm", bench_cpm),
            ("gantt api", lambda: bench_gantt_api(user)),
            ("lists", lambda: bench_lists(user)),
            ("uploads", bench_uploads_step),
            ("materials", lambda: bench_materials_step(tmp, user)),
            ("events", lambda: bench_events_step(user)),
            ("exports", lambda: bench_export_step(user)),
            ("api under load", bench_api_load),
            ("board queries", bench_board_queries),
            ("gantt page", lambda: bench_gantt_page(user)),
            ("gantt 10k", lambda: bench_gantt_step(user)),
            ("phone", lambda: bench_phone_step(user)),
        ]
        only = {name.strip() for name in os.environ.get("BENCH_ONLY", "").split(",") if name.strip()}
        shared = os.environ.get("BENCH_SHARED_STEPS", "") == "skip"  # QUICK, PostgreSQL after SQLite
        wanted = [
            name for name, _fn in steps if (not only or name in only) and not (shared and name in SHARED_IN_QUICK)
        ]
        user = setup(tmp, before_migrate=(lambda: prestart_servers(tmp, wanted)) if QUICK else None)
        if QUICK:
            _set_up_together()
        STEP_SECONDS["setup"] = round(time.perf_counter() - t_start, 1)
        if os.environ.get("BENCH_WAIT_FOR"):  # QUICK: set up beside the run before this one, the steps after it
            t_wait = time.perf_counter()
            while not Path(os.environ["BENCH_WAIT_FOR"]).exists():
                for name, fn in steps:  # the untimed steps the first run is running now: at the same time
                    if name in wanted and name not in STEP_SECONDS and _together_file(name).exists():
                        t_wait += _run_step(name, fn)  # (its time counts in this run's elapsed time)
                        _together_file(name, connection_vendor()).touch()
                time.sleep(0.1)
            t_start += time.perf_counter() - t_wait
        others = list(filter(None, os.environ.get("BENCH_OTHERS", "").split(",")))
        for name, fn in steps:
            if (only and name not in only) or name in STEP_SECONDS:
                continue
            if shared and name in SHARED_IN_QUICK:
                print(f"\n== {name}: {SHARED_NOTE}", flush=True)
                continue
            together = QUICK and others and name in TOGETHER_IN_QUICK
            if together:
                _together_file(name).touch()
            _run_step(name, fn)
            if together:  # the runs beside this one run it too: wait until they are done (nothing else is timed)
                deadline = time.monotonic() + 300
                while time.monotonic() < deadline and not all(_together_file(name, o).exists() for o in others):
                    time.sleep(0.05)
    finally:
        from django.db import connection

        if QUICK:
            from bench.http_load import Server

            Server.stop_prestarted()
        out.write_text(
            json.dumps(
                {"meta": _meta(connection.vendor, time.perf_counter() - t_start), "results": RESULTS},
                ensure_ascii=False,
                default=str,
            )
        )
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


def connection_vendor() -> str:
    from django.db import connection

    return connection.vendor


def _together_file(step: str, done_by: str = "") -> Path:
    """QUICK: the file the first run touches when it starts `step` (one of TOGETHER_IN_QUICK), and the one that
    the run on database `done_by` touches when it has run it too."""
    slug = step.replace(" ", "-")
    return RESULTS_DIR / (f"latest-step-{slug}-done-{done_by}.tmp" if done_by else f"latest-step-{slug}.tmp")


def _run_step(name: str, fn) -> float:
    """Run one step, its records named after it; returns its seconds."""
    print(f"\n== {name}", flush=True)
    STEP[0] = name
    t_step = time.perf_counter()
    try:
        if not QUICK:
            # full size: the step before may have written millions of rows; their write-back (and, on PostgreSQL,
            # the statistics autovacuum would gather) is done now, not during this step's timings
            settle()
        fn()
    except Exception as exc:
        traceback.print_exc()
        record(name, "error", "", "", False, note=f"{type(exc).__name__}: {exc}"[:200])
    seconds = time.perf_counter() - t_step
    STEP_SECONDS[name] = round(seconds, 1)
    print(f"   ({name}: {STEP_SECONDS[name]} s)", flush=True)
    return seconds


def _set_up_together() -> None:
    """QUICK: wait until this run's servers started ahead are up, and, in the first run, until the runs set up
    beside it are too (BENCH_SET_UP files: each of those touches its own), so that no set-up work is left running
    when the first step is timed."""
    from bench.http_load import Server

    Server.prestarted_ready()
    mine = os.environ.get("BENCH_SET_UP_MINE")
    if mine:
        Path(mine).touch()
    deadline = time.monotonic() + 120
    for other in filter(None, os.environ.get("BENCH_SET_UP_OTHERS", "").split(os.pathsep)):
        while not Path(other).exists() and time.monotonic() < deadline:
            time.sleep(0.05)


# --- every database -------------------------------------------------------------------------------


def with_shared(run: dict, sqlite: dict) -> dict:
    """QUICK: the PostgreSQL run's results with the SQLite run's figures of the steps it left to it (SHARED_IN_QUICK),
    each marked as measured there, in the order of the steps."""
    copies = [{**r, "note": f"{SHARED_NOTE}; {r['note']}".rstrip("; ")} for r in sqlite["results"]
              if r.get("step") in SHARED_IN_QUICK]  # fmt: skip
    order = list(dict.fromkeys(r.get("step") for r in sqlite["results"] + run["results"]))
    results = sorted(run["results"] + copies, key=lambda r: order.index(r.get("step")))
    shared = {k: v for k, v in sqlite["meta"].get("step_seconds", {}).items() if k in SHARED_IN_QUICK}
    seconds = run["meta"].get("step_seconds", {})
    ordered = {k: seconds[k] for k in sorted(seconds, key=lambda k: order.index(k) if k in order else -1)}
    meta = {**run["meta"], "step_seconds": ordered, "steps_from_sqlite": shared}
    return {"meta": meta, "results": results}


def main() -> int:
    from bench.data import postgres_scratch

    if os.environ.get("BENCH_CHILD_OUT"):
        return run_one(Path(os.environ["BENCH_CHILD_OUT"]))
    t_start = time.perf_counter()
    targets: list[tuple[str, dict, callable]] = []
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        targets.append(("postgresql", {}, lambda: None))
    else:
        targets.append(("sqlite", {"DATABASE_URL": ""}, lambda: None))
        scratch = postgres_scratch()
        if scratch is not None:
            url, drop = scratch
            targets.append(("postgresql", {"DATABASE_URL": url, "BENCH_SHARED_STEPS": "skip" if QUICK else ""}, drop))
    runs = []
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    go = RESULTS_DIR / "latest-go.tmp"  # QUICK: the runs set up early start their steps once it exists
    go.unlink(missing_ok=True)

    def start(name: str, env: dict, **extra: str) -> subprocess.Popen:
        out = RESULTS_DIR / f"latest-{name}.tmp"
        return subprocess.Popen([sys.executable, "-m", "bench"], cwd=ROOT,
                                env={**os.environ, **env, "BENCH_CHILD_OUT": str(out), **extra})  # fmt: skip

    # QUICK: the later runs set up (Django, migrations, servers) at the same time as the first, then wait for it;
    # the first waits until they are set up before its first step
    set_up = {name: RESULTS_DIR / f"latest-{name}-set-up.tmp" for name, _env, _drop in targets[1:] if QUICK}
    for path in set_up.values():
        path.unlink(missing_ok=True)
    early = {name: start(name, env, BENCH_WAIT_FOR=str(go), BENCH_SET_UP_MINE=str(set_up[name]))
             for name, env, _drop in targets[1:] if QUICK}  # fmt: skip
    first = {"BENCH_SET_UP_OTHERS": os.pathsep.join(map(str, set_up.values())), "BENCH_OTHERS": ",".join(early)}
    for path in RESULTS_DIR.glob("latest-step-*.tmp"):
        path.unlink()
    try:
        _run_all(targets, runs, start, early, go, first)
    finally:
        for path in [go, *set_up.values(), *RESULTS_DIR.glob("latest-step-*.tmp")]:
            path.unlink(missing_ok=True)
        for proc in early.values():
            if proc.poll() is None:
                proc.kill()
    if QUICK and len(runs) == 2:
        runs[1] = with_shared(runs[1], runs[0])
    parity = read_parity(runs)
    if parity:  # one more table: each API read of the PostgreSQL run against SQLite's (bench/parity.py)
        runs.append({"meta": {"database": "PostgreSQL vs SQLite", "machine": "API reads of the same data"},
                     "results": parity})  # fmt: skip
    write_results(runs, time.perf_counter() - t_start)
    return 0


def _run_all(targets, runs: list, start, early: dict, go: Path, first: dict) -> None:
    for name, env, drop in targets:
        out = RESULTS_DIR / f"latest-{name}.tmp"
        print(f"\n######## {name}", flush=True)
        try:
            if name in early:
                go.touch()
            code = (early.get(name) or start(name, env, **(first if name == targets[0][0] else {}))).wait()
            if out.exists():
                runs.append(json.loads(out.read_text()))
                out.unlink()
            else:
                runs.append({"meta": {"database": name, "machine": "", "elapsed_s": 0},
                             "results": [{"benchmark": "run", "value": f"exit {code}", "unit": "", "goal": "",
                                          "meets_goal": False, "reference": None, "ratio": None, "size": "",
                                          "note": "the run stopped before writing its results"}]})  # fmt: skip
        finally:
            drop()


if __name__ == "__main__":
    raise SystemExit(main())
