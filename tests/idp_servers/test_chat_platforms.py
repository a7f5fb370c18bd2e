"""The local DingTalk, Feishu and WeCom servers (tests/support/chat_platforms/), every endpoint exercised over
HTTP with `requests` as the product will call it: app credentials, the QR/web login page and its redirect,
code → token → user, the in-app 免登 code, the directory for the leaver sync, the documented error codes,
token expiry, forced errors and the record of calls."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests

from tests.support.chat_platforms.base import PAYLOADS, Reply

CALLBACK = "http://127.0.0.1:8765/accounts/dingtalk/callback/"


def dingtalk_user_token(dingtalk, code: str, **overrides) -> requests.Response:
    """POST /v1.0/oauth2/userAccessToken as the product does: the app's key and secret and the person's code."""
    body = {"clientId": dingtalk.app_key, "clientSecret": dingtalk.app_secret, "code": code}
    return requests.post(
        f"{dingtalk.url}/v1.0/oauth2/userAccessToken",
        json={**body, "grantType": "authorization_code", **overrides},
        timeout=5,
    )


def query_of(url: str) -> dict:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def test_every_payload_file_names_its_doc_and_has_a_body():
    files = sorted(PAYLOADS.glob("*/*.json"))
    assert {path.parent.name for path in files} == {"dingtalk", "feishu", "wecom"}
    for path in files:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        assert data["source"].startswith("https://"), path
        assert isinstance(data["body"], dict), path
        assert data.get("status", 200) in (200, 400, 401, 500), path


# --- DingTalk -----------------------------------------------------------------------------------------------------
@pytest.fixture
def dingtalk(dingtalk_server):
    dingtalk_server.add_department(2, "市场部")
    dingtalk_server.add_user("zhangsan", name="张三", email="zhangsan@example.com", mobile="13800000000", department=2)
    dingtalk_server.add_user("lisi", name="李四", email="lisi@example.com", department=[1, 2])
    return dingtalk_server


def dingtalk_app_token(server) -> str:
    answer = requests.get(
        f"{server.url}/gettoken", params={"appkey": server.app_key, "appsecret": server.app_secret}, timeout=5
    ).json()
    assert answer["errcode"] == 0
    return answer["access_token"]


def test_dingtalk_qr_login_then_user_token_then_me(dingtalk):
    login = f"{dingtalk.url}/oauth2/auth?" + urlencode(
        {"redirect_uri": CALLBACK, "response_type": "code", "client_id": dingtalk.app_key, "scope": "openid",
         "state": "st-1", "prompt": "consent"}
    )  # fmt: skip
    page = requests.get(login, timeout=5)
    assert page.status_code == 200 and "张三" in page.text and 'data-userid="zhangsan"' in page.text
    scanned = requests.get(login + "&as=zhangsan", allow_redirects=False, timeout=5)
    assert scanned.status_code == 302
    redirect = scanned.headers["Location"]
    assert redirect.startswith(CALLBACK)
    params = query_of(redirect)
    assert params["state"] == "st-1" and params["authCode"] == params["code"]

    token = dingtalk_user_token(dingtalk, params["authCode"])
    assert token.status_code == 200
    body = token.json()
    assert body["expireIn"] == 7200 and body["corpId"] == dingtalk.corp_id and body["refreshToken"]
    me = requests.get(
        f"{dingtalk.url}/v1.0/contact/users/me", headers={"x-acs-dingtalk-access-token": body["accessToken"]}, timeout=5
    )
    assert me.status_code == 200
    assert me.json() == {
        "nick": "张三", "avatarUrl": "https://static.example.com/avatar/zhangsan.png", "mobile": "13800000000",
        "openId": "open-zhangsan", "unionId": "union-zhangsan", "email": "zhangsan@example.com", "stateCode": "86",
    }  # fmt: skip
    # the code is used once
    again = dingtalk_user_token(dingtalk, params["authCode"])
    assert again.status_code == 400 and again.json()["code"] == "invalidParameter.authCode.notFound"
    # what the product sent is on record
    sent = dingtalk.calls_to("/v1.0/oauth2/userAccessToken")[0].body
    assert sent["clientSecret"] == dingtalk.app_secret


def test_dingtalk_qr_login_page_refuses_another_app_or_a_foreign_redirect(dingtalk):
    wrong_app = requests.get(
        f"{dingtalk.url}/oauth2/auth", params={"client_id": "x", "redirect_uri": CALLBACK}, timeout=5
    )
    assert wrong_app.status_code == 400
    foreign = requests.get(
        f"{dingtalk.url}/oauth2/auth",
        params={"client_id": dingtalk.app_key, "redirect_uri": "https://evil.example.com/cb", "response_type": "code"},
        timeout=5,
    )
    assert foreign.status_code == 400


def test_dingtalk_user_token_errors(dingtalk):
    code = dingtalk.issue_code("zhangsan")
    wrong_secret = dingtalk_user_token(dingtalk, code, clientSecret="wrong")
    assert wrong_secret.status_code == 400 and wrong_secret.json()["code"] == "invalidClientIdOrSecret"
    dingtalk.advance(301)  # codes live five minutes
    expired = dingtalk_user_token(dingtalk, code)
    assert expired.status_code == 400 and expired.json()["code"] == "invalidParameter.authCode.notFound"
    missing = requests.get(f"{dingtalk.url}/v1.0/contact/users/me", timeout=5)
    assert missing.status_code == 400 and missing.json()["code"] == "AuthenticationFailed.MissingParameter"
    bad = requests.get(
        f"{dingtalk.url}/v1.0/contact/users/me", headers={"x-acs-dingtalk-access-token": "nope"}, timeout=5
    )
    assert bad.status_code == 400 and bad.json() == {
        **bad.json(),
        "code": "InvalidAuthentication",
        "message": "不合法的access_token",
    }


def test_dingtalk_user_token_expires_after_expire_in(dingtalk):
    code = dingtalk.issue_code("lisi")
    token = dingtalk_user_token(dingtalk, code).json()
    headers = {"x-acs-dingtalk-access-token": token["accessToken"]}
    assert requests.get(f"{dingtalk.url}/v1.0/contact/users/me", headers=headers, timeout=5).status_code == 200
    dingtalk.advance(token["expireIn"] + 1)
    late = requests.get(f"{dingtalk.url}/v1.0/contact/users/me", headers=headers, timeout=5)
    assert late.status_code == 400 and late.json()["code"] == "InvalidAuthentication"
    refreshed = requests.post(
        f"{dingtalk.url}/v1.0/oauth2/userAccessToken",
        json={"clientId": dingtalk.app_key, "clientSecret": dingtalk.app_secret, "refreshToken": token["refreshToken"],
              "grantType": "refresh_token"},
        timeout=5,
    )  # fmt: skip
    assert refreshed.status_code == 200 and refreshed.json()["accessToken"] != token["accessToken"]


def test_dingtalk_in_app_code_to_userid_and_details(dingtalk):
    wrong = requests.get(f"{dingtalk.url}/gettoken", params={"appkey": dingtalk.app_key, "appsecret": "x"}, timeout=5)
    assert wrong.json() == {"errcode": 40096, "errmsg": "不合法的appKey或appSecret"}
    token = dingtalk_app_token(dingtalk)
    code = dingtalk.issue_code("zhangsan", kind="in_app")
    info = requests.post(
        f"{dingtalk.url}/topapi/v2/user/getuserinfo", params={"access_token": token}, json={"code": code}, timeout=5
    ).json()
    assert info["errcode"] == 0
    assert info["result"]["userid"] == "zhangsan" and info["result"]["unionid"] == "union-zhangsan"
    reused = requests.post(
        f"{dingtalk.url}/topapi/v2/user/getuserinfo", params={"access_token": token}, json={"code": code}, timeout=5
    ).json()
    assert reused == {"errcode": 40078, "errmsg": "不存在的临时授权码"}
    # a QR login code is not an in-app code
    qr = dingtalk.issue_code("zhangsan")
    assert (
        requests.post(
            f"{dingtalk.url}/topapi/v2/user/getuserinfo", params={"access_token": token}, json={"code": qr}, timeout=5
        ).json()["errcode"]
        == 40078
    )
    detail = requests.post(
        f"{dingtalk.url}/topapi/v2/user/get", params={"access_token": token}, json={"userid": "zhangsan"}, timeout=5
    ).json()
    assert detail["errcode"] == 0
    result = detail["result"]
    assert (result["name"], result["email"], result["dept_id_list"], result["active"]) == (
        "张三",
        "zhangsan@example.com",
        [2],
        True,
    )
    bad_token = requests.post(
        f"{dingtalk.url}/topapi/v2/user/get", params={"access_token": "nope"}, json={"userid": "zhangsan"}, timeout=5
    ).json()
    assert bad_token["errcode"] == 88 and bad_token["sub_code"] == "40014"


def test_dingtalk_directory_for_the_leaver_sync(dingtalk):
    token = dingtalk_app_token(dingtalk)

    def post(path, body):
        return requests.post(f"{dingtalk.url}{path}", params={"access_token": token}, json=body, timeout=5).json()

    subs = post("/topapi/v2/department/listsub", {"dept_id": 1})
    assert [(d["dept_id"], d["name"]) for d in subs["result"]] == [(2, "市场部")]
    assert post("/topapi/user/listid", {"dept_id": 2})["result"]["userid_list"] == ["zhangsan", "lisi"]
    assert post("/topapi/user/listid", {"dept_id": 99}) == {
        **post("/topapi/user/listid", {"dept_id": 99}),
        "errcode": 60003,
    }
    page = post("/topapi/v2/user/list", {"dept_id": 2, "cursor": 0, "size": 1})["result"]
    assert page["has_more"] is True and [u["userid"] for u in page["list"]] == ["zhangsan"]
    page = post("/topapi/v2/user/list", {"dept_id": 2, "cursor": page["next_cursor"], "size": 1})["result"]
    assert page["has_more"] is False and [u["userid"] for u in page["list"]] == ["lisi"]

    dingtalk.disable_user("lisi")
    assert post("/topapi/v2/user/get", {"userid": "lisi"})["result"]["active"] is False
    dingtalk.remove_user("lisi")
    assert post("/topapi/v2/user/get", {"userid": "lisi"})["errcode"] == 60121
    assert post("/topapi/user/listid", {"dept_id": 2})["result"]["userid_list"] == ["zhangsan"]


def test_dingtalk_forced_error_and_new_api_app_token(dingtalk):
    dingtalk.fail_next("/gettoken", "system_busy")
    busy = requests.get(
        f"{dingtalk.url}/gettoken", params={"appkey": dingtalk.app_key, "appsecret": dingtalk.app_secret}, timeout=5
    )
    assert busy.json() == {"errcode": -1, "errmsg": "系统繁忙"}
    assert dingtalk_app_token(dingtalk)  # the next call works again
    dingtalk.fail_next("/gettoken", Reply(502, "bad gateway"))
    assert requests.get(f"{dingtalk.url}/gettoken", timeout=5).status_code == 502
    app = requests.post(
        f"{dingtalk.url}/v1.0/oauth2/accessToken",
        json={"appKey": dingtalk.app_key, "appSecret": dingtalk.app_secret},
        timeout=5,
    )
    assert app.status_code == 200 and app.json()["expireIn"] == 7200
    wrong = requests.post(
        f"{dingtalk.url}/v1.0/oauth2/accessToken", json={"appKey": dingtalk.app_key, "appSecret": "x"}, timeout=5
    )
    assert wrong.status_code == 400 and wrong.json()["code"] == "invalidClientIdOrSecret"
    assert set(dingtalk.settings()) >= {
        "DINGTALK_API_BASE",
        "DINGTALK_OAPI_BASE",
        "DINGTALK_LOGIN_BASE",
        "DINGTALK_APP_KEY",
    }


# --- Feishu -------------------------------------------------------------------------------------------------------
@pytest.fixture
def feishu(feishu_server):
    feishu_server.add_department(2, "市场部")
    feishu_server.add_user("wangwu", name="王五", email="wangwu@example.com", mobile="+8613900000000", department=2)
    return feishu_server


def feishu_user_token(feishu, code: str, **overrides) -> requests.Response:
    """POST /open-apis/authen/v2/oauth/token as the product does: the app's id and secret and the person's code."""
    body = {"client_id": feishu.app_id, "client_secret": feishu.app_secret, "code": code}
    return requests.post(
        f"{feishu.url}/open-apis/authen/v2/oauth/token",
        json={"grant_type": "authorization_code", **body, **overrides},
        timeout=5,
    )


def feishu_tenant_token(server) -> str:
    answer = requests.post(
        f"{server.url}/open-apis/auth/v3/tenant_access_token/internal",
        json={"app_id": server.app_id, "app_secret": server.app_secret},
        timeout=5,
    ).json()
    assert answer["code"] == 0 and answer["expire"] == 7200
    return answer["tenant_access_token"]


def test_feishu_web_login_with_pkce_then_user_info(feishu):
    from tests.support.oidc import pkce_pair

    verifier, challenge = pkce_pair()
    authorize = f"{feishu.url}/open-apis/authen/v1/authorize?" + urlencode(
        {"client_id": feishu.app_id, "redirect_uri": CALLBACK, "state": "st-2", "scope": "contact:user.email:readonly",
         "code_challenge": challenge, "code_challenge_method": "S256"}
    )  # fmt: skip
    assert "王五" in requests.get(authorize, timeout=5).text
    redirect = requests.get(authorize + "&as=wangwu", allow_redirects=False, timeout=5).headers["Location"]
    params = query_of(redirect)
    assert redirect.startswith(CALLBACK) and params["state"] == "st-2"
    pkce_failed = feishu_user_token(feishu, params["code"], redirect_uri=CALLBACK, code_verifier=pkce_pair()[0])
    assert pkce_failed.status_code == 400 and pkce_failed.json()["code"] == 20049
    # that try used the code up, as the platform does: a new one
    redirect = requests.get(authorize + "&as=wangwu", allow_redirects=False, timeout=5).headers["Location"]
    code = query_of(redirect)["code"]
    token = feishu_user_token(feishu, code, redirect_uri=CALLBACK, code_verifier=verifier)
    assert token.status_code == 200
    body = token.json()
    assert body["code"] == 0 and body["token_type"] == "Bearer" and body["expires_in"] == 7200
    used = feishu_user_token(feishu, code, redirect_uri=CALLBACK, code_verifier=verifier)
    assert used.status_code == 400 and used.json()["code"] == 20065

    info = requests.get(
        f"{feishu.url}/open-apis/authen/v1/user_info",
        headers={"Authorization": f"Bearer {body['access_token']}"},
        timeout=5,
    )
    data = info.json()["data"]
    assert (data["name"], data["email"], data["open_id"], data["union_id"], data["user_id"]) == (
        "王五", "wangwu@example.com", "open-wangwu", "union-wangwu", "wangwu"
    )  # fmt: skip
    assert data["tenant_key"] == feishu.tenant_key


def test_feishu_token_errors(feishu):
    code = feishu.issue_code("wangwu")
    wrong = feishu_user_token(feishu, code, client_secret="x")
    assert wrong.status_code == 400 and wrong.json() == {
        "code": 20002,
        "error": "invalid_client",
        "error_description": "The client secret is invalid.",
    }
    unknown = feishu_user_token(feishu, "nope")
    assert unknown.json()["code"] == 20003
    feishu.advance(301)
    expired = feishu_user_token(feishu, code)
    assert expired.json()["code"] == 20004
    app = requests.post(
        f"{feishu.url}/open-apis/auth/v3/app_access_token/internal",
        json={"app_id": feishu.app_id, "app_secret": "x"},
        timeout=5,
    )
    assert app.json() == {"code": 10014, "msg": "app secret invalid"}
    info = requests.get(
        f"{feishu.url}/open-apis/authen/v1/user_info", headers={"Authorization": "Bearer u-nope"}, timeout=5
    )
    assert info.json()["code"] == 20005
    assert requests.get(f"{feishu.url}/open-apis/authen/v1/user_info", timeout=5).json()["code"] == 99991661


def test_feishu_historic_oidc_exchange_with_app_token_and_expiry(feishu):
    app = requests.post(
        f"{feishu.url}/open-apis/auth/v3/app_access_token/internal",
        json={"app_id": feishu.app_id, "app_secret": feishu.app_secret},
        timeout=5,
    ).json()
    assert app["code"] == 0 and app["app_access_token"] and app["tenant_access_token"]
    url = f"{feishu.url}/open-apis/authen/v1/oidc/access_token"
    code = feishu.issue_code("wangwu", kind="in_app")  # the in-app 免登 code is exchanged the same way
    refused = requests.post(
        url,
        json={"grant_type": "authorization_code", "code": code},
        headers={"Authorization": "Bearer t-nope"},
        timeout=5,
    )
    assert refused.json()["code"] == 20014
    answer = requests.post(
        url,
        json={"grant_type": "authorization_code", "code": code},
        headers={"Authorization": f"Bearer {app['app_access_token']}"},
        timeout=5,
    ).json()
    assert answer["code"] == 0
    user_token = answer["data"]["access_token"]
    headers = {"Authorization": f"Bearer {user_token}"}
    assert requests.get(f"{feishu.url}/open-apis/authen/v1/user_info", headers=headers, timeout=5).json()["code"] == 0
    feishu.advance(answer["data"]["expires_in"] + 1)
    late = requests.get(f"{feishu.url}/open-apis/authen/v1/user_info", headers=headers, timeout=5)
    assert late.status_code == 400 and late.json()["code"] == 99991677


def test_feishu_directory_status_for_the_leaver_sync(feishu):
    token = feishu_tenant_token(feishu)
    headers = {"Authorization": f"Bearer {token}"}
    get = lambda user_id, id_type="user_id": requests.get(  # noqa: E731
        f"{feishu.url}/open-apis/contact/v3/users/{user_id}",
        params={"user_id_type": id_type},
        headers=headers,
        timeout=5,
    )
    user = get("wangwu").json()["data"]["user"]
    assert user["status"] == {
        "is_frozen": False,
        "is_resigned": False,
        "is_activated": True,
        "is_exited": False,
        "is_unjoin": False,
    }
    assert user["department_ids"] == ["od-00000000000000000000000000000002"]
    assert get("open-wangwu", "open_id").json()["data"]["user"]["user_id"] == "wangwu"
    listed = requests.get(
        f"{feishu.url}/open-apis/contact/v3/users/find_by_department",
        params={"department_id": "od-00000000000000000000000000000002", "user_id_type": "user_id"}, headers=headers, timeout=5,
    ).json()  # fmt: skip
    assert [u["user_id"] for u in listed["data"]["items"]] == ["wangwu"]

    feishu.disable_user("wangwu")
    assert get("wangwu").json()["data"]["user"]["status"]["is_frozen"] is True
    feishu.remove_user("wangwu")
    assert get("wangwu").json()["data"]["user"]["status"]["is_resigned"] is True
    listed = requests.get(
        f"{feishu.url}/open-apis/contact/v3/users/find_by_department",
        params={"department_id": "od-00000000000000000000000000000002"}, headers=headers, timeout=5,
    ).json()  # fmt: skip
    assert listed["data"]["items"] == []
    missing = get("nobody")
    assert missing.status_code == 400 and missing.json()["code"] == 41012
    bad = requests.get(
        f"{feishu.url}/open-apis/contact/v3/users/wangwu", headers={"Authorization": "Bearer t-nope"}, timeout=5
    )
    assert bad.status_code == 400 and bad.json()["code"] == 99991663


def test_feishu_resigned_person_cannot_read_their_user_info(feishu):
    code = feishu.issue_code("wangwu")
    token = feishu_user_token(feishu, code).json()["access_token"]
    feishu.remove_user("wangwu")
    info = requests.get(
        f"{feishu.url}/open-apis/authen/v1/user_info", headers={"Authorization": f"Bearer {token}"}, timeout=5
    )
    assert info.json() == {"code": 20021, "msg": "User resigned"}


# --- WeCom --------------------------------------------------------------------------------------------------------
@pytest.fixture
def wecom(wecom_server):
    wecom_server.add_department(2, "市场部")
    wecom_server.add_user("zhaoliu", name="赵六", email="zhaoliu@example.com", mobile="13700000000", department=[1, 2])
    return wecom_server


def wecom_token(server) -> str:
    answer = requests.get(
        f"{server.url}/cgi-bin/gettoken", params={"corpid": server.corp_id, "corpsecret": server.corp_secret}, timeout=5
    ).json()
    assert answer["errcode"] == 0 and answer["expires_in"] == 7200
    return answer["access_token"]


def test_wecom_web_login_then_userid(wecom):
    login = f"{wecom.url}/wwlogin/sso/login?" + urlencode(
        {
            "login_type": "CorpApp",
            "appid": wecom.corp_id,
            "agentid": wecom.agent_id,
            "redirect_uri": CALLBACK,
            "state": "WWLogin",
        }
    )
    assert "赵六" in requests.get(login, timeout=5).text
    redirect = requests.get(login + "&as=zhaoliu", allow_redirects=False, timeout=5).headers["Location"]
    params = query_of(redirect)
    assert redirect.startswith(CALLBACK) and params["state"] == "WWLogin"
    token = wecom_token(wecom)
    info = requests.get(
        f"{wecom.url}/cgi-bin/auth/getuserinfo", params={"access_token": token, "code": params["code"]}, timeout=5
    ).json()
    assert info == {"errcode": 0, "errmsg": "ok", "userid": "zhaoliu"}
    again = requests.get(
        f"{wecom.url}/cgi-bin/auth/getuserinfo", params={"access_token": token, "code": params["code"]}, timeout=5
    ).json()
    assert again == {"errcode": 40029, "errmsg": "invalid code"}
    outsider = wecom.issue_outsider_code("o-visitor")
    answer = requests.get(
        f"{wecom.url}/cgi-bin/auth/getuserinfo", params={"access_token": token, "code": outsider}, timeout=5
    ).json()
    assert answer == {"errcode": 0, "errmsg": "ok", "openid": "o-visitor", "external_userid": ""}
    wrong_corp = requests.get(login.replace(wecom.corp_id, "wwother"), timeout=5)
    assert wrong_corp.status_code == 400 and "-31027" in wrong_corp.text


def test_wecom_in_app_oauth_with_privateinfo_gives_a_ticket_for_the_email(wecom):
    authorize = f"{wecom.url}/connect/oauth2/authorize?" + urlencode(
        {"appid": wecom.corp_id, "redirect_uri": CALLBACK, "response_type": "code", "scope": "snsapi_privateinfo",
         "state": "s3", "agentid": wecom.agent_id}
    )  # fmt: skip
    code = query_of(requests.get(authorize + "&as=zhaoliu", allow_redirects=False, timeout=5).headers["Location"])[
        "code"
    ]
    token = wecom_token(wecom)
    info = requests.get(
        f"{wecom.url}/cgi-bin/auth/getuserinfo", params={"access_token": token, "code": code}, timeout=5
    ).json()
    assert info["userid"] == "zhaoliu" and info["user_ticket"]
    detail = requests.post(
        f"{wecom.url}/cgi-bin/auth/getuserdetail",
        params={"access_token": token},
        json={"user_ticket": info["user_ticket"]},
        timeout=5,
    ).json()
    assert (detail["errcode"], detail["userid"], detail["email"], detail["mobile"]) == (
        0,
        "zhaoliu",
        "zhaoliu@example.com",
        "13700000000",
    )
    wecom.advance(1801)  # tickets live 1800 s
    late = requests.post(
        f"{wecom.url}/cgi-bin/auth/getuserdetail",
        params={"access_token": wecom_token(wecom)},
        json={"user_ticket": info["user_ticket"]},
        timeout=5,
    ).json()
    assert late["errcode"] == 84014


def test_wecom_credentials_and_token_errors(wecom):
    wrong_corp = requests.get(
        f"{wecom.url}/cgi-bin/gettoken", params={"corpid": "x", "corpsecret": wecom.corp_secret}, timeout=5
    ).json()
    assert wrong_corp["errcode"] == 40013
    wrong_secret = requests.get(
        f"{wecom.url}/cgi-bin/gettoken", params={"corpid": wecom.corp_id, "corpsecret": "x"}, timeout=5
    ).json()
    assert wrong_secret["errcode"] == 40001
    assert wecom.calls_to("/cgi-bin/gettoken")[-1].query["corpsecret"] == "x"
    token = wecom_token(wecom)

    def get(t):
        return requests.get(
            f"{wecom.url}/cgi-bin/user/get", params={"access_token": t, "userid": "zhaoliu"}, timeout=5
        ).json()

    assert get(token)["errcode"] == 0
    assert get("nope")["errcode"] == 40014
    wecom.advance(7201)
    assert get(token)["errcode"] == 42001
    assert (
        requests.get(f"{wecom.url}/cgi-bin/user/get", params={"userid": "zhaoliu"}, timeout=5).json()["errcode"]
        == 41001
    )


def test_wecom_directory_status_for_the_leaver_sync(wecom):
    token = wecom_token(wecom)

    def get(userid):
        return requests.get(
            f"{wecom.url}/cgi-bin/user/get", params={"access_token": token, "userid": userid}, timeout=5
        ).json()

    member = get("zhaoliu")
    assert (member["name"], member["department"], member["email"], member["status"]) == (
        "赵六",
        [1, 2],
        "zhaoliu@example.com",
        1,
    )
    ids = requests.post(
        f"{wecom.url}/cgi-bin/user/list_id", params={"access_token": token}, json={"limit": 1}, timeout=5
    ).json()
    assert ids["dept_user"] == [{"userid": "zhaoliu", "department": 1}] and ids["next_cursor"]
    ids = requests.post(
        f"{wecom.url}/cgi-bin/user/list_id",
        params={"access_token": token},
        json={"cursor": ids["next_cursor"], "limit": 1},
        timeout=5,
    ).json()
    assert ids["dept_user"] == [{"userid": "zhaoliu", "department": 2}] and ids["next_cursor"] == ""
    simple = requests.get(
        f"{wecom.url}/cgi-bin/user/simplelist", params={"access_token": token, "department_id": 2}, timeout=5
    ).json()
    assert [u["userid"] for u in simple["userlist"]] == ["zhaoliu"]
    assert (
        requests.get(
            f"{wecom.url}/cgi-bin/user/simplelist", params={"access_token": token, "department_id": 9}, timeout=5
        ).json()["errcode"]
        == 60003
    )

    for status, number in (("disabled", 2), ("not_activated", 4), ("left", 5)):
        wecom.set_status("zhaoliu", status)
        assert get("zhaoliu")["status"] == number
    wecom.delete_user("zhaoliu")
    assert get("zhaoliu")["errcode"] == 60111
    assert get("nobody")["errcode"] == 60111


def test_wecom_forced_error_for_the_next_call_only(wecom):
    token = wecom_token(wecom)
    wecom.fail_next("/cgi-bin/user/get", "system_busy")
    url = f"{wecom.url}/cgi-bin/user/get"
    assert requests.get(url, params={"access_token": token, "userid": "zhaoliu"}, timeout=5).json()["errcode"] == -1
    assert requests.get(url, params={"access_token": token, "userid": "zhaoliu"}, timeout=5).json()["errcode"] == 0
    assert [call.query["userid"] for call in wecom.calls_to("/cgi-bin/user/get")] == ["zhaoliu", "zhaoliu"]


# --- what the product's sign-in reads besides the person: membership by unionId, department names -------------
def test_dingtalk_union_id_to_userid_and_department_names(dingtalk):
    token = dingtalk_app_token(dingtalk)

    def post(path, body, access_token=token):
        return requests.post(
            f"{dingtalk.url}{path}", params={"access_token": access_token}, json=body, timeout=5
        ).json()

    found = post("/topapi/user/getbyunionid", {"unionid": "union-zhangsan"})
    assert found["errcode"] == 0 and found["result"] == {"contact_type": 0, "userid": "zhangsan"}
    assert post("/topapi/user/getbyunionid", {"unionid": "union-of-someone-else"})["errcode"] == 60121
    dingtalk.remove_user("zhangsan")
    assert post("/topapi/user/getbyunionid", {"unionid": "union-zhangsan"})["errcode"] == 60121
    department = post("/topapi/v2/department/get", {"dept_id": 2})
    assert department["errcode"] == 0
    assert (department["result"]["dept_id"], department["result"]["name"], department["result"]["parent_id"]) == (
        2,
        "市场部",
        1,
    )
    assert post("/topapi/v2/department/get", {"dept_id": 99})["errcode"] == 60003
    assert post("/topapi/v2/department/get", {"dept_id": 2}, access_token="nope")["errcode"] == 88


def test_feishu_department_name(feishu):
    headers = {"Authorization": f"Bearer {feishu_tenant_token(feishu)}"}
    url = f"{feishu.url}/open-apis/contact/v3/departments/"
    params = {"department_id_type": "open_department_id"}
    answer = requests.get(url + "od-00000000000000000000000000000002", params=params, headers=headers, timeout=5)
    assert answer.status_code == 200
    department = answer.json()["data"]["department"]
    assert (department["name"], department["open_department_id"], department["parent_department_id"]) == (
        "市场部",
        "od-00000000000000000000000000000002",
        "0",
    )
    missing = requests.get(url + "od-nope", params=params, headers=headers, timeout=5)
    assert missing.status_code == 400 and missing.json()["code"] == 40015
    refused = requests.get(url + "0", headers={"Authorization": "Bearer t-nope"}, timeout=5)
    assert refused.json()["code"] == 99991663


def test_wecom_department_name(wecom):
    token = wecom_token(wecom)

    def get(dept, access_token=token):
        return requests.get(
            f"{wecom.url}/cgi-bin/department/get", params={"access_token": access_token, "id": dept}, timeout=5
        ).json()

    answer = get(2)
    assert answer["errcode"] == 0
    assert (answer["department"]["id"], answer["department"]["name"], answer["department"]["parentid"]) == (
        2,
        "市场部",
        1,
    )
    assert get(9)["errcode"] == 60003
    assert get(2, access_token="nope")["errcode"] == 40014
