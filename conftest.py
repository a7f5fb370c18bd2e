"""Shared pytest fixtures: users of every role, an API client with a Bearer token, a campaign."""

import json

import pytest
from django.test import Client

from campaignflow.accounts.models import Role, User
from campaignflow.accounts.services import token_create
from campaignflow.campaigns.models import MemberRole
from campaignflow.campaigns.playbook_sync import sync_builtin_playbooks

PASSWORD = "Cf-test-pass-2025"

# Shared fixtures kept in tests/support: `database_file` (threads on their own connections, SQLite as a file),
# `slapd_server` / `directory` (a real OpenLDAP server for the LDAP sign-in tests).
pytest_plugins = ["tests.support.database_file", "tests.support.slapd"]


class ApiClient:
    """A JSON client that authenticates with a Bearer token, as integrations do."""

    def __init__(self, user: User | None):
        self.client = Client()
        self.headers = {}
        if user is not None:
            _token, raw = token_create(user=user, name="test")
            self.headers["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
        self.user = user

    def _call(self, method: str, path: str, data=None, **extra):
        kwargs = {**self.headers, **extra}
        if data is not None and method != "get":
            kwargs["data"] = json.dumps(data, default=str)
            kwargs["content_type"] = "application/json"
        elif data is not None:
            kwargs["data"] = data
        return getattr(self.client, method)(f"/api/v1{path}" if path.startswith("/") else path, **kwargs)

    def get(self, path, params=None, **extra):
        return self._call("get", path, params, **extra)

    def post(self, path, data=None, **extra):
        return self._call("post", path, data if data is not None else {}, **extra)

    def patch(self, path, data=None, **extra):
        return self._call("patch", path, data if data is not None else {}, **extra)

    def put(self, path, data=None, **extra):
        return self._call("put", path, data if data is not None else {}, **extra)

    def delete(self, path, **extra):
        return self._call("delete", path, None, **extra)


def logged_in(user, language: str = "zh-hans") -> Client:
    """A browser's client: `user`'s session, pages asked for in `language`."""
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def make_user(username: str, role: str = Role.MEMBER, **kwargs) -> User:
    user = User(
        username=username,
        role=role,
        display_name=kwargs.pop("display_name", username),
        is_staff=role == Role.ADMIN,
        is_superuser=role == Role.ADMIN,
        **kwargs,
    )
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2's deliberate slowness costs seconds per test; the hasher is not what tests check.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    # Database ids repeat between tests (rolled-back transactions), so a cache entry keyed by ids
    # could outlive its test and be served to the next one.
    from django.conf import settings
    from django.core.cache import caches

    from campaignflow.campaigns.access import forget_rows

    aliases = tuple(settings.CACHES)  # every one: under pytest "shared" is a memory cache too (config/settings.py)
    for alias in aliases:
        caches[alias].clear()
    forget_rows()  # the campaign lookup's rows, kept by stamp (campaigns.access)
    yield
    for alias in aliases:
        caches[alias].clear()
    forget_rows()


@pytest.fixture
def playbooks(db):
    sync_builtin_playbooks()


@pytest.fixture
def users(db):
    """One user per global role plus campaign-role users (made members by `campaign`)."""
    return {
        "admin": make_user("admin1", Role.ADMIN),
        "owner": make_user("owner1", display_name="王经理"),
        "manager": make_user("manager1"),
        "member": make_user("member1"),
        "viewer": make_user("viewer1"),
        "partner": make_user("partner1"),
        "outsider": make_user("outsider1"),
        "finance": make_user("finance1", Role.FINANCE),
        "director": make_user("director1", Role.DIRECTOR),
    }


@pytest.fixture
def api_for(db):
    """api_for(user) → an ApiClient with a token for that user (None: anonymous)."""
    return ApiClient


@pytest.fixture
def owner_api(api_for, users):
    """The API client of the campaign's owner (users["owner"])."""
    return api_for(users["owner"])


@pytest.fixture
def campaign(db, users, playbooks):
    """A campaign made from the enterprise playbook with one member of each campaign role."""
    return make_campaign(users, playbook_key="enterprise-campaign")


def make_campaign(users, *, playbook_key: str | None = None):
    """The tests' campaign (June 2025), owned by users["owner"], with one member of each other campaign role."""
    from campaignflow.campaigns.models import Membership
    from campaignflow.campaigns.services import campaign_create

    c, _warnings = campaign_create(
        actor=users["owner"],
        data={
            "name": "2024年夏季新品促销",
            "start_date": "2025-06-01",
            "end_date": "2025-06-30",
            "budget_total": "500000",
            "description": "销售额提升30%，新增会员3000人",
        },
        playbook_key=playbook_key,
    )
    for key, role in (
        ("manager", MemberRole.MANAGER),
        ("member", MemberRole.MEMBER),
        ("viewer", MemberRole.VIEWER),
        ("partner", MemberRole.PARTNER),
    ):
        Membership.objects.create(campaign=c, user=users[key], role=role)
    return c


def satisfy_gates(campaign, to_status: str) -> None:
    """Make the stage-gate conditions of campaign.status → to_status hold, for tests that need a move.

    Every app that registers gate conditions provides `campaignflow/<app>/tests/gate_fixtures.py`
    with `satisfy(campaign, from_status, to_status)`; this calls each of them.
    """
    for module in app_test_modules("gate_fixtures"):
        module.satisfy(campaign, campaign.status, to_status)
    campaign.refresh_from_db()


def app_test_modules(name: str) -> list:
    """`campaignflow/<app>/tests/<name>.py` of every app that has one (gate fixtures, access tables)."""
    import importlib

    from django.apps import apps

    modules = []
    for config in apps.get_app_configs():
        if not config.name.startswith("campaignflow."):
            continue
        try:
            modules.append(importlib.import_module(f"{config.name}.tests.{name}"))
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.tests.{name}":
                raise
    return modules


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    # Tests run background tasks inline; production uses the database backend and a worker.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


# --- a campaign with the seeds' evaluation numbers (review and reports tests) ----------------------


# A ratio KPI that is better when it falls (with its target added per test).
COST_PER_MEMBER = {"name": "获客成本", "numerator": "推广费", "denominator": "新增会员", "unit": "元/人"}
COST_PER_MEMBER |= {"priority": "auxiliary", "direction": "down"}


def add_kpis_and_metrics(campaign, api, kpis, rows) -> None:
    """POST each KPI body, then the metric rows, as `api`'s user; every answer must be a success."""
    for body in kpis:
        assert api.post(f"/campaigns/{campaign.pk}/kpis", body).status_code == 201, body
    response = api.post(f"/campaigns/{campaign.pk}/metrics", {"rows": rows})
    assert response.status_code == 200, response.content


@pytest.fixture
def seeded(campaign, api_for, users):
    """conftest's campaign with the seeds' evaluation numbers (seed 004 table 3 and seed 002 table 5)."""
    kpis = [  # name, metric, unit, target, priority; all "up"
        ("销售额", "销售额", "元", "500万", "core"),
        ("直播场均GMV", "GMV", "元", "200000", "auxiliary"),
        ("新增会员", "新增会员", "人", "3000", "auxiliary"),
    ]
    rows = [
        {"date": "2025-06-10", "channel": "抖音", "metric": "销售额", "value": "4200000"},
        {"date": "2025-06-11", "channel": "小红书", "metric": "销售额", "value": "2000000"},
        {"date": "2025-06-10", "channel": "抖音", "metric": "GMV", "value": "150000"},
        {"date": "2025-06-10", "channel": "线下门店", "metric": "新增会员", "value": "2800"},
    ]
    bodies = [
        {"name": n, "metric": m, "unit": u, "target": t, "priority": p, "direction": "up"} for n, m, u, t, p in kpis
    ]
    add_kpis_and_metrics(campaign, api_for(users["owner"]), bodies, rows)
    return campaign


def move_to(campaign, api, *statuses):
    for status in statuses:
        satisfy_gates(campaign, status) if status != "archived" else None
        response = api.post(f"/campaigns/{campaign.pk}/transition", {"to": status})
        assert response.status_code == 200, response.content
    campaign.refresh_from_db()
    return campaign


def assert_matches_openapi(path: str, body, method: str = "get", status: int = 200) -> None:
    """`body` conforms to the documented response of `path` (an OpenAPI path template such as
    "/api/v1/campaigns/{campaign_id}/metrics"): for endpoints that serialise directly, bypassing ninja."""
    import jsonschema_rs

    from config.api import api as ninja_api

    doc = ninja_api.get_openapi_schema()
    schema = doc["paths"][path][method]["responses"][status]["content"]["application/json"]["schema"]
    validator = jsonschema_rs.validator_for({**schema, "components": doc["components"]}, validate_formats=True)
    errors = [e.message for e in validator.iter_errors(body)]
    assert not errors, (path, errors[:3])
