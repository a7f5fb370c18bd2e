"""The login page and GET /api/v1/auth/methods: methods offered, PASSWORD_LOGIN, `next`, failures shown."""

import pytest
from django.utils import translation

from campaignflow.accounts.models import Role
from campaignflow.core.models import AuditEntry
from campaignflow.signin import methods
from campaignflow.signin.tests.browsing import browser
from conftest import PASSWORD

pytestmark = pytest.mark.django_db


def log_in(client, username, password=PASSWORD, next_=None):
    data = {"username": username, "password": password}
    if next_ is not None:
        data["next"] = next_
    return client.post("/login/", data)


@pytest.fixture
def oidc_button():
    """One external method, registered as the OIDC module registers its own (under a key of its own: the real OIDC
    method's registration stays for the tests after this one)."""
    methods.register(
        "test-oidc-button",
        lambda: methods.Method(id="oidc", kind="oidc", name="公司统一登录", login_url="/signin/oidc/"),
    )
    yield
    methods.unregister("test-oidc-button")


def test_methods_api_needs_no_login_and_lists_the_password_form(client):
    response = client.get("/api/v1/auth/methods")
    assert response.status_code == 200
    assert response.json() == [{"id": "password", "kind": "password", "name": "用户名和密码", "login_url": "/login/"}]


def test_methods_api_lists_registered_methods_external_first(client, oidc_button, settings):
    settings.PASSWORD_LOGIN = "admins"
    body = client.get("/api/v1/auth/methods", HTTP_ACCEPT_LANGUAGE="en").json()
    assert [(m["id"], m["kind"]) for m in body] == [("oidc", "oidc"), ("password", "password")]
    assert body[1]["name"] == "Administrator log-in"


def test_openapi_documents_the_methods_endpoint(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "get" in paths["/api/v1/auth/methods"]


def test_password_login_works_and_is_audited(users):
    client = browser()
    response = log_in(client, "member1")
    assert response.status_code == 302 and response["Location"] == "/campaigns/"
    entry = AuditEntry.objects.get(action="sign_in")
    assert entry.actor == users["member"] and entry.after["method"] == "password"
    assert PASSWORD not in str(entry.after)


def test_wrong_password_is_the_usual_error_and_audited_without_the_password(users):
    response = log_in(browser(), "member1", "wrong-Pass-9")
    assert response.status_code == 200
    assert "form-error" in response.content.decode()
    entry = AuditEntry.objects.get(action="sign_in_failed")
    assert entry.after["username"] == "member1" and entry.after["reason"] == "password:bad_credentials"
    assert "wrong-Pass-9" not in str(entry.after)


def test_password_login_admins_only_refuses_others_with_a_clear_message(users, settings):
    settings.PASSWORD_LOGIN = "admins"
    response = log_in(browser(), "member1")
    assert response.status_code == 200
    page = response.content.decode()
    assert "本地密码仅供管理员使用" in page
    assert "_auth_user_id" not in response.client.session
    assert AuditEntry.objects.get(action="sign_in_failed").after["reason"] == "password:password_login_admins_only"
    assert log_in(browser(), "admin1").status_code == 302  # the break-glass administrator


def test_password_login_admins_counts_for_lockout(users, settings):
    settings.PASSWORD_LOGIN = "admins"
    settings.AXES_FAILURE_LIMIT = 2
    client = browser()
    log_in(client, "member1")
    response = log_in(client, "member1")
    assert response.status_code == 429 or "锁定" in response.content.decode()


def test_wrong_passwords_still_lock_out(users, settings):
    settings.AXES_FAILURE_LIMIT = 3
    client = browser()
    for _ in range(3):
        log_in(client, "member1", "wrong-Pass-9")
    response = log_in(client, "member1")  # the right one, too late
    assert "_auth_user_id" not in client.session
    assert response.status_code in (403, 429)


@pytest.mark.parametrize(
    "evil", ["//evil.com", "https://evil.com", "/\\evil.com", "http://testserver@evil.com", "/\t/evil.com"]
)
def test_next_never_leaves_the_site(users, evil):
    client = browser()
    page = client.get("/login/", {"next": evil}).content.decode()
    assert '<input type="hidden" name="next" value="">' in page  # (the language menu's own link is Django's)
    response = log_in(client, "member1", next_=evil)
    assert response.status_code == 302 and response["Location"] == "/campaigns/"


def test_next_to_an_own_path_is_followed(users):
    response = log_in(browser(), "member1", next_="/my/tasks/?x=1")
    assert response["Location"] == "/my/tasks/?x=1"


def test_page_with_only_the_password_form(users):
    page = browser().get("/login/").content.decode()
    assert 'name="password"' in page and "signin-method" not in page and "<details" not in page


def test_one_external_method_and_admin_passwords_is_one_big_button(users, oidc_button, settings):
    settings.PASSWORD_LOGIN = "admins"
    page = browser().get("/login/", {"next": "/campaigns/7/"}).content.decode()
    assert page.count('class="btn btn-primary btn-block signin-method') == 1
    assert "signin-single" in page and "使用 公司统一登录 登录" in page
    assert 'href="/signin/oidc/?next=/campaigns/7/"' in page
    assert '<details class="signin-admin">' in page and "<summary>管理员登录</summary>" in page


def test_external_method_with_passwords_for_all_shows_both_open(users, oidc_button):
    page = browser().get("/login/").content.decode()
    assert "signin-method" in page and "signin-single" not in page and "<details" not in page
    assert 'name="password"' in page


def test_an_idp_failure_shows_a_chinese_message_on_the_login_page_and_creates_nothing(users, rf):
    """What a method's callback does on an IdP error: flow.sign_in_failed (audited, message, back to log in)."""
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.db import SessionStore

    from campaignflow.accounts.models import User
    from campaignflow.signin import flow

    client = browser()
    request = rf.get("/signin/oidc/callback/?error=access_denied")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    users_before = User.objects.count()
    with translation.override("zh-hans"):  # as LocaleMiddleware does for a real callback
        response = flow.sign_in_failed(request, method_id="oidc", reason="idp_error:access_denied")
    assert response.status_code == 302 and response["Location"] == "/login/"
    request._messages.update(response)  # what MessageMiddleware does: the message rides in a cookie
    client.cookies["messages"] = response.cookies["messages"].value
    page = client.get("/login/").content.decode()
    assert "公司账号登录未成功，请重试。" in page
    assert User.objects.count() == users_before
    assert AuditEntry.objects.get(action="sign_in_failed").after["reason"] == "idp_error:access_denied"


def test_admin_role_without_superuser_may_use_password_in_admins_mode(settings, db):
    from campaignflow.accounts.models import User

    settings.PASSWORD_LOGIN = "admins"
    user = User(username="roleadmin", role=Role.ADMIN)
    user.set_password(PASSWORD)
    user.save()
    assert log_in(browser(), "roleadmin").status_code == 302


def test_methods_api_reads_no_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert client.get("/api/v1/auth/methods").status_code == 200
