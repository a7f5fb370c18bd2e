"""Benchmark: metric import through the ingestion service vs the raw floor, in the same run.

CSV:  parse + validate + write through `tracking.services.metrics_import_file`, the upload path (one
      batch, undo data, audit, the board's rollups)
      vs a raw sqlite3 `executemany` of already-parsed tuples into an identical table + unique index
      (PostgreSQL: vs COPY of the same rows into a clone of the table).
      Goal (issue #25): ≥ 80 % of the raw rate, ≥ 80 % of COPY (first round: 50 %).
XLSX: the same service on an .xlsx file vs python-calamine's bare read of the same file.
      Goal (issue #25): ≥ 90 % (first round: 70 %) for parsing+validation; the whole import is reported beside it.

Run: `.venv/bin/python -m bench.bench_import [--rows 1000000]` (default 200,000 rows).
Uses throw-away SQLite files in a temporary directory; never touches the project database.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import sqlite3
import statistics
import sys
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

CHANNELS = ["抖音", "小红书", "微信公众号", "线下门店", "微博", "B站", "快手", "视频号"]
METRICS = ["曝光", "点击", "转化", "购买", "销售额", "新增会员", "报名", "推广费", "分享", "收藏"]
CSV_GOAL = 0.8  # of raw executemany (SQLite) / COPY (PostgreSQL)
XLSX_GOAL = 0.9  # of python-calamine's bare read
PRAGMAS = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"


def make_rows(n: int):
    start = dt.date(2001, 1, 1)
    per_day = len(CHANNELS) * len(METRICS)
    out = []
    for i in range(n):
        day, rest = divmod(i, per_day)
        ch, m = divmod(rest, len(METRICS))
        out.append(
            ((start + dt.timedelta(days=day)).isoformat(), CHANNELS[ch], METRICS[m], str(1000 + (i * 7919) % 90000))
        )
    return out


def make_csv(rows) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["日期", "渠道", "指标", "数值"])
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


def make_xlsx(rows) -> bytes:
    """The rows as the XLSX file openpyxl's write-only mode writes (inline strings, numbers typed "n"):
    openpyxl writes the package with the header row, and the rows of its sheet are written here the same
    way, directly (openpyxl took ~100 s for a million rows on the bench machine, this ~10 s)."""
    import openpyxl

    header = ["日期", "渠道", "指标", "数值"]
    wb = openpyxl.Workbook(write_only=True)
    wb.create_sheet().append(header)
    skeleton = io.BytesIO()
    wb.save(skeleton)

    def text(ref: str, value: str) -> str:
        return f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'

    body = []
    for r, (d, c, m, v) in enumerate(rows, start=2):
        body.append(f'<row r="{r}">{text(f"A{r}", d)}{text(f"B{r}", c)}{text(f"C{r}", m)}<c r="D{r}" t="n"><v>{int(v)}</v></c></row>')  # fmt: skip
    out = io.BytesIO()
    with zipfile.ZipFile(skeleton) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                head, _sep, tail = data.decode().partition("</row>")  # after the header row
                data = "".join([head, "</row>", *body, tail]).encode()
            dst.writestr(item, data)
    return out.getvalue()


def new_campaign(user, name):
    from campaignflow.campaigns.models import Campaign

    return Campaign.objects.create(
        name=name, start_date=dt.date(2001, 1, 1), end_date=dt.date(2099, 12, 31), owner=user, created_by=user
    )


def raw_floor(tmp: Path, rows) -> float:
    """Raw sqlite3 executemany of parsed tuples into a table + index identical to tracking_metricrow."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE tbl_name = 'tracking_metricrow' AND sql IS NOT NULL")
        ddl = [r[0] for r in cursor.fetchall()]
    path = tmp / "raw.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    db = sqlite3.connect(path, isolation_level=None)
    db.executescript(PRAGMAS)
    for statement in ddl:
        statement = statement.replace('REFERENCES "campaigns_campaign" ("id") DEFERRABLE INITIALLY DEFERRED', "")
        statement = statement.replace('REFERENCES "tracking_importbatch" ("id") DEFERRABLE INITIALLY DEFERRED', "")
        db.execute(statement)
    params = [(1, d, c, m, v, 1) for d, c, m, v in rows]
    t0 = time.perf_counter()
    db.execute("BEGIN IMMEDIATE")
    db.executemany(
        "INSERT INTO tracking_metricrow (campaign_id, date, channel, metric, value, batch_id) VALUES (?, ?, ?, ?, ?, ?)",
        params,
    )
    db.execute("COMMIT")
    elapsed = time.perf_counter() - t0
    db.close()
    return len(rows) / elapsed


def pg_copy_floor(rows) -> float:
    """PostgreSQL COPY of parsed rows into a clone of the table (same columns and indexes, a regular
    logged table like the real one: a TEMP table skips the write-ahead log and flatters the reference),
    committed, then dropped."""
    from django.db import connection, transaction

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_copy")
        cursor.execute("CREATE TABLE bench_copy (LIKE tracking_metricrow INCLUDING ALL)")
    try:
        t0 = time.perf_counter()
        with (
            transaction.atomic(),
            connection.cursor() as cursor,
            cursor.cursor.copy(
                "COPY bench_copy (campaign_id, batch_id, date, channel, metric, value) FROM STDIN"
            ) as cp,
        ):
            for d, c, m, v in rows:
                cp.write_row((1, 1, d, c, m, v))
        elapsed = time.perf_counter() - t0
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS bench_copy")
    return len(rows) / elapsed


def xlsx_reads(xdata: bytes, n: int, rounds: int = 3) -> tuple[float, float]:
    """(python-calamine's fastest bare read, the import's read + validation), rows/s of CPU time.

    Interleaved rounds (bare iter_rows, bare to_python, ours) and the best of each, timed by the process's
    CPU clock: on a shared 2-core machine wall time drifted by ±20 % between blocks of runs, which made a
    70 % goal pass or miss by luck."""
    from python_calamine import CalamineWorkbook

    from campaignflow.tracking.services import parse_upload

    def bare_iter():
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(xdata)).get_sheet_by_index(0)
        return sum(1 for _ in sheet.iter_rows())

    def bare_list():
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(xdata)).get_sheet_by_index(0)
        return len(sheet.to_python())

    def ours():
        parse_upload("bench.xlsx", xdata, check_duplicates=False)

    best = {"iter": float("inf"), "list": float("inf"), "ours": float("inf")}
    for _ in range(rounds):
        for name, fn in (("iter", bare_iter), ("list", bare_list), ("ours", ours)):
            t0 = time.process_time()
            fn()
            best[name] = min(best[name], time.process_time() - t0)
    return n / min(best["iter"], best["list"]), n / best["ours"]


def import_rate(user, n: int, kind: str, data: bytes) -> float:
    """Rows per second of the whole import of `data` (a .csv or .xlsx file of n rows), each run into a campaign
    of its own: the median of 3 runs (1 beyond 200,000 rows)."""
    from campaignflow.tracking.services import metrics_import_file

    rates = []
    for i in range(3 if n <= 200_000 else 1):
        campaign = new_campaign(user, f"bench-{kind}-{i}")
        t0 = time.perf_counter()
        metrics_import_file(actor=user, campaign=campaign, name=f"bench.{kind}", data=data)
        rates.append(n / (time.perf_counter() - t0))
    return statistics.median(rates)


def run(n: int, tmp: Path, user) -> list[dict]:
    """The import benchmarks for `python -m bench`: result dicts (see bench/__main__.record)."""
    from django.db import connection

    out = []
    rows = make_rows(n)
    data = make_csv(rows)
    size = f"{n:,} rows"
    service = import_rate(user, n, "csv", data)
    if connection.vendor == "sqlite":
        raw = statistics.median([raw_floor(tmp, rows) for _ in range(3 if n <= 200_000 else 1)])
        out.append(dict(name="CSV import vs raw sqlite3 executemany", value=f"{service:,.0f}", unit="rows/s",
                        goal=f"≥ {CSV_GOAL:.0%} of raw", ok=service / raw >= CSV_GOAL, reference=f"executemany {raw:,.0f} rows/s",
                        ratio=service / raw, size=size))  # fmt: skip
    if connection.vendor == "postgresql":
        copy = pg_copy_floor(rows)
        out.append(dict(name="CSV import vs PostgreSQL COPY", value=f"{service:,.0f}", unit="rows/s",
                        goal=f"≥ {CSV_GOAL:.0%} of COPY", ok=service / copy >= CSV_GOAL, reference=f"COPY {copy:,.0f} rows/s",
                        ratio=service / copy, size=size))  # fmt: skip
    if connection.vendor != "sqlite":
        # reading an XLSX file does not touch the database: its figures come from the SQLite run
        # (the PostgreSQL write path is the CSV figure above)
        return out
    xdata = make_xlsx(rows)
    bare, parse = xlsx_reads(xdata, n)
    total = import_rate(user, n, "xlsx", xdata)
    # The goal compares reading the file: writing a million rows to the database alone takes longer
    # than 1/0.9 of calamine's read (see the CSV figure against executemany), so the whole import is
    # reported beside it, not held to 90 %.
    out.append(dict(name="XLSX import: read + validate vs calamine bare read", value=f"{parse:,.0f}",
                    unit="rows/s", goal=f"≥ {XLSX_GOAL:.0%} of calamine", ok=parse / bare >= XLSX_GOAL,
                    reference=f"calamine {bare:,.0f} rows/s", ratio=parse / bare, size=size,
                    note="the import's read of the file: cells → validated rows, as the writer takes them; "
                         "best of 3 interleaved rounds of CPU time, as the reference"))  # fmt: skip
    out.append(dict(name="XLSX import: whole (read + validate + write + rollups)", value=f"{total:,.0f}",
                    unit="rows/s", goal="—", ok=None, reference=f"calamine {bare:,.0f} rows/s",
                    ratio=total / bare, size=size,
                    note="the write costs what the CSV import's does"))  # fmt: skip
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--no-xlsx", action="store_true")
    args = parser.parse_args()
    n = args.rows
    from bench.data import standalone

    with standalone("cf-bench-import-", sqlite=True) as (tmp, user):  # the reference is SQLite's executemany
        from campaignflow.tracking.services import metrics_import_file, metrics_ingest, parse_upload

        rows = make_rows(n)
        data = make_csv(rows)

        campaign = new_campaign(user, "bench-csv")
        t0 = time.perf_counter()
        parse_upload("bench.csv", data, check_duplicates=False)
        t_parse = time.perf_counter() - t0
        t0 = time.perf_counter()
        batch = metrics_import_file(actor=user, campaign=campaign, name="bench.csv", data=data)
        t_total = time.perf_counter() - t0
        assert batch.created == n, batch.created
        service = n / t_total
        raw = raw_floor(tmp, rows)
        ratio = service / raw
        print(
            f"CSV  {n:,} rows: service {service:,.0f} rows/s (parse {n / t_parse:,.0f} rows/s, "
            f"{t_total:.2f} s) · raw sqlite3 executemany {raw:,.0f} rows/s · ratio {ratio:.0%} (goal ≥ {CSV_GOAL:.0%})"
        )

        # re-import of the same file: every row is an update (old values kept for undo)
        campaign_again = campaign
        t0 = time.perf_counter()
        batch = metrics_ingest(
            actor=user,
            campaign=campaign_again,
            parsed=parse_upload("bench.csv", data),
            source="upload",
            filename="bench.csv",
        )
        t_re = time.perf_counter() - t0
        print(f"CSV  re-import (all {batch.updated:,} rows replaced): {n / t_re:,.0f} rows/s")

        ok = ratio >= CSV_GOAL
        if not args.no_xlsx:
            xdata = make_xlsx(rows)
            bare, parse_rate = xlsx_reads(xdata, n)
            campaign = new_campaign(user, "bench-xlsx")
            t0 = time.perf_counter()
            metrics_import_file(actor=user, campaign=campaign, name="bench.xlsx", data=xdata)
            total_rate = n / (time.perf_counter() - t0)
            print(
                f"XLSX {n:,} rows: calamine bare read {bare:,.0f} rows/s · our parse+validate {parse_rate:,.0f} "
                f"rows/s ({parse_rate / bare:.0%}) · whole import {total_rate:,.0f} rows/s ({total_rate / bare:.0%}) "
                f"(goal ≥ {XLSX_GOAL:.0%})"
            )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
