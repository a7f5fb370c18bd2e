"""Benchmark: the critical path (pure CPM) at 10,000 tasks / 20,000 links (goal ≤ 200 ms) and at 100,000
tasks / 200,000 links (goal ≤ 1 s, memory ≤ 300 MB).

Timed by the process's CPU clock (the machine is shared: wall time is also given), median of 5 runs.
The anchor, measured in the same run on the same plan: the standard library's bare topological sort
(graphlib.TopologicalSorter.static_order over the same links), which is only the first step of a CPM.
Memory: tracemalloc's peak during one more run (what the CPM allocates beyond its input).

Run: `.venv/bin/python -m bench.bench_schedule`.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
import tracemalloc
from graphlib import TopologicalSorter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from campaignflow.planning.domain.schedule import TYPES, Link, cpm

GOALS = {10_000: (200, None), 100_000: (1000, 300)}  # tasks: (ms, MB)
RUNS = 5


def build(n_tasks: int = 10_000, n_links: int | None = None, seed: int = 1):
    """Random durations and n_links (default 2 per task) links going forward to one of the next 200
    tasks (a DAG, like a real plan), of every type, with lags from −2 to 3 days."""
    n_links = 2 * n_tasks if n_links is None else n_links
    rng = random.Random(seed)
    durations = {i: rng.randint(0, 10) for i in range(1, n_tasks + 1)}
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < n_links:
        a = rng.randint(1, n_tasks - 1)
        b = rng.randint(a + 1, min(n_tasks, a + 200))
        pairs.add((a, b))
    links = [Link(a, b, rng.choice(TYPES), rng.randint(-2, 3)) for a, b in pairs]
    return durations, links


def _timed(fn) -> tuple[float, float]:
    """(CPU ms, wall ms) of one call."""
    c0, w0 = time.process_time(), time.perf_counter()
    fn()
    return (time.process_time() - c0) * 1000, (time.perf_counter() - w0) * 1000


def _toposort(durations, links) -> list[int]:
    graph: dict[int, list[int]] = {t: [] for t in durations}
    for link in links:
        graph[link.succ].append(link.pred)
    return list(TopologicalSorter(graph).static_order())


def measure(n_tasks: int, runs: int = RUNS) -> dict:
    durations, links = build(n_tasks)
    ours, anchor = [], []
    for _ in range(runs):  # interleaved, so a busy moment of the machine hits both
        ours.append(_timed(lambda: cpm(durations, links)))
        anchor.append(_timed(lambda: _toposort(durations, links)))
    tracemalloc.start()
    result = cpm(durations, links)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    cpu = [c for c, _w in ours]
    return {
        "tasks": n_tasks,
        "links": len(links),
        "cpu_ms": statistics.median(cpu),
        "cpu_spread": (min(cpu), max(cpu)),
        "wall_ms": statistics.median(w for _c, w in ours),
        "anchor_ms": statistics.median(c for c, _w in anchor),
        "peak_mb": peak,
        "critical": len(result.critical_path),
    }


def run(runs: int = RUNS) -> list[dict]:
    """Records for bench/__main__.py's `record(**r)`."""
    out = []
    for n, (goal_ms, goal_mb) in GOALS.items():
        m = measure(n, runs)
        size = f"{m['tasks']:,} tasks, {m['links']:,} links"
        ok = m["cpu_ms"] <= goal_ms and (goal_mb is None or m["peak_mb"] <= goal_mb)
        goal = f"≤ {goal_ms:,} ms" + (f", ≤ {goal_mb} MB" if goal_mb else "")
        out.append(dict(name="critical path (pure cpm)", value=round(m["cpu_ms"], 1), unit="ms CPU", goal=goal,
                        ok=ok, reference=f"graphlib topological sort {m['anchor_ms']:.0f} ms",
                        ratio=m["cpu_ms"] / m["anchor_ms"], size=size,
                        note=f"median of {runs} (CPU {m['cpu_spread'][0]:.0f}–{m['cpu_spread'][1]:.0f} ms, wall "
                             f"median {m['wall_ms']:.0f} ms); tracemalloc peak {m['peak_mb']:.0f} MB; critical "
                             f"path {m['critical']:,} tasks"))  # fmt: skip
    return out


def main() -> int:
    records = run()
    for r in records:
        print(f"{r['size']}: {r['value']} {r['unit']} (goal {r['goal']}) · ref {r['reference']} · "
              f"ratio {r['ratio']:.0%} · {r['note']}")  # fmt: skip
    return 0 if all(r["ok"] for r in records) else 1


if __name__ == "__main__":
    raise SystemExit(main())
