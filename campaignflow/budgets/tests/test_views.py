"""The budget, partners and settlement pages with the session (as the browser uses them)."""

import json
from decimal import Decimal

import pytest

from campaignflow.budgets.models import Budget, BudgetLine, Expense
from conftest import logged_in

pytestmark = pytest.mark.django_db


def test_budget_tab_line_form_accepts_wan_and_page_shows_money(users, bc):
    owner = logged_in(users["owner"])
    page = owner.get(f"/campaigns/{bc.id}/budget/")
    assert page.status_code == 200 and 'data-testid="add-line"' in page.content.decode()
    assert "预算" in page.content.decode()  # the tab is there
    response = owner.post(
        f"/campaigns/{bc.id}/budget/lines/new/", {"category": "渠道推广", "item": "小红书KOC合作", "planned": "8万"}
    )
    assert response.status_code == 302
    line = BudgetLine.objects.get()
    assert (line.category, line.planned) == ("channel", Decimal("80000.00"))
    html = owner.get(f"/campaigns/{bc.id}/budget/").content.decode()
    assert "¥8万" in html and "小红书KOC合作" in html
    chart = json.loads(html.split('id="budget-chart-data" type="application/json">')[1].split("</script>")[0])
    assert chart["series"][0]["data"] == ["80000.00"]


def test_line_form_suggests_the_members_and_the_reach_matrix_channels(users, bc):
    from campaignflow.goals.models import Channel

    Channel.objects.create(campaign=bc, name="抖音")
    html = logged_in(users["owner"]).get(f"/campaigns/{bc.id}/budget/lines/new/").content.decode()
    assert 'list="channel-options"' in html and '<option value="抖音"></option>' in html
    assert 'list="member-options"' in html and f'<option value="{users["member"].username}">' in html
    response = logged_in(users["owner"]).post(
        f"/campaigns/{bc.id}/budget/lines/new/",
        {"category": "渠道推广", "item": "直播投流", "planned": "2万", "channel": "抖音", "owner": "member1"},
    )
    assert response.status_code == 302
    line = BudgetLine.objects.get()
    assert (line.channel, line.owner.username) == ("抖音", "member1")


def test_line_form_shows_the_field_error(users, bc):
    owner = logged_in(users["owner"])
    response = owner.post(
        f"/campaigns/{bc.id}/budget/lines/new/", {"category": "channel", "item": "x", "planned": "-5"}
    )
    assert response.status_code == 200
    assert "不能为负" in response.content.decode() or "must not be negative" in response.content.decode()
    assert not BudgetLine.objects.exists()


def test_expense_form_error_and_success(users, bc):
    owner = logged_in(users["owner"])
    owner.post(f"/campaigns/{bc.id}/budget/lines/new/", {"category": "channel", "item": "KOC", "planned": "1万"})
    line = BudgetLine.objects.get()
    bad = owner.post(
        f"/campaigns/{bc.id}/budget/expenses/", {"budget_line": line.id, "amount": "abc", "date": "2025-06-01"}
    )
    assert bad.status_code == 200 and "abc" in bad.content.decode() and not Expense.objects.exists()
    ok = owner.post(
        f"/campaigns/{bc.id}/budget/expenses/",
        {"budget_line": line.id, "amount": "1.2万", "date": "2025-06-01", "paid_by": "host"},
    )
    assert ok.status_code == 302
    assert Expense.objects.get().status == "held"  # 12,000 > 10,000 planned
    director = logged_in(users["director"])
    page = director.get(f"/campaigns/{bc.id}/budget/").content.decode()
    assert 'data-testid="held-queue"' in page
    director.post(f"/campaigns/{bc.id}/budget/expenses/{Expense.objects.get().id}/decide/", {"action": "approve"})
    assert Expense.objects.get().status == "approved"


def test_submit_and_approve_buttons(users, bc):
    owner = logged_in(users["owner"])
    owner.post(f"/campaigns/{bc.id}/budget/lines/new/", {"category": "channel", "item": "KOC", "planned": "1万"})
    assert 'data-testid="submit-budget"' in owner.get(f"/campaigns/{bc.id}/budget/").content.decode()
    owner.post(f"/campaigns/{bc.id}/budget/action/", {"action": "submit", "comment": "请审批"})
    finance = logged_in(users["finance"])
    page = finance.get(f"/campaigns/{bc.id}/budget/").content.decode()
    assert 'data-testid="approve-budget"' in page
    assert 'data-testid="approve-budget"' not in owner.get(f"/campaigns/{bc.id}/budget/").content.decode()
    viewer = logged_in(users["viewer"])
    viewer.post(f"/campaigns/{bc.id}/budget/action/", {"action": "approve"})
    assert Budget.objects.get().status == "submitted"
    finance.post(f"/campaigns/{bc.id}/budget/action/", {"action": "approve", "comment": "同意"})
    assert Budget.objects.get().status == "approved"
    assert "同意" in owner.get(f"/campaigns/{bc.id}/budget/").content.decode()


def test_pages_for_roles(users, bc):
    for key in ("owner", "viewer", "partner", "finance"):
        client = logged_in(users[key])
        for url in ("budget", "partners", "settlement"):
            assert client.get(f"/campaigns/{bc.id}/{url}/").status_code == 200, (key, url)
        assert client.get(f"/campaigns/{bc.id}/settlement.xlsx").status_code == 200
    outsider = logged_in(users["outsider"])
    assert outsider.get(f"/campaigns/{bc.id}/budget/").status_code == 404
    assert logged_in(users["viewer"]).get(f"/campaigns/{bc.id}/budget/lines/new/").status_code == 403
    assert logged_in(users["director"]).get("/budget/overruns/").status_code == 200


def test_partner_page_add_partner_and_shares(users, bc):
    owner = logged_in(users["owner"])
    assert owner.post(f"/campaigns/{bc.id}/partners/add/", {"name": "健康科技", "industry": "健康"}).status_code == 302
    cp = bc.campaign_partners.get()
    owner.post(
        f"/campaigns/{bc.id}/partners/{cp.id}/evaluate/",
        {
            f"cp{cp.id}-{k}": v
            for k, v in {
                "version": 1,
                "state": "participating",
                "industry_relevance": 8,
                "audience_overlap": 7,
                "resource_strength": 9,
                "brand_fit": 8,
            }.items()
        },
    )
    cp.refresh_from_db()
    assert cp.state == "participating"
    bad = owner.post(
        f"/campaigns/{bc.id}/partners/shares/", {"party": ["host", cp.id], "ratio": ["60%", "30%"]}, follow=True
    )
    assert "100%" in bad.content.decode()
    owner.post(f"/campaigns/{bc.id}/partners/shares/", {"party": ["host", cp.id], "ratio": ["60%", "40%"]})
    html = owner.get(f"/campaigns/{bc.id}/partners/").content.decode()
    assert "60.0%" in html and "40.0%" in html


def test_the_line_form_shows_a_category_by_its_name_and_reads_the_name_back(users, bc):
    from .conftest import add_line

    owner = logged_in(users["owner"])
    line = BudgetLine.objects.get(pk=add_line(owner_api_for(users), bc)["id"])
    form = owner.get(f"/campaigns/{bc.id}/budget/lines/{line.pk}/").content.decode()
    assert 'value="渠道推广"' in form and 'value="channel"' not in form
    english = logged_in(users["owner"], "en")
    saved = english.post(
        f"/campaigns/{bc.id}/budget/lines/{line.pk}/",
        {"category": "Contingency reserve", "item": "应急", "planned": "1万", "version": line.version},
    )
    assert saved.status_code == 302
    assert BudgetLine.objects.get(pk=line.pk).category == "contingency"


def test_a_partner_is_not_shown_the_teams_reserve_rule_over_the_lines_it_cannot_see(users, bc):
    from .conftest import add_line, seed_lines

    client = owner_api_for(users)
    seed_lines(client, bc)
    add_line(client, bc, item="联合直播", shared_with_partners=True)
    owner_page = logged_in(users["owner"]).get(f"/campaigns/{bc.id}/budget/").content.decode()
    assert 'data-testid="contingency"' in owner_page
    partner_page = logged_in(users["partner"]).get(f"/campaigns/{bc.id}/budget/").content.decode()
    assert "联合直播" in partner_page
    assert 'data-testid="contingency"' not in partner_page and 'data-testid="budget-warning"' not in partner_page


def owner_api_for(users):
    from conftest import ApiClient

    return ApiClient(users["owner"])
