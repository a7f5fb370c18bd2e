"""Demo evaluations and retrospectives (wording from seed 002 table 5 and seed 004 table 3), and what the
reviewing → archived gate needs for the archived demo campaigns. Idempotent."""

from __future__ import annotations

from django.utils import timezone

from .models import EvaluationNote, Retrospective

# KPI name → (dimension, analysis, improvement)
NOTES = {
    "销售额": ("渠道转化", "KOL种草+限时折扣刺激消费", "可提前3天启动限时折扣"),
    "新品销售额": ("渠道转化", "KOL种草+限时折扣刺激消费，直播带动新品套餐销售", "可提前3天启动限时折扣"),
    "新增会员": ("私域沉淀", "线下地推人员不足", "增加2名兼职地推，提前培训"),
    "社交曝光": ("品牌曝光", "短视频挑战赛参与度高", "后续活动增加UGC互动环节"),
    "小红书曝光": ("品牌曝光", "KOC粉丝量高于预期，内容互动率提升", "下次增加垂类头部KOL合作，扩大影响力"),
    "直播GMV": (
        "渠道转化",
        "活动话术未突出新品核心卖点，福袋吸引力不足",
        "优化直播脚本，增加“限时限量”话术，升级福袋奖品",
    ),
    "社群新增": ("私域沉淀", "推送频次过高导致部分用户反感", "调整为每日1次精华推送+1次活动提醒"),
    "报名人数": ("用户参与", "预热期社群裂变带来大量报名", "报名页增加一键预约直播提醒"),
    "报名转化率": ("渠道转化", "报名到购买环节流失率高，落地页加载慢", "优化落地页性能，增加直播间专属优惠"),
    "新客占比": ("用户增长", "新客主要来自小红书种草人群", "继续加大种草内容投放，定向新客人群"),
}
RETRO = {
    "worked": "短视频+KOL组合推广效果显著；限时折扣有效刺激消费；社群裂变带来低成本新会员。",
    "improve": "物料准备需提前5天验收；线下地推人员不足导致到场率偏低；优惠券门槛过高（后降为满30减5）。",
    "lessons": "目标对齐会书面确认核心指标；KOL档期需提前1-2个月锁定；预算向高ROI渠道倾斜。",
    "assets": [
        {"title": "KOL合作协议模板", "url": "/playbooks/"},
        {"title": "直播脚本（限时限量话术）", "url": ""},
        {"title": "社群裂变活动话术", "url": ""},
    ],
}


def _notes(campaign, users) -> None:
    for kpi in campaign.kpis.all():
        dimension, analysis, improvement = NOTES.get(
            kpi.name, ("其他", f"{kpi.name}：执行到位，达成情况见数据看板", "总结经验，纳入下次活动方案")
        )
        EvaluationNote.objects.get_or_create(
            kpi=kpi,
            defaults={
                "campaign": campaign,
                "dimension": dimension,
                "analysis": analysis,
                "improvement": improvement,
                "updated_by": users.get("wangjl"),
            },
        )


def _settlement(campaign) -> None:
    """Sign the settlement for every participating party (the archived demo campaigns have none today)."""
    from campaignflow.budgets.models import CampaignPartner, SettlementSignoff
    from campaignflow.budgets.selectors import settlement_statement

    parties = list(CampaignPartner.objects.filter(campaign=campaign, state=CampaignPartner.State.PARTICIPATING))
    if not parties:
        return
    st = settlement_statement(campaign)
    if st["error"] or st.get("all_signed"):
        return
    for party in [None, *parties]:
        SettlementSignoff.objects.get_or_create(
            campaign=campaign, party=party, digest=st["digest"], defaults={"user": campaign.owner}
        )


def _held(campaign):
    import datetime as dt

    day = campaign.end_date + dt.timedelta(days=2)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(17, 0)))


def extend_demo(*, campaigns, users, specs) -> None:
    targets = {s["name"]: s.get("to") for s in specs}
    for name, campaign in campaigns.items():
        to = targets.get(name)
        if to not in ("reviewing", "archived"):
            continue
        _notes(campaign, users)
        if to == "archived":
            Retrospective.objects.get_or_create(
                campaign=campaign,
                # held two days after the end, within the 3 working days the seeds give for it
                defaults={**RETRO, "completed_at": _held(campaign), "completed_by": users.get("wangjl")},
            )
            _settlement(campaign)
        else:
            Retrospective.objects.get_or_create(
                campaign=campaign, defaults={"worked": RETRO["worked"], "improve": "", "lessons": ""}
            )
