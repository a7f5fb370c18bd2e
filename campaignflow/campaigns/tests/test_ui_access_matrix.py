"""Who may open which page and send which form: one table of UI route × method × actor → expected status.

The rows are text, `ui_access_table.txt` next to this file (its header says how to read a cell). Every
URL pattern of the web UI (the `config/urls.py` tree, the API and Django's admin aside) needs a GET row
there, and a POST row when its view handles a form: `test_the_table_covers_every_ui_route` walks the URL
resolver, so a new page without an entry fails the suite.

The data is built once per module (a campaign with one member per role, the objects each app's API
access table creates with `setup(ctx)`, a receipt, a custom playbook, a token) inside a transaction
that is rolled back when the module ends; every cell runs in its own test transaction.
"""

from __future__ import annotations

import inspect
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client, override_settings
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone

from campaignflow.accounts.models import Role
from campaignflow.accounts.services import token_create
from campaignflow.budgets.models import Budget, Expense
from campaignflow.campaigns.models import Campaign, Membership, Playbook, PlaybookVersion
from campaignflow.core.models import AuditEntry
from campaignflow.planning.models import Task
from conftest import app_test_modules, make_campaign, make_user
from tests.support.tables import read_table

ACTORS = ("admin", "owner", "manager", "member", "viewer", "finance", "director", "partner", "outsider", "anonymous")
LOGIN, OK, NOOP = "login", "ok", "noop"

# The rows, with notes on the ones that need explaining: `ui_access_table.txt` next to this file.
TABLE = [
    (route.removeprefix("/"), method, *cells)
    for route, method, *cells in read_table(Path(__file__).with_name("ui_access_table.txt"), columns=2 + len(ACTORS))
]

ROUTE_IDS = {  # URL parameter → ctx key, where the parameter name alone is ambiguous
    ("campaigns/<int:pk>/execution/run-of-show/<int:item_id>/toggle/", "item_id"): "segment_id",
    ("campaigns/<int:pk>/execution/run-of-show/<int:item_id>/", "item_id"): "segment_id",
    ("campaigns/<int:pk>/execution/logs/<int:entry_id>/", "entry_id"): "log_id",
    ("campaigns/<int:pk>/execution/logs/<int:entry_id>/delete/", "entry_id"): "log_id",
    ("campaigns/<int:pk>/execution/run-of-show/<int:item_id>/delete/", "item_id"): "segment_id",
    ("campaigns/<int:pk>/budget/expenses/<int:expense_id>/decide/", "expense_id"): "held_id",
    ("today/approvals/expenses/<int:expense_id>/", "expense_id"): "held_id",
}
PARAM_IDS = {"pk": "campaign_id", "key": "playbook_key"}

# Routes that dispatch several actions on one URL: the posted field that names the action. A row's variant is
# the action ("POST:approve"), and its body sends it; a variant "<action>-<state>" is the action on an object
# PREPARE puts in that state. A tuple names flag fields (one per action, sent as "1"; "POST:remove").
ACTIONS = {
    "campaigns/<int:pk>/transition/": "to",
    "campaigns/<int:pk>/members/<int:member_id>/": ("remove",),
    "campaigns/<int:pk>/budget/action/": "action",
    "campaigns/<int:pk>/budget/expenses/<int:expense_id>/decide/": "action",
    "campaigns/<int:pk>/goals/kpis/<int:kpi_id>/plan/": "action",
    "campaigns/<int:pk>/execution/logs/": "form",
    "campaigns/<int:pk>/execution/reports/<int:report_id>/": "action",
    "campaigns/<int:pk>/execution/notifications/": "action",
    "campaigns/<int:pk>/notifications/mute/": ("muted",),
    "campaigns/<int:pk>/alerts/<int:alert_id>/": "action",
    "campaigns/<int:pk>/review/retrospective/": ("complete", "reopen"),
    "my/calendar-feed/": "action",
    "today/approvals/budgets/<int:pk>/": "action",
    "today/approvals/expenses/<int:expense_id>/": "action",
    "today/approvals/materials/<int:material_id>/": "action",
}

REPORT = {"version": "1", "key_results": "完成预热", "delayed_tasks": "", "next_week_plan": "", "resources": ""}
REJECT = ("POST:reject", "POST:reject-correction")
ROBOTS = "campaigns/<int:pk>/execution/notifications/"
BODIES = {  # what a row posts besides its action (a callable: built from the module's data)
    ("campaigns/<int:pk>/members/<int:member_id>/", "POST"): {"role": "no-such-role"},
    ("campaigns/<int:pk>/budget/action/", "POST:reject"): {"comment": "预算过高"},
    **{("campaigns/<int:pk>/budget/expenses/<int:expense_id>/decide/", m): {"comment": "不同意"} for m in REJECT},
    ("campaigns/<int:pk>/duties/<int:item_id>/", "POST"): {"version": "1", "done": "1"},
    ("campaigns/<int:pk>/settlement/sign/", "POST"): {"digest": ""},
    **{("campaigns/<int:pk>/execution/reports/<int:report_id>/", m): REPORT for m in ("POST:save", "POST:publish")},
    **{(ROBOTS, f"POST:{a}"): lambda ctx: {"id": ctx["webhook_id"]} for a in ("test", "toggle", "delete")},
}


def _set_status(status):
    return lambda ctx: Campaign.objects.filter(pk=ctx["campaign_id"]).update(status=status)


def _share_kpi(ctx):
    from campaignflow.goals.models import Kpi

    Kpi.objects.filter(pk=ctx["kpi_id"]).update(shared_with_partners=True)


def _share_channel(ctx):
    from campaignflow.goals.models import Channel

    Channel.objects.filter(pk=ctx["channel_id"]).update(shared_with_partners=True)


def _submitted_budget(ctx):
    Budget.objects.filter(campaign_id=ctx["campaign_id"]).update(status="submitted", submitted_by=ctx["users"]["owner"])


def _corrected_expense(ctx):
    """The held expense as a correction waiting for approval (a finance approver's decision)."""
    Expense.objects.filter(pk=ctx["held_id"]).update(
        status="pending", over_reason="", corrected_at=timezone.now(), corrected_by=ctx["users"]["member"]
    )


CORRECTION = ("POST:approve-correction", "POST:reject-correction")
PREPARE = {
    ("campaigns/<int:pk>/restore/", "POST:deleted"): lambda ctx: Campaign.objects.filter(pk=ctx["campaign_id"]).update(
        deleted_at=timezone.now()
    ),
    ("campaigns/<int:pk>/budget/action/", "POST:approve"): _submitted_budget,
    ("campaigns/<int:pk>/budget/action/", "POST:reject"): _submitted_budget,
    ("today/approvals/budgets/<int:pk>/", "POST:approve"): _submitted_budget,
    **{("campaigns/<int:pk>/budget/expenses/<int:expense_id>/decide/", m): _corrected_expense for m in CORRECTION},
    ("campaigns/<int:pk>/budget/", "GET:submitted"): _submitted_budget,
    ("campaigns/<int:pk>/budget/", "GET:correction"): _corrected_expense,
    ("campaigns/<int:pk>/review/promote/", "POST"): _set_status("reviewing"),
    ("campaigns/<int:pk>/goals/kpis/<int:kpi_id>/", "GET:shared"): _share_kpi,
    ("campaigns/<int:pk>/goals/kpis/<int:kpi_id>/plan/", "GET:shared"): _share_kpi,
    ("campaigns/<int:pk>/goals/channels/<int:channel_id>/", "GET:shared"): _share_channel,
}


def _action(method: str) -> str:
    """The action a row's variant sends: "POST:approve-correction" → "approve"."""
    return method.partition(":")[2].partition("-")[0]


def _body(route: str, method: str, ctx: dict) -> dict:
    field, action = ACTIONS.get(route), _action(method)
    sent = {}
    if field and action:
        sent = {action: "1"} if isinstance(field, tuple) else {field: action}
    extra = BODIES.get((route, method), {})
    return {**sent, **(extra(ctx) if callable(extra) else extra)}


# A cell whose expectation is right but whose view is not fixed yet, with the reason: the cell is an
# expected failure (strict: once the view is fixed, the entry must go).
KNOWN_BUGS: dict[tuple[str, str, str], str] = {}

# The finance approver and the director see the campaign as viewers: their global role adds the budget
# decisions, not the campaign's rights (without a membership the campaign is hidden from them as from any
# outsider: `test_a_global_role_alone_reveals_no_campaign`).
GLOBAL_ROLE_ACTORS = ("finance", "director")

# --- the data, once per module ----------------------------------------------------------------------------


def _build(tmp_media) -> dict:
    users = {
        "admin": make_user("admin1", Role.ADMIN),
        "owner": make_user("owner1"),
        "manager": make_user("manager1"),
        "member": make_user("member1"),
        "viewer": make_user("viewer1"),
        "finance": make_user("finance1", Role.FINANCE),
        "director": make_user("director1", Role.DIRECTOR),
        "partner": make_user("partner1"),
        "outsider": make_user("outsider1"),
    }
    campaign = make_campaign(users)  # one member of each campaign role
    for key in GLOBAL_ROLE_ACTORS:
        Membership.objects.create(campaign=campaign, user=users[key], role="viewer")
    viewer = Membership.objects.get(campaign=campaign, user=users["viewer"])
    task = Task.objects.create(campaign=campaign, code="T001", name="合作方物料准备", owner=users["partner"])
    Task.objects.create(campaign=campaign, code="T002", name="内部审批", owner=users["member"])
    Task.objects.create(campaign=campaign, code="T003", name="场地预订")
    ctx = {
        "campaign": campaign,
        "campaign_id": campaign.pk,
        "task": task,
        "task_id": task.pk,
        "member": viewer,
        "member_id": viewer.pk,
        "users": users,
    }
    for module in app_test_modules("access_table"):  # the objects each app's API access table works on (ids in ctx)
        if hasattr(module, "setup"):
            module.setup(ctx)
    receipt = tmp_media / "receipts" / "r.pdf"
    receipt.parent.mkdir(parents=True)
    receipt.write_bytes(b"%PDF-1.4 receipt\n%%EOF\n")
    Expense.objects.filter(pk=ctx["expense_id"]).update(receipt="receipts/r.pdf", receipt_name="r.pdf")
    playbook = Playbook.objects.create(key="owner-playbook", name="自建流程", created_by=users["owner"])
    step = {"name": "确认目标", "owner_role": "策划", "anchor": "start", "offset_days": 0}
    PlaybookVersion.objects.create(
        playbook=playbook, number=1, phases=[{"name": "准备期", "goal": "", "steps": [step]}], created_by=users["owner"]
    )
    ctx["playbook_key"] = playbook.key
    ctx["token_id"] = token_create(user=users["owner"], name="matrix")[0].pk
    ctx["platform"] = "dingtalk"  # the chat apps' sign-in routes (not configured here)
    ctx["sessions"] = {}
    for actor, user in users.items():
        client = Client()
        client.force_login(user)
        ctx["sessions"][actor] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return ctx


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The module's data, in a transaction rolled back at the end (each test nests a savepoint in it)."""
    media = tmp_path_factory.mktemp("media")
    fast = override_settings(
        MEDIA_ROOT=str(media),
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
    )
    with django_db_blocker.unblock():
        fast.enable()
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield _build(media)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            fast.disable()


# --- the cells ------------------------------------------------------------------------------------------


def _url(route: str, ctx: dict) -> str:
    def value(match):
        name = match.group(2)
        key = ROUTE_IDS.get((route, name)) or PARAM_IDS.get(name) or name
        return str(ctx[key])

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", value, route)


def _check(expected, response) -> bool:
    status = response.status_code
    to_login = status == 302 and response.url.startswith(resolve_url(settings.LOGIN_URL))
    if expected == LOGIN:
        return to_login
    if expected in (OK, NOOP):
        return status in (200, 204, 302, 303, 422) and not to_login
    return status == expected


def _client(world, actor: str) -> Client:
    client = Client()
    if actor != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = world["sessions"][actor]
    return client


def _prepared(world, route: str, method: str, actor: str) -> tuple[Client, str]:
    """A client signed in as `actor`, and the row's URL once PREPARE set up its data."""
    if (route, method) in PREPARE:
        PREPARE[(route, method)](world)
    return _client(world, actor), _url(route, world)


CASES = []
for _row in TABLE:
    for _i, _actor in enumerate(ACTORS):
        _key = (_row[0], _row[1], _actor)
        _marks = [pytest.mark.xfail(reason=KNOWN_BUGS[_key], strict=True)] if _key in KNOWN_BUGS else []
        CASES.append(
            pytest.param(_row[0], _row[1], _actor, _row[2 + _i], marks=_marks, id=f"{_row[1]} /{_row[0]} {_actor}")
        )


@pytest.mark.parametrize(("route", "method", "actor", "expected"), CASES)
def test_ui_access(world, db, route, method, actor, expected):
    client, url = _prepared(world, route, method, actor)
    audit_before = AuditEntry.objects.count()
    post = method.startswith("POST")
    response = client.post(url, _body(route, method, world)) if post else client.get(url)
    where = response.get("Location", "")
    assert _check(expected, response), f"{method} {url} as {actor}: {response.status_code} {where}, expected {expected}"
    if expected in (LOGIN, NOOP) or (isinstance(expected, int) and expected >= 400):
        assert AuditEntry.objects.count() == audit_before, f"{method} {url} as {actor} was refused but wrote"


# --- the table is complete and well-formed ----------------------------------------------------------------


def _ui_routes(patterns=None, prefix=""):
    """(route, view) for every URL pattern outside the API and Django's admin."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(entry.pattern)
        if route.startswith(("api/", "admin/")) or route.startswith(settings.MEDIA_URL.lstrip("/")):
            continue
        if isinstance(entry, URLResolver):
            yield from _ui_routes(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route, entry.callback


def _handles_forms(view) -> bool:
    """Whether a view reads a form (its code, or that of a same-module helper it calls, mentions POST)."""
    view = getattr(view, "view_class", None) or inspect.unwrap(view)
    try:
        source = inspect.getsource(view)
    except (OSError, TypeError):
        return False
    module = inspect.getmodule(view)
    helpers = [
        getattr(module, name) for name in re.findall(r"\b(_\w+)\(", source) if callable(getattr(module, name, None))
    ]
    return any(re.search(r"request\.(POST|FILES|method)", inspect.getsource(f)) for f in [view, *helpers])


def test_the_table_covers_every_ui_route():
    routes = dict(_ui_routes())
    assert len(routes) >= 80, sorted(routes)
    rows = {(r[0], r[1]) for r in TABLE}
    in_table = {r[0] for r in TABLE}
    missing_get = sorted(r for r in routes if (r, "GET") not in rows)
    assert not missing_get, f"UI routes without a GET row in the access table: {missing_get}"
    missing_post = sorted(
        r
        for r, view in routes.items()
        if _handles_forms(view) and not any(m.startswith("POST") for rr, m in rows if rr == r)
    )
    assert not missing_post, f"UI routes that take a form but have no POST row: {missing_post}"
    stale = sorted(in_table - set(routes))
    assert not stale, f"rows for routes that no longer exist: {stale}"


def test_the_table_is_well_formed():
    assert len({(r[0], r[1]) for r in TABLE}) == len(TABLE), "one row per route and method"
    assert all(cell in (LOGIN, OK, NOOP) or isinstance(cell, int) for r in TABLE for cell in r[2:])
    assert all(r[1].split(":")[0] in ("GET", "POST") for r in TABLE)
    assert set(BODIES) | set(PREPARE) <= {(r[0], r[1]) for r in TABLE}
    assert set(ACTIONS) <= {r[0] for r in TABLE}
    assert all((route, method) in {(r[0], r[1]) for r in TABLE} for route, method, _a in KNOWN_BUGS)


# --- what the table cannot show: what a partner's pages leave out -------------------------------------------


def _page(world, actor: str, path: str) -> str:
    response = _client(world, actor).get(path)
    assert response.status_code == 200, (actor, path, response.status_code)
    return response.content.decode()


def test_partner_pages_show_only_what_is_shared(world, db):
    base = f"/campaigns/{world['campaign_id']}"
    for actor, sees_all in (("owner", True), ("partner", False)):
        plan = _page(world, actor, f"{base}/plan/")
        assert "合作方物料准备" in plan  # T001 is assigned to the partner
        assert ("内部审批" in plan) is sees_all and ("场地预订" in plan) is sees_all
        budget = _page(world, actor, f"{base}/budget/")
        assert ("KOC" in budget) is sees_all, "budget lines not shared with partners"
        detail = _page(world, actor, f"{base}/")
        assert (f"{base}/alerts/" in detail) is sees_all and (f"{base}/review/" in detail) is sees_all, "tabs"


@pytest.mark.parametrize("role", [Role.FINANCE, Role.DIRECTOR])
def test_a_global_role_alone_reveals_no_campaign(world, db, role):
    """A finance approver or director who is not a member decides nothing there: the campaign is hidden (404)."""
    client = Client()
    client.force_login(make_user(f"{role}-stranger", role))
    PREPARE[("campaigns/<int:pk>/budget/action/", "POST:approve")](world)
    audit_before = AuditEntry.objects.count()
    for route, method in (
        ("campaigns/<int:pk>/budget/", "GET"),
        ("campaigns/<int:pk>/budget/action/", "POST:approve"),
        ("campaigns/<int:pk>/budget/expenses/<int:expense_id>/decide/", "POST:approve"),
    ):
        url = _url(route, world)
        response = client.post(url, _body(route, method, world)) if method != "GET" else client.get(url)
        assert response.status_code == 404, (url, response.status_code)
    assert AuditEntry.objects.count() == audit_before
    assert not client.get("/budget/overruns/").context["expenses"], "no held overrun of a hidden campaign"


# --- a denied action is hidden: what a page offers, the table lets its reader send ---------------------------

HX_SENDS = ("hx-post", "hx-put", "hx-patch", "hx-delete")
REFUSED = (403, 404, 405, LOGIN)


class _Offers(HTMLParser):
    """What a page lets its reader send: each form posting somewhere that the reader can submit (an enabled
    submit button, a field that submits on change, any enabled field of an htmx form) and each element with
    hx-post …, as the URL and the fields it names ((name, value) of its hidden inputs and submit buttons)."""

    def __init__(self, page_url: str):
        super().__init__()
        self.page_url, self.offers, self._form = page_url, [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        target = next((attrs[a] for a in HX_SENDS if attrs.get(a)), None)
        if tag == "form" and (target or (attrs.get("method") or "").lower() == "post"):
            self._form = {"url": target or attrs.get("action") or self.page_url, "fields": [], "htmx": bool(target)}
        elif target and "disabled" not in attrs:
            self.offers.append((target, []))
        if self._form is not None and "disabled" not in attrs:
            self._control(tag, attrs)

    def _control(self, tag, attrs):
        submits = (tag == "button" and attrs.get("type", "submit") == "submit") or (
            tag == "input" and attrs.get("type") in ("submit", "image")
        )
        is_field = tag in ("input", "select", "textarea") and attrs.get("type") != "hidden"
        if attrs.get("name") and (submits or attrs.get("type") == "hidden"):
            self._form["fields"].append((attrs["name"], attrs.get("value") or ""))
        if submits or "data-autosubmit" in attrs or (self._form["htmx"] and is_field):
            self._form["submittable"] = True

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            if self._form.get("submittable"):
                self.offers.append((self._form["url"], self._form["fields"]))
            self._form = None


def _actions_sent(route: str, fields: list) -> set[str]:
    """The actions a form sends to `route` ("" for a form without one)."""
    field = ACTIONS.get(route)
    if isinstance(field, tuple):
        actions = {name for name, value in fields if name in field and value == "1"}
    else:
        actions = {value for name, value in fields if name == field}
    return actions or {""}


def _refusals(offers, actor: str) -> list[str]:
    """The offers whose POST rows refuse `actor`, or that the table has no row for."""
    refused = []
    for url, fields in offers:
        path = urlsplit(url).path
        if not path.startswith("/") or path.startswith(("/api/", "/admin/")):
            continue
        route = resolve(path).route
        rows = {r[1]: r[2 + ACTORS.index(actor)] for r in TABLE if r[0] == route and r[1].startswith("POST")}
        for action in _actions_sent(route, fields):
            cells = [cell for method, cell in rows.items() if route not in ACTIONS or _action(method) == action]
            if all(cell in REFUSED for cell in cells):  # no row at all is a refusal too: the table must say
                refused.append(f"{path} {action}".strip())
    return refused


PAGES = [
    pytest.param(r[0], r[1], actor, id=f"{r[1]} /{r[0]} {actor}")
    for r in TABLE
    if r[1].startswith("GET")
    for actor, cell in zip(ACTORS, r[2:], strict=True)
    if cell == 200
]


def _html_of(world, route: str, method: str, actor: str) -> tuple[str, str | None]:
    """(the URL, its HTML as `actor` reads it; None for a download)."""
    client, url = _prepared(world, route, method, actor)
    response = client.get(url)
    return url, response.content.decode() if response["Content-Type"].startswith("text/html") else None


@pytest.mark.parametrize(("route", "method", "actor"), PAGES)
def test_a_page_offers_only_what_its_reader_may_send(world, db, route, method, actor):
    url, html = _html_of(world, route, method, actor)
    if html is None:
        return
    parser = _Offers(url)
    parser.feed(html)
    refused = _refusals(parser.offers, actor)
    assert not refused, f"{url} offers {actor} what the table refuses them: {refused}"


# --- a page a role cannot open is not offered either: no tab or link leads to a refusal --------------------------


class _Links(HTMLParser):
    """The site's own pages a page links to (`<a href>` and `hx-get`), as paths."""

    def __init__(self):
        super().__init__()
        self.paths: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        target = attrs.get("href") if tag == "a" else attrs.get("hx-get")
        if target and "disabled" not in attrs:
            path = urlsplit(target).path
            if path.startswith("/") and not path.startswith(("/api/", "/admin/", "/static/")):
                self.paths.add(path)


def _unopenable(paths, actor: str) -> list[str]:
    """The paths whose every GET row refuses `actor` (403 or 404: a tab or link that leads to "无权操作")."""
    refused = []
    for path in sorted(paths):
        try:
            route = resolve(path).route
        except Resolver404:  # a media file: not the table's to judge
            continue
        cells = [r[2 + ACTORS.index(actor)] for r in TABLE if r[0] == route and r[1].startswith("GET")]
        if cells and all(cell in (403, 404) for cell in cells):
            refused.append(path)
    return refused


@pytest.mark.parametrize(("route", "method", "actor"), PAGES)
def test_a_page_links_only_to_what_its_reader_may_open(world, db, route, method, actor):
    url, html = _html_of(world, route, method, actor)
    if html is None:
        return
    parser = _Links()
    parser.feed(html)
    refused = _unopenable(parser.paths, actor)
    assert not refused, f"{url} links {actor} to pages the table refuses them: {refused}"
