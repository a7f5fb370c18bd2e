"""`make run`'s last step: the web server, plus the background worker and the scheduler.

One command for a laptop; production runs the three as separate services (docs/operations.md).
"""

import os
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    host = os.environ.get("HOST", "127.0.0.1")
    port = os.environ.get("PORT", "8000")
    # links in e-mails and chat messages (SITE_URL) point at this server unless set on purpose
    link_host = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host  # (listening on every address)
    os.environ.setdefault("SITE_URL", f"http://{link_host}:{port}")
    manage = [sys.executable, str(ROOT / "manage.py")]
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # run the clean-up below on `kill` too
    helpers = [
        subprocess.Popen([*manage, "db_worker", "--interval", "2"], cwd=ROOT),
        subprocess.Popen([*manage, "run_scheduler"], cwd=ROOT),
    ]
    print(f"\nCampaignFlow: http://{host}:{port}/  (worker and scheduler running; Ctrl+C stops all)\n", flush=True)
    try:
        return subprocess.call([*manage, "runserver", f"{host}:{port}", "--noreload"], cwd=ROOT)
    except KeyboardInterrupt:
        return 0
    finally:
        for process in helpers:
            process.send_signal(signal.SIGTERM)
        for process in helpers:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


if __name__ == "__main__":
    sys.exit(main())
