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

from campaignflow.budgets.models import (
    Budget,
    BudgetLine,
    CampaignPartner,
    Expense,
    Partner,
    PartnerContact,
    Responsibility,
)

# fmt: off
# operation               method   path                                                admin owner mgr  member viewer partner outsider anon
ROWS = [
    ("get budget",            "get",    "/campaigns/{campaign_id}/budget",                200,  200,  200, 200,   200,   200,    404,     401),
    ("patch budget",          "patch",  "/campaigns/{campaign_id}/budget",                200,  200,  200, 403,   403,   403,    404,     401),
    ("submit budget",         "post",   "/campaigns/{campaign_id}/budget/submit",         200,  200,  200, 200,   403,   403,    404,     401),
    ("approve budget",        "post",   "/campaigns/{campaign_id}/budget/approve",        200,  403,  403, 403,   403,   403,    404,     401),
    ("reject budget",         "post",   "/campaigns/{campaign_id}/budget/reject",         200,  403,  403, 403,   403,   403,    404,     401),
    ("budget history",        "get",    "/campaigns/{campaign_id}/budget/history",        200,  200,  200, 200,   200,   403,    404,     401),
    ("list budget lines",     "get",    "/campaigns/{campaign_id}/budget-lines",          200,  200,  200, 200,   200,   200,    404,     401),
    ("create budget line",    "post",   "/campaigns/{campaign_id}/budget-lines",          201,  201,  201, 201,   403,   403,    404,     401),
    ("get budget line",       "get",    "/budget-lines/{line_id}",                        200,  200,  200, 200,   200,   404,    404,     401),
    ("patch budget line",     "patch",  "/budget-lines/{line_id}",                        200,  200,  200, 200,   403,   404,    404,     401),
    ("delete budget line",    "delete", "/budget-lines/{line_id}",                        422,  422,  422, 422,   403,   404,    404,     401),
    ("list expenses",         "get",    "/campaigns/{campaign_id}/expenses",              200,  200,  200, 200,   200,   200,    404,     401),
    ("create expense",        "post",   "/campaigns/{campaign_id}/expenses",              201,  201,  201, 201,   403,   403,    404,     401),
    ("get expense",           "get",    "/expenses/{expense_id}",                         200,  200,  200, 200,   200,   404,    404,     401),
    ("correct expense",       "patch",  "/expenses/{expense_id}",                         200,  200,  200, 403,   403,   404,    404,     401),
    ("delete expense",        "delete", "/expenses/{expense_id}",                         422,  422,  422, 422,   403,   404,    404,     401),
    ("approve overrun",       "post",   "/expenses/{expense_id}/approve",                 200,  403,  403, 403,   403,   404,    404,     401),
    ("reject overrun",        "post",   "/expenses/{expense_id}/reject",                  200,  403,  403, 403,   403,   404,    404,     401),
    ("upload receipt",        "post",   "/expenses/{expense_id}/receipt",                 422,  422,  422, 422,   403,   404,    404,     401),
    ("download receipt",      "get",    "/expenses/{expense_id}/receipt",                 404,  404,  404, 404,   404,   404,    404,     401),
    ("patch partner company", "patch",  "/partners/{partner_id}",                         200,  200,  200, 403,   403,   403,    403,     401),
    ("link partner contact",  "post",   "/partners/{partner_id}/contacts",                201,  403,  403, 403,   403,   403,    403,     401),
    ("list campaign partners","get",    "/campaigns/{campaign_id}/partners",              200,  200,  200, 200,   200,   200,    404,     401),
    ("add campaign partner",  "post",   "/campaigns/{campaign_id}/partners",              201,  201,  201, 403,   403,   403,    404,     401),
    ("patch campaign partner","patch",  "/campaign-partners/{cp_id}",                     200,  200,  200, 403,   403,   403,    404,     401),
    ("add responsibility",    "post",   "/campaign-partners/{cp_id}/responsibilities",    201,  201,  201, 201,   403,   403,    404,     401),
    ("tick responsibility",   "patch",  "/responsibilities/{item_id}",                    200,  200,  200, 200,   403,   200,    404,     401),
    ("get cost shares",       "get",    "/campaigns/{campaign_id}/cost-shares",           200,  200,  200, 200,   200,   200,    404,     401),
    ("set cost shares",       "put",    "/campaigns/{campaign_id}/cost-shares",           200,  200,  200, 403,   403,   403,    404,     401),
    ("get settlement",        "get",    "/campaigns/{campaign_id}/settlement",            200,  200,  200, 200,   200,   200,    404,     401),
    ("sign settlement",       "post",   "/campaigns/{campaign_id}/settlement/sign",       201,  201,  201, 403,   403,   201,    404,     401),
    ("settlement xlsx",       "get",    "/campaigns/{campaign_id}/settlement.xlsx",       200,  200,  200, 200,   200,   200,    404,     401),
    ("settlement pdf",        "get",    "/campaigns/{campaign_id}/settlement.pdf",        200,  200,  200, 200,   200,   200,    404,     401),
]
# fmt: on

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
    Budget.objects.create(campaign=campaign)
    line = BudgetLine.objects.create(campaign=campaign, category="channel", item="KOC", planned=Decimal(1000))
    BudgetLine.objects.create(campaign=campaign, category="contingency", item="应急", planned=Decimal(100))
    spare = BudgetLine.objects.create(campaign=campaign, category="other", item="备用", planned=Decimal(10))
    expense = Expense.objects.create(campaign=campaign, line=line, amount=Decimal(500), date="2025-06-01")
    held = Expense.objects.create(
        campaign=campaign, line=line, amount=Decimal(900), date="2025-06-02", status="held", over_reason="line"
    )
    partner = Partner.objects.create(name="健康科技", created_by=users["admin"])
    other = Partner.objects.create(name="运动装备", created_by=users["admin"])
    PartnerContact.objects.create(user=users["partner"], partner=partner)
    cp = CampaignPartner.objects.create(campaign=campaign, partner=partner, state="participating")
    duty = Responsibility.objects.create(campaign_partner=cp, text="提供会员触达")
    ctx.update(
        line_id=line.pk,
        spare_line_id=spare.pk,
        expense_id=expense.pk,
        held_id=held.pk,
        partner_id=partner.pk,
        other_partner_id=other.pk,
        cp_id=cp.pk,
        item_id=duty.pk,
    )
