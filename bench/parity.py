"""PostgreSQL's API reads against SQLite's on the same data (issue #25: p95 within 1.2×).

Both runs of `make bench` build the same data with the same generator and read it through the same
endpoints with 16 connections ("api under load", bench_api_load), so each "API p95 / p99 · …" figure of
one run has its twin, with the same size, in the other. This pairs them after both runs and makes one more
table of results in the report, in the layout of bench/__main__.record.
"""

from __future__ import annotations

GOAL = 1.2  # PostgreSQL p95 ≤ 1.2 × SQLite's
PREFIX = "API p95 / p99 · "


def _p95(value) -> float | None:
    try:
        return float(str(value).split("/")[0])
    except ValueError:
        return None


def read_parity(runs: list[dict]) -> list[dict]:
    """One result per API read measured on both databases at the same size (the largest size first)."""
    by_db = {run["meta"]["database"]: run["results"] for run in runs}
    if not {"sqlite", "postgresql"} <= by_db.keys():
        return []
    sqlite = {(r["benchmark"], r["size"]): r for r in by_db["sqlite"] if r["benchmark"].startswith(PREFIX)}
    out = []
    for r in by_db["postgresql"]:
        twin = sqlite.get((r["benchmark"], r["size"]))
        if twin is None:
            continue
        pg, lite = _p95(r["value"]), _p95(twin["value"])
        if pg is None or not lite:
            continue
        ratio = pg / lite
        out.append(
            {
                "benchmark": "PostgreSQL vs SQLite · " + r["benchmark"].removeprefix(PREFIX),
                "value": f"{pg:g}",
                "unit": "ms p95",
                "goal": f"≤ {GOAL}× SQLite",
                "meets_goal": ratio <= GOAL,
                "reference": f"SQLite p95 {lite:g} ms",
                "ratio": ratio,
                "size": r["size"],
                "note": "same data, same endpoint, 16 connections; ratio = PostgreSQL / SQLite",
            }
        )
    out.sort(key=lambda x: -_rows(x["size"]))  # the grown (larger) database's figures first
    return out


def _rows(size: str) -> int:
    """The metric rows a size names ("10,000,000 metric rows, …"), 0 if it names none."""
    head = size.split(" ", 1)[0].replace(",", "")
    return int(head) if head.isdigit() else 0
