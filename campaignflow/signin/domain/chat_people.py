"""DingTalk, Feishu/Lark and WeCom as plain values: which chat app a browser is, what a platform's answer means
(its error codes), and a person from its directory → an `Identity`. No HTTP here (signin/chat/ does that).

The subject (ExternalIdentity.subject) of each platform, chosen to be the id that both ways of signing in give and
that the directory API can be asked about later:
- DingTalk: the `unionId` (unionid). The QR login (new API, contact/users/me) gives only the unionId; the in-app
  免登 code gives userid and unionid; the directory finds a unionId's userid (topapi/user/getbyunionid) — which is
  also how an outsider's QR sign-in is refused (60121). A userid is only unique within one organisation.
- Feishu/Lark: the `union_id` — the same person for every app of the same developer in the tenant (an `open_id`
  differs per app, so a second app would make a second account); the contact API reads a person by union_id.
- WeCom: the `userid` — a self-built app's web login and in-app OAuth both answer the userid, and the directory
  API (user/get) takes it. It is the member's account in the company's WeCom, chosen by its administrator.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .identity import Identity

PLATFORMS = ("dingtalk", "feishu", "wecom")

# What a platform's answer means, for the product: one of these kinds (None: a good answer).
INVALID_CODE = "invalid_code"  # the login code is unknown, used, expired or not for this app
APP_CREDENTIALS = "app_credentials"  # the app's key/secret (or corp id) is refused: a configuration error
TOKEN_INVALID = "token_invalid"  # the app's access token is expired or unknown: fetch a new one and try again
NOT_FOUND = "not_found"  # no such person (or department) in this company's directory
DISABLED = "disabled"  # the person is frozen/disabled or has left (answered as an error by the login API)
NO_PERMISSION = "no_permission"  # the app may not read that (contact permission / visible range)
UNAVAILABLE = "unavailable"  # busy, a server error, not JSON: ask again later
OTHER = "other"


def chat_app(user_agent: str | None) -> str | None:
    """The chat app whose built-in browser sent this User-Agent: "dingtalk", "feishu" (Feishu and Lark) or "wecom"
    (企业微信, whose UA also says MicroMessenger: checked first). WeChat itself is none of them."""
    ua = (user_agent or "").lower()
    if "wxwork" in ua:
        return "wecom"
    if "dingtalk" in ua:
        return "dingtalk"
    if "lark/" in ua or "feishu" in ua:
        return "feishu"
    return None


def _code(body: Mapping, *keys: str) -> object:
    for key in keys:
        if key in body:
            return body[key]
    return None


DINGTALK_CODES = {
    40078: INVALID_CODE,  # 不存在的临时授权码
    40096: APP_CREDENTIALS,  # 不合法的appKey或appSecret
    40089: APP_CREDENTIALS,  # 不合法的corpid或corpsecret
    40014: TOKEN_INVALID,  # 不合法的access_token
    42001: TOKEN_INVALID,  # access_token 超时
    41001: TOKEN_INVALID,  # 缺少access_token参数
    60121: NOT_FOUND,  # 找不到该用户
    60003: NOT_FOUND,  # 部门不存在
    60011: NO_PERMISSION,  # 管理员权限不足
    60020: NO_PERMISSION,  # 访问ip不在白名单之中
    -1: UNAVAILABLE,  # 系统繁忙
}


def dingtalk_problem(status: int, body: Mapping) -> tuple[str, str] | None:
    """(kind, the platform's code) of a DingTalk answer, None when it is a good one. The old API (oapi) answers
    HTTP 200 with `errcode` (88 carries the real one in `sub_code`); the new API (api.dingtalk.com) answers HTTP
    400 with a text `code`."""
    code = body.get("code")
    if isinstance(code, str) and code:
        if code == "invalidClientIdOrSecret" or code.startswith("invalidClient"):
            return APP_CREDENTIALS, code
        if "authcode" in code.lower() or code.startswith("invalidParameter.code"):
            return INVALID_CODE, code
        if code.startswith(("InvalidAuthentication", "AuthenticationFailed")):
            return TOKEN_INVALID, code
        if status >= 500 or code.lower().startswith(("throttling", "servicebusy", "systemerror")):
            return UNAVAILABLE, code
        return OTHER, code
    errcode = body.get("errcode")
    if errcode in (0, None) and status < 400:
        return None
    if errcode == 88 and str(body.get("sub_code", "")).lstrip("-").isdigit():
        errcode = int(body["sub_code"])
    if isinstance(errcode, int):
        return DINGTALK_CODES.get(errcode, UNAVAILABLE if status >= 500 else OTHER), str(errcode)
    return (UNAVAILABLE if status >= 500 else OTHER), f"HTTP {status}"


FEISHU_CODES = {
    20003: INVALID_CODE,  # the code is not found (used once only)
    20004: INVALID_CODE,  # the code has expired
    20065: INVALID_CODE,  # the code has been used
    20049: INVALID_CODE,  # PKCE code challenge failed
    20071: INVALID_CODE,  # redirect URI does not match the authorization's
    20002: APP_CREDENTIALS,  # the client secret is invalid
    10003: APP_CREDENTIALS,  # invalid param (app_id)
    10014: APP_CREDENTIALS,  # app secret invalid
    20014: TOKEN_INVALID,  # the app access token is invalid
    99991663: TOKEN_INVALID,  # invalid access token
    99991661: TOKEN_INVALID,  # need a token
    99991677: TOKEN_INVALID,  # token expired
    99991668: TOKEN_INVALID,  # invalid access token (user)
    20005: TOKEN_INVALID,  # the user access token is invalid
    20021: DISABLED,  # user resigned
    20022: DISABLED,  # user frozen
    41012: NOT_FOUND,  # user id invalid (not in this tenant)
    40015: NOT_FOUND,  # department not exist
    40004: NO_PERMISSION,  # no dept authority
    99991672: NO_PERMISSION,  # the app lacks the API's permission
    99991679: NO_PERMISSION,  # the user did not grant the permission
    20050: UNAVAILABLE,  # server error, retry
}


def feishu_problem(status: int, body: Mapping) -> tuple[str, str] | None:
    """(kind, code) of a Feishu/Lark answer (`code` 0 is good), None when it is a good one."""
    code = _code(body, "code")
    if code == 0 and status < 400:
        return None
    if isinstance(code, int):
        return FEISHU_CODES.get(code, UNAVAILABLE if status >= 500 else OTHER), str(code)
    return (UNAVAILABLE if status >= 500 else OTHER), f"HTTP {status}"


WECOM_CODES = {
    40029: INVALID_CODE,  # invalid code
    84014: INVALID_CODE,  # invalid user ticket
    40013: APP_CREDENTIALS,  # invalid corpid
    40001: APP_CREDENTIALS,  # invalid credential (secret)
    40056: APP_CREDENTIALS,  # invalid agentid
    40014: TOKEN_INVALID,  # invalid access_token
    42001: TOKEN_INVALID,  # access_token expired
    41001: TOKEN_INVALID,  # access_token missing
    60111: NOT_FOUND,  # userid not found
    60003: NOT_FOUND,  # department not found
    60123: NOT_FOUND,  # invalid party id
    60011: NO_PERMISSION,  # no privilege to access/modify the contact
    48002: NO_PERMISSION,  # api forbidden
    60020: NO_PERMISSION,  # not allowed to access from this ip
    -1: UNAVAILABLE,  # system busy
}


def wecom_problem(status: int, body: Mapping) -> tuple[str, str] | None:
    """(kind, errcode) of a WeCom answer (HTTP 200 with `errcode` for every error), None when it is good."""
    errcode = body.get("errcode", 0)
    if errcode == 0 and status < 400:
        return None
    if isinstance(errcode, int):
        return WECOM_CODES.get(errcode, UNAVAILABLE if status >= 500 else OTHER), str(errcode)
    return (UNAVAILABLE if status >= 500 else OTHER), f"HTTP {status}"


PROBLEMS = {"dingtalk": dingtalk_problem, "feishu": feishu_problem, "wecom": wecom_problem}


# --- people ---------------------------------------------------------------------------------------------------
ACTIVE, GONE, INACTIVE = "active", "gone", "inactive"


@dataclass(frozen=True)
class Person:
    """A person as the platform's directory has them now: `state` active, gone (left / not in this company) or
    inactive (disabled, frozen, not yet activated); `identity` for an active one."""

    state: str
    identity: Identity | None = None


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _username(email: str, userid: str) -> str:
    return email.split("@", 1)[0] if email else userid


def _departments(ids: Sequence, names: Mapping, root: object) -> tuple[str, tuple[str, ...]]:
    """(the main department's name, every department's name): the first department that is not the root (the
    whole company) is the main one; names the app may not read are left out."""
    named = [(dept, names[dept]) for dept in ids if names.get(dept)]
    main = next((name for dept, name in named if dept != root), named[0][1] if named else "")
    return main, tuple(dict.fromkeys(name for _dept, name in named))


def dingtalk_person(detail: Mapping, department_names: Mapping[int, str]) -> Person:
    """A person from DingTalk's POST /topapi/v2/user/get `result` (active false: disabled)."""
    if not detail.get("active", True):
        return Person(INACTIVE)
    unionid, userid = _text(detail.get("unionid")), _text(detail.get("userid"))
    email = _text(detail.get("org_email")) or _text(detail.get("email"))
    department, groups = _departments(list(detail.get("dept_id_list") or []), department_names, 1)
    return Person(
        ACTIVE,
        Identity(
            method="dingtalk",
            subject=unionid,
            username_hint=_username(email, userid),
            display_name=_text(detail.get("name")),
            email=email,
            email_verified=bool(email),  # the company's directory, kept by its administrators
            department=department,
            groups=groups,
        ),
    )


def feishu_person(user: Mapping, department_names: Mapping[str, str]) -> Person:
    """A person from Feishu's GET /open-apis/contact/v3/users/:id `data.user` (status: resigned → gone; frozen or
    not yet activated → inactive)."""
    status = user.get("status") or {}
    if status.get("is_resigned") or status.get("is_exited"):
        return Person(GONE)
    if status.get("is_frozen") or status.get("is_activated") is False or status.get("is_unjoin"):
        return Person(INACTIVE)
    return Person(ACTIVE, feishu_identity(user, department_names))


def feishu_identity(user: Mapping, department_names: Mapping[str, str]) -> Identity:
    """The identity of a Feishu person (from the contact API, or the login's user_info without departments)."""
    email = _text(user.get("enterprise_email")) or _text(user.get("email"))
    department, groups = _departments(list(user.get("department_ids") or []), department_names, "0")
    return Identity(
        method="feishu",
        subject=_text(user.get("union_id")),
        username_hint=_username(email, _text(user.get("user_id")) or _text(user.get("open_id"))),
        display_name=_text(user.get("name")) or _text(user.get("en_name")),
        email=email,
        email_verified=bool(email),
        department=department,
        groups=groups,
        maps_roles=bool(user.get("department_ids") is not None),
    )


WECOM_STATES = {1: ACTIVE, 2: INACTIVE, 4: INACTIVE, 5: GONE}


def wecom_person(user: Mapping, department_names: Mapping[int, str]) -> Person:
    """A person from WeCom's GET /cgi-bin/user/get (status 1 active, 2 disabled, 4 not activated, 5 left)."""
    state = WECOM_STATES.get(user.get("status", 1), INACTIVE)
    if state != ACTIVE:
        return Person(state)
    userid = _text(user.get("userid"))
    email = _text(user.get("biz_mail")) or _text(user.get("email"))
    ids = list(user.get("department") or [])
    main = user.get("main_department")
    if main in ids:
        ids = [main, *(d for d in ids if d != main)]
    department, groups = _departments(ids, department_names, 1)
    return Person(
        ACTIVE,
        Identity(
            method="wecom",
            subject=userid,
            username_hint=userid,
            display_name=_text(user.get("name")) or userid,
            email=email,
            email_verified=bool(email),
            department=department,
            groups=groups,
        ),
    )
