"""Company sign-in in the browser (#22): the login page's button → the company's OpenID Connect provider (a real
django-oidc-provider process, its own login form typed into) → back on the product, signed in; the login page with
every method at desktop and phone width, in Chinese and English; inside DingTalk, the in-app page asks the app's
JSAPI for a code and is signed in (the JSAPI script, which only the app can provide, is stood in for by the
browser at its own address; the code it hands over is a real one of the local DingTalk server)."""

from __future__ import annotations

import json
import secrets

import pytest
from playwright.sync_api import expect

from campaignflow.accounts.models import Role, User
from e2e.conftest import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DINGTALK_UA = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 "
    "AliApp(DingTalk/7.6.0) com.laiwang.DingTalk/38260231 Channel/201200 language/zh-Hans-CN"
)


@pytest.fixture
def idp(oidc_provider, live_server, settings):
    settings.SITE_URL = live_server.url
    settings.SSO_ROLE_MAP = "finance=finance"
    oidc_provider.register_redirect_uri(f"{live_server.url}/signin/oidc/callback/")
    for name, value in oidc_provider.settings().items():
        setattr(settings, name, value)
    return oidc_provider


def test_the_company_button_signs_in_at_the_provider_and_comes_back(page, idp, settings):
    settings.PASSWORD_LOGIN = "admins"
    username = f"wf{secrets.token_hex(3)}"
    idp.add_user(username, "Idp-pass-2025!", email=f"{username}@example.com", name="王芳", groups=["finance"])
    ours = []  # console errors of the product's pages (the provider's own pages are not ours to judge)
    page.on(
        "console",
        lambda m: ours.append(m.text) if m.type == "error" and m.location["url"].startswith(page.base) else None,
    )
    page.goto(page.base + "/campaigns/")  # a page that needs a sign-in
    expect(page).to_have_url(page.base + "/login/?next=/campaigns/")
    button = page.locator("a.signin-method[data-method=oidc]")
    expect(button).to_have_text("使用 公司账号 登录")  # one method and passwords for administrators: one button
    shot(page, "signin-01-one-button")
    button.click()
    page.wait_for_url(f"{idp.login_url}**")  # the provider's own login form
    page.fill("#id_username", username)
    page.fill("#id_password", "Idp-pass-2025!")
    page.click("#idp-sign-in")
    page.wait_for_url(page.base + "/campaigns/")
    expect(page.locator(".user-link")).to_contain_text("王芳")
    expect(page.locator(".role-chip")).to_have_text("财务")
    user = User.objects.get(username=username)
    assert (user.email, user.role) == (f"{username}@example.com", Role.FINANCE)
    shot(page, "signin-02-back-signed-in")
    assert ours == []


def test_a_refused_id_token_shows_the_message_on_the_login_page(page, idp):
    username = f"xm{secrets.token_hex(3)}"
    idp.add_user(username, "Idp-pass-2025!", email=f"{username}@example.com", name="小明")
    idp.next_id_token("wrong_nonce")
    page.goto(page.base + "/login/")
    page.click("a.signin-method[data-method=oidc]")
    page.fill("#id_username", username)
    page.fill("#id_password", "Idp-pass-2025!")
    page.click("#idp-sign-in")
    page.wait_for_url(page.base + "/login/")
    expect(page.locator(".msg-error")).to_contain_text("身份提供方返回的身份凭证无法验证")
    assert not User.objects.filter(username=username).exists()
    shot(page, "signin-03-refused")


@pytest.mark.parametrize(
    ("width", "height", "locale"),
    [(1400, 900, "zh-CN"), (390, 844, "zh-CN"), (1400, 900, "en-US"), (390, 844, "en-US")],
)
def test_the_login_page_with_every_method(
    browser, live_server, settings, dingtalk_server, feishu_server, wecom_server, width, height, locale
):
    for server in (dingtalk_server, feishu_server, wecom_server):
        for name, value in server.settings().items():
            setattr(settings, name, value)
    settings.OIDC_ISSUER, settings.OIDC_CLIENT_ID = "https://idp.example.com/realms/acme", "campaignflow"
    context = browser.new_context(viewport={"width": width, "height": height}, locale=locale)
    page = context.new_page()
    page.goto(live_server.url + "/login/")
    chinese = locale.startswith("zh")
    names = ["钉钉", "飞书", "企业微信", "公司账号"] if chinese else ["DingTalk", "Feishu", "WeCom", "Company account"]
    expect(page.locator("a.signin-method")).to_have_text(names)
    expect(page.locator("button[type=submit]")).to_have_text("登录" if chinese else "Log in")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    for button in page.locator("a.signin-method").all():
        box = button.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width and box["height"] >= 36  # a finger's size
    shot(page, f"signin-04-methods-{width}-{locale}")
    context.close()


def _stand_in_jsapi(code: str) -> str:
    """What DingTalk's dingtalk.open.js gives a page inside the app, for this test: dd.ready and
    dd.runtime.permission.requestAuthCode answering with the code the app would hand over."""
    return (
        "window.dd = {ready: function (f) { setTimeout(f, 10); }, error: function () {},"
        " runtime: {permission: {requestAuthCode: function (o) {"
        f"  window.__asked = o.corpId; setTimeout(function () {{ o.onSuccess({{code: {json.dumps(code)}}}); }}, 10);"
        " }}}};"
    )


def test_inside_dingtalk_a_link_signs_in_with_the_app(browser, live_server, settings, dingtalk_server):
    for name, value in dingtalk_server.settings().items():
        setattr(settings, name, value)
    settings.SITE_URL = live_server.url
    dingtalk_server.add_department(2, "市场部")
    dingtalk_server.add_user("chenjing", name="陈静", email="chenjing@example.com", department=2)
    code = dingtalk_server.issue_code("chenjing", kind="in_app")
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, user_agent=DINGTALK_UA, locale="zh-CN"
    )
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.route(
        settings.DINGTALK_JSAPI_URL,
        lambda route: route.fulfill(status=200, content_type="application/javascript", body=_stand_in_jsapi(code)),
    )
    page.goto(live_server.url + "/my/tasks/")  # a link from a DingTalk message
    page.wait_for_url(live_server.url + "/my/tasks/")
    expect(page.locator(".user-link")).to_contain_text("陈静")
    assert page.evaluate("window.__asked") is None  # a new page after the sign-in
    user = User.objects.get(display_name="陈静")
    assert user.department == "市场部"
    assert errors == []
    shot(page, "signin-05-in-dingtalk")
    context.close()


def test_inside_dingtalk_a_refused_code_leaves_the_login_page_with_the_message(
    browser, live_server, settings, dingtalk_server
):
    for name, value in dingtalk_server.settings().items():
        setattr(settings, name, value)
    context = browser.new_context(viewport={"width": 390, "height": 844}, user_agent=DINGTALK_UA, locale="zh-CN")
    page = context.new_page()
    page.route(
        settings.DINGTALK_JSAPI_URL,
        lambda route: route.fulfill(status=200, content_type="application/javascript", body=_stand_in_jsapi("used")),
    )
    page.goto(live_server.url + "/campaigns/")
    page.wait_for_url(live_server.url + "/login/")
    expect(page.locator(".msg-error")).to_have_text("钉钉的登录码无效或已过期，请重新登录。")
    expect(page.locator("a.signin-method[data-method=dingtalk]")).to_have_attribute("href", "/signin/app/")
    shot(page, "signin-06-in-dingtalk-refused")
    context.close()


def test_inside_dingtalk_without_its_jsapi_the_page_says_so(browser, live_server, settings, dingtalk_server):
    """An intranet phone that cannot load DingTalk's script, or a JSAPI that fails: a message and a way on."""
    for name, value in dingtalk_server.settings().items():
        setattr(settings, name, value)
    context = browser.new_context(viewport={"width": 390, "height": 844}, user_agent=DINGTALK_UA, locale="zh-CN")
    page = context.new_page()
    page.route(settings.DINGTALK_JSAPI_URL, lambda route: route.abort())
    page.goto(live_server.url + "/signin/app/")
    expect(page.locator("[data-in-app-error]")).to_be_visible()
    expect(page.locator("[data-in-app-error]")).to_contain_text("钉钉未能确认你的身份")
    shot(page, "signin-07-in-dingtalk-no-jsapi")
    page.click("[data-testid=in-app-login]")
    page.wait_for_url(live_server.url + "/login/")
    context.close()
