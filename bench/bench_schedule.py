"""Benchmark: critical path over 10,000 tasks and 20,000 links (goal: ≤ 200 ms).

Run: `.venv/bin/python -m bench.bench_schedule` (or `python bench/bench_schedule.py`).
"""

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from campaignflow.planning.domain.schedule import TYPES, Link, cpm

N_TASKS, N_LINKS, GOAL_MS = 10_000, 20_000, 200


def build(seed: int = 1):
    rng = random.Random(seed)
    durations = {i: rng.randint(0, 10) for i in range(1, N_TASKS + 1)}
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < N_LINKS:
        a = rng.randint(1, N_TASKS - 1)
        b = rng.randint(a + 1, min(N_TASKS, a + 200))  # links go forward: a DAG, like a real plan
        pairs.add((a, b))
    links = [Link(a, b, rng.choice(TYPES), rng.randint(-2, 3)) for a, b in pairs]
    return durations, links


def main() -> int:
    durations, links = build()
    runs = []
    for _ in range(5):
        t0 = time.perf_counter()
        result = cpm(durations, links)
        runs.append((time.perf_counter() - t0) * 1000)
    best, median = min(runs), sorted(runs)[len(runs) // 2]
    print(
        f"cpm: {N_TASKS} tasks, {N_LINKS} links: best {best:.1f} ms, median {median:.1f} ms "
        f"(goal ≤ {GOAL_MS} ms); critical path {len(result.critical_path)} tasks, "
        f"project {result.project_finish - result.project_start} days"
    )
    return 0 if median <= GOAL_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
