"""Benchmark: the campaign workbook (export.xlsx) with 100,000 metric rows — time and peak memory.

Goals: ≤ 10 s and ≤ 200 MB peak for 100,000 rows. The workbook is built by the same code the endpoint
uses (reports.collect.campaign_sheets + reports.xlsx.build_workbook, openpyxl write-only, rows
streamed from the database with .iterator()). Peak memory is measured two ways: tracemalloc (Python
allocations during the export) and the process's max RSS growth (resource.getrusage).

Run: `.venv/bin/python -m bench.bench_export [--rows 100000]`.
Uses a throw-away SQLite file in a temporary directory; never touches the project database.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

CHANNELS = ["抖音", "小红书", "微信公众号", "线下门店", "微博", "B站", "快手", "视频号"]
METRICS = ["曝光", "点击", "转化", "购买", "销售额", "新增会员", "报名", "推广费", "分享", "收藏"]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="cf-bench-export-")
    os.environ["SQLITE_PATH"] = str(Path(tmp) / "bench.sqlite3")
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from decimal import Decimal

    from campaignflow.accounts.models import User
    from campaignflow.campaigns.playbook_sync import sync_builtin_playbooks
    from campaignflow.campaigns.services import campaign_create
    from campaignflow.reports.collect import campaign_sheets
    from campaignflow.reports.xlsx import build_workbook
    from campaignflow.tracking.models import MetricRow

    sync_builtin_playbooks()
    user = User.objects.create(username="bench", role="admin", is_superuser=True, is_staff=True)
    campaign, _w = campaign_create(
        actor=user,
        data={"name": "基准测试活动", "start_date": "2001-01-01", "end_date": "2001-12-31", "budget_total": "500000"},
        playbook_key="enterprise-campaign",
    )
    start = dt.date(2001, 1, 1)
    per_day = len(CHANNELS) * len(METRICS)
    rows = []
    for i in range(args.rows):
        day, rest = divmod(i, per_day)
        ch, m = divmod(rest, len(METRICS))
        rows.append(
            MetricRow(
                campaign=campaign,
                date=start + dt.timedelta(days=day),
                channel=CHANNELS[ch],
                metric=METRICS[m],
                value=Decimal(1000 + (i * 7919) % 90000),
            )
        )
    MetricRow.objects.bulk_create(rows, batch_size=5000)
    del rows
    campaign.refresh_from_db()
    out = Path(tmp) / "export.xlsx"

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tracemalloc.start()
    t0 = time.perf_counter()
    counts = build_workbook(campaign_sheets(campaign, user), str(out))
    elapsed = time.perf_counter() - t0
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    # the same export without tracemalloc's overhead, for the time figure
    t1 = time.perf_counter()
    build_workbook(campaign_sheets(campaign, user), str(Path(tmp) / "export2.xlsx"))
    plain = time.perf_counter() - t1

    size = out.stat().st_size / 1e6
    print(f"metric rows exported: {counts['数据明细']:,} ({len(counts)} sheets), file {size:.1f} MB")
    print(f"time: {plain:.2f} s (with tracemalloc {elapsed:.2f} s) — goal ≤ 10 s: {'OK' if plain <= 10 else 'MISSED'}")
    print(
        f"peak Python memory (tracemalloc): {peak / 1e6:.1f} MB; max RSS {rss_before:.0f} → {rss_after:.0f} MB "
        f"— goal ≤ 200 MB: {'OK' if peak / 1e6 <= 200 else 'MISSED'}"
    )
    return 0 if plain <= 10 and peak / 1e6 <= 200 else 1


if __name__ == "__main__":
    sys.exit(main())
