"""The web UI: forms that show the services' messages, lifecycle, tokens, log-in lockout. Who may open
which page is in test_ui_access_matrix.py."""

from django.test import Client

from campaignflow.campaigns.models import Campaign
from campaignflow.campaigns.tests.test_form_views import edit_data
from campaignflow.core.models import AuditEntry
from conftest import PASSWORD, satisfy_gates


def client_for(users, actor: str) -> Client:
    client = Client()
    if actor != "anonymous":
        client.force_login(users[actor])
    return client


def test_detail_hides_other_campaigns_and_deleted(users, campaign):
    client = client_for(users, "owner")
    client.post(f"/campaigns/{campaign.id}/delete/")
    assert Campaign.objects.get(pk=campaign.pk).deleted_at is not None
    assert client.get(f"/campaigns/{campaign.id}/").status_code == 404
    assert campaign.name not in client.get("/campaigns/").content.decode()
    admin = client_for(users, "admin")
    assert campaign.name in admin.get("/campaigns/?deleted=1").content.decode()
    admin.post(f"/campaigns/{campaign.id}/restore/")
    assert client.get(f"/campaigns/{campaign.id}/").status_code == 200


def test_create_form_names_bad_fields_and_writes_nothing(users, playbooks):
    client = client_for(users, "owner")
    before = Campaign.objects.count()
    response = client.post(
        "/campaigns/new/",
        {
            "name": "坏数据",
            "start_date": "2025-06-30",
            "end_date": "2025-06-01",
            "type": "general",
            "budget_total": "-5",
            "playbook": "enterprise-campaign",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "end_date" in form.errors and "budget_total" in form.errors
    assert Campaign.objects.count() == before


def test_create_form_accepts_wan_and_generates_tasks(users, playbooks):
    client = client_for(users, "owner")
    response = client.post(
        "/campaigns/new/",
        {
            "name": "夏季促销",
            "start_date": "2025-06-01",
            "end_date": "2025-06-30",
            "type": "general",
            "budget_total": "50万",
            "owner": "owner1",
            "playbook": "enterprise-campaign",
            "tags": "新品，夏季",
        },
    )
    campaign = Campaign.objects.get(name="夏季促销")
    assert response.status_code == 302 and response.url == f"/campaigns/{campaign.id}/"
    assert campaign.budget_total == 500000
    assert campaign.tags == ["新品", "夏季"]
    first = campaign.tasks.get(code="T001")
    assert (first.name, str(first.end_date)) == ("需求发起与目标确认", "2025-05-02")
    page = client.get(response.url).content.decode()
    assert "需求发起与目标确认" in page and "2025-05-02" in page


def test_preview_lists_dated_steps_and_warns_for_unknown_years(users, playbooks):
    client = client_for(users, "owner")
    html = client.get(
        "/campaigns/new/preview/",
        {"playbook": "enterprise-campaign", "start_date": "2025-06-01", "end_date": "2025-06-30"},
    ).content.decode()
    assert "需求发起与目标确认" in html and "2025-05-02" in html
    html = client.get(
        "/campaigns/new/preview/",
        {"playbook": "enterprise-campaign", "start_date": "2031-06-01", "end_date": "2031-06-30"},
    ).content.decode()
    assert "2031" in html and "msg-warning" in html


def test_edit_with_stale_version_shows_conflict_and_keeps_other_change(users, campaign):
    client = client_for(users, "owner")
    data = edit_data(campaign, name="改名A")
    assert client.post(f"/campaigns/{campaign.id}/edit/", data).status_code == 302
    stale = client.post(f"/campaigns/{campaign.id}/edit/", {**data, "name": "改名B"})
    assert stale.status_code == 200 and stale.context["conflict"]
    assert Campaign.objects.get(pk=campaign.pk).name == "改名A"


def test_gate_checklist_on_detail_and_transition_records_who(users, campaign):
    client = client_for(users, "owner")
    html = client.get(f"/campaigns/{campaign.id}/").content.decode()
    assert 'data-testid="gate-planning"' in html
    satisfy_gates(campaign, "planning")
    client.post(f"/campaigns/{campaign.id}/transition/", {"to": "planning"})
    campaign.refresh_from_db()
    assert campaign.status == "planning"
    change = campaign.status_changes.get()
    assert change.actor == users["owner"] and (change.from_status, change.to_status) == ("preparing", "planning")
    response = client.post(f"/campaigns/{campaign.id}/transition/", {"to": "executing"}, follow=True)
    assert "尚未指定负责人" in response.content.decode() or "no owner" in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.status == "planning"


def test_task_quick_edit_assigns_owner_and_refuses_stale(users, campaign):
    client = client_for(users, "member")
    task = campaign.tasks.get(code="T001")
    response = client.post(f"/tasks/{task.id}/quick/", {"owner": "member1", "version": task.version})
    assert response.status_code == 200
    task.refresh_from_db()
    assert task.owner == users["member"] and task.version == 2
    stale = client.post(f"/tasks/{task.id}/quick/", {"owner": "owner1", "version": 1})
    assert 'role="alert"' in stale.content.decode()
    task.refresh_from_db()
    assert task.owner == users["member"]
    assert AuditEntry.objects.filter(object_type="planning.task", object_id=str(task.id), action="update").count() == 1


def test_playbook_copy_and_edit_creates_version_and_names_bad_cell(users, playbooks):
    client = client_for(users, "owner")
    client.post("/playbooks/enterprise-campaign/copy/", {"name": "我们的通用流程", "key": "our-general"})
    edit = client.get("/playbooks/our-general/edit/")
    assert edit.status_code == 200
    rows = edit.context["rows"]
    post = {
        "version": 1,
        "note": "加一步",
        "phase": [],
        "step_name": [],
        "owner_role": [],
        "anchor": [],
        "offset_days": [],
        "workdays": [],
        "output": [],
        "remark": [],
    }
    for r in [
        *rows,
        {
            "phase": rows[-1]["phase"],
            "name": "经验沉淀",
            "owner_role": "策划组",
            "anchor": "end",
            "offset_days": 5,
            "workdays": True,
            "output": "《经验沉淀清单》",
            "remark": "",
        },
    ]:
        for field, key in (
            ("phase", "phase"),
            ("step_name", "name"),
            ("owner_role", "owner_role"),
            ("anchor", "anchor"),
            ("offset_days", "offset_days"),
            ("output", "output"),
            ("remark", "remark"),
        ):
            post[field].append(str(r[key]))
        post["workdays"].append("1" if r["workdays"] else "0")
    assert client.post("/playbooks/our-general/edit/", post).status_code == 302
    from campaignflow.campaigns.models import Playbook

    playbook = Playbook.objects.get(key="our-general")
    assert playbook.latest().number == 2 and playbook.latest().step_count == len(rows) + 1
    post["version"] = 2
    post["offset_days"][0] = "abc"
    bad = client.post("/playbooks/our-general/edit/", post)
    assert bad.status_code == 200 and "phases[0].steps[0].offset_days" in bad.content.decode()
    assert Playbook.objects.get(key="our-general").latest().number == 2
    # Built-ins are copied, never edited in place.
    assert client.get("/playbooks/enterprise-campaign/edit/").status_code == 403


def test_profile_token_shown_once_and_revocable(users):
    client = client_for(users, "member")
    client.post("/profile/tokens/", {"name": "BI"})
    html = client.get("/profile/").content.decode()
    assert "cf_" in html and 'data-testid="new-token"' in html
    assert 'data-testid="new-token"' not in client.get("/profile/").content.decode()
    token = users["member"].api_tokens.get()
    client.post(f"/profile/tokens/{token.id}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_login_lockout_after_repeated_failures(db, users, settings):
    settings.AXES_FAILURE_LIMIT = 3
    client = Client()
    for _ in range(3):
        client.post("/login/", {"username": "member1", "password": "wrong"})
    response = client.post("/login/", {"username": "member1", "password": PASSWORD})
    assert response.status_code in (403, 429)
    assert "15" in response.content.decode()
