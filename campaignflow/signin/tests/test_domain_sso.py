"""The pure parts of OIDC and the chat apps (ADR 0015): claims → identity, which chat app a browser is, what the
platforms' documented error codes mean, a directory entry → identity. The payloads are the test servers' files,
copied from the platforms' documents."""

from __future__ import annotations

import json

import pytest

from campaignflow.signin.domain import chat_people as people
from campaignflow.signin.domain.oidc_claims import claim_at, group_names, identity_from_claims, merge_userinfo
from tests.support.chat_platforms.base import PAYLOADS


def payload(platform: str, name: str) -> tuple[int, dict]:
    data = json.loads((PAYLOADS / platform / f"{name}.json").read_text(encoding="utf-8"))
    return data.get("status", 200), data["body"]


# --- OIDC claims ------------------------------------------------------------------------------------------------
def test_claims_make_the_identity():
    identity = identity_from_claims(
        {
            "sub": "248289761001",
            "preferred_username": "wangfang",
            "name": "王芳",
            "email": "wangfang@example.com",
            "email_verified": True,
            "groups": ["finance", "marketing"],
        }
    )
    assert (identity.method, identity.subject, identity.username_hint, identity.display_name) == (
        "oidc",
        "248289761001",
        "wangfang",
        "王芳",
    )
    assert identity.email_verified and identity.groups == ("finance", "marketing") and identity.maps_roles


@pytest.mark.parametrize(
    ("claims", "verified"),
    [
        ({"email": "a@example.com", "email_verified": True}, True),
        ({"email": "a@example.com", "email_verified": "true"}, True),  # some IdPs send a string
        ({"email": "a@example.com", "email_verified": False}, False),
        ({"email": "a@example.com"}, False),  # not said: not vouched for
        ({"email": "", "email_verified": True}, False),
    ],
)
def test_email_is_verified_only_when_the_provider_says_so(claims, verified):
    assert identity_from_claims({"sub": "x", **claims}).email_verified is verified


def test_names_and_usernames_from_what_there_is():
    assert identity_from_claims({"sub": "x", "family_name": "张", "given_name": "三"}).display_name == "张三"
    assert identity_from_claims({"sub": "x", "family_name": "Smith", "given_name": "Ann"}).display_name == "Ann Smith"
    assert identity_from_claims({"sub": "x", "email": "li.si@example.com"}).username_hint == "li.si"


def test_a_token_without_subject_is_refused():
    with pytest.raises(ValueError):
        identity_from_claims({"email": "a@example.com"})


def test_groups_claims_in_the_shapes_idps_send():
    assert group_names(["a", "b", "a"]) == ("a", "b")
    assert group_names("finance, marketing directors") == ("finance", "marketing", "directors")
    assert group_names([{"name": "财务部"}, {"displayName": "市场部"}]) == ("财务部", "市场部")
    assert group_names(None) == () and group_names({"x": 1}) == ()
    keycloak = {"sub": "x", "realm_access": {"roles": ["finance"]}}
    assert claim_at(keycloak, "realm_access.roles") == ["finance"]
    assert identity_from_claims(keycloak, groups_claim="realm_access.roles").groups == ("finance",)
    assert claim_at({"https://example.com/groups": ["a"]}, "https://example.com/groups") == ["a"]


def test_without_a_groups_claim_setting_roles_are_left_alone():
    assert identity_from_claims({"sub": "x"}, groups_claim="").maps_roles is False
    # with the setting, a person without groups is mapped (to member), never left with an old role
    assert identity_from_claims({"sub": "x"}).maps_roles is True


def test_userinfo_completes_the_id_token_only_for_the_same_subject():
    token = {"sub": "1", "name": "王芳"}
    assert merge_userinfo(token, {"sub": "1", "email": "w@example.com", "email_verified": True, "groups": ["g"]}) == {
        "sub": "1",
        "name": "王芳",
        "email": "w@example.com",
        "email_verified": True,
        "groups": ["g"],
    }
    assert merge_userinfo(token, {"sub": "2", "email": "intruder@example.com"}) == token
    # the ID token's e-mail stays with its own email_verified
    merged = merge_userinfo({"sub": "1", "email": "a@example.com"}, {"sub": "1", "email_verified": True})
    assert merged == {"sub": "1", "email": "a@example.com"}


# --- chat apps ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("user_agent", "app"),
    [
        ("Mozilla/5.0 (iPhone) AppleWebKit/605.1.15 Mobile/15E148 AliApp(DingTalk/7.6.0) com.laiwang.DingTalk", "dingtalk"),
        ("Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/120 Mobile Safari/537.36 Lark/7.20.0 LarkLocale/zh_CN ChannelName/Feishu", "feishu"),
        ("Mozilla/5.0 (Macintosh) AppleWebKit/605.1.15 Lark/7.1.5 LarkLocale/en_US ChannelName/Lark", "feishu"),
        ("Mozilla/5.0 (iPhone) AppleWebKit/605.1.15 Mobile/15E148 wxwork/4.1.26 MicroMessenger/7.0.1 Language/zh", "wecom"),
        ("Mozilla/5.0 (iPhone) AppleWebKit/605.1.15 Mobile/15E148 MicroMessenger/8.0.47 NetType/WIFI Language/zh_CN", None),
        ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36", None),
        ("", None),
        (None, None),
    ],
)  # fmt: skip
def test_which_chat_app_a_browser_is(user_agent, app):
    assert people.chat_app(user_agent) == app


# The platforms' documented answers (the test servers' payload files) by what they mean; None: success.
MEANINGS = [
    ("dingtalk", None, ["gettoken", "user_access_token"]),
    ("dingtalk", people.APP_CREDENTIALS, ["gettoken_invalid_credentials", "user_access_token_invalid_client"]),
    ("dingtalk", people.INVALID_CODE, ["getuserinfo_invalid_code", "user_access_token_invalid_code"]),
    ("dingtalk", people.TOKEN_INVALID, ["oapi_invalid_token", "contact_invalid_token"]),  # errcode 88, sub_code 40014
    ("dingtalk", people.NOT_FOUND, ["user_get_not_found"]),
    ("dingtalk", people.UNAVAILABLE, ["system_busy"]),
    ("feishu", None, ["oauth_token"]),
    ("feishu", people.INVALID_CODE, ["oauth_token_code_expired", "oauth_token_code_used", "oauth_token_pkce_failed"]),
    ("feishu", people.APP_CREDENTIALS, ["oauth_token_invalid_client", "app_secret_invalid"]),
    ("feishu", people.TOKEN_INVALID, ["tenant_token_invalid", "user_token_expired"]),
    ("feishu", people.DISABLED, ["user_info_resigned", "user_info_frozen"]),
    ("feishu", people.NOT_FOUND, ["contact_user_id_invalid"]),
    ("feishu", people.UNAVAILABLE, ["oauth_token_server_error"]),
    ("wecom", None, ["gettoken"]),
    ("wecom", people.INVALID_CODE, ["invalid_code"]),
    ("wecom", people.APP_CREDENTIALS, ["invalid_secret", "invalid_corpid"]),
    ("wecom", people.TOKEN_INVALID, ["access_token_expired", "invalid_access_token"]),
    ("wecom", people.NOT_FOUND, ["userid_not_found"]),
    ("wecom", people.UNAVAILABLE, ["system_busy"]),
]


@pytest.mark.parametrize(
    ("platform", "name", "kind"), [(platform, name, kind) for platform, kind, names in MEANINGS for name in names]
)
def test_the_platforms_documented_answers_mean_what_their_documents_say(platform, name, kind):
    status, body = payload(platform, name)
    problem = people.PROBLEMS[platform](status, body)
    assert (problem[0] if problem else None) == kind


def test_an_unknown_error_code_is_neither_success_nor_a_guess():
    assert people.wecom_problem(200, {"errcode": 12345, "errmsg": "new"}) == (people.OTHER, "12345")
    assert people.feishu_problem(502, {"msg": "bad gateway"}) == (people.UNAVAILABLE, "HTTP 502")
    assert people.dingtalk_problem(503, {}) == (people.UNAVAILABLE, "HTTP 503")


def test_a_dingtalk_person_from_the_directory():
    _status, body = payload("dingtalk", "user_get")
    detail = {**body["result"], "dept_id_list": [1, 2], "active": True, "org_email": "zhangsan@corp.example.com"}
    person = people.dingtalk_person(detail, {1: "测试公司", 2: "财务部"})
    assert person.state == people.ACTIVE
    identity = person.identity
    assert (identity.subject, identity.display_name, identity.email, identity.department) == (
        body["result"]["unionid"],
        "张三",
        "zhangsan@corp.example.com",
        "财务部",  # not the company itself
    )
    assert identity.groups == ("测试公司", "财务部") and identity.email_verified
    assert people.dingtalk_person({**detail, "active": False}, {}).state == people.INACTIVE


@pytest.mark.parametrize(
    ("status", "state"),
    [
        ({"is_resigned": True}, people.GONE),
        ({"is_frozen": True, "is_activated": True}, people.INACTIVE),
        ({"is_activated": False, "is_unjoin": True}, people.INACTIVE),
        ({"is_activated": True, "is_frozen": False, "is_resigned": False}, people.ACTIVE),
    ],
)
def test_a_feishu_person_status(status, state):
    _status, body = payload("feishu", "contact_user")
    assert people.feishu_person({**body["data"]["user"], "status": status}, {}).state == state


def test_a_feishu_person_without_departments_leaves_the_role_alone():
    """The login's user_info has no departments (an app without the contact permission)."""
    _status, body = payload("feishu", "user_info")
    identity = people.feishu_identity(body["data"], {})
    assert identity.subject == body["data"]["union_id"] and identity.maps_roles is False


@pytest.mark.parametrize(
    ("status", "state"), [(1, people.ACTIVE), (2, people.INACTIVE), (4, people.INACTIVE), (5, people.GONE)]
)
def test_a_wecom_person_status_and_main_department(status, state):
    _status, body = payload("wecom", "user_get")
    person = people.wecom_person({**body, "status": status, "main_department": 2}, {1: "测试公司", 2: "研发部"})
    assert person.state == state
    if state == people.ACTIVE:
        assert (person.identity.subject, person.identity.department) == ("zhangsan", "研发部")
