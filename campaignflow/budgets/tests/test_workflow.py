"""Approval workflow, the stage gate, revisions with diff, and held overruns (超支需总监审批)."""

from decimal import Decimal

import pytest

from campaignflow.budgets import services
from campaignflow.budgets.models import Budget, BudgetEvent
from campaignflow.core.errors import Conflict
from campaignflow.core.models import AuditEntry
from conftest import satisfy_gates

from .conftest import add_line, seed_lines

pytestmark = pytest.mark.django_db


def submit(api, bc, who="owner"):
    response = api(who).post(f"/campaigns/{bc.id}/budget/submit", {"comment": "请审批"})
    assert response.status_code == 200, response.content
    return response.json()


def test_submit_then_finance_approves_with_history(api, bc, users):
    seed_lines(api("owner"), bc)
    assert submit(api, bc)["status"] == "submitted"
    approved = api("finance").post(f"/campaigns/{bc.id}/budget/approve", {"comment": "同意"})
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    history = api("owner").get(f"/campaigns/{bc.id}/budget/history").json()
    assert [(h["action"], h["actor"], h["comment"]) for h in history] == [
        ("approve", "finance1", "同意"),
        ("submit", "owner1", "请审批"),
    ]
    assert (
        AuditEntry.objects.filter(action="approve", actor=users["finance"], object_type="budgets.budget").count() == 1
    )


def test_who_may_approve(api, bc, users):
    add_line(api("owner"), bc)
    assert api("finance").post(f"/campaigns/{bc.id}/budget/approve").status_code == 409  # a draft
    submit(api, bc)
    for who in ("owner", "member", "manager", "viewer", "partner"):  # campaign roles are not enough
        assert api(who).post(f"/campaigns/{bc.id}/budget/approve").status_code == 403, who
    assert api("outsider").post(f"/campaigns/{bc.id}/budget/approve").status_code == 404
    assert Budget.objects.get(campaign=bc).status == "submitted"
    assert api("director").post(f"/campaigns/{bc.id}/budget/approve").status_code == 200
    assert api("finance").post(f"/campaigns/{bc.id}/budget/approve").status_code == 409  # twice


def test_the_submitter_cannot_approve_even_with_the_role(api, bc, users):
    from campaignflow.campaigns.models import Membership

    Membership.objects.filter(campaign=bc, user=users["finance"]).update(role="member")
    add_line(api("finance"), bc)
    submit(api, bc, "finance")
    refused = api("finance").post(f"/campaigns/{bc.id}/budget/approve")
    assert refused.status_code == 403 and "submitted" in refused.json()["detail"]
    assert api("admin").post(f"/campaigns/{bc.id}/budget/approve").status_code == 200


def test_reject_needs_a_comment_then_resubmit(api, bc):
    add_line(api("owner"), bc)
    submit(api, bc)
    missing = api("finance").post(f"/campaigns/{bc.id}/budget/reject", {"comment": ""})
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "comment"
    rejected = api("finance").post(f"/campaigns/{bc.id}/budget/reject", {"comment": "KOC单价过高"})
    assert rejected.json()["status"] == "rejected"
    assert submit(api, bc)["status"] == "submitted"


def test_submitted_budget_is_frozen_and_empty_budget_cannot_be_submitted(api, bc):
    empty = api("owner").post(f"/campaigns/{bc.id}/budget/submit")
    assert empty.status_code == 422 and empty.json()["errors"][0]["field"] == "lines"
    line = add_line(api("owner"), bc)
    submit(api, bc)
    assert api("owner").patch(f"/budget-lines/{line['id']}", {"version": 1, "planned": 1}).status_code == 409
    assert api("owner").post(f"/campaigns/{bc.id}/budget/submit").status_code == 409


def test_two_approvers_at_once_one_wins(api, bc, users):
    add_line(api("owner"), bc)
    submit(api, bc)
    # Both approvers read the submitted budget; the second decision runs against what it read.
    stale = Budget.objects.get(campaign=bc)
    services.budget_decide(actor=users["finance"], campaign=bc, approve=True)

    def stale_budget_for(campaign, *, lock=False):
        return stale

    original = services.budget_for
    services.budget_for = stale_budget_for
    try:
        with pytest.raises(Conflict):
            services.budget_decide(actor=users["director"], campaign=bc, approve=False, comment="不同意")
    finally:
        services.budget_for = original
    budget = Budget.objects.get(campaign=bc)
    assert budget.status == "approved"
    assert list(budget.events.values_list("action", flat=True)) == ["approve", "submit"]


def test_editing_an_approved_budget_is_a_revision_with_a_diff(api, bc):
    lines = seed_lines(api("owner"), bc)
    submit(api, bc)
    api("finance").post(f"/campaigns/{bc.id}/budget/approve")
    koc = lines["小红书KOC合作"]
    assert api("owner").patch(f"/budget-lines/{koc['id']}", {"version": 1, "planned": "9万"}).status_code == 200
    add_line(api("owner"), bc, category="venue", item="线下快闪店", planned=5000)
    body = api("owner").get(f"/campaigns/{bc.id}/budget").json()
    assert body["status"] == "draft" and body["revision"] == 1
    changes = {(d["change"], (d["after"] or d["before"])["item"]) for d in body["diff"]}
    assert changes == {("changed", "小红书KOC合作"), ("added", "线下快闪店")}
    changed = next(d for d in body["diff"] if d["change"] == "changed")
    assert (Decimal(changed["before"]["planned"]), Decimal(changed["after"]["planned"])) == (80000, 90000)
    submit(api, bc)
    history = api("finance").get(f"/campaigns/{bc.id}/budget/history").json()
    assert history[0]["action"] == "submit" and len(history[0]["diff"]) == 2
    assert "revise" in [h["action"] for h in history]
    assert api("finance").post(f"/campaigns/{bc.id}/budget/approve").json()["diff"] == []


def test_gate_planning_to_executing_needs_an_approved_budget(api, bc):
    client = api("owner")
    satisfy_gates(bc, "planning")
    assert client.post(f"/campaigns/{bc.id}/transition", {"to": "planning"}).status_code == 200
    # Other apps' executing conditions hold (satisfy_gates), except the budget's own.
    add_line(client, bc)
    satisfy_gates(bc, "executing")
    Budget.objects.filter(campaign=bc).update(status="draft")
    refused = client.post(f"/campaigns/{bc.id}/transition", {"to": "executing"})
    assert refused.status_code == 409 and refused.json()["unmet"] == ["The budget is not approved."]
    submit(api, bc)
    assert client.post(f"/campaigns/{bc.id}/transition", {"to": "executing"}).json()["unmet"] == [
        "The budget is waiting for approval."
    ]
    api("finance").post(f"/campaigns/{bc.id}/budget/approve")
    moved = client.post(f"/campaigns/{bc.id}/transition", {"to": "executing"})
    assert moved.status_code == 200 and moved.json()["status"] == "executing"


# --- overruns -----------------------------------------------------------------------------


def spend(api, bc, line, amount, who="member"):
    response = api(who).post(
        f"/campaigns/{bc.id}/expenses", {"budget_line": line["id"], "amount": amount, "date": "2025-06-05"}
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_an_overrun_waits_for_a_director(api, bc):
    line = add_line(api("owner"), bc, planned=10000)
    add_line(api("owner"), bc, category="contingency", item="应急", planned=1000)
    spend(api, bc, line, 9000)
    held = spend(api, bc, line, "1500")
    assert held["status"] == "held" and held["needs_director_approval"] and held["over_reason"] == "line"
    body = api("owner").get(f"/campaigns/{bc.id}/budget").json()
    assert Decimal(body["actual_total"]) == 9000 and Decimal(body["held_total"]) == 1500
    assert Decimal(body["lines"][0]["over"]) == 0
    queue = api("director").get("/overruns").json()
    assert [e["id"] for e in queue] == [held["id"]]
    for who in ("finance", "owner", "member"):
        assert api(who).post(f"/expenses/{held['id']}/approve").status_code == 403, who
    approved = api("director").post(f"/expenses/{held['id']}/approve", {"comment": "爆发期加投，同意"})
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert api("director").post(f"/expenses/{held['id']}/approve").status_code == 409
    body = api("owner").get(f"/campaigns/{bc.id}/budget").json()
    line_row = body["lines"][0]
    assert Decimal(line_row["actual"]) == 10500 and Decimal(line_row["over"]) == 500
    assert Decimal(line_row["deviation"]) == Decimal("0.05") and line_row["deviation_alert"] is False
    assert body["deviation_alert"] is False


def test_rejected_overrun_never_counts_and_total_overrun_is_held(api, bc):
    a = add_line(api("owner"), bc, planned=100)
    b = add_line(api("owner"), bc, item="b", planned=100)
    held = spend(api, bc, a, 150)
    rejected = api("director").post(f"/expenses/{held['id']}/reject", {"comment": "超支过多"})
    assert rejected.json()["status"] == "rejected"
    spend(api, bc, a, 100)
    spend(api, bc, b, 100)
    body = api("owner").get(f"/campaigns/{bc.id}/budget").json()
    assert Decimal(body["actual_total"]) == 200
    assert BudgetEvent.objects.count() == 0
    over = spend(api, bc, b, "0.01")
    assert over["status"] == "held"


def test_deviation_above_ten_percent_is_flagged(api, bc):
    line = add_line(api("owner"), bc, planned=1000)
    held = spend(api, bc, line, 1101)
    api("admin").post(f"/expenses/{held['id']}/approve")
    body = api("owner").get(f"/campaigns/{bc.id}/budget").json()
    assert body["lines"][0]["deviation_alert"] is True and Decimal(body["lines"][0]["deviation"]) == Decimal("0.101")
    assert body["deviation_alert"] is True
