"""The compose files an operator starts from: they parse, the scale-out overlay only adjusts services the base
file defines, and what it names (the task backend, the RQ job class, the management commands) exists."""

from pathlib import Path

import yaml
from django.core.management import get_commands
from django.utils.module_loading import import_string

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"


def _services(name: str) -> dict:
    return yaml.safe_load((DEPLOY / name).read_text())["services"]


def test_the_scale_overlay_adjusts_the_base_services_with_names_that_exist():
    base, scale = _services("compose.yaml"), _services("compose.scale.yaml")
    assert set(scale) <= set(base), set(scale) - set(base)
    assert {"web", "worker"} <= set(scale)
    for service in scale.values():
        env = service["environment"]
        assert import_string(env["TASKS_BACKEND"])  # django_tasks_rq.RQBackend
        assert env["CACHE_URL"].startswith("redis://redis:") and env["REDIS_URL"].startswith("redis://redis:")
        assert env["CACHE_URL"] != env["REDIS_URL"]  # the cache can be flushed without losing queued work
    worker = scale["worker"]["command"].split()
    assert worker[:3] == ["python", "manage.py", "rqworker"] and "rqworker" in get_commands()
    assert import_string(worker[worker.index("--job-class") + 1])
    assert "${WEB_WORKERS:-2}" in scale["web"]["command"]
