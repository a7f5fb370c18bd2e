"""`manage.py run_scheduler [--once]`: run the registered periodic jobs (and send queued notifications).

Run it as its own process beside the web server and `manage.py db_worker` (see docs/operations.md).
"""

import logging
import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from campaignflow.core.scheduler import JOBS

log = logging.getLogger("campaignflow.scheduler")


class Command(BaseCommand):
    help = "Run the periodic checks (alerts, SLA timers, due tasks, notification outbox)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run every job once and exit.")
        parser.add_argument("--tick", type=float, default=15.0, help="Seconds between checks of what is due.")

    def handle(self, *args, once: bool, tick: float, **options):
        stop = {"now": False}
        signal.signal(signal.SIGTERM, lambda *_: stop.update(now=True))
        last_run: dict[str, float] = {}
        while True:
            now = time.monotonic()
            for job in list(JOBS.values()):
                if once or now - last_run.get(job.name, -1e9) >= job.every:
                    last_run[job.name] = now
                    close_old_connections()
                    try:
                        result = job.fn()
                        if once:
                            self.stdout.write(f"{job.name}: {result}")
                    except Exception:
                        log.exception("scheduled job %s failed", job.name)
            if once or stop["now"]:
                return
            deadline = time.monotonic() + tick
            while time.monotonic() < deadline and not stop["now"]:
                time.sleep(0.5)
            if stop["now"]:
                return
