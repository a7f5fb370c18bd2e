"""Who an approval request reaches (only the campaign's members see it) and what becomes of it once decided.

A budget submitted, an overrun held or an expense corrected waits for a finance, director or admin user; only the
campaign's members see the campaign. So the request goes to such members, and it is refused, saying what to do,
when no member can decide. Once decided (by anyone), the inbox entries that asked for the decision are read for
everyone they reached."""

import pytest

from campaignflow.budgets.models import Budget, Expense
from campaignflow.campaigns.models import Membership
from campaignflow.notifications.models import Notification
from conftest import logged_in, make_campaign, make_user

from .conftest import add_line

pytestmark = pytest.mark.django_db(transaction=True)  # the requests are sent once the write commits

NO_APPROVER = (
    "No finance, director or administrator is a member of this campaign: add one to the team before submitting "
    "the budget."
)
NO_APPROVER_ZH = "本活动的成员中没有财务、总监或管理员：请先把其中一位加入团队，再提交预算。"


def asked(user) -> list[Notification]:
    """The user's approval requests still waiting (unread)."""
    return list(Notification.objects.filter(recipient=user, kind="approval", read_at__isnull=True))


def unread_badge(user) -> int:
    """The unread count the top bar's inbox link shows."""
    page = logged_in(user).get("/inbox/").content.decode()
    marker = 'data-testid="unread-count">'
    return int(page.split(marker)[1].split("<")[0]) if marker in page else 0


def overrun(api, campaign, who="member"):
    line = add_line(api("owner"), campaign, planned=10000)
    return api(who).post(
        f"/campaigns/{campaign.id}/expenses",
        {"budget_line": line["id"], "amount": 12000, "date": "2025-06-05", "payee": "星图代理"},
    )


# --- who a budget's request reaches ------------------------------------------------------------------------------


def test_a_budget_without_an_approver_on_the_team_is_refused_saying_what_to_do(api, campaign, users):
    # finance1 and director1 exist but are not members: they get 404 on the campaign, so nobody could decide.
    add_line(api("owner"), campaign)
    refused = api("owner").post(f"/campaigns/{campaign.id}/budget/submit")
    assert refused.status_code == 409 and refused.json()["detail"] == NO_APPROVER
    assert Budget.objects.get(campaign=campaign).status == "draft"
    assert not Notification.objects.exists()
    zh = api("owner").post(f"/campaigns/{campaign.id}/budget/submit", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert zh.status_code == 409 and zh.json()["detail"] == NO_APPROVER_ZH


def test_the_budget_page_says_so_before_the_click_and_the_button_says_the_same(users, campaign):
    owner = logged_in(users["owner"])
    owner.post(f"/campaigns/{campaign.id}/budget/lines/new/", {"category": "channel", "item": "KOC", "planned": "1万"})
    page = owner.get(f"/campaigns/{campaign.id}/budget/").content.decode()
    assert 'data-testid="submit-refusal"' in page and NO_APPROVER_ZH in page
    response = owner.post(f"/campaigns/{campaign.id}/budget/action/", {"action": "submit"}, follow=True)
    assert NO_APPROVER_ZH in response.content.decode()
    assert Budget.objects.get(campaign=campaign).status == "draft"
    Membership.objects.create(campaign=campaign, user=users["director"], role="viewer")
    assert 'data-testid="submit-refusal"' not in owner.get(f"/campaigns/{campaign.id}/budget/").content.decode()


def test_a_partner_member_with_the_finance_role_does_not_count(api, campaign, users):
    # A partner sees only the lines shared with them, not the budget to decide.
    Membership.objects.create(campaign=campaign, user=make_user("partner_fin", "finance"), role="partner")
    add_line(api("owner"), campaign)
    assert api("owner").post(f"/campaigns/{campaign.id}/budget/submit").status_code == 409


def test_the_only_approver_on_the_team_cannot_submit_to_themselves(api, campaign, users):
    Membership.objects.create(campaign=campaign, user=users["finance"], role="member")
    add_line(api("finance"), campaign)
    refused = api("finance").post(f"/campaigns/{campaign.id}/budget/submit")
    assert refused.status_code == 409 and "other than you" in refused.json()["detail"]
    assert api("owner").post(f"/campaigns/{campaign.id}/budget/submit").status_code == 200  # finance1 decides


def test_the_approver_members_are_told_and_find_it_waiting(api, bc, users):
    add_line(api("owner"), bc)
    assert api("owner").post(f"/campaigns/{bc.id}/budget/submit").status_code == 200
    told = Notification.objects.filter(kind="approval").values_list("recipient__username", flat=True)
    assert sorted(told) == ["director1", "finance1"]  # not the submitter, the team or the admin who is no member
    page = logged_in(users["finance"]).get("/today/approvals/").content.decode()
    assert bc.name in page and f"approval-budget-{Budget.objects.get(campaign=bc).pk}" in page


def test_a_submitted_budget_whose_approvers_left_the_team_says_so(api, bc, users):
    add_line(api("owner"), bc)
    api("owner").post(f"/campaigns/{bc.id}/budget/submit")
    page = logged_in(users["owner"]).get(f"/campaigns/{bc.id}/budget/").content.decode()
    assert 'data-testid="nobody-to-decide"' not in page
    Membership.objects.filter(campaign=bc, user__in=[users["finance"], users["director"]]).delete()
    page = logged_in(users["owner"]).get(f"/campaigns/{bc.id}/budget/").content.decode()
    assert 'data-testid="nobody-to-decide"' in page and "请把其中一位加入团队，以便有人审批" in page


# --- who an expense's request reaches ------------------------------------------------------------------------------


def test_an_overrun_without_a_director_on_the_team_is_refused(api, campaign, users):
    Membership.objects.create(campaign=campaign, user=users["finance"], role="viewer")  # finance does not decide it
    refused = overrun(api, campaign)
    assert refused.status_code == 409 and "director" in refused.json()["detail"]
    assert not Expense.objects.exists() and not Notification.objects.exists()
    Membership.objects.create(campaign=campaign, user=users["director"], role="viewer")
    held = overrun(api, campaign)
    assert held.status_code == 201 and held.json()["status"] == "held"
    assert [n.recipient for n in asked(users["director"])] == [users["director"]]
    assert not asked(users["finance"])


def test_a_director_who_records_an_overrun_may_decide_it_alone(api, campaign, users):
    Membership.objects.create(campaign=campaign, user=users["director"], role="member")
    assert overrun(api, campaign, who="director").json()["status"] == "held"


def test_a_correction_without_a_finance_member_other_than_the_corrector_is_refused(api, campaign, users):
    line = add_line(api("owner"), campaign, planned=10000)
    spent = api("member").post(
        f"/campaigns/{campaign.id}/expenses", {"budget_line": line["id"], "amount": 3000, "date": "2025-06-05"}
    )
    assert spent.json()["status"] == "approved"  # within the plan: no decision, no approver needed
    e = spent.json()
    refused = api("member").patch(f"/expenses/{e['id']}", {"version": e["version"], "amount": "2500"})
    assert refused.status_code == 409 and "corrected expense needs approval" in refused.json()["detail"]
    assert Expense.objects.get(pk=e["id"]).status == "approved"
    Membership.objects.create(campaign=campaign, user=users["finance"], role="viewer")
    corrected = api("member").patch(f"/expenses/{e['id']}", {"version": e["version"], "amount": "2500"})
    assert corrected.status_code == 200 and corrected.json()["status"] == "pending"
    assert len(asked(users["finance"])) == 1


# --- a decided request no longer waits -----------------------------------------------------------------------------


@pytest.mark.parametrize("decision", ["approve", "reject"])
def test_a_decided_budget_leaves_nobody_an_unread_request(api, bc, users, decision):
    add_line(api("owner"), bc)
    api("owner").post(f"/campaigns/{bc.id}/budget/submit")
    assert len(asked(users["finance"])) == len(asked(users["director"])) == 1
    assert unread_badge(users["finance"]) == 1
    decided = api("director").post(f"/campaigns/{bc.id}/budget/{decision}", {"comment": "预算需要细化"})
    assert decided.status_code == 200
    assert asked(users["finance"]) == asked(users["director"]) == []  # the other approver's too
    assert unread_badge(users["finance"]) == 0
    assert api("finance").get("/me/notifications?unread=true").json() == []


def test_a_budget_submitted_again_after_a_rejection_asks_again(api, bc, users):
    add_line(api("owner"), bc)
    api("owner").post(f"/campaigns/{bc.id}/budget/submit")
    api("finance").post(f"/campaigns/{bc.id}/budget/reject", {"comment": "请细化"})
    assert api("owner").post(f"/campaigns/{bc.id}/budget/submit").status_code == 200
    assert len(asked(users["finance"])) == 1  # a new request, not the read one counted again
    api("finance").post(f"/campaigns/{bc.id}/budget/approve")
    assert asked(users["finance"]) == asked(users["director"]) == []


def test_a_decided_overrun_leaves_the_director_no_unread_request(api, bc, users):
    expense = overrun(api, bc).json()
    assert len(asked(users["director"])) == 1 and unread_badge(users["director"]) == 1
    assert api("director").post(f"/expenses/{expense['id']}/approve").status_code == 200
    assert asked(users["director"]) == [] and unread_badge(users["director"]) == 0


def test_a_decided_correction_leaves_no_unread_request_on_the_today_page(users, bc, api):
    line = add_line(api("owner"), bc, planned=10000)
    e = (
        api("member")
        .post(f"/campaigns/{bc.id}/expenses", {"budget_line": line["id"], "amount": 3000, "date": "2025-06-05"})
        .json()
    )
    api("member").patch(f"/expenses/{e['id']}", {"version": e["version"], "amount": "2500"})
    assert len(asked(users["finance"])) == len(asked(users["director"])) == 1
    expense = Expense.objects.get(pk=e["id"])
    logged_in(users["finance"]).post(
        f"/today/approvals/expenses/{expense.pk}/", {"action": "approve", "version": expense.version}
    )
    assert Expense.objects.get(pk=e["id"]).status == "approved"
    assert asked(users["finance"]) == asked(users["director"]) == []


def test_a_corrected_or_deleted_overrun_closes_its_earlier_request(api, bc, users):
    e = overrun(api, bc).json()
    corrected = api("member").patch(f"/expenses/{e['id']}", {"version": e["version"], "amount": "11000"})
    assert corrected.json()["status"] == "held"
    (waiting,) = asked(users["director"])  # the request about the new figures only
    assert waiting.group_key == f"approval:expense:{e['id']}:{corrected.json()['version']}"
    assert api("member").delete(f"/expenses/{e['id']}?version={corrected.json()['version']}").status_code == 204
    assert asked(users["director"]) == []


def test_deciding_one_request_leaves_the_others_waiting(api, bc, users):
    first, second = overrun(api, bc).json(), overrun(api, bc).json()
    assert len(asked(users["director"])) == 2
    api("director").post(f"/expenses/{first['id']}/approve")
    (left,) = asked(users["director"])
    assert left.group_key.startswith(f"approval:expense:{second['id']}:")


def test_a_request_decided_in_the_same_transaction_is_never_sent(bc, users):
    # As load_demo does: submit and approve, hold and approve, in one transaction; nothing waits afterwards.
    from django.db import transaction

    from campaignflow.budgets import services

    with transaction.atomic():
        line = services.line_create(
            actor=users["owner"], campaign=bc, data={"category": "channel", "item": "KOC", "planned": 10000}
        )
        services.budget_submit(actor=users["owner"], campaign=bc)
        services.budget_decide(actor=users["finance"], campaign=bc, approve=True)
        held = services.expense_create(
            actor=users["member"], campaign=bc, data={"budget_line": line.pk, "amount": 12000, "date": "2025-06-05"}
        )
        services.expense_decide(actor=users["director"], expense=held, approve=True)
        waiting = services.expense_create(
            actor=users["member"], campaign=bc, data={"budget_line": line.pk, "amount": 500, "date": "2025-06-06"}
        )
    assert waiting.status == "held"  # still over the plan: this one waits
    assert [n.group_key for n in asked(users["director"])] == [f"approval:expense:{waiting.pk}:1"]
    assert asked(users["finance"]) == []


# --- what was queued for a request decided since -----------------------------------------------------------------


def test_a_decided_request_withdraws_its_e_mails_not_sent_yet(api, bc, users, settings):
    from campaignflow.notifications.delivery import deliver_due
    from campaignflow.notifications.models import Delivery

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # no worker sends them yet
    for key in ("finance", "director"):
        users[key].email = f"{key}@example.com"
        users[key].save(update_fields=["email"])
    add_line(api("owner"), bc)
    api("owner").post(f"/campaigns/{bc.id}/budget/submit")
    queued = Delivery.objects.filter(kind="approval", group_key__startswith="approval:budget:")
    assert queued.filter(status="pending").count() >= 2  # finance's and the director's e-mails, not sent yet
    api("director").post(f"/campaigns/{bc.id}/budget/approve")
    assert set(queued.values_list("status", flat=True)) == {"withdrawn"}
    assert deliver_due()["sent"] == 0  # nothing about an approved budget goes out
    page = logged_in(users["owner"]).get(f"/campaigns/{bc.id}/execution/notifications/").content.decode()
    assert "已撤回：已无需发送" in page  # the delivery log says what became of them


def test_the_older_requests_without_a_group_key_are_closed_where_nothing_waits(bc, users):
    # Requests made before they had group keys: the migration closes them campaign by campaign.
    import importlib

    from django.apps import apps

    from campaignflow.notifications.models import Delivery

    migration = importlib.import_module("campaignflow.notifications.migrations.0005_withdrawn_deliveries")
    other = make_campaign(users)
    Budget.objects.update_or_create(campaign=other, defaults={"status": "submitted"})
    old = {"recipient": users["finance"], "kind": "approval", "title": "预算待审批"}
    decided = Notification.objects.create(campaign=bc, **old)
    waiting = Notification.objects.create(campaign=other, **old)
    mail = Delivery.objects.create(
        channel="email",
        recipient=users["finance"],
        campaign=bc,
        kind="approval",
        title="预算待审批",
        next_attempt_at="2025-06-01T00:00:00Z",
    )
    migration.close_old_approval_requests(apps, None)
    assert Notification.objects.get(pk=decided.pk).read_at is not None
    assert Notification.objects.get(pk=waiting.pk).read_at is None  # its campaign's budget still waits
    assert Delivery.objects.get(pk=mail.pk).status == "withdrawn"
