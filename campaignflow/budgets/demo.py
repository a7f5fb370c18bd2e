"""Demo budgets (seed 004's 预算分配表 plus a contingency reserve), expenses, a partner and its shares.

Idempotent: every step checks what exists first. Writes go through the services, so they are audited.
"""

from __future__ import annotations

from . import services
from .models import BudgetStatus, CampaignPartner, CostShare, Expense, Partner, PartnerContact

# Seed 004, 表2 预算分配表: category, item, planned, owner, note.
# The live stream's set and hosts are spent on 抖音 (the demo's live channel): linked to it, the review ranks
# 抖音's ROI beside 小红书's (whose KOC line is linked by its name).
LIVE_STREAM = {"直播场景搭建": "抖音", "兼职主播费用": "抖音"}
SEED_LINES = [
    ("channel", "小红书KOC合作", "80000", "zhangzy", "按篇结算，100元/篇（50篇）"),
    ("materials", "直播场景搭建", "20000", "chensj", "背景板、灯光设备租赁"),
    ("prizes", "试用装礼品", "15000", "zhangzy", "1000份，15元/份"),
    ("people", "兼职主播费用", "30000", "lich", "3场，5000元/场"),
    ("contingency", "应急预备金", "18000", "wangjl", "预留10%-15%应急资金（种子001）"),
]
AFTER_PLANNING = {"planning", "executing", "reviewing", "archived"}
APPROVED = {"executing", "reviewing", "archived"}
RUNNING = "冬季新品焕新季促销"
CROSS = "科技+健康跨界联名活动"


def extend_demo(*, campaigns, users, specs) -> None:
    for spec in specs:
        campaign = campaigns.get(spec["name"])
        if campaign is None:
            continue
        if spec["to"] in AFTER_PLANNING or spec["name"] == CROSS:
            _lines(campaign, users)
        if spec["to"] in APPROVED:
            _approve(campaign, users)
    if RUNNING in campaigns:
        _expenses(campaigns[RUNNING], users)
    if CROSS in campaigns:
        _partner(campaigns[CROSS], users)


def _lines(campaign, users) -> None:
    if campaign.budget_lines.exists():
        return
    owner = users["wangjl"]
    for category, item, planned, who, note in SEED_LINES:
        services.line_create(
            actor=owner,
            campaign=campaign,
            data={
                "category": category,
                "item": item,
                "planned": planned,
                "owner": who,
                "note": note,
                "channel": LIVE_STREAM.get(item, ""),
                # The cross-industry campaign shares its channel line with the partner company.
                "shared_with_partners": category == "channel" and campaign.name == CROSS,
            },
        )


def _approve(campaign, users) -> None:
    budget = services.budget_for(campaign)
    if budget.status == BudgetStatus.APPROVED:
        return
    if budget.status != BudgetStatus.SUBMITTED:
        services.budget_submit(actor=users["wangjl"], campaign=campaign, comment="按预算分配表提交")
    services.budget_decide(actor=users["zhaocw"], campaign=campaign, approve=True, comment="同意，注意控制KOC单价")


def _expenses(campaign, users) -> None:
    if Expense.objects.filter(campaign=campaign).exists():
        return
    lines = {ln.item: ln for ln in campaign.budget_lines.all()}
    member = users["zhangzy"]
    for item, amount, date, payee, note in [
        ("小红书KOC合作", "32000", "2026-11-12", "小红书KOC（第一批20篇）", "按篇结算"),
        ("小红书KOC合作", "28000", "2026-11-20", "小红书KOC（第二批）", ""),
        ("直播场景搭建", "1.8万", "2026-11-15", "北京光影舞美有限公司", "背景板+灯光租赁"),
        ("试用装礼品", "9,000.00", "2026-11-16", "华东包装厂", "600份"),
        ("兼职主播费用", "5000", "2026-11-18", "主播A", "第1场"),
    ]:
        services.expense_create(
            actor=member,
            campaign=campaign,
            data={"budget_line": lines[item].pk, "amount": amount, "date": date, "payee": payee, "note": note},
        )
    # Goes over the KOC line's plan (80,000): held until the director (孙总监) decides.
    services.expense_create(
        actor=member,
        campaign=campaign,
        data={
            "budget_line": lines["小红书KOC合作"].pk,
            "amount": "26000",
            "date": "2026-11-25",
            "payee": "小红书KOC（加投头部达人）",
            "note": "爆发期加投，超出预算需总监审批",
        },
    )


def _partner(campaign, users) -> None:
    owner = users["wangjl"]
    partner = Partner.objects.filter(name="健康科技").first()
    if partner is None:
        partner = services.partner_create(
            actor=owner,
            data={
                "name": "健康科技",
                "industry": "健康/智能穿戴",
                "contacts": "刘经理 138-0000-0000 liu@example.cn",
                "note": "跨界联名合作方：智能手环+健康内容",
            },
        )
    if not PartnerContact.objects.filter(user=users["partner"]).exists():
        services.partner_contact_link(actor=owner, partner=partner, username="partner")
    cp = CampaignPartner.objects.filter(campaign=campaign, partner=partner).first()
    if cp is None:
        cp = services.campaign_partner_add(
            actor=owner,
            campaign=campaign,
            data={
                "partner": partner.pk,
                "state": "participating",
                "industry_relevance": "8",
                "audience_overlap": "7.5",
                "resource_strength": "9",
                "brand_fit": "8",
                "resources": "会员体系、线下门店、智能手环联名产品、健康达人内容",
                "role_note": "配合方",
            },
        )
    if not cp.responsibilities.exists():
        for text, due in [
            ("提供行业资源与会员触达（门店+App推送）", "2027-01-20"),
            ("联名产品样品与售后责任", "2027-01-25"),
            ("确定对接人并参加启动会", "2027-01-08"),
        ]:
            services.responsibility_create(actor=owner, cp=cp, data={"text": text, "due_date": due})
    if not CostShare.objects.filter(campaign=campaign).exists():
        services.cost_shares_set(
            actor=owner,
            campaign=campaign,
            shares=[{"party": "host", "ratio": "60%"}, {"party": cp.pk, "ratio": "40%"}],
        )
