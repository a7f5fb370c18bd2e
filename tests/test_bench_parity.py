"""bench/parity.py pairs each API read of the PostgreSQL run with SQLite's at the same size."""

from bench.parity import read_parity


def result(name, value, size):
    return {"benchmark": name, "value": value, "size": size, "unit": "ms", "meets_goal": True}


def test_pairs_by_name_and_size_and_judges_the_ratio():
    small, large = "1,000 metric rows, 10 tasks", "10,000 metric rows, 100 tasks"
    runs = [
        {"meta": {"database": "sqlite"}, "results": [
            result("API p95 / p99 · board (16 connections)", "10.0 / 20.0", small),
            result("API p95 / p99 · board (16 connections)", "12.0 / 30.0", large),
            result("API p95 / p99 · channels (16 connections)", "error", small),
            result("CSV import vs raw sqlite3 executemany", "100", small),
        ]},
        {"meta": {"database": "postgresql"}, "results": [
            result("API p95 / p99 · board (16 connections)", "11.0 / 25.0", small),
            result("API p95 / p99 · board (16 connections)", "18.0 / 40.0", large),
            result("API p95 / p99 · channels (16 connections)", "3.0 / 4.0", small),
        ]},
    ]  # fmt: skip
    rows = read_parity(runs)
    assert [(r["size"], r["value"], r["meets_goal"]) for r in rows] == [(large, "18", False), (small, "11", True)]
    assert rows[0]["ratio"] == 1.5 and rows[0]["reference"] == "SQLite p95 12 ms"
    assert rows[1]["benchmark"] == "PostgreSQL vs SQLite · board (16 connections)"


def test_nothing_without_both_databases():
    assert read_parity([{"meta": {"database": "sqlite"}, "results": []}]) == []
