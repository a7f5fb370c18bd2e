"""A gunicorn server against the bench database and the load runs against it (bench/load.py, a second
process on 127.0.0.1, N concurrent connections, bounded in count and time)."""

from __future__ import annotations

import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench import quick

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


PRESTARTED: dict[tuple, list] = {}  # QUICK: servers started ahead, by (workers, environment added)


class Server:
    """gunicorn on a free port against the bench database, started and stopped by the bench. With
    `wait_ready=False` the constructor returns at once and `ready()` waits for it (servers that boot side by side
    while nothing is measured)."""

    def __init__(self, workers: int, *, wait_ready: bool = True, **env_extra: str):
        ahead = PRESTARTED.get((workers, tuple(sorted(env_extra.items()))))
        if ahead:  # QUICK: one started ahead, as this one would be
            other = ahead.pop()
            self.port, self.proc, self.quick_stop = other.port, other.proc, other.quick_stop
        else:
            self._start(workers, env_extra)
        if wait_ready:
            self.ready()

    @classmethod
    def prestart(cls, workers: int, **env_extra: str) -> None:
        """QUICK: start a server now (it boots while the run sets up), for the step that asks for one like it."""
        server = cls.__new__(cls)
        server._start(workers, env_extra)
        PRESTARTED.setdefault((workers, tuple(sorted(env_extra.items()))), []).append(server)

    @staticmethod
    def prestarted_ready() -> None:
        for servers in PRESTARTED.values():
            for server in servers:
                server.ready()

    @staticmethod
    def stop_prestarted() -> None:
        """The servers started ahead that no step took (and the zygote, QUICK)."""
        for servers in PRESTARTED.values():
            for server in servers:
                server.stop()
        PRESTARTED.clear()
        Zygote.stop()

    def _start(self, workers: int, env_extra: dict) -> None:
        self.port = free_port()
        env = {**os.environ, "DEBUG": "0", "CONN_MAX_AGE": "60", **env_extra}
        # QUICK: the master forked from a process that imported the app once (bench/server_zygote.py) and each worker
        # forked from it warm (bench/wsgi_preload.py), in a process group of its own, ended at once when the bench is
        # done with it (a graceful stop takes gunicorn ~2 s, and nothing is measured then)
        self.quick_stop = quick()
        if self.quick_stop:
            self.proc = Zygote.fork(self.port, workers, env)
            return
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{self.port}", "-w", str(workers),
             "--log-level", "warning", "--timeout", "120"],
            cwd=ROOT, env=env,
        )  # fmt: skip

    def ready(self) -> Server:
        """Wait until gunicorn listens (QUICK: the app preloaded)."""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("gunicorn did not start")

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self):
        if self.proc.poll() is not None:  # stopped already
            return
        if self.quick_stop:
            os.killpg(self.proc.pid, signal.SIGKILL)  # the master and its workers
            self.proc.wait()
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()

    def __enter__(self):
        return self.ready()

    def __exit__(self, *exc):
        self.stop()


class Zygote:
    """QUICK: the process that forks this run's gunicorn masters (bench/server_zygote.py), started with the first
    server; each answer (a master's pid) is read when that server is first waited for or stopped."""

    proc: subprocess.Popen | None = None
    pids: list[int] = []
    asked = 0

    @classmethod
    def fork(cls, port: int, workers: int, env: dict) -> Forked:
        if cls.proc is None:
            cls.proc = subprocess.Popen([sys.executable, "-m", "bench.server_zygote"], cwd=ROOT, env=env,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)  # fmt: skip
            cls.pids, cls.asked = [], 0
        cls.proc.stdin.write(json.dumps({"port": port, "workers": workers, "env": env}) + "\n")
        cls.proc.stdin.flush()
        cls.asked += 1
        return Forked(cls.asked - 1)

    @classmethod
    def pid(cls, index: int) -> int:
        while len(cls.pids) <= index:
            line = cls.proc.stdout.readline()
            if not line:
                raise RuntimeError("the server zygote stopped")
            if line.strip() != "READY":
                cls.pids.append(int(line))
        return cls.pids[index]

    @classmethod
    def stop(cls) -> None:
        if cls.proc is not None:
            cls.proc.stdin.close()
            cls.proc.wait(timeout=10)
            cls.proc = None


class Forked:
    """A gunicorn master forked by the zygote: what Server uses of a Popen (the zygote, its parent, reaps it)."""

    def __init__(self, index: int):
        self.index = index

    @property
    def pid(self) -> int:
        return Zygote.pid(self.index)

    def poll(self) -> int | None:
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return -signal.SIGKILL
        return None

    def wait(self, timeout: float = 30) -> int:
        deadline = time.monotonic() + timeout
        while self.poll() is None:
            if time.monotonic() > deadline:
                raise subprocess.TimeoutExpired("gunicorn", timeout)
            time.sleep(0.01)
        return -signal.SIGKILL


def _cpu_s(match) -> float:
    """CPU seconds (user + system) used so far by the processes for which `match(name, parent pid)` holds."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            name_part, _paren, rest = stat.read_text().rpartition(")")
            fields = rest.split()
        except OSError:
            continue
        name = name_part.partition("(")[2]
        if match(name, int(fields[1])):  # fields[1]: the parent; [11], [12]: utime, stime in clock ticks
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def workers_cpu_s(master: int) -> float:
    """CPU seconds used so far by the worker processes of gunicorn's `master`."""
    return _cpu_s(lambda _name, parent: parent == master)


def server_cpu_s(prefix: str) -> float:
    """CPU seconds used so far by the processes whose name starts with `prefix` ("postgres": the PostgreSQL
    server, every backend; "redis-server")."""
    return _cpu_s(lambda name, _parent: name.startswith(prefix))


def request_ms(method: str, url: str, token: str, body: dict | None = None) -> tuple[int, float]:
    """One request on a connection of its own, with a Bearer token: (status, milliseconds)."""
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    t0 = time.perf_counter()
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        connection.request(method, parts.path, body=json.dumps(body).encode() if body else None, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status, (time.perf_counter() - t0) * 1000
    finally:
        connection.close()


def load(url: str | list[str], token: str, concurrency: int, requests: int, seconds: float) -> dict:
    """Run bench/load.py as a second process: {"p50", "p95", "p99", "median", "rate", "note", "client_cpu_s"}
    (latencies in ms; `url` may be several, taken in turn; client_cpu_s: the CPU the load process used)."""
    import resource

    urls = [url] if isinstance(url, str) else list(url)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "load.py"), *urls, "--token", token, "--concurrency", str(concurrency),
         "--requests", str(requests), "--seconds", str(seconds), "--warmup", str(concurrency * 2)],
        capture_output=True, text=True, check=True, timeout=900,
    )  # fmt: skip
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    client_cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
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
        "rate": rate,
        "bytes": data.get("bytes"),
        "client_cpu_s": round(client_cpu, 2),
        "wall_s": round(data["wall_s"], 2),
        "note": f"{len(lat)} requests in {data['wall_s']:.1f} s ({rate:.0f} req/s), errors {len(data['errors'])}",
    }
