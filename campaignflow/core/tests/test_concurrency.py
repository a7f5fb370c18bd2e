"""Concurrent edits through a real multi-process server: 4 gunicorn workers, 300 read-modify-write
edits of the same campaign from 12 threads. Every write either wins (200) or gets 409; no update is
lost (the final value counts exactly the wins) and nothing answers 5xx. Runs on the database kind the
suite uses (SQLite file, or a scratch PostgreSQL database)."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.support.processes import ROOT, manage, manage_shell, scratch_database_env

EDITS, THREADS, WORKERS = 300, 12, 4


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _request(method, url, token, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(
        url, data=data, method=method, headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """(campaign URL, token): a campaign served by 4 gunicorn workers on a database of its own."""
    db_env, drop = scratch_database_env(tmp_path_factory.mktemp("concurrency"))
    env = {**os.environ, "AXES_ENABLED": "0", "DJANGO_SETTINGS_MODULE": "config.settings"}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env["TASKS_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"  # alert evaluation is not under test
    env.update(db_env)
    server = None
    try:
        manage(env, "migrate", "-v0", timeout=300)
        setup = (
            "from campaignflow.accounts.models import User;"
            "from campaignflow.accounts.services import token_create;"
            "from campaignflow.campaigns.services import campaign_create;"
            "u=User.objects.create_user('racer', role='admin', is_superuser=True);"
            "c,_=campaign_create(actor=u, data={'name':'并发测试','start_date':'2025-06-01',"
            "'end_date':'2025-06-30','budget_total':'0'});"
            "print(c.pk, token_create(user=u)[1])"
        )
        out = manage_shell(env, setup).split()
        campaign_id, token = out[-2], out[-1]
        port = _free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi", "-w", str(WORKERS), "-b", f"127.0.0.1:{port}",
             "--timeout", "60"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}/api/v1/campaigns/{campaign_id}", token
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=20)
        drop()


def test_concurrent_edits_lose_nothing(served):
    url, token = served

    def edit(_i):
        status, body = _request("GET", url, token)
        assert status == 200, body
        new_total = float(body["budget_total"]) + 1
        return _request("PATCH", url, token, {"version": body["version"], "budget_total": new_total})

    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(edit, range(EDITS)))
    statuses = [status for status, _body in results]
    wins, conflicts = statuses.count(200), statuses.count(409)
    assert [s for s in statuses if s >= 500] == []
    assert wins + conflicts == EDITS, sorted(set(statuses))
    assert all("current_version" in body for status, body in results if status == 409)
    final = _request("GET", url, token)[1]
    assert float(final["budget_total"]) == wins, "an update was lost"
    assert final["version"] == 1 + wins
    print(f"{EDITS} concurrent edits through {WORKERS} workers: {wins} won, {conflicts} got 409, 0 lost, 0 5xx")


def test_concurrent_metric_pushes_to_one_campaign(served):
    """Eight clients push overlapping days of the same metric at once (each its own channel, each
    several times): every push succeeds, and the board's total is exactly what was sent. Without the
    campaign lock in tracking.services, two pushes recomputed the same daily totals at once and
    PostgreSQL answered 500 (unique violation on the daily-total key)."""
    url, token = served
    days = [f"2025-06-{d:02d}" for d in range(1, 29)]

    def push(i):
        rows = [{"date": d, "channel": f"渠道{i % 8}", "metric": "曝光", "value": 10 + i % 8} for d in days]
        return _request("POST", f"{url}/metrics", token, {"rows": rows})

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(push, range(48)))
    assert [(s, b) for s, b in results if s != 200] == []
    status, kpi = _request("POST", f"{url}/kpis", token, {"name": "曝光量", "metric": "曝光", "target": 1000,
                                                         "unit": "次", "priority": "core", "direction": "up"})  # fmt: skip
    assert status in (200, 201), kpi
    status, board = _request("GET", f"{url}/board", token)
    assert status == 200, board
    expected = sum(10 + c for c in range(8)) * len(days)  # each channel's last push wins, same values
    card = next(k for k in board["kpis"] if k["id"] == kpi["id"])
    assert float(card["actual"]) == expected
    assert sum(float(r["actual"] or 0) for r in board["daily"]) == expected
