"""Where the Gantt page's main thread goes while it opens (and scrolls) a large plan in Chromium: a CPU profile
(CDP `Profiler` domain) and a performance trace of one load, after a warm-up load.

    .venv/bin/python -m bench.profile_gantt [--tasks 10000] [--scroll] [--top 30] [--out /tmp/gantt]

Prints the functions with the most self time (dhtmlxgantt.js positions mapped back to its sources through
node_modules/dhtmlx-gantt/codebase/dhtmlxgantt.js.map), the heaviest inclusive ones, the main thread's time
per trace event (script, style, layout, paint, GC) and every task over 50 ms. With --out, writes
<out>.cpuprofile and <out>.trace.json (open them in Chromium's DevTools, Performance panel). With --scroll the
profile covers the scrolling after the load (bench/bench_gantt.py's scroll) instead of the load.

A temporary SQLite file, or DATABASE_URL's PostgreSQL (data is added to it), as `python -m bench` sets up.
"""

from __future__ import annotations

import argparse
import bisect
import json
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import bench_gantt

ROOT = Path(__file__).resolve().parent.parent
SOURCE_MAP = ROOT / "node_modules" / "dhtmlx-gantt" / "codebase" / "dhtmlxgantt.js.map"
B64 = {c: i for i, c in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")}
TRACE_CATEGORIES = ["devtools.timeline", "disabled-by-default-devtools.timeline", "v8.execute", "blink.user_timing"]
# the trace events that are the main thread's own work, by kind (nested events are counted in their parent)
KINDS = {
    "FunctionCall": "script", "EvaluateScript": "script", "v8.compile": "script", "TimerFire": "script",
    "FireAnimationFrame": "script", "EventDispatch": "script", "RunMicrotasks": "script", "v8.run": "script",
    "UpdateLayoutTree": "style", "ScheduleStyleRecalculation": "style", "Layout": "layout",
    "PrePaint": "paint", "Paint": "paint", "Layerize": "paint", "Commit": "paint", "UpdateLayer": "paint",
    "MajorGC": "gc", "MinorGC": "gc", "V8.GCFinalizeMC": "gc", "V8.GCScavenger": "gc",
    "ParseHTML": "html", "ParseAuthorStyleSheet": "style",
}  # fmt: skip


class SourceMap:
    """Generated (line, column) → (source, line, name) for dhtmlxgantt.js, from its source map."""

    def __init__(self, path: Path):
        data = json.loads(path.read_text())
        self.sources, self.names = data["sources"], data["names"]
        self.content = data.get("sourcesContent") or []
        self.lines: list[tuple[list[int], list[tuple]]] = []
        src = src_line = src_col = name = 0
        for text in data["mappings"].split(";"):
            cols, segs, col = [], [], 0
            for segment in filter(None, text.split(",")):
                values, value, shift = [], 0, 0
                for ch in segment:
                    digit = B64[ch]
                    value += (digit & 31) << shift
                    if digit & 32:
                        shift += 5
                    else:
                        values.append(-(value >> 1) if value & 1 else value >> 1)
                        value = shift = 0
                col += values[0]
                if len(values) >= 4:
                    src, src_line, src_col = src + values[1], src_line + values[2], src_col + values[3]
                    if len(values) == 5:
                        name += values[4]
                    cols.append(col)
                    segs.append((src, src_line, len(values) == 5 and name))
            self.lines.append((cols, segs))

    def lookup(self, line: int, column: int) -> str | None:
        if line >= len(self.lines):
            return None
        cols, segs = self.lines[line]
        i = bisect.bisect_right(cols, column) - 1
        if i < 0:
            return None
        src, src_line, _name = segs[i]
        where = f"{self.sources[src].removeprefix('../')}:{src_line + 1}"
        if src < len(self.content) and self.content[src]:
            lines = self.content[src].splitlines()
            if src_line < len(lines):
                where += "  " + lines[src_line].strip()[:70]
        return where


def _label(frame: dict, source_map: SourceMap | None) -> str:
    name = frame["functionName"] or "(anonymous)"
    url = frame.get("url", "")
    if not url:
        return name
    short = url.rsplit("/", 1)[-1]
    if source_map and short == "dhtmlxgantt.js":
        mapped = source_map.lookup(frame["lineNumber"], frame["columnNumber"])
        if mapped:
            return f"{name} · {mapped}"
    return f"{name} · {short}:{frame['lineNumber'] + 1}"


def summarize_profile(profile: dict, source_map: SourceMap | None, top: int) -> list[str]:
    nodes = {n["id"]: n for n in profile["nodes"]}
    parent = {c: n["id"] for n in profile["nodes"] for c in n.get("children", ())}
    samples, deltas = profile["samples"], profile["timeDeltas"]
    # each sample stands for the time until the next one
    weights = [deltas[i + 1] if i + 1 < len(deltas) else 0 for i in range(len(samples))]
    self_us: dict[str, float] = defaultdict(float)
    total_us: dict[str, float] = defaultdict(float)
    labels: dict[int, str] = {}

    def label(node_id: int) -> str:
        if node_id not in labels:
            labels[node_id] = _label(nodes[node_id]["callFrame"], source_map)
        return labels[node_id]

    for node_id, w in zip(samples, weights, strict=True):
        self_us[label(node_id)] += w
        seen = set()
        while node_id in nodes:
            key = label(node_id)
            if key not in seen:
                total_us[key] += w
                seen.add(key)
            node_id = parent.get(node_id)
    busy = sum(w for key, w in self_us.items() if key not in ("(idle)", "(root)"))
    out = [f"sampled {sum(weights) / 1000:.0f} ms, not idle {busy / 1000:.0f} ms", "", "self time (ms, % of not idle):"]
    for key, us in sorted(self_us.items(), key=lambda kv: -kv[1])[:top]:
        out.append(f"  {us / 1000:8.1f}  {us / busy:5.1%}  {key}")
    out += ["", "inclusive time (ms):"]
    skip = ("(root)", "(idle)", "(program)")
    for key, us in sorted(((k, v) for k, v in total_us.items() if k not in skip), key=lambda kv: -kv[1])[:top]:
        out.append(f"  {us / 1000:8.1f}  {key}")
    return out


def summarize_trace(trace: dict) -> list[str]:
    events = trace["traceEvents"] if isinstance(trace, dict) else trace
    main = {
        (e["pid"], e["tid"])
        for e in events
        if e.get("name") == "thread_name" and e["args"].get("name") == "CrRendererMain"
    }
    complete = [e for e in events if (e.get("pid"), e.get("tid")) in main and e.get("ph") == "X" and "dur" in e]
    complete.sort(key=lambda e: (e["ts"], -e["dur"]))
    per_kind: dict[str, float] = defaultdict(float)
    per_name: dict[str, float] = defaultdict(float)
    tasks = []
    open_until = -1  # the end of the outermost counted event: nested ones are inside it
    for e in complete:
        if e["name"] in ("RunTask", "ThreadControllerImpl::RunTask"):
            if e["dur"] >= 50_000:
                tasks.append(e)
            continue
        kind = KINDS.get(e["name"])
        if kind is None or e["ts"] < open_until:
            continue
        per_kind[kind] += e["dur"]
        per_name[e["name"]] += e["dur"]
        open_until = e["ts"] + e["dur"]
    start = min((e["ts"] for e in complete), default=0)
    out = [
        "main thread by kind (ms, outermost events): "
        + ", ".join(f"{k} {v / 1000:.0f}" for k, v in sorted(per_kind.items(), key=lambda kv: -kv[1]))
    ]
    out.append(
        "by event: " + ", ".join(f"{k} {v / 1000:.0f}" for k, v in sorted(per_name.items(), key=lambda kv: -kv[1])[:12])
    )
    out.append(f"tasks over 50 ms ({len(tasks)}): " + ", ".join(f"{(e['ts'] - start) / 1000:.0f}+{e['dur'] / 1000:.0f}" for e in tasks))  # fmt: skip
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--scroll", action="store_true", help="profile the scrolling after the load, not the load")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--interval", type=int, default=200, help="sampling interval in µs")
    parser.add_argument("--out", help="write <out>.cpuprofile and <out>.trace.json")
    args = parser.parse_args()
    from bench.data import standalone

    with standalone("cf-profile-gantt-") as (tmp, user):
        big, small = bench_gantt.campaigns(args.tasks)
        source_map = SourceMap(SOURCE_MAP) if SOURCE_MAP.exists() else None
        with bench_gantt.browser_page(user) as (server, page):
            bench_gantt.warm(server, small)
            bench_gantt.open_gantt(page, server.base, big)  # warm-up: the browser's cache, the page's code paths
            cdp = page.context.new_cdp_session(page)
            cdp.send("Profiler.enable")
            cdp.send("Profiler.setSamplingInterval", {"interval": args.interval})
            browser = page.context.browser
            trace_path = Path(args.out + ".trace.json") if args.out else tmp / "trace.json"
            if args.scroll:
                timings = bench_gantt.open_gantt(page, server.base, big)
                browser.start_tracing(page=page, path=str(trace_path), categories=TRACE_CATEGORIES)
                cdp.send("Profiler.start")
                scrolled = bench_gantt.scroll(page)
                what = f"scrolling {bench_gantt.SCROLL_SECONDS:g} s: {scrolled['fps']:.1f} fps, worst gap {scrolled['worst_gap']:.0f} ms"
            else:
                browser.start_tracing(page=page, path=str(trace_path), categories=TRACE_CATEGORIES)
                cdp.send("Profiler.start")
                timings = bench_gantt.open_gantt(page, server.base, big)
                what = "the load"
            profile = cdp.send("Profiler.stop")["profile"]
            browser.stop_tracing()
        print(f"{args.tasks:,} tasks, {what}; load: data {timings['data']:.0f} ms, bars in the DOM {timings['bars']:.0f} ms, "
              f"frame with the first bars {timings['painted']:.0f} ms, every row {timings['loaded']:.0f} ms")  # fmt: skip
        print("\n".join(summarize_trace(json.loads(trace_path.read_text()))))
        print("\n".join(summarize_profile(profile, source_map, args.top)))
        if args.out:
            Path(args.out + ".cpuprofile").write_text(json.dumps(profile))
            print(f"written: {args.out}.cpuprofile, {trace_path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
