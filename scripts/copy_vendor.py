"""Copy the front-end packages from node_modules into static/vendor (no CDN at run time)."""

import re
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
    "jsqr/dist/jsQR.js": "jsQR.js",  # the door's ticket scanner (events)
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
            if dst.endswith(".css"):
                strip_remote_fonts(target)


# @font-face rules that fetch a web font from the internet (dhtmlx-gantt's CSS loads Inter from a font
# CDN): the product must work on an intranet, so they are removed and the page's own fonts are used.
REMOTE_FONT = re.compile(r"@font-face\{[^}]*url\(https?://[^}]*\}")


def strip_remote_fonts(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    cleaned = REMOTE_FONT.sub("", text)
    if cleaned != text:
        path.write_text(cleaned, encoding="utf-8")


if __name__ == "__main__":
    main()
