"""QUICK bench servers are forked from one process that imported the app once (bench/server_zygote.py): each must
run with its own environment's settings, as a server started on its own would, answer, and stop with its workers."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

TAKE = """
import os
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
import django
django.setup()
from django.conf import settings
from django.core.files.storage import default_storage
default_storage.location  # built with the environment the process set up with
from bench.server_zygote import _settings_with, _take_environment
_take_environment({**os.environ, "MEDIA_ROOT": "/tmp/cf-zygote-media", "MATERIAL_UPLOAD_MAX_MB": "7",
                   "READ_CACHE_SECONDS": "0"}, _settings_with(dict(os.environ)))
print(settings.MEDIA_ROOT, settings.MATERIAL_UPLOAD_MAX_BYTES, settings.READ_CACHE_SECONDS, default_storage.location,
      os.environ["MEDIA_ROOT"], settings.DEBUG)
"""


def _env() -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "MEDIA_ROOT", "READ_CACHE_SECONDS")}
    return env | {"MATERIAL_UPLOAD_MAX_MB": "200", "DEBUG": "0", "PYTHONPATH": str(ROOT)}


def test_a_forked_server_takes_the_settings_of_its_environment():
    done = subprocess.run([sys.executable, "-c", TAKE], cwd=ROOT, env=_env(), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    media, limit, cache_seconds, storage_root, env_media, debug = done.stdout.split()
    assert media == storage_root == env_media == "/tmp/cf-zygote-media"  # the file storage rebuilt, not the old one
    assert (limit, cache_seconds, debug) == (str(7 * 1024 * 1024), "0", "False")


SERVE = """
import os, urllib.request
from bench.http_load import Server, Zygote
os.environ["BENCH_QUICK"] = "1"
server = Server(1, READ_CACHE_SECONDS="0")
with urllib.request.urlopen(server.base + "/healthz", timeout=10) as answer:
    print(answer.status)
master = server.proc.pid
server.stop()
print(server.proc.poll() is not None, os.path.exists(f"/proc/{master}"))
Zygote.stop()
print(Zygote.proc is None)
"""


def test_a_forked_server_answers_and_stops_with_its_workers(tmp_path):
    env = _env() | {"SQLITE_PATH": str(tmp_path / "db.sqlite3"), "DJANGO_SETTINGS_MODULE": "config.settings"}
    done = subprocess.run([sys.executable, "-c", SERVE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["200", "True", "False", "True"]
