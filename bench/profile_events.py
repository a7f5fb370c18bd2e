"""CPU of one public registration (and of the public page) end to end in process: requests through the
WSGI application gunicorn runs (config.wsgi: every middleware, URL resolving, django-ninja, the answer),
no network. Prints the CPU per request and, with --profile, cProfile's top functions.

    .venv/bin/python -m bench.profile_events [--requests 2000] [--profile] [--path register|page|healthz]

A temporary SQLite file by default, or DATABASE_URL's PostgreSQL (data is added to it: a scratch database).
The registration limits stay on (each request from its own client address, as a burst from many phones).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _environ(method: str, path: str, body: bytes = b"", address: str = "10.0.0.1") -> dict:
    return {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "REMOTE_ADDR": address,
        "HTTP_HOST": "127.0.0.1:8000",
        "CONTENT_TYPE": "application/json" if body else "",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }


def _call(application, environ: dict) -> tuple[str, bytes]:
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"] = status

    body = b"".join(application(environ, start_response))
    return answer["status"], body


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--profile", action="store_true", help="print cProfile's top functions")
    parser.add_argument("--path", choices=("register", "page", "healthz"), default="register")
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args()
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("CONN_MAX_AGE", "60")
    from bench.data import standalone

    with standalone("cf-profile-events-") as (_tmp, user):
        from bench.bench_events import _event
        from config.wsgi import application

        event = _event(user, "profile")

        def request(i: int):
            address = f"10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}"
            if args.path == "healthz":
                return _environ("GET", "/healthz", address=address)
            if args.path == "page":
                return _environ("GET", f"/e/{event.slug}/", address=address)
            body = json.dumps({"name": f"访客{i}", "phone": f"139{i:08d}", "consent": True, "channel": "抖音"})
            path = f"/api/v1/public/events/{event.slug}/registrations"
            return _environ("POST", path, body.encode(), address=address)

        for i in range(50):  # warm-up: imports, the connection, the caches
            _call(application, request(10_000_000 + i))
        environs = [request(i) for i in range(args.requests)]
        profiler = cProfile.Profile(time.process_time) if args.profile else None  # CPU, not waiting
        statuses: dict[str, int] = {}
        cpu0 = time.process_time()
        if profiler:
            profiler.enable()
        for environ in environs:
            status, _body = _call(application, environ)
            statuses[status] = statuses.get(status, 0) + 1
        if profiler:
            profiler.disable()
        cpu = time.process_time() - cpu0
        print(f"{args.path}: {args.requests} requests, answers {statuses}")
        print(f"CPU per request: {cpu / args.requests * 1000:.3f} ms" + (" (under cProfile)" if profiler else ""))
        if profiler:
            stats = pstats.Stats(profiler)
            stats.sort_stats("cumulative").print_stats(args.top)
            stats.sort_stats("tottime").print_stats(args.top)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
