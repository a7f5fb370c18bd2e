"""`make bench` (bench/__main__.py) and its steps."""

import os


def quick() -> bool:
    """`BENCH_QUICK=1`: the smoke run (small sizes, short durations; bench/__main__.py's SIZES)."""
    return os.environ.get("BENCH_QUICK", "") not in ("", "0")


def verdict(ok: bool | None) -> str:
    """A figure against its goal, as every bench prints it: ok, MISS, or — where there is no goal."""
    return "—" if ok is None else ("ok" if ok else "MISS")
