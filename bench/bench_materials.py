"""Benchmark: material files and the materials list (issue #20: "`make bench` figures for uploading a
200 MB file (time and peak memory, ≤ 100 MB RSS growth) and for the materials list at 5,000 materials").

Upload: a video of `upload_mb` MB (an MP4 header, then random bytes: nothing compresses or repeats) is
posted as multipart/form-data with a Bearer token to /api/v1/materials/{id}/files, the real upload path:
gunicorn with one sync worker on 127.0.0.1, its upload middleware, Django's multipart parser, the
hashing upload handler, the file-type check and the file store: the file system (a temporary
MEDIA_ROOT), then an S3 store (MATERIAL_STORAGE=s3 against moto's S3 server on 127.0.0.1, a fresh
bucket). The client streams the body from disk. Figures, per store: the request's time, against a
reference measured in the same run (copying the same file on disk while hashing it), and the worker's
peak RSS growth: its resident memory after a warm-up upload of 1 MB, then its high-water mark, reset
just before the large upload (Linux: "5" into /proc/<pid>/clear_refs), read after it. The answer's
SHA-256 must be the file's.

List: the materials of one campaign at 50 and at `large` materials (the list-query-count case
`materials` of tests/support/list_factories.py, inside a transaction rolled back afterwards): p50/p95
of the API (GET /api/v1/campaigns/{id}/materials, Bearer token) and of the page
(/campaigns/{id}/materials/, logged in), and each one's query count, equal at both sizes.

Run alone: `.venv/bin/python -m bench.bench_materials [--upload-mb 200] [--large 5000]` (a temporary
SQLite file, migrated, as `python -m bench` sets up). `bench/__main__.py` runs it as its "materials" step.
QUICK (`BENCH_QUICK=1`): moto and both servers are started first and boot side by side (each waits idle for its
upload), before the reference copy is timed.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import logging
import os
import re
import shutil
import statistics
import struct
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import quick, verdict

MB = 1024 * 1024
RSS_GOAL_MB = 100
UPLOAD_GOAL_S = 10  # the server keeps up with 20 MB/s, a fast office link
API_P95_GOAL_MS, PAGE_P95_GOAL_MS = 500, 1000
SMALL = 50


# --- the upload -----------------------------------------------------------------------------------


def write_video(path: Path, size: int) -> str:
    """An MP4 of `size` bytes (ftyp box, then one mdat box of random bytes); returns its SHA-256."""
    sha = hashlib.sha256()
    head = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + struct.pack(">I4s", size - 24, b"mdat")
    with open(path, "wb") as out:
        out.write(head)
        sha.update(head)
        left = size - len(head)
        while left:
            chunk = os.urandom(min(MB, left))
            out.write(chunk)
            sha.update(chunk)
            left -= len(chunk)
    return sha.hexdigest()


def copy_and_hash(source: Path, target: Path) -> float:
    """Seconds to copy `source` to `target` in 1 MB pieces while hashing it: what any upload of it must do
    (write the bytes once, hash them once), without the network and the multipart parsing."""
    t0 = time.perf_counter()
    sha = hashlib.sha256()
    with open(source, "rb") as src, open(target, "wb") as out:
        for chunk in iter(lambda: src.read(MB), b""):
            sha.update(chunk)
            out.write(chunk)
    return time.perf_counter() - t0


def post_file(base: str, path: str, token: str, file: Path) -> tuple[float, int, bytes]:
    """(seconds, status, body) of one multipart POST whose file part is streamed from `file`."""
    boundary = uuid.uuid4().hex
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{file.name}"\r\n'
        "Content-Type: video/mp4\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()

    def body():
        yield head
        with open(file, "rb") as fh:
            yield from iter(lambda: fh.read(MB), b"")
        yield tail

    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=600)
    headers = {
        "Authorization": f"Bearer {token}",
        "Content-Type": f"multipart/form-data; boundary={boundary}",
        "Content-Length": str(len(head) + file.stat().st_size + len(tail)),
    }
    try:
        t0 = time.perf_counter()
        connection.request("POST", path, body=body(), headers=headers)
        response = connection.getresponse()
        data = response.read()
        return time.perf_counter() - t0, response.status, data
    finally:
        connection.close()


def _memory_mb(pid: int) -> dict:
    """VmRSS (now) and VmHWM (high-water mark) of process `pid`, in MB."""
    status = Path(f"/proc/{pid}/status").read_text()
    return {k: int(re.search(rf"^{k}:\s+(\d+) kB", status, re.M).group(1)) / 1024 for k in ("VmRSS", "VmHWM")}


def _worker_pid(master: int) -> int:
    """The pid of gunicorn's only worker (the child of its master process)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == master:
                return int(stat.parent.name)
        time.sleep(0.2)
    raise RuntimeError("no gunicorn worker")


def _material(user) -> int:
    from campaignflow.campaigns.services import campaign_create
    from campaignflow.materials.services import material_create

    campaign, _warnings = campaign_create(
        actor=user, data={"name": "bench materials", "start_date": "2025-06-01", "end_date": "2025-06-30"}
    )
    return material_create(actor=user, campaign=campaign, data={"name": "宣传视频", "kind": "video"}).pk


def _upload_once(path: str, token: str, big: Path, warm: Path, started=None, **env: str) -> dict:
    """One gunicorn (one sync worker, `env` added to its environment; or `started`, one started already): a
    warm-up upload, then `big` with the worker's high-water mark reset just before it. {seconds, before (MB),
    peak (MB), body}."""
    from bench.http_load import Server

    with started or Server(workers=1, **env) as server:
        worker = _worker_pid(server.proc.pid)
        _s, status, body = post_file(server.base, path, token, warm)  # imports, connections: not measured
        assert status == 201, (status, body[:300])
        before = _memory_mb(worker)["VmRSS"]
        Path(f"/proc/{worker}/clear_refs").write_text("5")  # the high-water mark from here on
        seconds, status, body = post_file(server.base, path, token, big)
        peak = _memory_mb(worker)["VmHWM"]
    assert status == 201, (status, body[:300])
    return {"seconds": seconds, "before": before, "peak": peak, "body": json.loads(body)}


def _s3_bucket():
    """moto's S3 server on 127.0.0.1 with a new bucket: (the server, the storage settings naming it)."""
    import boto3
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # moto's server logs every request
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    env = {
        "MATERIAL_STORAGE": "s3",
        "AWS_STORAGE_BUCKET_NAME": "bench-materials",
        "AWS_S3_ENDPOINT_URL": f"http://{host}:{port}",
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_S3_ADDRESSING_STYLE": "path",
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench-secret",
    }
    boto3.client(
        "s3",
        endpoint_url=env["AWS_S3_ENDPOINT_URL"],
        region_name="us-east-1",
        aws_access_key_id="bench",
        aws_secret_access_key="bench-secret",
    ).create_bucket(Bucket=env["AWS_STORAGE_BUCKET_NAME"])
    return server, env


def upload_figures(user, tmp: Path, upload_mb: int) -> list[dict]:
    from bench.data import api_token
    from bench.http_load import Server

    size = upload_mb * MB
    big, warm, copy = tmp / "campaign-video.mp4", tmp / "warm-up.mp4", tmp / "copy.mp4"
    limit = {"MATERIAL_UPLOAD_MAX_MB": str(max(upload_mb, 1))}
    media = tmp / "media"
    s3, env, started = None, {}, {}
    if quick():  # moto and both servers start first and boot side by side, idle by the time anything is timed
        s3, env = _s3_bucket()
        started = {"fs": Server(1, wait_ready=False, MEDIA_ROOT=str(media), **limit),
                   "s3": Server(1, wait_ready=False, **env, **limit)}  # fmt: skip
    try:
        sha = write_video(big, size)
        write_video(warm, MB)
        for server in started.values():
            server.ready()
        copy_s = copy_and_hash(big, copy)
        copy.unlink()
        path, token = f"/api/v1/materials/{_material(user)}/files", api_token(user)
        stores = {
            "file system": _upload_once(path, token, big, warm, started.get("fs"), MEDIA_ROOT=str(media), **limit)
        }
        shutil.rmtree(media, ignore_errors=True)
        if s3 is None:
            s3, env = _s3_bucket()
        stores["S3 (moto on 127.0.0.1)"] = _upload_once(path, token, big, warm, started.get("s3"), **env, **limit)
    finally:
        for server in started.values():
            server.stop()
        if s3 is not None:
            s3.stop()
    big.unlink()
    label = f"{upload_mb} MB video ({size:,} bytes, random: incompressible)"
    out = []
    for store, m in stores.items():
        assert m["body"]["sha256"] == sha, m["body"]
        growth = m["peak"] - m["before"]
        out += [
            {
                "name": f"material upload, {store}: time",
                "value": round(m["seconds"], 2),
                "unit": "s",
                "goal": f"≤ {UPLOAD_GOAL_S} s",
                "ok": m["seconds"] <= UPLOAD_GOAL_S,
                "reference": f"{copy_s:.2f} s to copy and hash the file on disk",
                "ratio": m["seconds"] / copy_s if copy_s else None,
                "size": label,
                "note": "multipart POST /api/v1/materials/{id}/files to gunicorn (1 sync worker) on 127.0.0.1, "
                f"streamed from disk; {size / MB / m['seconds']:.0f} MB/s; the answer's SHA-256 checked",
            },
            {
                "name": f"material upload, {store}: peak RSS growth",
                "value": round(growth, 1),
                "unit": "MB",
                "goal": f"≤ {RSS_GOAL_MB} MB",
                "ok": growth <= RSS_GOAL_MB,
                "size": label,
                "note": f"the gunicorn worker: {m['before']:.0f} MB after a warm-up upload, peak {m['peak']:.0f} MB "
                "during the request (VmHWM reset before it)",
            },
        ]
    return out


# --- the list ---------------------------------------------------------------------------------------


def _percentiles(client, path: str, runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(0.95 * len(times)))]


def _queries(client, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200, path
    return len(queries)


def list_figures(user, large: int, runs: int) -> list[dict]:
    from django.db import transaction
    from django.test import Client

    from bench.data import api_token
    from tests.support.list_factories import CASES, Env

    case = next(c for c in CASES if c.name == "materials")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {api_token(user)}")
    page = Client()
    page.force_login(user)
    measured = {}
    with transaction.atomic():
        for n in (SMALL, large):
            target = case.build(Env(user), n)
            paths = {"API": f"/api/v1{target.path}", "page": f"{target.path}/"}
            for kind, client in (("API", api), ("page", page)):
                client.get(paths[kind])  # warm-up
                measured[kind, n] = (*_percentiles(client, paths[kind], runs), _queries(client, paths[kind]))
        transaction.set_rollback(True)
    out = []
    for kind, goal in (("API", API_P95_GOAL_MS), ("page", PAGE_P95_GOAL_MS)):
        p50, p95, q_large = measured[kind, large]
        s50, s95, q_small = measured[kind, SMALL]
        what = "GET /api/v1/campaigns/{id}/materials (JSON)" if kind == "API" else "/campaigns/{id}/materials/"
        out += [
            {
                "name": f"materials list {kind}: p95",
                "value": round(p95, 1),
                "unit": "ms",
                "goal": f"≤ {goal} ms",
                "ok": p95 <= goal,
                "size": f"{large:,} materials",
                "note": f"{what}; p50 {p50:.1f} ms; at {SMALL} materials p50 {s50:.1f} / p95 {s95:.1f} ms; "
                f"{runs} requests each",
            },
            {
                "name": f"materials list {kind}: query count constant",
                "value": f"{q_small} / {q_large}",
                "unit": "queries",
                "goal": "equal",
                "ok": q_small == q_large,
                "size": f"{SMALL} vs {large:,} materials",
                "note": what,
            },
        ]
    return out


def run(user, tmp: Path, *, upload_mb: int = 200, large: int = 5000, runs: int = 20) -> list[dict]:
    """Records shaped like bench/__main__.py's `record(...)` keyword arguments."""
    return upload_figures(user, tmp, upload_mb) + list_figures(user, large, runs)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--upload-mb", type=int, default=200)
    parser.add_argument("--large", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    from bench.data import standalone

    with standalone("cf-bench-materials-") as (tmp, user):  # a temporary SQLite file (or DATABASE_URL's PostgreSQL)
        for r in run(user, tmp, upload_mb=args.upload_mb, large=args.large, runs=args.runs):
            flag = verdict(r["ok"])
            ref = f" · ref {r['reference']}" if r.get("reference") else ""
            print(f"[{flag:4}] {r['name']}: {r['value']} {r['unit']} ({r['goal']}){ref} [{r['size']}] {r['note']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
