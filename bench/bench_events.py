"""Benchmark: a burst of public registrations (issue #21 "Scale": registrations per second on the default
setup and on PostgreSQL with several gunicorn workers, 0 lost and 0 duplicated under 64 concurrent
clients; goals ≥ 500 registrations/s on PostgreSQL, the public page ≤ 100 ms p95 during the burst).

The server: gunicorn on 127.0.0.1 against the bench database, one sync worker on SQLite (the default
setup), 2 × cores + 1 on PostgreSQL; the registration limits are switched off in its workers (this module is
also their gunicorn config, through its `post_worker_init` hook), since every client of the bench comes
from one address. The burst: a second process with 64 connections at once posts `registrations` distinct
phones to POST /api/v1/public/events/{slug}/registrations. The anchor, measured in the same run by the
same clients: as many GET /healthz (one `SELECT 1` each). During the burst a client of its own opens the
public page GET /e/{slug}/ one visit after another, each as a new visitor (no cookie: the visit is
recorded, as for people arriving from a KOL's post); its p95 is set against the page's p95 before the
burst. Then the database is checked: every 201's ticket is a row (0 lost), one row per phone (0
duplicated), and the metric 报名 counts every row once the recount job ran (the bench has no worker, so
the job runs here, as the worker would at the end of its debounce window).

Run alone: `.venv/bin/python -m bench.bench_events [--registrations 5000]` (a temporary SQLite file, or
DATABASE_URL's PostgreSQL, migrated as `python -m bench` does). `bench/__main__.py` runs it as its
"events" step.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.http_load import ROOT, Server, workers_cpu_s

CLIENTS = 64
RATE_GOAL = 500  # registrations per second, PostgreSQL
PAGE_P95_GOAL_MS = 100
IDLE_PAGE_VIEWS = 50


def post_worker_init(worker) -> None:
    """gunicorn's hook, run in each worker of the bench's server once the app is loaded: the registration limits
    off, as every client of the bench comes from 127.0.0.1 (config/settings.py reads no variable for them)."""
    from django.conf import settings

    settings.EVENTS_RATE_PER_IP = settings.EVENTS_RATE_PER_EVENT = "0"


# --- the clients (a second process) ---------------------------------------------------------------


def _phone(i: int) -> str:
    return f"139{i:08d}"


def _request(url: str, body: bytes | None) -> tuple[int, bytes]:
    """One request on a connection of its own (gunicorn's sync workers close each one): (status, body)."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        if body is None:
            connection.request("GET", parts.path)
        else:
            connection.request("POST", parts.path, body=body, headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def clients(url: str, count: int, concurrency: int, register: bool, rate: float | None = None) -> dict:
    """`count` requests from `concurrency` threads at once: GETs, or registrations of distinct phones. Without
    `rate`, each thread sends its next request as soon as the last one is answered (a closed loop: the server's
    most); with `rate`, request i is due at i / rate seconds (an open loop: people arriving at that pace), and its
    latency counts from when it was due, so a slow answer also delays the ones queued behind it.
    {"wall_s", "statuses": {status: n}, "tickets": [ticket code of each 201], "errors": [...], "latencies": [ms]}."""
    statuses: dict[str, int] = {}
    tickets, errors, latencies, lock = [], [], [], threading.Lock()
    issued = iter(range(count))
    t0 = time.perf_counter()

    def work():
        while True:
            with lock:
                i = next(issued, None)
            if i is None:
                return
            due = time.perf_counter()
            if rate:
                due = t0 + i / rate
                time.sleep(max(0.0, due - time.perf_counter()))
            body = None
            if register:
                body = json.dumps({"name": f"访客{i}", "phone": _phone(i), "consent": True, "channel": "抖音"}).encode()
            try:
                status, answer = _request(url, body)
            except OSError as exc:
                status, answer = 0, str(exc).encode()
            with lock:
                latencies.append((time.perf_counter() - due) * 1000)
                statuses[str(status)] = statuses.get(str(status), 0) + 1
                if register and status == 201:
                    tickets.append(json.loads(answer)["ticket_code"])
                elif status not in (200, 201) and len(errors) < 10:
                    errors.append(f"{status}: {answer[:200]!r}")

    threads = [threading.Thread(target=work) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - t0
    return {"wall_s": wall, "statuses": statuses, "tickets": tickets, "errors": errors, "latencies": latencies}


def run_clients(url: str, count: int, *, register: bool = False, rate: float | None = None) -> dict:
    """`clients(...)` in a second process, so that the bench's own threads do not slow the clients down."""
    command = [sys.executable, "-m", "bench.bench_events", "--clients", url, "--registrations", str(count)]
    out = subprocess.run(
        [*command, *(["--register"] if register else []), *(["--rate", str(rate)] if rate else [])],
        cwd=ROOT, capture_output=True, text=True, check=True, timeout=900,
    )  # fmt: skip
    return json.loads(out.stdout)


class PageVisitor(threading.Thread):
    """Opens the public page one visit after another, each as a new visitor, until stopped; the latencies in ms."""

    def __init__(self, url: str):
        super().__init__(daemon=True)
        self.url, self.latencies, self.failures, self.done = url, [], [], threading.Event()

    def run(self):
        while not self.done.is_set():
            t0 = time.perf_counter()
            try:
                status, _body = _request(self.url, None)
            except OSError:
                status = 0
            (self.latencies if status == 200 else self.failures).append((time.perf_counter() - t0) * 1000)

    def stop(self) -> None:
        self.done.set()
        self.join()


def _measured(server: Server, url: str, count: int, *, register: bool = False) -> dict:
    """`run_clients(...)`, with the CPU time the server's workers spent on it ("cpu_s")."""
    before = workers_cpu_s(server.proc.pid)
    result = run_clients(url, count, register=register)
    return {**result, "cpu_s": workers_cpu_s(server.proc.pid) - before}


def _p95(latencies: list[float]) -> float:
    ordered = sorted(latencies)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


# --- the bench -------------------------------------------------------------------------------------


def _event(user, name: str):
    from campaignflow.campaigns.services import campaign_create
    from campaignflow.events.services import event_create

    campaign, _warnings = campaign_create(
        actor=user, data={"name": f"bench {name}", "start_date": "2025-06-01", "end_date": "2025-06-30"}
    )
    return event_create(actor=user, campaign=campaign, data={"name": name, "starts_at": "2025-06-20T14:00:00+08:00"})


def _visited_during(page: str, burst):
    """`burst()`'s answer, and a PageVisitor that opened `page` while it ran."""
    visitor = PageVisitor(page)
    visitor.start()
    try:
        return burst(), visitor
    finally:
        visitor.stop()


def _burst(server: Server, event, paced_event, warm_up, registrations: int) -> dict:
    """The anchor, the page alone, the burst as fast as the server goes with a visitor on the page at the same
    time, then a burst arriving at the goal's pace with a visitor on the page."""
    api = f"{server.base}/api/v1/public/events/{{}}/registrations"
    page = f"{server.base}/e/{event.slug}/"
    run_clients(api.format(warm_up.slug), CLIENTS, register=True)  # imports, connections: not measured
    healthz = _measured(server, f"{server.base}/healthz", registrations)
    idle = PageVisitor(page)
    idle.start()
    while len(idle.latencies) + len(idle.failures) < IDLE_PAGE_VIEWS:
        time.sleep(0.05)
    idle.stop()
    burst, during = _visited_during(
        page, lambda: _measured(server, api.format(event.slug), registrations, register=True)
    )
    paced, paced_page = _visited_during(
        page, lambda: run_clients(api.format(paced_event.slug), registrations, register=True, rate=RATE_GOAL)
    )
    return {
        "healthz": healthz,
        "idle": idle,
        "during": during,
        "burst": burst,
        "paced": paced,
        "paced_page": paced_page,
    }


def _check(event, burst: dict) -> dict:
    """What the database holds after the burst, and the metric 报名 after the recount job."""
    from django.db.models import Sum

    from campaignflow.events import metrics
    from campaignflow.events.models import Registration
    from campaignflow.tracking.models import MetricRow

    rows = Registration.objects.filter(event=event)
    stored = set(rows.values_list("ticket_code", flat=True))
    t0 = time.perf_counter()
    metrics.sync(event.campaign)
    recount_ms = (time.perf_counter() - t0) * 1000
    counted = MetricRow.objects.filter(campaign=event.campaign, metric=metrics.REGISTRATIONS).aggregate(n=Sum("value"))
    return {
        "rows": rows.count(),
        "lost": len(set(burst["tickets"]) - stored),
        "duplicated": rows.count() - rows.values("phone").distinct().count(),
        "counted": int(counted["n"] or 0),
        "recount_ms": recount_ms,
    }


SERVER_ENV = {"GUNICORN_CMD_ARGS": "--config python:bench.bench_events"}  # post_worker_init: the limits off


def server_workers(postgres: bool) -> int:
    """gunicorn's rule of thumb on PostgreSQL (a worker waiting on a commit leaves its core to another); SQLite
    writes one at a time, so the default setup runs one worker."""
    return 2 * (os.cpu_count() or 1) + 1 if postgres else 1


def run(user, *, registrations: int = 5000) -> list[dict]:
    """Records shaped like bench/__main__.py's `record(...)` keyword arguments."""
    from django.db import connection

    postgres = connection.vendor == "postgresql"
    workers = server_workers(postgres)
    event, paced_event, warm_up = _event(user, "KOL 爆发报名"), _event(user, "按目标速率报名"), _event(user, "warm-up")
    with Server(workers, **SERVER_ENV) as server:
        m = _burst(server, event, paced_event, warm_up, registrations)
    db, paced_db = _check(event, m["burst"]), _check(paced_event, m["paced"])
    burst, healthz = m["burst"], m["healthz"]
    rate = burst["statuses"].get("201", 0) / burst["wall_s"]
    anchor = sum(healthz["statuses"].values()) / healthz["wall_s"]
    setup = f"{workers} gunicorn sync worker{'s' if workers > 1 else ''}, {connection.vendor}"
    size = f"{registrations:,} distinct phones, {CLIENTS} clients at once, {setup}"
    idle, during = m["idle"], m["during"]
    idle_p95, p95 = _p95(idle.latencies), _p95(during.latencies)
    paced, paced_page = m["paced"], m["paced_page"]
    paced_p95 = _p95(paced_page.latencies)
    paced_ok = paced_db["lost"] == paced_db["duplicated"] == 0 and paced_db["rows"] == registrations
    answers = ", ".join(f"{status}: {n:,}" for status, n in sorted(burst["statuses"].items()))
    return [
        {
            "name": "event registration burst: registrations/s",
            "value": round(rate),
            "unit": "registrations/s",
            "goal": f"≥ {RATE_GOAL}/s on PostgreSQL" if postgres else "— (the goal is PostgreSQL's)",
            "ok": rate >= RATE_GOAL if postgres else None,
            "reference": f"GET /healthz {anchor:.0f} req/s ({registrations:,} from the same clients)",
            "ratio": rate / anchor if anchor else None,
            "size": size,
            "note": f"POST /api/v1/public/events/{{slug}}/registrations in {burst['wall_s']:.1f} s; answers {answers}; "
            f"CPU of the workers per request {burst['cpu_s'] / registrations * 1000:.1f} ms (/healthz "
            f"{healthz['cpu_s'] / registrations * 1000:.1f} ms)"
            + (f"; first errors {burst['errors'][:2]}" if burst["errors"] else ""),
        },
        {
            "name": "event registration burst: lost / duplicated",
            "value": f"{db['lost']} / {db['duplicated']}",
            "unit": "registrations",
            "goal": "0 / 0",
            "ok": db["lost"] == db["duplicated"] == 0 and db["rows"] == registrations,
            "size": size,
            "note": f"{burst['statuses'].get('201', 0):,} answered 201, {db['rows']:,} rows, one per phone",
        },
        {
            "name": f"event public page during a burst at the goal's pace ({RATE_GOAL} registrations/s): p95",
            "value": round(paced_p95, 1),
            "unit": "ms",
            "goal": f"≤ {PAGE_P95_GOAL_MS} ms",
            "ok": paced_p95 <= PAGE_P95_GOAL_MS and not paced_page.failures and paced_ok,
            "reference": f"p95 {idle_p95:.1f} ms before the burst ({len(idle.latencies)} views)",
            "ratio": paced_p95 / idle_p95 if idle_p95 else None,
            "size": f"{registrations:,} distinct phones arriving at {RATE_GOAL}/s (open loop), {setup}",
            "note": f"GET /e/{{slug}}/ by one client, a new visitor each time (a visit recorded): "
            f"{len(paced_page.latencies)} views, p50 {statistics.median(paced_page.latencies):.1f} ms, "
            f"{len(paced_page.failures)} not answered 200; the registrations themselves: p50 "
            f"{statistics.median(paced['latencies']):.0f} ms, p95 {_p95(paced['latencies']):.0f} ms from when each was "
            f"due; {paced_db['rows']:,} rows, {paced_db['lost']} lost, {paced_db['duplicated']} duplicated",
        },
        {
            "name": "event public page during the burst at the server's most: p95",
            "value": round(p95, 1),
            "unit": "ms",
            "goal": "— (information: every request waits its turn behind the 64 in flight)",
            "ok": None,
            "reference": f"p95 {idle_p95:.1f} ms before the burst ({len(idle.latencies)} views)",
            "ratio": p95 / idle_p95 if idle_p95 else None,
            "size": size,
            "note": f"GET /e/{{slug}}/ by one client, a new visitor each time: {len(during.latencies)} views during "
            f"the burst, p50 {statistics.median(during.latencies):.1f} ms, {len(during.failures)} not answered 200; "
            f"with 64 clients always waiting, any request's mean wait is 64 / {rate:.0f} per s = "
            f"{64 / rate * 1000 if rate else 0:.0f} ms (Little's law), whatever it is",
        },
        {
            "name": "event registrations counted into the metric 报名",
            "value": f"{db['counted']:,} / {db['rows']:,}",
            "unit": "counted / rows",
            "goal": "equal",
            "ok": db["counted"] == db["rows"],
            "size": size,
            "note": f"the recount job (events.tasks.sync_metrics, queued once per 5 s window) run after the burst: "
            f"{db['recount_ms']:.0f} ms",
        },
    ]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--registrations", type=int, default=5000)
    parser.add_argument("--clients", metavar="URL", help="be the clients' process: requests to URL, JSON out")
    parser.add_argument("--register", action="store_true", help="with --clients: POST distinct registrations")
    parser.add_argument("--rate", type=float, help="with --clients: an open loop, this many requests per second")
    args = parser.parse_args()
    if args.clients:
        print(json.dumps(clients(args.clients, args.registrations, CLIENTS, args.register, args.rate)))
        return 0
    from bench.__main__ import record
    from bench.data import standalone

    with standalone("cf-bench-events-") as (_tmp, user):  # a temporary SQLite file (or DATABASE_URL's PostgreSQL)
        for r in run(user, registrations=args.registrations):
            record(**r)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
