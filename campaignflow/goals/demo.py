"""Demo KPIs (from the seeds) and channel reach matrices for every demo campaign. Idempotent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from campaignflow.goals.models import Channel, Kpi

# KPI rows: (name, metric | (numerator, denominator), unit, target, priority, direction, SMART specific);
# the summer and winter promotions share these two
NEW_MEMBERS = ("新增会员", "新增会员", "人", "3000", "auxiliary", "up", "新增会员3000人")
SOCIAL_REACH = ("社交曝光", "曝光", "次", "1000000", "auxiliary", "up", "社交媒体曝光量100万+")


def _signups(priority: str, specific: str) -> tuple:
    """5,000 registrations: the target of both registration campaigns."""
    return ("报名人数", "报名", "人", "5000", priority, "up", specific)


def _signup_conversion(name: str, specific: str) -> tuple:
    """Purchases per registration (a ratio), 5% in both registration campaigns."""
    return (name, ("购买", "报名"), "", "0.05", "auxiliary", "up", specific)


# campaign name → its KPI rows
KPIS = {
    "2024年夏季新品促销": [
        ("销售额", "销售额", "元", "300000", "core", "up", "活动期间销售额30万（同比提升30%）"),
        NEW_MEMBERS,
        SOCIAL_REACH,
    ],
    "618直播带货专场": [
        ("直播GMV", "销售额", "元", "600000", "core", "up", "抖音官方账号直播3场，场均GMV20万元"),
        _signups("auxiliary", "报名5000人"),
        _signup_conversion("报名转化率", "报名到购买转化率5%"),
    ],
    "Q3新品营销策略执行": [
        ("新品销售额", "销售额", "元", "5000000", "core", "up", "3个月内新品销售额达到500万元"),
        ("新客占比", ("新客", "购买"), "", "0.40", "auxiliary", "up", "新客占比不低于40%"),
        ("小红书曝光", "曝光", "次", "5000000", "auxiliary", "up", "小红书笔记总曝光500万次"),
        ("社群新增", "社群新增", "人", "3000", "auxiliary", "up", "社群新增3000人"),
    ],
    "冬季新品焕新季促销": [
        ("销售额", "销售额", "元", "300000", "core", "up", "活动期间销售额提升30%（目标30万）"),
        NEW_MEMBERS,
        SOCIAL_REACH,
        ("点击率", ("点击", "曝光"), "", "0.08", "auxiliary", "up", "整体点击率不低于8%"),
        ("获客成本", ("推广费", "新增会员"), "元/人", "50", "auxiliary", "down", "每个新会员的推广费不高于50元"),
    ],
    "焕新上市·美力绽放 新品线上发布会": [
        _signups("core", "5000人报名"),
        ("曝光", "曝光", "次", "100000", "auxiliary", "up", "10万次曝光"),
        _signup_conversion("转化率", "转化率5%"),
    ],
    "科技+健康跨界联名活动": [
        ("目标用户触达", "曝光", "人次", "1000000", "core", "up", "3个月内触达100万目标用户"),
        ("合作产品销量", "购买", "件", "20000", "auxiliary", "up", "合作产品销量增长20%"),
    ],
}

# (campaign, KPI) → the channel the KPI counts, when its description names one (seed 004: 小红书笔记总曝光;
# the 618 live streams are on 抖音's official account); the other KPIs count the whole campaign
KPI_CHANNELS = {
    ("Q3新品营销策略执行", "小红书曝光"): "小红书",
    ("618直播带货专场", "直播GMV"): "抖音",
}

CHANNELS = [
    ("抖音", "短视频+直播", {"曝光": "40万", "点击": "4万"}, {"点击率": "3%", "转化率": "8%"}),
    ("小红书", "KOL种草笔记", {"曝光": "30万", "点击": "3万"}, {"点击率": "5%", "转化率": "6%"}),
    ("微信公众号", "推文+社群裂变", {"曝光": "20万", "点击": "2万"}, {"点击率": "2.5%", "转化率": "10%"}),
    ("线下门店", "地推+体验活动", {"曝光": "10万", "点击": "1万"}, {"转化率": "15%"}),
]
OWNERS = {"抖音": "zhangzy", "小红书": "lich", "微信公众号": "zhangzy", "线下门店": "wangjl"}
# The cross-brand campaign has a partner: its core KPI and the channels the partner runs are shared.
PARTNER_CAMPAIGN = "科技+健康跨界联名活动"
PARTNER_CHANNELS = {"抖音", "线下门店"}


def extend_demo(*, campaigns, users, specs) -> None:
    for name, campaign in campaigns.items():
        # the channels first: a KPI may count one of them
        for channel_name, form, targets, benchmarks in CHANNELS:
            Channel.objects.get_or_create(
                campaign=campaign,
                name=channel_name,
                defaults={
                    "content_form": form,
                    "start_date": max(campaign.start_date - dt.timedelta(days=3), campaign.start_date.replace(day=1)),
                    "end_date": campaign.end_date,
                    "owner": users.get(OWNERS[channel_name]),
                    "targets": {k: _n(v) for k, v in targets.items()},
                    "benchmarks": {k: _n(v) for k, v in benchmarks.items()},
                    "shared_with_partners": name == PARTNER_CAMPAIGN and channel_name in PARTNER_CHANNELS,
                },
            )
        if not campaign.kpis.exists():
            channels = {c.name: c for c in campaign.channels.all()}
            for i, (kpi_name, metric, unit, target, priority, direction, specific) in enumerate(KPIS.get(name, [])):
                ratio = isinstance(metric, tuple)
                Kpi.objects.create(
                    campaign=campaign,
                    name=kpi_name,
                    metric="" if ratio else metric,
                    numerator=metric[0] if ratio else "",
                    denominator=metric[1] if ratio else "",
                    channel=channels.get(KPI_CHANNELS.get((name, kpi_name), "")),
                    unit=unit,
                    target=Decimal(target),
                    priority=priority,
                    direction=direction,
                    owner=users.get("wangjl"),
                    specific=specific,
                    measurable=f"{kpi_name}：以数据看板统计为准",
                    achievable="参考往期同类活动达成情况",
                    relevant="支撑本次活动核心目标",
                    deadline=campaign.end_date,
                    position=i + 1,
                    shared_with_partners=name == PARTNER_CAMPAIGN and priority == "core",
                )


def _n(text: str) -> str:
    from campaignflow.core.domain.numbers import parse_number

    return format(parse_number(text).normalize(), "f")
