"""Copy the front-end packages from node_modules into static/vendor (no CDN at run time)."""

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE = ROOT / "node_modules"
VENDOR = ROOT / "static" / "vendor"

FILES = {
    "htmx.org/dist/htmx.min.js": "htmx.min.js",
    "echarts/dist/echarts.min.js": "echarts.min.js",
    "dhtmlx-gantt/codebase/dhtmlxgantt.js": "dhtmlxgantt.js",
    "dhtmlx-gantt/codebase/dhtmlxgantt.css": "dhtmlxgantt.css",
}


def main() -> None:
    VENDOR.mkdir(parents=True, exist_ok=True)
    for src, dst in FILES.items():
        source = NODE / src
        if not source.exists():
            raise SystemExit(f"missing front-end file {source}: run `npm ci` first")
        target = VENDOR / dst
        if not target.exists() or target.stat().st_mtime < source.stat().st_mtime:
            shutil.copy2(source, target)


if __name__ == "__main__":
    main()
