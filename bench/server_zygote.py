"""QUICK: a bench run's gunicorn servers, each forked from one process that has imported the app once.

A server started as `python -m gunicorn` of its own imports Django and every view module in its master (~2.3 s of
CPU; bench/wsgi_preload.py). A QUICK run starts ~8 servers a database, on 2 cores: that import was most of its
set-up time. This process imports the app once, then for each line it reads on its input (JSON: port, workers,
environment) forks a child that becomes the server's gunicorn master, in a session of its own (the bench
stops it with its workers as one process group), and answers the line with the master's pid.

The child first takes the server's environment: os.environ, and the settings that the settings module gives
differently with it than with the zygote's own, applied through Django's override_settings (whose signals also drop
what was built from the old values: the storages, the caches), as a server started with that environment has them.
Full-size runs start each server as a process of its own (bench/http_load.py).
"""

from __future__ import annotations

import importlib.util
import json
import os
import runpy
import signal
import sys


def _settings_with(env: dict[str, str]) -> dict:
    """The settings module's names as it gives them with `env` as the environment."""
    kept = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        return runpy.run_path(importlib.util.find_spec(os.environ["DJANGO_SETTINGS_MODULE"]).origin)
    finally:
        os.environ.clear()
        os.environ.update(kept)


def _take_environment(env: dict[str, str], before: dict) -> None:
    """`env` becomes the environment, and the settings that the settings module gives differently with it than
    `before` (what it gave with the environment this process set up with) override the ones loaded then."""
    from django.test import signals  # noqa: F401  (connects the receivers that reset storages, caches, …)
    from django.test.utils import override_settings

    after = _settings_with(env)
    changed = {name: value for name, value in after.items() if name.isupper() and before.get(name, _UNSET) != value}
    os.environ.clear()
    os.environ.update(env)
    if changed:
        override_settings(**changed).enable()


_UNSET = object()


def _serve(port: int, workers: int, env: dict[str, str], before: dict) -> None:
    """In the forked child: become the gunicorn master of one server (never returns)."""
    os.setsid()
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)  # the zygote's pipes are its own: the server's output goes to stderr
    os.dup2(2, 1)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # (ignored by the zygote, which leaves its children to the system)
    _take_environment(env, before)
    from gunicorn.app.wsgiapp import run

    sys.argv = ["gunicorn", "bench.wsgi_preload:application", "--preload", "-b", f"127.0.0.1:{port}",
                "-w", str(workers), "--log-level", "warning", "--timeout", "120"]  # fmt: skip
    code = 1
    try:
        run()
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 1
    finally:
        os._exit(code)


def main() -> int:
    from bench import wsgi_preload  # noqa: F401  (Django, the settings, every view module: once, here)

    own = _settings_with(dict(os.environ))  # what each server's settings are compared with, read once
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # a stopped server's master is reaped by the system
    print("READY", flush=True)
    for line in sys.stdin:
        job = json.loads(line)
        pid = os.fork()
        if pid == 0:
            _serve(job["port"], job["workers"], job["env"], own)
        print(pid, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
