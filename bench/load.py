"""Load generator, run as a second process by `python -m bench`: N concurrent connections (threads)
against one URL on 127.0.0.1 (or several, taken in turn), bounded in request count and time; prints the
latencies as JSON."""

from __future__ import annotations

import argparse
import json
import socket
import threading
import time
from urllib.parse import urlsplit


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("url", nargs="+", help="one URL, or several on the same server taken in turn")
    p.add_argument("--token", default="")
    p.add_argument("--concurrency", type=int, default=16)
    p.add_argument("--requests", type=int, default=400)
    p.add_argument("--seconds", type=float, default=60)
    p.add_argument("--warmup", type=int, default=0, help="requests sent first and not counted (workers warm up)")
    a = p.parse_args()
    parts = [urlsplit(u) for u in a.url]
    paths = [u.path + (f"?{u.query}" if u.query else "") for u in parts]
    auth = f"Authorization: Bearer {a.token}\r\n" if a.token else ""
    host, port = parts[0].hostname, parts[0].port or 80
    # The requests written out once: a raw socket per request costs the client a fraction of http.client's
    # CPU, which matters when the client shares the server's cores (make bench-scale).
    requests = {
        path: f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n{auth}Connection: close\r\n\r\n".encode()
        for path in paths
    }

    def fetch(request: bytes) -> tuple[int, int]:
        """(status, body bytes) of one request on a connection of its own, read to the server's close."""
        with socket.create_connection((host, port), timeout=60) as sock:
            sock.sendall(request)
            chunks = []
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        response = b"".join(chunks)
        head, _sep, body = response.partition(b"\r\n\r\n")
        return int(head[9:12]), len(body)

    latencies, errors, lock = [], [], threading.Lock()
    issued, size = [0], [0]
    deadline = time.monotonic() + a.seconds

    def worker():
        while True:
            with lock:
                if issued[0] >= a.requests or time.monotonic() > deadline:
                    return
                path = paths[issued[0] % len(paths)]
                issued[0] += 1
            t0 = time.perf_counter()
            try:
                status, body = fetch(requests[path])
                size[0] = max(size[0], body)
                ok = status == 200
            except (OSError, ValueError) as exc:
                ok, status = False, exc
            elapsed = (time.perf_counter() - t0) * 1000
            with lock:
                (latencies if ok else errors).append(elapsed if ok else str(status))

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
