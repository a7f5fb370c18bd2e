"""Benchmark: query counts of every list endpoint at 10 and 1,000 items (issue #10; goal: equal).

For each GET endpoint of the API that returns a collection, `run` builds a container with `small` and
then with `large` items of that kind (bulk inserts, related rows filled in so that the serialiser walks
them: owners, actors, budget lines, partner companies, …), asks it once to warm up (the token's first
use writes its last-used time) and counts the queries of a second, identical authenticated GET (Django
test client, Bearer token), which must answer 200; a streamed body (CSV) is read to the end. Django's
cache is a dummy one while counting, so a cached read (the board) is counted as it is built. Each
measurement's data is rolled back, so the bench database keeps nothing. The factories live in
`tests/support/list_factories.py` (`CASES`, `LEFT_OUT`), shared with the regression test
`tests/test_list_query_counts.py` (2 vs 12 items, one case per endpoint, plus a
check that every GET route of the OpenAPI document is either covered or left out with a reason).

Covered (figure name "list /{name} query count"; items; who asks — the bench's admin unless named):
  accounts   users (?q= matching users; ≤ 200 listed) · me/tokens (the caller's tokens; a fresh user)
  campaigns  playbooks (custom playbooks, two versions each, plus the built-ins) · playbooks/{key} and
             playbooks/{key}/preview (the steps of one playbook) · campaigns (?limit=1000: campaigns of
             a fresh member, with owners, playbook, tasks) · lifecycle (status changes) · members ·
             history (audit entries; the last 200 listed)
  planning   tasks · tasks/{id} (the plan its flags are computed on) · schedule · gantt (with baseline
             and periods) · raci (R/A/I cells) · baselines · baselines/{id}/variance · me/tasks and
             calendar/{token}.ics (a fresh user's open tasks in five campaigns) · calendar.ics ·
             plan.xlsx · tasks.csv
  goals      kpis (actuals from metric data) · kpis/{id}/plan (daily plan values) · channels
  tracking   metrics · import-batches · board (KPIs with plans and channels with data) · metrics.csv
  budgets    budget and budget-lines (lines with owners and expenses, a pending revision's diff) ·
             budget/history · expenses and expenses.csv (payers, deciders, receipts) · overruns (a
             fresh director's three campaigns) · partners (companies, plus any already there) ·
             campaigns/{id}/partners (with responsibilities) · cost-shares · settlement and
             settlement.xlsx (participating partners, payments, sign-offs)
  execution  risks · issues · logs · run-of-show · standups · weekly-reports
  others     me/notifications (?limit=500; a fresh user) · webhooks · deliveries (≤ 500 listed) ·
             alerts · evaluation (KPIs with notes) · attribution (channels with data, budget lines and
             spend) · playbook-promotion (tasks of a reviewed campaign) · cases (?limit=200: a fresh
             user's archived campaigns) · similar (archived campaigns compared; the 5 closest listed)

Left out, on purpose:
  single objects: me, campaigns/{id}, kpis/{id}, budget-lines/{id}, expenses/{id}, plan-settings,
    execution-settings, retrospective (its `assets` are a JSON list in one row, ≤ 30),
    import-jobs/{id} (its `errors` are a JSON list in one row);
  bounded by design: periods (at most 3, one per kind), alert-rules (one entry per rule type the code
    defines, one query);
  files that are not a list: expenses/{id}/receipt (one file), export.xlsx (the campaign workbook: every
    sheet, measured for time and memory by bench/bench_export.py), report.pdf (a document).

Run alone: `.venv/bin/python -m bench.bench_lists [--small 10] [--large 1000] [--only NAME …]`
(a temporary SQLite file, migrated, with a superuser; prints the table). With DATABASE_URL pointing to
PostgreSQL it uses that database instead (a private one, as for `make bench`; nothing is kept in it).
`bench/__main__.py` calls `run(user, small, large)` and records each returned dict with `record(**r)`
(keys name, value, unit, goal, ok, size, note; `ok` is a == b).
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def run(user, small: int = 10, large: int = 1000, only: list[str] | None = None) -> list[dict]:
    """One record per list endpoint: "{queries at small} / {queries at large}", goal equal."""
    from campaignflow.campaigns.playbook_sync import sync_builtin_playbooks
    from tests.support.list_factories import CASES, count_queries

    sync_builtin_playbooks()  # as `make migrate` does: /playbooks lists the built-ins too
    out = []
    for case in CASES:
        if only and case.name not in only:
            continue
        name = f"list /{case.name} query count"
        t0 = time.perf_counter()
        try:
            a, b = count_queries(case, small, user), count_queries(case, large, user)
        except Exception as exc:
            traceback.print_exc()
            out.append({"name": name, "value": "error", "unit": "", "goal": "equal", "ok": False,
                        "size": f"{small} vs {large:,} items", "note": f"{type(exc).__name__}: {exc}"[:200]})  # fmt: skip
            continue
        print(f"  {case.name}: {a} / {b} queries ({time.perf_counter() - t0:.1f} s)", flush=True)
        out.append(
            {
                "name": name,
                "value": f"{a} / {b}",
                "unit": "queries",
                "goal": "equal",
                "ok": a == b,
                "size": f"{small} vs {large:,} items",
                "note": case.items,
            }
        )
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", type=int, default=10)
    parser.add_argument("--large", type=int, default=1000)
    parser.add_argument("--only", nargs="*", help="names of the cases to run (e.g. tasks me/tasks)")
    args = parser.parse_args()
    from bench.data import standalone

    with standalone("cf-bench-lists-") as (_tmp, user):
        t0 = time.perf_counter()
        rows = run(user, args.small, args.large, args.only)
        print(f"\n{len(rows)} endpoints in {time.perf_counter() - t0:.0f} s\n")
        print("| benchmark | figure | goal | meets | size | note |")
        print("| --- | --- | --- | --- | --- | --- |")
        for r in rows:
            meets = "yes" if r["ok"] else "**no**"
            print(f"| {r['name']} | {r['value']} {r['unit']} | {r['goal']} | {meets} | {r['size']} | {r['note']} |")
        return 0 if all(r["ok"] for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
