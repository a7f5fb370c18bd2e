"""`make bench-scale` (issue #25): does a deployment's read throughput grow with its web workers?

The set-up of deploy/compose.scale.yaml, started here as plain processes on 127.0.0.1 (no Docker needed):
gunicorn (sync workers) on a scratch PostgreSQL database, the shared cache in Redis (CACHE_URL) and the
background tasks queued in Redis (django-tasks-rq) and run by `manage.py rqworker` beside the web workers.

The reads are the ones a team makes all day, taken in turn by 8 connections from a second process
(bench/load.py): the board, the campaign list, the tasks of a campaign, the reader's own tasks, the KPIs.
Throughput (requests/s) with 1 web worker, then with 2 (each worker's warm-up requests not counted); goal:
2 workers ≥ 1.7 × 1 worker on this 2-core machine. The load generator and PostgreSQL share those cores,
so the client's own CPU time is printed beside each figure. Then the Redis worker's part: metric rows
written through the API (each write queues the campaign's alert evaluation), and every evaluation done by
the rqworker process.

Run: `make bench-scale` (needs PostgreSQL at BENCH_POSTGRES_URL and Redis at 127.0.0.1:6379; databases 13
and 14 of that Redis are emptied). Writes bench/results/scale.md and scale.json.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import verdict  # noqa: E402  (after the path: run as a script too)

GOAL = 1.7
CONCURRENCY = 8
QUEUE_DB, CACHE_DB = 13, 14
RQ_JOB_CLASS = "django_tasks_rq.backend.Job"  # the worker must run django-tasks' job class
QUICK = os.environ.get("BENCH_QUICK", "") not in ("", "0")
SECONDS = 8 if QUICK else 30
WRITES = 5 if QUICK else 20


def _environment(database_url: str) -> dict[str, str]:
    redis = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379")
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url,
        "CACHE_URL": f"{redis}/{CACHE_DB}",
        "REDIS_URL": f"{redis}/{QUEUE_DB}",
        "TASKS_BACKEND": "django_tasks_rq.RQBackend",
    }


def _reads(board: int, planned: int) -> list[str]:
    return [
        f"/api/v1/campaigns/{board}/board",
        "/api/v1/campaigns",
        f"/api/v1/campaigns/{planned}/tasks",
        "/api/v1/me/tasks",
        f"/api/v1/campaigns/{board}/kpis",
    ]


def _throughput(workers: int, paths: list[str], token: str) -> dict:
    """Requests/s of `workers` web workers, and where the CPU went per request: the web workers, PostgreSQL,
    the load generator (all three share the machine's cores, so the last two bound the scaling)."""
    from bench.http_load import Server, load, server_cpu_s, workers_cpu_s

    def cpu() -> dict[str, float]:
        return {"web": workers_cpu_s(server.proc.pid), "db": server_cpu_s("postgres"), "redis": server_cpu_s("redis")}

    with Server(workers) as server:
        urls = [server.base + path for path in paths]
        load(urls, token, CONCURRENCY, 40 * workers, 30)  # every worker has imported, connected, cached
        before = cpu()
        result = load(urls, token, CONCURRENCY, 10**7, SECONDS)
        used = {k: v - before[k] for k, v in cpu().items()} | {"client": result["client_cpu_s"]}
    count = result["rate"] * result["wall_s"]
    result["cpu_ms"] = {k: round(v * 1000 / count, 2) for k, v in used.items()}
    print(f"  {workers} web worker(s): {result['note']}, CPU ms a request {result['cpu_ms']}", flush=True)
    return result


def _rq_worker_part(board: int, writer_token: str) -> dict:
    """WRITES metric rows pushed through the API (each queues an alert evaluation in Redis), the rqworker
    process running: how many evaluations it finished, and how long until the queue was empty."""
    import django_rq
    from rq.registry import FinishedJobRegistry

    from bench.http_load import Server, request_ms
    from campaignflow.tracking.models import MetricDayTotal

    queue = django_rq.get_queue("default")
    metric, day = MetricDayTotal.objects.filter(campaign_id=board).values_list("metric", "date").first()
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "rqworker", "default", "--job-class", RQ_JOB_CLASS],
        cwd=ROOT, env=os.environ.copy(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    statuses = []
    try:
        with Server(1) as server:
            t0 = time.perf_counter()
            for i in range(WRITES):
                body = {
                    "rows": [{"date": day.isoformat(), "channel": "渠道1", "metric": metric, "value": str(500 + i)}]
                }
                status, _ms = request_ms("POST", f"{server.base}/api/v1/campaigns/{board}/metrics", writer_token, body)
                statuses.append(status)
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and (queue.count or queue.started_job_registry.count):
                time.sleep(0.2)
            drained_s = time.perf_counter() - t0
    finally:
        worker.terminate()
        try:
            _out, errors = worker.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
            _out, errors = worker.communicate()
    finished = FinishedJobRegistry(queue=queue).count
    return {
        "writes_ok": sum(s == 200 for s in statuses),
        "finished": finished,
        "left": queue.count,
        "failed": queue.failed_job_registry.count,
        "drained_s": round(drained_s, 1),
        "worker_log": (errors or "")[-300:],
    }


def run() -> list[dict]:
    import redis

    from bench.data import api_token, generate, planner
    from campaignflow.accounts.models import User

    base = os.environ["CACHE_URL"].rsplit("/", 1)[0]
    for db in (QUEUE_DB, CACHE_DB):  # the bench's own queue and cache: nothing left from an earlier run
        redis.Redis.from_url(f"{base}/{db}").flushdb()
    (board,) = generate(campaigns=1, days=30 if QUICK else 120, channels=20, metrics=10)
    planned = generate(campaigns=2, days=120, channels=1, metrics=1, tasks=200 if QUICK else 1000)
    reader = planner([board, *planned])
    token = api_token(reader)
    paths = _reads(board, planned[0])
    one, two = _throughput(1, paths, token), _throughput(2, paths, token)
    ratio = two["rate"] / one["rate"]
    writer = User.objects.get(username="bench")
    rq = _rq_worker_part(board, api_token(writer))
    rq_ok = rq["finished"] >= WRITES and not rq["failed"] and not rq["left"] and rq["writes_ok"] == WRITES
    size = f"{len(paths)} reads in turn, {CONCURRENCY} connections, {SECONDS} s each; 2-core machine"
    return [
        {"name": "read throughput, 1 web worker", "value": round(one["rate"]), "unit": "req/s", "goal": "—",
         "ok": None, "size": size,
         "note": f"p50 {one['p50']} ms, p95 {one['p95']} ms; {one['note']}; {_cpu_note(one)}"},
        {"name": "read throughput, 2 web workers", "value": round(two["rate"]), "unit": "req/s", "goal": "—",
         "ok": None, "size": size,
         "note": f"p50 {two['p50']} ms, p95 {two['p95']} ms; {two['note']}; {_cpu_note(two)}"},
        {"name": "read throughput scaling, 1 → 2 web workers", "value": round(ratio, 2), "unit": "×",
         "goal": f"≥ {GOAL}", "ok": ratio >= GOAL, "size": size,
         "note": f"{round(one['rate'])} → {round(two['rate'])} req/s; with PostgreSQL and the load generator on the "
         f"same cores the ceiling is 2 × web / (web + PostgreSQL + Redis + client) CPU a request = {_ceiling(two):.2f} ×"},
        {"name": "background work on the Redis worker (django-tasks-rq)", "value": f"{rq['finished']} / {WRITES}",
         "unit": "evaluations", "goal": "all done, none failed",
         "ok": rq_ok,
         "size": f"{WRITES} metric writes through the API",
         "note": f"queue empty {rq['drained_s']} s after the first write; writes 200: {rq['writes_ok']}; "
         f"failed {rq['failed']}; left {rq['left']}" + ("" if rq_ok else f"; the worker's log ends: {rq['worker_log']}")},
    ]  # fmt: skip


def _cpu_note(result: dict) -> str:
    cpu = result["cpu_ms"]
    return (
        f"CPU a request: web {cpu['web']} ms, PostgreSQL {cpu['db']} ms, Redis {cpu['redis']} ms, "
        f"load generator {cpu['client']} ms"
    )


def _ceiling(result: dict) -> float:
    """What 2 workers could reach over 1 on 2 cores when every request also costs the database and client CPU."""
    cpu = result["cpu_ms"]
    return 2 * cpu["web"] / sum(cpu.values())


def _write(results: list[dict], meta: dict) -> None:
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "scale.json").write_text(json.dumps({"meta": meta, "results": results}, ensure_ascii=False, indent=1))
    lines = [f"# make bench-scale — {meta['when']}", "", f"{meta['machine']}; load before the run: {meta['load']}", "",
             "| figure | value | goal | ok | size | note |", "| --- | --- | --- | --- | --- | --- |"]  # fmt: skip
    for r in results:
        lines.append(
            f"| {r['name']} | {r['value']} {r['unit']} | {r['goal']} | {verdict(r['ok'])} | {r['size']} | {r['note']} |"
        )
    (out / "scale.md").write_text("\n".join(lines) + "\n")


def main() -> int:
    import platform

    from bench.data import postgres_scratch

    scratch = postgres_scratch()
    if scratch is None:
        print("make bench-scale needs PostgreSQL (BENCH_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/).")
        return 2
    url, drop = scratch
    os.environ.update(_environment(url))
    meta = {
        "when": dt.datetime.now().isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }
    try:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        from campaignflow.accounts.models import User

        User.objects.get_or_create(username="bench", defaults={"display_name": "bench", "is_superuser": True})
        results = run()
    finally:
        from django.db import connections

        connections.close_all()
        drop()
    _write(results, meta)
    for r in results:
        print(f"{r['name']}: {r['value']} {r['unit']} (goal {r['goal']}) {verdict(r['ok'])} · {r['note']}")
    return 0 if all(r["ok"] is not False for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
