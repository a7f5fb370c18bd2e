"""Load generator, run as a second process by `python -m bench`: N concurrent connections (threads)
against one URL on 127.0.0.1, bounded in request count and time; prints the latencies as JSON."""

from __future__ import annotations

import argparse
import http.client
import json
import threading
import time
from urllib.parse import urlsplit


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("url")
    p.add_argument("--token", default="")
    p.add_argument("--concurrency", type=int, default=16)
    p.add_argument("--requests", type=int, default=400)
    p.add_argument("--seconds", type=float, default=60)
    p.add_argument("--warmup", type=int, default=0, help="requests sent first and not counted (workers warm up)")
    a = p.parse_args()
    parts = urlsplit(a.url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    headers = {"Authorization": f"Bearer {a.token}"} if a.token else {}
    latencies, errors, lock = [], [], threading.Lock()
    issued, size = [0], [0]
    deadline = time.monotonic() + a.seconds

    def worker():
        while True:
            with lock:
                if issued[0] >= a.requests or time.monotonic() > deadline:
                    return
                issued[0] += 1
            t0 = time.perf_counter()
            try:
                conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
                conn.request("GET", path, headers=headers)
                resp = conn.getresponse()
                size[0] = max(size[0], len(resp.read()))
                conn.close()
                ok = resp.status == 200
            except OSError as exc:
                ok, resp = False, exc
            elapsed = (time.perf_counter() - t0) * 1000
            with lock:
                (latencies if ok else errors).append(elapsed if ok else str(getattr(resp, "status", resp)))

    if a.warmup:
        limit, a.requests = a.requests, a.warmup
        warm = [threading.Thread(target=worker) for _ in range(a.concurrency)]
        for t in warm:
            t.start()
        for t in warm:
            t.join()
        latencies.clear()
        errors.clear()
        issued[0], a.requests = 0, limit
        deadline = time.monotonic() + a.seconds
    threads = [threading.Thread(target=worker) for _ in range(a.concurrency)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    print(json.dumps({"latencies_ms": latencies, "errors": errors[:20], "wall_s": wall, "bytes": size[0]}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
