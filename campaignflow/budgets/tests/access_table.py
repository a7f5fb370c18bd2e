"""Budget endpoints in the access matrix (see campaigns/tests/test_access_matrix.py).

Setup: one internal line (not shared with partners) with an approved expense and a held overrun,
a spare line, partner1 is the contact of 健康科技 which participates; 运动装备 is not in the campaign yet.
Approve/reject run on a budget the owner submitted: only global finance/director/admin roles may decide.
A partner company (健康科技, the admin's) may be edited by an admin or an owner/manager of a campaign using it;
partner1 sees it (their own company) but may not edit it.
DELETE without `version` is 422 once access is granted (the version is required).
An expense is corrected by the person who recorded it (nobody here) or an owner/manager.
"""

from decimal import Decimal
from pathlib import Path

from campaignflow.budgets.models import (
    Budget,
    BudgetLine,
    CampaignPartner,
    Expense,
    Partner,
    PartnerContact,
    Responsibility,
)
from campaignflow.campaigns.models import Membership
from conftest import make_user
from tests.support.tables import read_table

ROWS = read_table(Path(__file__).with_name("access_table.txt"), columns=11)

BODIES = {
    "patch budget": lambda ctx: {
        "version": Budget.objects.get(campaign=ctx["campaign"]).version,
        "contingency_min": "8%",
    },
    "reject budget": lambda ctx: {"comment": "预算过高"},
    "create budget line": lambda ctx: {"category": "venue", "item": "场地", "planned": "1万"},
    "patch budget line": lambda ctx: {"version": 1, "note": "改"},
    "create expense": lambda ctx: {"budget_line": ctx["line_id"], "amount": 100, "date": "2025-06-02"},
    "reject overrun": lambda ctx: {"comment": "不同意"},
    "correct expense": lambda ctx: {"version": 1, "note": "更正"},
    "patch partner company": lambda ctx: {"version": 1, "note": "更新"},
    "link partner contact": lambda ctx: {"username": "member1"},
    "add campaign partner": lambda ctx: {"partner": ctx["other_partner_id"], "state": "candidate"},
    "patch campaign partner": lambda ctx: {"version": 1, "brand_fit": 9},
    "add responsibility": lambda ctx: {"text": "提供门店资源"},
    "tick responsibility": lambda ctx: {"version": 1, "done": True},
    "set cost shares": lambda ctx: {
        "shares": [{"party": "host", "ratio": "60%"}, {"party": ctx["cp_id"], "ratio": "40%"}]
    },
    "sign settlement": lambda ctx: {"digest": ""},
}
PREPARE = {
    "approve budget": lambda ctx: _submitted(ctx),
    "reject budget": lambda ctx: _submitted(ctx),
    "delete budget line": lambda ctx: ctx.update(line_id=ctx["spare_line_id"]),
    "approve overrun": lambda ctx: ctx.update(expense_id=ctx["held_id"]),
    "reject overrun": lambda ctx: ctx.update(expense_id=ctx["held_id"]),
}


def _submitted(ctx):
    Budget.objects.filter(campaign=ctx["campaign"]).update(status="submitted", submitted_by=ctx["users"]["owner"])


def setup(ctx):
    campaign, users = ctx["campaign"], ctx["users"]
    # someone on the team to decide, as a submitted budget or a corrected expense needs (else 409, not access)
    # (approvers of their own: the table's finance and director users must stay outside the campaign)
    for role in ("finance", "director"):
        Membership.objects.create(campaign=campaign, user=make_user(f"team_{role}", role), role="viewer")
    Budget.objects.create(campaign=campaign)
    line = BudgetLine.objects.create(campaign=campaign, category="channel", item="KOC", planned=Decimal(1000))
    ctx["line_id"] = line.pk
    BudgetLine.objects.create(campaign=campaign, category="contingency", item="应急", planned=Decimal(100))
    ctx["spare_line_id"] = BudgetLine.objects.create(
        campaign=campaign, category="other", item="备用", planned=Decimal(10)
    ).pk
    ctx["expense_id"] = Expense.objects.create(campaign=campaign, line=line, amount=Decimal(500), date="2025-06-01").pk
    ctx["held_id"] = Expense.objects.create(
        campaign=campaign, line=line, amount=Decimal(900), date="2025-06-02", status="held", over_reason="line"
    ).pk
    partner = Partner.objects.create(name="健康科技", created_by=users["admin"])
    ctx["partner_id"] = partner.pk
    ctx["other_partner_id"] = Partner.objects.create(name="运动装备", created_by=users["admin"]).pk
    PartnerContact.objects.create(user=users["partner"], partner=partner)
    cp = CampaignPartner.objects.create(campaign=campaign, partner=partner, state="participating")
    ctx["cp_id"] = cp.pk
    ctx["item_id"] = Responsibility.objects.create(campaign_partner=cp, text="提供会员触达").pk
