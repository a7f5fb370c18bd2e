"""Who may do what: one table of API operation × actor → expected status drives every case.

The rows are text: `access_table.txt` next to this file (campaigns and tasks) and next to each app's
`access_table.py`. The table must cover every operation the OpenAPI document lists under /campaigns/{…} and
/tasks/{…}: a new endpoint without a row fails `test_the_table_covers_every_campaign_endpoint`.
"""

from pathlib import Path

import pytest
from django.utils import timezone

from campaignflow.campaigns.models import Campaign, Membership
from campaignflow.campaigns.services import member_remove
from campaignflow.core.models import AuditEntry
from campaignflow.planning.models import Task
from conftest import make_campaign
from tests.support.tables import read_table

pytestmark = pytest.mark.django_db

ACTORS = ("admin", "owner", "manager", "member", "viewer", "partner", "outsider", "anonymous")

TABLE = read_table(Path(__file__).with_name("access_table.txt"), columns=11)

BODIES = {
    "create campaign": lambda ctx: {"name": "新活动", "start_date": "2025-07-01", "end_date": "2025-07-31"},
    "patch campaign": lambda ctx: {"version": ctx["campaign"].version, "name": "改名后的活动"},
    "transition": lambda ctx: {"to": "cancelled"},  # an ungated move: this table is about access, not gates
    "add member": lambda ctx: {"username": "finance1", "role": "viewer"},
    "change member": lambda ctx: {"role": "member"},
    "create task": lambda ctx: {"name": "新增任务"},
    "patch task": lambda ctx: {"version": ctx["task"].version, "name": "改名", "progress": 50},
}
PREPARE = {
    "restore campaign": lambda ctx: Campaign.objects.filter(pk=ctx["campaign"].pk).update(deleted_at=timezone.now()),
}
READS = {"get"}
QUERY: dict = {}  # operation → fn(ctx) returning a query string, e.g. "?version=1" for DELETEs
MULTIPART: dict = {}  # operation → fn(ctx) returning form fields/files for an upload endpoint
UNAUDITED: set = set()  # writes that are their own record, not audited one by one (the public registration)


def _app_tables():
    """Each app adds its own rows in `campaignflow/<app>/tests/access_table.py`:

    ROWS (read from the app's `tests/access_table.txt`, same columns as TABLE), optional BODIES and
    PREPARE (operation → fn(ctx)), and optional `setup(ctx)` that creates the objects its paths name and
    puts their ids in ctx (e.g. ctx["risk_id"]).
    """
    from conftest import app_test_modules

    return app_test_modules("access_table")


APP_TABLES = _app_tables()
for _module in APP_TABLES:
    TABLE += list(_module.ROWS)
    BODIES.update(getattr(_module, "BODIES", {}))
    PREPARE.update(getattr(_module, "PREPARE", {}))
    QUERY.update(getattr(_module, "QUERY", {}))
    MULTIPART.update(getattr(_module, "MULTIPART", {}))
    UNAUDITED |= getattr(_module, "UNAUDITED", set())

CASES = [
    pytest.param(row[0], actor, row[3 + i], id=f"{row[0]}-{actor}") for row in TABLE for i, actor in enumerate(ACTORS)
]
ROWS = {row[0]: row for row in TABLE}


@pytest.fixture
def ctx(users):
    """conftest's `campaign` without the playbook (150 cases: keep each one cheap), one member per role."""
    campaign = make_campaign(users)
    task = Task.objects.create(campaign=campaign, code="T001", name="合作方物料准备", owner=users["partner"])
    Task.objects.create(campaign=campaign, code="T002", name="内部审批", owner=users["member"])
    Task.objects.create(campaign=campaign, code="T003", name="场地预订")
    viewer = Membership.objects.get(campaign=campaign, user=users["viewer"])
    ctx = {"campaign": campaign, "task": task, "member": viewer, "users": users}
    for module in APP_TABLES:
        if hasattr(module, "setup"):
            module.setup(ctx)
    return ctx


def _path(template: str, ctx) -> str:
    ids = {k: v for k, v in ctx.items() if isinstance(v, (int, str))}  # the ids and codes setup(ctx) recorded
    return template.format(campaign_id=ctx["campaign"].pk, task_id=ctx["task"].pk, member_id=ctx["member"].pk, **ids)


def _state(ctx) -> tuple:
    """What a refused request must leave alone."""
    campaign = Campaign.objects.get(pk=ctx["campaign"].pk)
    task = Task.objects.filter(pk=ctx["task"].pk).values_list("version", "name").first()
    return (
        AuditEntry.objects.count(),
        campaign.version,
        campaign.status,
        campaign.deleted_at,
        Campaign.objects.count(),
        Task.objects.count(),
        task,
        sorted(Membership.objects.values_list("user__username", "role")),
    )


def _request(client, operation: str, ctx):
    """(the response to `operation` as the table's row says it, the state before it) for `client`."""
    _name, method, template = ROWS[operation][:3]
    if operation in PREPARE:
        PREPARE[operation](ctx)
    path = _path(template, ctx) + QUERY.get(operation, lambda c: "")(ctx)
    before = _state(ctx)
    if operation in MULTIPART:
        return client.client.post(f"/api/v1{path}", data=MULTIPART[operation](ctx), **client.headers), before
    if method in ("get", "delete"):
        return getattr(client, method)(path), before
    return getattr(client, method)(path, BODIES.get(operation, lambda c: {})(ctx)), before


@pytest.mark.parametrize(("operation", "actor", "expected"), CASES)
def test_access(api_for, users, ctx, operation, actor, expected):
    method = ROWS[operation][1]
    response, before = _request(api_for(None if actor == "anonymous" else users[actor]), operation, ctx)
    assert response.status_code == expected, (operation, actor, response.content)
    after = _state(ctx)
    if expected >= 400:
        assert "detail" in response.json()
    if expected >= 400 or method in READS:
        assert after == before, "a read or a refused request changed something"
    else:
        audited = 0 if operation in UNAUDITED else 1
        assert after[0] == before[0] + audited, "a write must leave exactly one audit entry"
        if audited:
            assert AuditEntry.objects.order_by("-id").first().actor == users[actor]


def test_the_table_has_one_row_per_operation_and_a_column_per_actor():
    assert len(ROWS) == len(TABLE)
    assert len({(r[1], r[2]) for r in TABLE}) == len(TABLE)
    assert all(len(r) == 3 + len(ACTORS) for r in TABLE)


def test_the_table_covers_every_campaign_endpoint(api_for, users):
    response = api_for(users["admin"]).get("/openapi.json")
    assert response.status_code == 200
    documented = set()
    for path, operations in response.json()["paths"].items():
        path = path.removeprefix("/api/v1")
        # Every endpoint that names a campaign or one of its objects (user- and playbook-scoped ones aside).
        if "{" in path and not path.startswith(("/me/", "/playbooks/", "/users", "/calendar/")):
            documented |= {
                (method, path) for method in operations if method in ("get", "post", "put", "patch", "delete")
            }
    assert documented, "the OpenAPI document lists no campaign endpoints"
    in_table = {(r[1], r[2]) for r in TABLE}
    missing = documented - in_table
    assert not missing, f"endpoints without a row in the access table: {sorted(missing)}"
    stale = {
        (m, p) for m, p in in_table - documented if "{" in p and not p.startswith(("/me/", "/playbooks/", "/calendar/"))
    }
    assert not stale, f"rows for endpoints that no longer exist: {sorted(stale)}"
    documented_all = {(m, p.removeprefix("/api/v1")) for p, ops in response.json()["paths"].items() for m in ops}
    assert {("get", "/campaigns"), ("post", "/campaigns")} <= documented_all


# --- what the table cannot show: which rows a caller sees ---------------------------------------------


def test_outsiders_do_not_see_the_campaign_in_lists(api_for, users, ctx):
    assert api_for(users["outsider"]).get("/campaigns").json() == []
    assert [c["id"] for c in api_for(users["viewer"]).get("/campaigns").json()] == [ctx["campaign"].pk]


def test_partner_sees_and_updates_only_their_own_tasks(api_for, users, ctx):
    partner = api_for(users["partner"])
    campaign, mine = ctx["campaign"], ctx["task"]
    other = campaign.tasks.exclude(pk=mine.pk).first()
    listed = partner.get(f"/campaigns/{campaign.pk}/tasks")
    assert listed.status_code == 200
    assert [t["id"] for t in listed.json()] == [mine.pk]
    assert len(api_for(users["viewer"]).get(f"/campaigns/{campaign.pk}/tasks").json()) == campaign.tasks.count()

    assert partner.get(f"/tasks/{other.pk}").status_code == 404
    assert partner.patch(f"/tasks/{other.pk}", {"version": other.version, "progress": 10}).status_code == 404
    assert partner.delete(f"/tasks/{other.pk}").status_code == 404

    update = {"version": mine.version, "status": "delayed", "delay_reason": "合作方物料未到", "progress": 20}
    ok = partner.patch(f"/tasks/{mine.pk}", update)
    assert ok.status_code == 200, ok.content
    mine.refresh_from_db()
    assert (mine.status, mine.progress, mine.delay_reason) == ("delayed", 20, "合作方物料未到")
    other.refresh_from_db()
    assert other.version == 1
    refused = partner.patch(
        f"/tasks/{mine.pk}", {"version": mine.version, "owner": "partner1", "end_date": "2025-07-01"}
    )
    assert refused.status_code == 403
    assert partner.delete(f"/tasks/{mine.pk}").status_code == 403
    assert Task.objects.filter(pk=mine.pk).exists()


def test_a_removed_member_loses_access(api_for, users, ctx):
    campaign = ctx["campaign"]
    member = api_for(users["member"])
    assert member.get(f"/campaigns/{campaign.pk}").status_code == 200
    # removed as the members page and the admin remove people (recorded: the campaign lookup's kept row is
    # dropped at once; a change recorded nowhere is seen within access.ROW_SECONDS, test_campaign_lookup.py)
    membership = Membership.objects.get(campaign=campaign, user=users["member"])
    member_remove(actor=users["owner"], campaign=campaign, membership_id=membership.pk)
    assert member.get(f"/campaigns/{campaign.pk}").status_code == 404
    assert member.get(f"/tasks/{ctx['task'].pk}").status_code == 404


def test_global_roles_grant_no_campaign_access_except_admin(api_for, users, ctx):
    for key in ("finance", "director"):
        client = api_for(users[key])
        assert client.get(f"/campaigns/{ctx['campaign'].pk}").status_code == 404
        assert client.get(f"/tasks/{ctx['task'].pk}").status_code == 404


MANAGER, VIEWER = (3 + ACTORS.index(actor) for actor in ("manager", "viewer"))


@pytest.mark.parametrize("operation", [row[0] for row in TABLE if 200 <= row[MANAGER] < 300])
def test_a_management_account_is_a_viewer_even_as_a_manager(api_for, users, ctx, operation):
    """Management (the global role) reads dashboards and reports, never edits (PRODUCT.md): made a manager of the
    campaign it may do what a viewer may, and each change a manager may make is 403 for it, leaving all as it was."""
    from campaignflow.accounts.models import Role
    from campaignflow.campaigns.models import MemberRole
    from conftest import make_user

    boss = make_user("management1", Role.MANAGEMENT)
    Membership.objects.create(campaign=ctx["campaign"], user=boss, role=MemberRole.MANAGER)
    response, before = _request(api_for(boss), operation, ctx)
    # nor may it start a campaign, which any other team member may (and so become its owner)
    expected = 403 if operation in ("create campaign", "start from case") else ROWS[operation][VIEWER]
    assert response.status_code == expected, (operation, getattr(response, "content", b"(streamed)"))
    if expected == 403:
        assert _state(ctx) == before
