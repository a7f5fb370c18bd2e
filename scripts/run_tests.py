"""Run the whole suite: unit/API tests (each app's own, then the cross-app ones and the import-graph
rules under tests/), then the browser tests in Chromium.

Browser tests need Debian's Chromium (/usr/bin/chromium or $CHROMIUM_PATH). On a machine
without it they are skipped with a plain message; under CI (CI=true) a missing Chromium
is an error, so CI never "passes" without them.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTEST = [sys.executable, "-m", "pytest"]


def chromium_path() -> str | None:
    candidate = os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"
    return candidate if Path(candidate).exists() else shutil.which("chromium")


def main() -> int:
    args = sys.argv[1:]
    workers = os.environ.get("TEST_WORKERS", "2")
    unit = subprocess.call([*PYTEST, "campaignflow", "tests", "-q", "-n", workers, *args], cwd=ROOT)
    if unit != 0:
        return unit
    browser = chromium_path()
    if browser is None:
        if os.environ.get("CI"):
            print("ERROR: Chromium is not installed (/usr/bin/chromium); CI must run the browser tests.")
            return 1
        print(
            "\nNOTE: browser tests SKIPPED: Chromium was not found at /usr/bin/chromium "
            "(install it with `apt-get install chromium`, or set CHROMIUM_PATH)."
        )
        return 0
    env = {**os.environ, "CHROMIUM_PATH": browser, "DJANGO_ALLOW_ASYNC_UNSAFE": "true"}
    return subprocess.call([*PYTEST, "e2e", "-q", *args], cwd=ROOT, env=env)


if __name__ == "__main__":
    sys.exit(main())
