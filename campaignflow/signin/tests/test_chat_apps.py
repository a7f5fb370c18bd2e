"""DingTalk, Feishu and WeCom sign-in against REAL local servers of the three platforms (tests/support/
chat_platforms: their documented endpoints, payloads and error codes): the QR-code login through the product's
own start page and callback, the in-app 免登 code posted from the in-app page, the platforms' refusals, and the
leavers' sync through their directory APIs. Most tests run once per platform."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
import requests
from django.core.cache import cache
from django.test import Client

from campaignflow.accounts.models import Role, User
from campaignflow.core.models import AuditEntry
from campaignflow.signin.chat_sync import sync_chat_apps
from campaignflow.signin.models import ExternalIdentity
from campaignflow.signin.tests.browsing import browser, profile, signed_in
from conftest import PASSWORD, ApiClient, make_user
from tests.support.chat_platforms.base import Reply

pytestmark = pytest.mark.django_db

USER_AGENTS = {
    "dingtalk": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Mobile/15E148 AliApp(DingTalk/7.6.0) com.laiwang.DingTalk/38260231 Channel/201200 language/zh-Hans-CN",
    "feishu": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Mobile/15E148 Lark/7.20.0 LarkLocale/zh_CN ChannelName/Feishu",
    "wecom": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Mobile/15E148 wxwork/4.1.26 MicroMessenger/7.0.1 Language/zh ColorScheme/Light",
}
NAMES = {"dingtalk": "钉钉", "feishu": "飞书", "wecom": "企业微信"}
# The app's token request of each platform, and the answer meaning "this token is expired/unknown".
TOKEN_PATHS = {
    "dingtalk": "/gettoken",
    "feishu": "/open-apis/auth/v3/tenant_access_token/internal",
    "wecom": "/cgi-bin/gettoken",
}
SECRETS = {"dingtalk": "DINGTALK_APP_SECRET", "feishu": "FEISHU_APP_SECRET", "wecom": "WECOM_SECRET"}


@dataclass
class Chat:
    id: str
    server: object

    @property
    def name(self) -> str:
        return NAMES[self.id]

    def subject(self, userid: str) -> str:
        """What the product stores as the person's id there (ADR 0015): the union id, WeCom's userid."""
        return userid if self.id == "wecom" else f"union-{userid}"

    def app_client(self) -> Client:
        return Client(HTTP_ACCEPT_LANGUAGE="zh-hans", HTTP_USER_AGENT=USER_AGENTS[self.id], enforce_csrf_checks=True)

    def scan(self, platform_page: str, userid: str) -> str:
        """The person scans the QR code (or confirms in the app) on the platform's page: where it sends them back."""
        parts = urlsplit(platform_page)
        page = urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query + "&" + urlencode({"as": userid}), ""))
        answer = requests.get(page, allow_redirects=False, timeout=10)
        assert answer.status_code == 302, answer.text
        return answer.headers["Location"]

    def qr_sign_in(self, client: Client, userid: str, next_: str | None = None):
        start = client.get(f"/signin/{self.id}/", {"next": next_} if next_ else {})
        assert start.status_code == 302 and start["Location"].startswith(self.server.url), start
        back = self.scan(start["Location"], userid)
        assert back.startswith(f"http://testserver/signin/{self.id}/callback/?"), back
        return client.get(back.removeprefix("http://testserver"))

    def in_app_sign_in(self, client: Client, userid: str, next_: str = "/my/tasks/", code: str | None = None):
        """What the in-app page does inside the app: DingTalk/Feishu ask the JSAPI for a code and post it; WeCom's
        page redirects through its OAuth page."""
        page = client.get("/signin/app/", {"next": next_})
        if self.id == "wecom":
            assert page.status_code == 302 and page["Location"].startswith(self.server.url)
            return client.get(self.scan(page["Location"], userid).removeprefix("http://testserver"))
        assert page.status_code == 200
        code = code if code is not None else self.server.issue_code(userid, kind="in_app")
        token = client.cookies["csrftoken"].value
        return client.post(f"/signin/{self.id}/app/", {"code": code, "csrfmiddlewaretoken": token})


def set_up(request, settings, platform: str) -> Chat:
    """The platform's server (a fresh one per test) with two people, and the product pointed at it."""
    server = request.getfixturevalue(f"{platform}_server")
    settings.SITE_URL = "http://testserver"
    settings.SSO_ROLE_MAP = ""
    for name, value in server.settings().items():
        setattr(settings, name, value)
    server.redirect_uris.append(f"http://testserver/signin/{platform}/callback/")  # as registered in its console
    server.add_department(2, "财务部")
    server.add_department(3, "市场部")
    server.add_user("zhangsan", name="张三", email="zhangsan@example.com", department=[2])
    server.add_user("lisi", name="李四", email="lisi@example.com", department=[3])
    return Chat(platform, server)


@pytest.fixture(params=["dingtalk", "feishu", "wecom"])
def chat(request, settings) -> Chat:
    return set_up(request, settings, request.param)


@pytest.fixture(params=["dingtalk", "feishu"])
def jsapi_chat(request, settings) -> Chat:
    """The platforms whose 免登 code comes from a JSAPI on our page (WeCom's is a redirect)."""
    return set_up(request, settings, request.param)


def login_page_message(client: Client, response) -> str:
    assert response.status_code == 302 and response["Location"] == "/login/", response
    page = client.get("/login/").content.decode()
    found = re.search(r'<div class="msg msg-error" role="status">(.*?)</div>', page)
    assert found, "no message on the login page"
    return found.group(1)


def assert_nothing_created(accounts_before: int) -> None:
    assert User.objects.count() == accounts_before
    assert not ExternalIdentity.objects.exists()


def last_failure() -> dict:
    return AuditEntry.objects.filter(action="sign_in_failed").latest("id").after


# --- signing in -----------------------------------------------------------------------------------------------
def test_qr_login_makes_the_account_with_department_and_mapped_role(chat, settings):
    settings.SSO_ROLE_MAP = "财务部=finance"
    client = browser()
    response = chat.qr_sign_in(client, "zhangsan")
    assert response.status_code == 302 and response["Location"] == "/campaigns/"
    user = signed_in(client)
    assert profile(user) == ("zhangsan", "张三", "zhangsan@example.com", "财务部", Role.FINANCE)
    assert not user.has_usable_password()
    link = ExternalIdentity.objects.get(user=user)
    assert (link.method, link.subject) == (chat.id, chat.subject("zhangsan"))
    assert AuditEntry.objects.get(action="sign_in").after["method"] == chat.id
    assert client.get("/campaigns/").status_code == 200


def test_in_app_code_signs_in_and_follows_next(chat):
    client = chat.app_client()
    response = chat.in_app_sign_in(client, "lisi", next_="/my/tasks/?mine=1")
    assert response.status_code == 302 and response["Location"] == "/my/tasks/?mine=1"
    user = signed_in(client)
    assert (user.display_name, user.department) == ("李四", "市场部")
    assert ExternalIdentity.objects.get(user=user).subject == chat.subject("lisi")


def test_qr_and_in_app_are_the_same_account(chat):
    chat.qr_sign_in(browser(), "zhangsan")
    client = chat.app_client()
    chat.in_app_sign_in(client, "zhangsan")
    assert signed_in(client).username == "zhangsan"
    assert User.objects.filter(display_name="张三").count() == 1
    assert ExternalIdentity.objects.filter(method=chat.id).count() == 1


def test_a_department_change_re_maps_the_role_at_the_next_sign_in(chat, settings):
    settings.SSO_ROLE_MAP = "财务部=finance"
    chat.qr_sign_in(browser(), "zhangsan")
    chat.server.users["zhangsan"].department = [3]
    chat.qr_sign_in(browser(), "zhangsan")
    user = User.objects.get(username="zhangsan")
    assert (user.department, user.role) == ("市场部", Role.MEMBER)
    change = AuditEntry.objects.filter(action="role_change", object_id=str(user.pk)).latest("id")
    assert change.before == {"role": "finance"} and change.after["by"] == "SSO_ROLE_MAP"


def test_a_verified_directory_email_joins_the_existing_account(chat):
    existing = make_user("zs-old", email="zhangsan@example.com")
    client = browser()
    chat.qr_sign_in(client, "zhangsan")
    assert signed_in(client) == existing


def test_the_qr_login_asks_the_platform_as_its_documents_say(chat):
    client = browser()
    start = client.get(f"/signin/{chat.id}/")
    query = {key: values[0] for key, values in parse_qs(urlsplit(start["Location"]).query).items()}
    callback = f"http://testserver/signin/{chat.id}/callback/"
    assert query["redirect_uri"] == callback and len(query["state"]) >= 20
    if chat.id == "dingtalk":
        assert urlsplit(start["Location"]).path == "/oauth2/auth"
        assert (query["client_id"], query["response_type"], query["scope"]) == (
            chat.server.app_key,
            "code",
            "openid corpid",
        )
    elif chat.id == "feishu":
        assert urlsplit(start["Location"]).path == "/open-apis/authen/v1/authorize"
        assert query["client_id"] == chat.server.app_id and query["code_challenge_method"] == "S256"
    else:
        assert urlsplit(start["Location"]).path == "/wwlogin/sso/login"
        assert (query["login_type"], query["appid"], query["agentid"]) == (
            "CorpApp",
            chat.server.corp_id,
            chat.server.agent_id,
        )
    back = chat.scan(start["Location"], "zhangsan")
    assert client.get(back.removeprefix("http://testserver"))["Location"] == "/campaigns/"
    if chat.id == "feishu":  # the PKCE verifier went with the code
        exchange = chat.server.calls_to("/open-apis/authen/v2/oauth/token")[-1].body
        assert exchange["code_verifier"] and exchange["redirect_uri"] == callback


# --- the in-app page -----------------------------------------------------------------------------------------
def test_the_in_app_page_loads_the_jsapi_from_its_host_on_that_page_only(jsapi_chat, settings):
    platform = jsapi_chat.id
    client = Client(HTTP_USER_AGENT=USER_AGENTS[platform], HTTP_ACCEPT_LANGUAGE="zh-hans")
    page = client.get("/signin/app/")
    assert page.status_code == 200
    script = settings.DINGTALK_JSAPI_URL if platform == "dingtalk" else settings.FEISHU_JSSDK_URL
    host = "https://g.alicdn.com" if platform == "dingtalk" else "https://lf1-cdn-tos.bytegoofy.com"
    assert f'<script src="{script}" defer></script>' in page.content.decode()
    policy = page["Content-Security-Policy"]
    assert f"script-src 'self' {host};" in policy and "connect-src 'self'" in policy
    assert "正在使用" + NAMES[platform] + "登录" in page.content.decode()
    other = Client().get("/login/")["Content-Security-Policy"]
    assert "script-src 'self';" in other and host not in other


def test_wecom_in_app_is_a_silent_oauth_redirect(wecom_server, settings):
    for name, value in wecom_server.settings().items():
        setattr(settings, name, value)
    settings.SITE_URL = "http://testserver"
    page = Client(HTTP_USER_AGENT=USER_AGENTS["wecom"]).get("/signin/app/")
    location = urlsplit(page["Location"])
    query = {key: values[0] for key, values in parse_qs(location.query).items()}
    assert location.path == "/connect/oauth2/authorize" and location.fragment == "wechat_redirect"
    assert (query["appid"], query["scope"], query["agentid"], query["response_type"]) == (
        wecom_server.corp_id,
        "snsapi_base",
        wecom_server.agent_id,
        "code",
    )
    assert query["redirect_uri"] == "http://testserver/signin/wecom/callback/"


def test_a_link_opened_in_the_app_goes_through_the_in_app_sign_in_once(chat):
    client = chat.app_client()
    response = client.get("/campaigns/7/")
    assert response["Location"] == "/login/?next=/campaigns/7/"
    response = client.get(response["Location"])
    assert response.status_code == 302 and response["Location"] == "/signin/app/?next=%2Fcampaigns%2F7%2F"
    if chat.id != "wecom":
        chat.in_app_sign_in(client, "zhangsan", code="not-a-code")  # the app's code is refused …
        page = client.get("/login/?next=/campaigns/7/")  # … so the login page stays, with its buttons
        assert page.status_code == 200 and "登录码无效或已过期" in page.content.decode()
        assert 'href="/signin/app/' in page.content.decode()  # the app's button signs in inside the app
    browser_client = browser()
    assert browser_client.get("/login/").status_code == 200  # an ordinary browser: the login page


def test_the_in_app_post_needs_the_csrf_token(jsapi_chat):
    chat = jsapi_chat
    client = chat.app_client()
    client.get("/signin/app/")
    code = chat.server.issue_code("zhangsan", kind="in_app")
    response = client.post(f"/signin/{chat.id}/app/", {"code": code})
    assert response.status_code == 403 and signed_in(client) is None


# --- refusals: nothing is created, a clear message, audited -------------------------------------------------------
def test_an_invalid_code_is_refused(chat):
    before = User.objects.count()
    client = browser()
    start = client.get(f"/signin/{chat.id}/")
    state = parse_qs(urlsplit(start["Location"]).query)["state"][0]
    response = client.get(
        f"/signin/{chat.id}/callback/", {"code": "not-a-code", "authCode": "not-a-code", "state": state}
    )
    assert login_page_message(client, response) == f"{chat.name}的登录码无效或已过期，请重新登录。"
    assert last_failure()["method"] == chat.id and last_failure()["reason"].startswith("invalid_code")
    assert "not-a-code" not in str(last_failure())
    assert_nothing_created(before)


def test_a_code_used_twice_is_refused(chat):
    client = browser()
    start = client.get(f"/signin/{chat.id}/")
    back = chat.scan(start["Location"], "zhangsan").removeprefix("http://testserver")
    code = parse_qs(urlsplit(back).query)["code"][0]
    assert client.get(back)["Location"] == "/campaigns/"
    other = browser()
    start = other.get(f"/signin/{chat.id}/")
    state = parse_qs(urlsplit(start["Location"]).query)["state"][0]
    response = other.get(f"/signin/{chat.id}/callback/", {"code": code, "authCode": code, "state": state})
    assert "登录码无效或已过期" in login_page_message(other, response)
    assert signed_in(other) is None


def test_an_in_app_code_that_is_not_one_is_refused(jsapi_chat):
    chat = jsapi_chat
    before = User.objects.count()
    client = chat.app_client()
    response = chat.in_app_sign_in(client, "zhangsan", code="forged-code")
    assert "登录码无效或已过期" in login_page_message(client, response)
    assert_nothing_created(before)


def test_a_wrong_app_secret_is_a_configuration_message(chat, settings):
    before = User.objects.count()
    setattr(settings, SECRETS[chat.id], "not-the-secret")
    client = browser()
    response = chat.qr_sign_in(client, "zhangsan")
    assert login_page_message(client, response) == f"{chat.name}拒绝了本站应用的凭据，请联系管理员检查配置。"
    assert last_failure()["reason"].startswith("app_credentials")
    assert "not-the-secret" not in str(AuditEntry.objects.values_list("after", flat=True))
    assert_nothing_created(before)


def test_an_expired_app_token_is_fetched_again(chat):
    chat.qr_sign_in(browser(), "zhangsan")
    fetched = len(chat.server.calls_to(TOKEN_PATHS[chat.id]))
    chat.server.advance(7201)  # the kept app token expired at the platform (a shared cache, a clock, …)
    client = browser()
    assert chat.qr_sign_in(client, "lisi")["Location"] == "/campaigns/"
    assert signed_in(client).username == "lisi"
    assert len(chat.server.calls_to(TOKEN_PATHS[chat.id])) == fetched + 1


def test_a_token_the_platform_keeps_refusing_is_a_clear_message(chat):
    chat.qr_sign_in(browser(), "zhangsan")  # the app's token is kept
    before = User.objects.count()
    refusal = {"dingtalk": "oapi_invalid_token", "feishu": "tenant_token_invalid", "wecom": "access_token_expired"}
    path = {
        "dingtalk": "/topapi/user/getbyunionid",
        "feishu": "/open-apis/contact/v3/users/union-lisi",
        "wecom": "/cgi-bin/user/get",
    }[chat.id]
    chat.server.fail_next(path, refusal[chat.id])
    chat.server.fail_next(path, refusal[chat.id])  # the new token too
    client = browser()
    response = chat.qr_sign_in(client, "lisi")
    assert "拒绝了本站应用的访问凭证" in login_page_message(client, response)
    assert last_failure()["reason"].startswith("token_invalid")
    assert User.objects.count() == before


def test_the_platform_down_is_a_clear_message(chat):
    before = User.objects.count()
    path = {
        "dingtalk": "/v1.0/oauth2/userAccessToken",
        "feishu": "/open-apis/authen/v2/oauth/token",
        "wecom": "/cgi-bin/gettoken",
    }[chat.id]
    chat.server.fail_next(path, Reply(502, "<html>bad gateway</html>", {"Content-Type": "text/html"}))
    client = browser()
    response = chat.qr_sign_in(client, "zhangsan")
    assert login_page_message(client, response) == f"{chat.name}暂时无法连接，请稍后再试。"
    assert_nothing_created(before)


def test_someone_who_left_or_is_outside_the_company_is_refused(chat):
    before = User.objects.count()
    client = browser()
    start = client.get(f"/signin/{chat.id}/")
    back = chat.scan(start["Location"], "zhangsan")
    if chat.id == "wecom":  # a WeCom code of someone who is not a member: getuserinfo answers an openid
        query = parse_qs(urlsplit(back).query)
        back = f"/signin/wecom/callback/?{urlencode({'code': chat.server.issue_outsider_code(), 'state': query['state'][0]})}"
    chat.server.remove_user("zhangsan")
    message = login_page_message(client, client.get(back.removeprefix("http://testserver")))
    if chat.id == "feishu":  # Feishu's login itself answers 20021 (resigned)
        assert message == "你的飞书账号已停用或已离职，无法在此登录。"
    else:
        assert message == f"你不在本公司的{chat.name}通讯录中，无法在此登录。"
    assert_nothing_created(before)


def test_someone_disabled_at_the_platform_is_refused(chat):
    chat.server.disable_user("zhangsan")
    client = browser()
    message = login_page_message(client, chat.qr_sign_in(client, "zhangsan"))
    assert message == f"你的{chat.name}账号已停用或已离职，无法在此登录。"
    assert not User.objects.filter(username="zhangsan").exists()


def test_a_callback_without_its_state_is_refused(chat):
    client = browser()
    client.get(f"/signin/{chat.id}/")
    code = chat.server.issue_code("zhangsan")
    for state in ("", "forged-state"):
        response = client.get(f"/signin/{chat.id}/callback/", {"code": code, "authCode": code, "state": state})
        assert "已过期或已被使用" in login_page_message(client, response)
    assert last_failure()["reason"] == "bad_state"
    assert not User.objects.filter(username="zhangsan").exists()


def test_a_cancelled_login_says_so(chat):
    client = browser()
    start = client.get(f"/signin/{chat.id}/")
    state = parse_qs(urlsplit(start["Location"]).query)["state"][0]
    response = client.get(f"/signin/{chat.id}/callback/", {"state": state})
    assert login_page_message(client, response) == f"{chat.name}登录已取消。"


def test_an_unconfigured_platform_has_no_pages(client, settings):
    settings.DINGTALK_APP_KEY = ""
    for path in ("/signin/dingtalk/", "/signin/dingtalk/callback/?code=x&state=y", "/signin/nope/"):
        assert client.get(path).status_code == 404
    assert client.post("/signin/dingtalk/app/", {"code": "x"}).status_code == 404
    assert Client(HTTP_USER_AGENT=USER_AGENTS["dingtalk"]).get("/signin/app/")["Location"] == "/login/"


# --- leavers ----------------------------------------------------------------------------------------------------
def test_the_sync_disables_a_leaver_and_their_api_token(chat):
    chat.qr_sign_in(browser(), "zhangsan")
    chat.qr_sign_in(browser(), "lisi")
    leaver = User.objects.get(username="zhangsan")
    api = ApiClient(leaver)
    session = browser()
    session.force_login(leaver)
    assert api.get("/auth/methods").status_code == 200 and api.get("/campaigns").status_code == 200
    chat.server.remove_user("zhangsan")
    report = sync_chat_apps()
    assert f"{chat.id}: 2 checked, 1 deactivated (zhangsan)" in report
    leaver.refresh_from_db()
    assert not leaver.is_active
    assert api.get("/campaigns").status_code == 401
    assert session.get("/campaigns/")["Location"].startswith("/login/")
    assert User.objects.get(username="lisi").is_active
    entry = AuditEntry.objects.get(action="deactivate", object_id=str(leaver.pk))
    assert entry.after["source"] == chat.id and entry.after["api_tokens"] == 1
    # a leaver cannot come back by signing in either
    assert chat.server.users["zhangsan"].status == "left"


def test_the_sync_disables_someone_disabled_there(chat):
    chat.qr_sign_in(browser(), "zhangsan")
    chat.server.disable_user("zhangsan")
    sync_chat_apps()
    assert not User.objects.get(username="zhangsan").is_active


def test_the_sync_changes_nothing_while_the_platform_cannot_be_asked(chat, settings):
    chat.qr_sign_in(browser(), "zhangsan")
    chat.server.remove_user("zhangsan")
    cache.clear()  # no kept token: the token request is what fails
    setattr(settings, SECRETS[chat.id], "rotated-but-not-updated")
    report = sync_chat_apps()
    assert f"{chat.id}: not synced" in report
    assert User.objects.get(username="zhangsan").is_active


def test_a_leaver_is_locked_out_at_their_next_request(chat, settings):
    settings.SSO_ROLE_REFRESH_SECONDS = 300
    client = browser()
    chat.qr_sign_in(client, "zhangsan")
    assert client.get("/campaigns/").status_code == 200
    chat.server.remove_user("zhangsan")
    cache.clear()  # the last check is older than SSO_ROLE_REFRESH_SECONDS
    assert client.get("/campaigns/")["Location"].startswith("/login/")
    assert not User.objects.get(username="zhangsan").is_active


def test_the_management_command_runs_the_sync(chat):
    from io import StringIO

    from django.core.management import call_command

    chat.qr_sign_in(browser(), "zhangsan")
    out = StringIO()
    call_command("sync_chat_apps", stdout=out)
    assert f"{chat.id}: 1 checked, 0 deactivated" in out.getvalue()


# --- what the login page and the API offer ----------------------------------------------------------------------
def test_methods_lists_the_chat_apps_first_with_their_chinese_names(
    dingtalk_server, feishu_server, wecom_server, settings, client
):
    for server in (wecom_server, feishu_server, dingtalk_server):
        for name, value in server.settings().items():
            setattr(settings, name, value)
    settings.OIDC_ISSUER, settings.OIDC_CLIENT_ID = "https://idp.example.com/realms/x", "campaignflow"
    body = client.get("/api/v1/auth/methods", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert [(m["id"], m["kind"], m["name"], m["login_url"]) for m in body] == [
        ("dingtalk", "dingtalk", "钉钉", "/signin/dingtalk/"),
        ("feishu", "feishu", "飞书", "/signin/feishu/"),
        ("wecom", "wecom", "企业微信", "/signin/wecom/"),
        ("oidc", "oidc", "公司账号", "/signin/oidc/"),
        ("password", "password", "用户名和密码", "/login/"),
    ]
    english = client.get("/api/v1/auth/methods", HTTP_ACCEPT_LANGUAGE="en").json()
    assert [m["name"] for m in english][:4] == ["DingTalk", "Feishu", "WeCom", "Company account"]
    page = browser().get("/login/").content.decode()
    for platform in ("dingtalk", "feishu", "wecom", "oidc"):
        assert f'data-method="{platform}"' in page


def test_one_chat_app_and_passwords_for_admins_is_one_big_button(dingtalk_server, settings):
    for name, value in dingtalk_server.settings().items():
        setattr(settings, name, value)
    settings.PASSWORD_LOGIN = "admins"
    page = browser().get("/login/", {"next": "/my/tasks/"}).content.decode()
    assert "signin-single" in page and "使用 钉钉 登录" in page
    assert 'href="/signin/dingtalk/?next=/my/tasks/"' in page.replace("%2F", "/")
    assert "<details" in page  # the administrator's form folded away


def test_local_passwords_still_work_beside_the_chat_apps(dingtalk_server, settings):
    for name, value in dingtalk_server.settings().items():
        setattr(settings, name, value)
    make_user("admin9", role=Role.ADMIN)
    response = browser().post("/login/", {"username": "admin9", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/campaigns/"


def test_no_secret_token_or_code_is_logged_even_at_debug(chat, caplog):
    import logging

    caplog.set_level(logging.DEBUG)
    client = browser()
    start = client.get(f"/signin/{chat.id}/")
    back = chat.scan(start["Location"], "zhangsan")
    code = parse_qs(urlsplit(back).query)["code"][0]
    assert client.get(back.removeprefix("http://testserver"))["Location"] == "/campaigns/"
    chat.server.advance(7201)  # the app token is refused, fetched again: logged as an event, without values
    chat_in_app = chat.app_client()
    chat.in_app_sign_in(chat_in_app, "lisi")
    secret = getattr(chat.server, "app_secret", None) or chat.server.corp_secret
    issued = [t for t in chat.server._tokens]  # every token the platform handed out
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert logged  # something was logged …
    for value in (secret, code, *issued):
        assert value not in logged  # … but none of these


@pytest.mark.parametrize("code", ["", "x" * 5000, "码\u0001'\"<>", "../../gettoken"])
def test_odd_codes_are_a_message_never_an_error_page(chat, code):
    client = browser()
    start = client.get(f"/signin/{chat.id}/")
    state = parse_qs(urlsplit(start["Location"]).query)["state"][0]
    response = client.get(f"/signin/{chat.id}/callback/", {"code": code, "authCode": code, "state": state})
    assert response.status_code == 302 and response["Location"] == "/login/"
    if chat.id != "wecom":
        app = chat.app_client()
        app.get("/signin/app/")
        posted = app.post(
            f"/signin/{chat.id}/app/", {"code": code, "csrfmiddlewaretoken": app.cookies["csrftoken"].value}
        )
        assert posted.status_code == 302 and posted["Location"] == "/login/"
    assert not User.objects.exists()
