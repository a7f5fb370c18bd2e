"""Periodic jobs run by `manage.py run_scheduler` (alert checks, SLA timers, due tasks, reminders).

Apps register jobs from their AppConfig.ready():  register_job("alerts.evaluate", fn, every=300)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Job:
    name: str
    fn: Callable[[], object]
    every: int  # seconds


JOBS: dict[str, Job] = {}


def register_job(name: str, fn: Callable[[], object], *, every: int) -> None:
    JOBS[name] = Job(name=name, fn=fn, every=every)
