"""Scale data for benchmarks and load tests, written on the bulk paths (≥ 100k metric rows/s).

    manage.py generate_data --campaigns 1 --days 365 --channels 100 --metrics 28 --tasks 10000

Each campaign gets days × channels × metrics metric rows (one import batch, one audit entry), KPIs on
the first metrics (the first is core, with a target), the channels, and optionally T tasks chained
by finish-to-start links (about two links per task). Prints the campaign ids.
"""

from __future__ import annotations

import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from campaignflow.accounts.models import User
from campaignflow.campaigns.models import Campaign, Membership
from campaignflow.core.audit import audit_record
from campaignflow.core.gc_pause import gc_paused
from campaignflow.goals.models import Channel, Kpi
from campaignflow.tracking import rollups
from campaignflow.tracking.models import BatchSource, ImportBatch, MetricRow

BASE_METRICS = ["曝光", "点击", "转化", "购买", "销售额", "新增会员", "报名", "分享", "收藏", "评论"]
CHUNK = 100_000


def metric_names(n: int) -> list[str]:
    return BASE_METRICS[:n] + [f"指标{i}" for i in range(len(BASE_METRICS), n)]


def channel_names(n: int) -> list[str]:
    base = ["抖音", "小红书", "微信公众号", "视频号", "微博", "B站", "快手", "线下门店"]
    return base[:n] + [f"渠道{i}" for i in range(len(base), n)]


class Command(BaseCommand):
    help = "Generate scale data (metric rows, KPIs, channels, tasks) on the bulk paths."

    def add_arguments(self, parser):
        parser.add_argument("--campaigns", type=int, default=1)
        parser.add_argument("--days", type=int, default=365)
        parser.add_argument("--channels", type=int, default=10)
        parser.add_argument("--metrics", type=int, default=10)
        parser.add_argument("--tasks", type=int, default=0)
        parser.add_argument("--owner", default="bench", help="username of the campaigns' owner (created if missing)")
        parser.add_argument("--start", default="2024-01-01")

    def handle(self, *args, **opts):
        n_camp, days, n_ch, n_m, n_tasks = (opts[k] for k in ("campaigns", "days", "channels", "metrics", "tasks"))
        if min(n_camp, days, n_ch, n_m) < 1 or n_tasks < 0:
            raise CommandError("--campaigns, --days, --channels and --metrics must be at least 1")
        if days > 36_500 or n_ch > 10_000 or n_m > 1_000:
            raise CommandError("too large: at most 36,500 days, 10,000 channels, 1,000 metrics")
        start = dt.date.fromisoformat(opts["start"])
        owner, _created = User.objects.get_or_create(username=opts["owner"], defaults={"display_name": opts["owner"]})
        metrics, channels = metric_names(n_m), channel_names(n_ch)
        dates = [(start + dt.timedelta(days=d)).isoformat() for d in range(days)]
        total_rows, t0 = 0, time.perf_counter()
        ids = []
        for c in range(n_camp):
            campaign = self._campaign(owner, c, start, days, metrics, channels)
            ids.append(campaign.pk)
            total_rows += self._metrics(owner, campaign, dates, channels, metrics)
            if n_tasks:
                self._tasks(campaign, start, days, n_tasks)
        # PostgreSQL: visibility map and planner statistics after the load, as an import job does
        rollups.after_bulk_load(total_rows, force=True)
        elapsed = time.perf_counter() - t0
        self.stdout.write(
            f"campaigns {ids}: {total_rows:,} metric rows, {n_tasks * n_camp:,} tasks in {elapsed:.1f} s "
            f"({total_rows / max(elapsed, 1e-9):,.0f} rows/s)"
        )
        return None

    @transaction.atomic
    def _campaign(self, owner, index, start, days, metrics, channels) -> Campaign:
        campaign = Campaign.objects.create(
            name=f"规模测试活动 {index + 1}",
            start_date=start,
            end_date=start + dt.timedelta(days=days - 1),
            owner=owner,
            created_by=owner,
            budget_total=1_000_000,
        )
        Membership.objects.get_or_create(campaign=campaign, user=owner, defaults={"role": "owner"})
        Kpi.objects.bulk_create(
            [
                Kpi(
                    campaign=campaign,
                    name=m,
                    metric=m,
                    target=1_000 * days * len(channels),
                    priority="core" if i == 0 else "auxiliary",
                )
                for i, m in enumerate(metrics[:5])
            ]
        )
        Channel.objects.bulk_create([Channel(campaign=campaign, name=ch) for ch in channels])
        return campaign

    @transaction.atomic
    def _metrics(self, owner, campaign, dates, channels, metrics) -> int:
        batch = ImportBatch.objects.create(campaign=campaign, actor=owner, source=BatchSource.DEMO, filename="generate")
        table = MetricRow._meta.db_table
        sql = (
            f"INSERT INTO {table} (campaign_id, batch_id, date, channel, metric, value) "
            f"VALUES ({int(campaign.pk)}, {int(batch.pk)}, %s, %s, %s, %s)"
        )
        values = [str(100 + (i * 7919) % 9000) for i in range(997)]  # deterministic, varied
        count = 0

        def rows():
            nonlocal count
            i = 0
            for d in dates:
                for ch in channels:
                    for m in metrics:
                        yield (d, ch, m, values[i % 997])
                        i += 1
            count = i

        with gc_paused():
            if connection.vendor == "sqlite":
                connection.connection.executemany(sql.replace("%s", "?"), rows())
            else:
                with connection.cursor() as cursor:
                    self._copy(cursor, table, campaign.pk, batch.pk, rows())
        rollups.refresh(campaign.pk)
        ImportBatch.objects.filter(pk=batch.pk).update(rows_total=count, created=count)
        audit_record(actor=owner, action="metrics.generate", obj=batch, after={"rows": count}, campaign=campaign)
        return count

    @staticmethod
    def _copy(cursor, table, campaign_id, batch_id, rows):
        raw = cursor.cursor  # psycopg 3 cursor under Django's wrapper
        cols = "(campaign_id, batch_id, date, channel, metric, value)"
        with raw.copy(f"COPY {table} {cols} FROM STDIN") as copy:
            for r in rows:
                copy.write_row((campaign_id, batch_id, *r))

    @transaction.atomic
    def _tasks(self, campaign, start, days, n_tasks):
        from campaignflow.planning.models import Task, TaskDependency

        tasks = [
            Task(
                campaign=campaign,
                code=f"T{i + 1:05d}",
                name=f"任务 {i + 1}",
                phase=f"阶段 {i // 1000 + 1}",
                module=f"模块 {i // 100 + 1}",
                start_date=start + dt.timedelta(days=(i * 7) % max(1, days - 10)),
                end_date=start + dt.timedelta(days=(i * 7) % max(1, days - 10) + 1 + i % 7),
                sort_order=i,
                milestone=i % 500 == 499,
            )
            for i in range(n_tasks)
        ]
        Task.objects.bulk_create(tasks, batch_size=2000)
        ids = list(Task.objects.filter(campaign=campaign).order_by("sort_order").values_list("pk", flat=True))
        links = []
        for i in range(1, len(ids)):
            links.append(TaskDependency(campaign=campaign, predecessor_id=ids[i - 1], successor_id=ids[i]))
            if i >= 50:
                links.append(TaskDependency(campaign=campaign, predecessor_id=ids[i - 50], successor_id=ids[i]))
        TaskDependency.objects.bulk_create(links, batch_size=2000)
