"""Demo daily metrics (day × channel × metric) for the running and the finished demo campaigns,
written through the ingestion service as one batch per campaign. Idempotent."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from campaignflow.tracking.domain.parsers import ParseResult, Row
from campaignflow.tracking.models import MetricRow
from campaignflow.tracking.services import metrics_ingest

CHANNEL_SHARES = {"抖音": 0.38, "小红书": 0.27, "微信公众号": 0.2, "线下门店": 0.15}
# Where a campaign's KPI counts one channel (goals.demo), that metric's split follows the campaign's story: Q3's
# exposure came mostly from 小红书 notes (小红书曝光 500万 → about 535万, 107 %), 618's sales from the 抖音 livestreams.
CAMPAIGN_SHARES = {
    "Q3新品营销策略执行": {"曝光": {"抖音": 0.2, "小红书": 0.6, "微信公众号": 0.12, "线下门店": 0.08}},
    "618直播带货专场": {"销售额": {"抖音": 0.95, "小红书": 0.02, "微信公众号": 0.02, "线下门店": 0.01}},
}
# per channel: click rate, conversion rate (click→conversion), purchase rate (conversion→purchase)
FUNNEL_RATES = {
    "抖音": (0.11, 0.09, 0.52),
    "小红书": (0.12, 0.1, 0.45),
    "微信公众号": (0.08, 0.14, 0.5),
    "线下门店": (0.09, 0.16, 0.6),
}

# campaign → final totals of the base metrics (finished campaigns) or the pace (running: factor of target pace)
TOTALS = {
    "2024年夏季新品促销": {"销售额": 350000, "新增会员": 2800, "曝光": 1200000},
    "618直播带货专场": {"销售额": 648000, "报名": 5400, "曝光": 60000},
    "Q3新品营销策略执行": {"销售额": 4620000, "曝光": 8900000, "社群新增": 3240},
    "冬季新品焕新季促销": {"销售额": 300000 * 0.93, "新增会员": 3000 * 0.86, "曝光": 1000000 * 1.08, "推广费": 130000},
}


def _split(total: float, weights: list[float]) -> list[int]:
    s = sum(weights)
    parts = [round(total * w / s) for w in weights]
    parts[-1] += round(total) - sum(parts)
    return parts


def rows_for(name: str, start: dt.date, end: dt.date, today: dt.date) -> list[Row]:
    totals = TOTALS.get(name)
    if not totals:
        return []
    rng = random.Random(name)
    days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
    shown = [d for d in days if d <= today]
    if not shown:
        return []
    running = end > today
    # finished campaigns: a warm-up → burst → tail shape; running ones: a steady pace; with noise
    weights = []
    for i, _d in enumerate(days):
        x = i / max(1, len(days) - 1)
        shape = 1.0 if running else 0.7 + 0.8 * (0.3 < x < 0.75) + 0.3 * (x >= 0.75)
        weights.append(shape * rng.uniform(0.8, 1.2))
    rows: list[Row] = []
    for metric, total in totals.items():
        shares = CAMPAIGN_SHARES.get(name, {}).get(metric, CHANNEL_SHARES)
        # a running campaign shows its pace so far; a finished one its final totals
        if running:
            total = total * sum(weights[: len(shown)]) / sum(weights)
            weights_used = weights[: len(shown)]
        else:
            weights_used = weights
        per_day = _split(total, weights_used)
        for day, value in zip(shown, per_day, strict=False):
            ch_values = _split(value, [shares[c] * rng.uniform(0.85, 1.15) for c in CHANNEL_SHARES])
            for channel, v in zip(CHANNEL_SHARES, ch_values, strict=True):
                rows.append(Row(day.isoformat(), channel, metric, str(max(v, 0))))
    # funnel below exposure: click → conversion → purchase from the channel's rates
    exposure = [(r.date, r.channel, Decimal(r.value)) for r in rows if r.metric == "曝光"]
    for day, channel, value in exposure:
        click_rate, conv_rate, buy_rate = FUNNEL_RATES[channel]
        clicks = int(value * Decimal(str(click_rate * rng.uniform(0.9, 1.1))))
        conversions = int(clicks * conv_rate * rng.uniform(0.9, 1.1))
        purchases = int(conversions * buy_rate * rng.uniform(0.9, 1.1))
        rows += [
            Row(day, channel, "点击", str(clicks)),
            Row(day, channel, "转化", str(conversions)),
            Row(day, channel, "购买", str(purchases)),
        ]
        if name == "Q3新品营销策略执行":
            rows.append(Row(day, channel, "新客", str(int(purchases * rng.uniform(0.38, 0.46)))))
    return rows


def extend_demo(*, campaigns, users, specs) -> None:
    today = timezone.localdate()
    actor = users.get("zhangzy")
    for name, campaign in campaigns.items():
        if MetricRow.objects.filter(campaign_id=campaign.pk).exists():
            continue
        rows = rows_for(name, campaign.start_date, campaign.end_date, today)
        if rows:
            # no file name: the source already reads "Demo data" (a name "demo" showed as English in Chinese)
            metrics_ingest(actor=actor, campaign=campaign, parsed=ParseResult(rows=rows), source="demo", filename="")
