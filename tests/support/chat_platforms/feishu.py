"""A local Feishu/Lark: open.feishu.cn's OpenAPI and accounts.feishu.cn's authorization page on one 127.0.0.1
port. Payloads: payloads/feishu/*.json, each with its doc URL.

Flows it serves:
- web login (and the in-app 免登 code, which Feishu exchanges the same way): GET /open-apis/authen/v1/authorize
  → redirect_uri?code=…&state=…; POST /open-apis/authen/v2/oauth/token (OAuth 2.0, PKCE checked) or the
  historic POST /open-apis/authen/v1/oidc/access_token (app_access_token as Bearer);
  GET /open-apis/authen/v1/user_info (user_access_token as Bearer);
- app tokens: POST /open-apis/auth/v3/app_access_token/internal, /open-apis/auth/v3/tenant_access_token/internal;
- messages: POST /open-apis/im/v1/messages?receive_id_type=union_id (an interactive card, kept in `messages`); a
  button click on such a card as the signed, encrypted card.action.trigger callback the platform would send to the
  product (`card_click`), and the callback URL's check (`url_verification`);
- leaver sync: GET /open-apis/contact/v3/users/:user_id (status.is_resigned / is_frozen / is_activated),
  GET /open-apis/contact/v3/users/find_by_department; a department's name: GET
  /open-apis/contact/v3/departments/:department_id.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
from dataclasses import dataclass

from .base import ChatUser, PlatformServer, RecordedCall, Reply, bearer, body_dict, route
from .callback_signing import feishu_encrypt, feishu_sign

DOCS = "https://open.feishu.cn/document/"
# the OAuth 2.0 token endpoint's answers to a code that is not (or no longer) valid
CODE_REFUSALS = {
    "invalid": "oauth_token_code_not_found",
    "used": "oauth_token_code_used",
    "expired": "oauth_token_code_expired",
}


def open_department_id(dept_id: int) -> str:
    return "0" if dept_id == 1 else f"od-{dept_id:032x}"  # "0" is the root department in Feishu


@dataclass
class SentCard:
    message_id: str
    union_id: str
    card: dict  # the interactive message's content, parsed

    def button(self, label: str) -> dict:
        for element in self.card.get("elements", []):
            for action in element.get("actions", []):
                if action.get("text", {}).get("content") == label:
                    return action
        raise KeyError(label)


@dataclass
class SignedRequest:
    """A callback as the platform sends it: the headers and the raw body to POST to the product."""

    headers: dict[str, str]
    body: bytes


class FeishuServer(PlatformServer):
    platform = "feishu"
    # verification_token and encrypt_key: the app's 事件与回调 → 加密策略 (FEISHU_VERIFICATION_TOKEN, FEISHU_ENCRYPT_KEY)
    credentials = {
        "app_id": "cli_a5ca35a685b0x26e",
        "app_secret": None,
        "verification_token": None,
        "encrypt_key": None,
    }
    hosts = {"API": "open.feishu.cn", "ACCOUNTS": "accounts.feishu.cn"}  # Lark: open.larksuite.com, …

    def __init__(self, tenant_key: str = "736588c92lxf175d", **kw):
        self.tenant_key = tenant_key
        self.messages: list[SentCard] = []
        super().__init__(**kw)

    def reset(self) -> None:
        super().reset()
        self.messages.clear()

    # --- cards and their callbacks ----------------------------------------------------------------------------
    def signed(
        self,
        plain: dict,
        *,
        timestamp: int | None = None,
        encrypt_key: str | None = None,
        signature: str | None = None,
        sign: bool = True,
    ) -> SignedRequest:
        """`plain` encrypted with the app's Encrypt Key and signed as Feishu does (the arguments falsify one part)."""
        key = self.encrypt_key if encrypt_key is None else encrypt_key
        body = json.dumps({"encrypt": feishu_encrypt(json.dumps(plain, ensure_ascii=False), key)}).encode()
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if sign:
            stamp, nonce = str(int(time.time()) if timestamp is None else timestamp), secrets.token_hex(8)
            headers |= {
                "X-Lark-Request-Timestamp": stamp,
                "X-Lark-Request-Nonce": nonce,
                "X-Lark-Signature": signature if signature is not None else feishu_sign(stamp, nonce, key, body),
            }
        return SignedRequest(headers, body)

    def card_click(
        self,
        sent: SentCard,
        label: str,
        userid: str | None = None,
        *,
        union_id: str | None = None,
        token: str | None = None,
        **signing,
    ) -> SignedRequest:
        """The card.action.trigger callback of a click on the button `label` of a card sent by the product, by the
        person `userid` (the card's recipient by default; `union_id` for someone not in the directory)."""
        user = self.users[userid] if userid else next(u for u in self.users.values() if u.unionid == sent.union_id)
        plain = self.payload("card_action_trigger").body
        plain["header"] |= {
            "event_id": secrets.token_hex(16),
            "token": self.verification_token if token is None else token,
            "create_time": str(int(time.time() * 1_000_000)),
            "tenant_key": self.tenant_key,
            "app_id": self.app_id,
        }
        plain["event"]["operator"] = {
            "tenant_key": self.tenant_key,
            "user_id": user.userid,
            "open_id": user.open_id,
            "union_id": union_id or user.unionid,
        }
        plain["event"]["action"] = {"value": sent.button(label)["value"], "tag": "button"}
        plain["event"]["context"] = {"open_message_id": sent.message_id, "open_chat_id": "oc_" + secrets.token_hex(16)}
        plain["event"]["token"] = "c-" + secrets.token_hex(20)
        return self.signed(plain, **signing)

    def url_verification(self, challenge: str = "ajls384kdjx98XX", token: str | None = None) -> SignedRequest:
        plain = self.payload("url_verification").body | {"challenge": challenge}
        plain["token"] = self.verification_token if token is None else token
        return self.signed(plain, sign=False)

    @route("POST", "/open-apis/im/v1/messages")
    def message_create(self, call: RecordedCall) -> Reply:
        # DOCS + "server-docs/im-v1/message/create" (tenant_access_token; receive_id_type union_id)
        refused = self._tenant_error(call)
        if refused is not None:
            return refused
        body = body_dict(call)
        user = next((u for u in self.users.values() if u.unionid == body.get("receive_id")), None)
        if call.query.get("receive_id_type") != "union_id" or user is None or user.status == "left":
            return self.payload("im_message_invalid_receive_id")
        sent = SentCard("om_" + secrets.token_hex(16), user.unionid, json.loads(body.get("content") or "{}"))
        with self._lock:
            self.messages.append(sent)
        answer = self.payload("im_message_create")
        answer.body["data"] |= {
            "message_id": sent.message_id,
            "msg_type": body.get("msg_type"),
            "body": {"content": body.get("content")},
        }
        return answer  # fmt: skip

    # --- login ------------------------------------------------------------------------------------------------
    @route("GET", "/open-apis/authen/v1/authorize")
    def authorize(self, call: RecordedCall) -> Reply:
        # DOCS + "common-capabilities/sso/api/obtain-oauth-code": accounts.feishu.cn/open-apis/authen/v1/authorize
        # ?client_id&redirect_uri&scope&state&code_challenge&code_challenge_method → redirect_uri?code=…&state=…
        return self._authorize(call, call.query.get("client_id"))

    @route("GET", "/open-apis/authen/v1/index")
    def authorize_v1(self, call: RecordedCall) -> Reply:
        # DOCS + "historic-version/authen/obtain-oauth-code": /open-apis/authen/v1/index?app_id&redirect_uri&state
        return self._authorize(call, call.query.get("app_id"))

    def _authorize(self, call: RecordedCall, client_id: str | None) -> Reply:
        if client_id != self.app_id:
            return self.error_page("应用不存在 (client_id)")
        redirect_uri = call.query.get("redirect_uri", "")
        if not self.redirect_allowed(redirect_uri):
            return self.error_page("20029 Invalid redirect uri")
        state = call.query.get("state", "")
        challenge = call.query.get("code_challenge")
        method = call.query.get("code_challenge_method", "plain")

        def params(code: str) -> dict:
            with self._lock:
                self._codes[code].update(redirect_uri=redirect_uri, challenge=challenge, method=method)
            return {"code": code, "state": state}

        return self.login_page(call, redirect_uri, params, "飞书扫码登录")

    def _login_user_error(self, user: ChatUser) -> Reply | None:
        if user.status == "left":
            return self.payload("user_info_resigned")
        if user.status == "disabled":
            return self.payload("user_info_frozen")
        return None

    @route("POST", "/open-apis/authen/v2/oauth/token")
    def oauth_token(self, call: RecordedCall) -> Reply:
        # DOCS + "authentication-management/access-token/get-user-access-token" (POST /open-apis/authen/v2/oauth/token)
        body = body_dict(call)
        if body.get("grant_type") not in ("authorization_code", "refresh_token"):
            return self.payload("oauth_token_unsupported_grant")
        if body.get("client_id") != self.app_id or body.get("client_secret") != self.app_secret:
            return self.payload("oauth_token_invalid_client")
        if body["grant_type"] == "refresh_token":
            userid = self.refreshed_userid(body.get("refresh_token"))
            refused = None if userid else self.payload("oauth_token_code_not_found")
        else:
            userid, refused = self._code_userid(body)
        if refused is not None:
            return refused
        token, ttl, refresh, refresh_ttl = self.user_tokens(userid, refresh_ttl=604800)
        return self.payload(
            "oauth_token", access_token=token, expires_in=ttl, refresh_token=refresh, refresh_token_expires_in=refresh_ttl,
            scope="auth:user.id:read offline_access contact:user.email:readonly",
        )  # fmt: skip

    def _code_userid(self, body: dict) -> tuple[str | None, Reply | None]:
        """The authorization_code grant: (the person, None), or (None, why the code is refused)."""
        status, data = self.take_code(body.get("code"))
        if status != "ok":
            refusal = CODE_REFUSALS[status]
        elif data.get("redirect_uri") and body.get("redirect_uri") and body["redirect_uri"] != data["redirect_uri"]:
            refusal = "oauth_token_redirect_mismatch"
        elif data.get("challenge") and not _pkce_ok(data["challenge"], data.get("method"), body.get("code_verifier")):
            refusal = "oauth_token_pkce_failed"
        else:
            return data["userid"], None
        return None, self.payload(refusal)

    @route("POST", "/open-apis/authen/v1/oidc/access_token")
    @route("POST", "/open-apis/authen/v1/access_token")
    def oidc_access_token(self, call: RecordedCall) -> Reply:
        # DOCS + "historic-version/authen/create-oidc-access_token" (Authorization: Bearer app_access_token)
        if self.token(bearer(call), "app")[0] != "ok":
            return self.payload("oidc_invalid_app_token")
        body = body_dict(call)
        status, data = self.take_code(body.get("code"))
        if status == "expired":
            return self.payload("oidc_expired_code")
        if status != "ok" or body.get("grant_type") != "authorization_code":
            return self.payload("oidc_invalid_code")
        token, ttl, refresh, refresh_ttl = self.user_tokens(data["userid"], refresh_ttl=2592000)
        return self.payload(
            "oidc_access_token",
            data={"access_token": token, "refresh_token": refresh, "token_type": "Bearer", "expires_in": ttl,
                  "refresh_expires_in": refresh_ttl, "scope": "auth:user.id:read contact:user.email:readonly"},
        )  # fmt: skip

    @route("GET", "/open-apis/authen/v1/user_info")
    def user_info(self, call: RecordedCall) -> Reply:
        # DOCS + "server-docs/authentication-management/login-state-management/get" (GET /open-apis/authen/v1/user_info)
        refusals = {"missing": "missing_token", "expired": "user_token_expired", "invalid": "user_info_invalid_token"}
        user, refused = self.token_user(bearer(call), "user", **refusals)
        refused = refused or self._login_user_error(user)
        if refused is not None:
            return refused
        return self.payload(
            "user_info",
            data={
                "name": user.name, "en_name": user.name,
                "avatar_url": f"https://static.example.com/avatar/{user.userid}.png",
                "avatar_thumb": f"https://static.example.com/avatar/{user.userid}_72.png",
                "avatar_middle": f"https://static.example.com/avatar/{user.userid}_240.png",
                "avatar_big": f"https://static.example.com/avatar/{user.userid}_640.png",
                "open_id": user.open_id, "union_id": user.unionid, "email": user.email,
                "enterprise_email": user.email, "user_id": user.userid, "mobile": user.mobile,
                "tenant_key": self.tenant_key, "employee_no": "",
            },
        )  # fmt: skip

    # --- app tokens -------------------------------------------------------------------------------------------
    APP_CREDENTIALS = {"app_id": ("app_id", "app_id_invalid"), "app_secret": ("app_secret", "app_secret_invalid")}

    @route("POST", "/open-apis/auth/v3/app_access_token/internal")
    def app_access_token(self, call: RecordedCall) -> Reply:
        # DOCS + "server-docs/authentication-management/access-token/app_access_token_internal"
        tokens = {"app_access_token": "app", "tenant_access_token": "tenant"}
        return self.app_token(body_dict(call), self.APP_CREDENTIALS, "app_access_token", "expire", **tokens)

    @route("POST", "/open-apis/auth/v3/tenant_access_token/internal")
    def tenant_access_token(self, call: RecordedCall) -> Reply:
        # DOCS + "server-docs/authentication-management/access-token/tenant_access_token_internal"
        return self.app_token(
            body_dict(call), self.APP_CREDENTIALS, "tenant_access_token", "expire", tenant_access_token="tenant"
        )

    # --- directory --------------------------------------------------------------------------------------------
    def _tenant_error(self, call: RecordedCall) -> Reply | None:
        """The guard of the directory calls: a live tenant_access_token as Bearer."""
        return self.live_token(bearer(call), "tenant", missing="missing_token", invalid="tenant_token_invalid")[1]

    def _user_json(self, user: ChatUser) -> dict:
        return {
            "union_id": user.unionid,
            "user_id": user.userid,
            "open_id": user.open_id,
            "name": user.name,
            "en_name": user.name,
            "email": user.email,
            "enterprise_email": user.email,
            "mobile": user.mobile,
            "mobile_visible": True,
            "avatar": {size: f"https://static.example.com/avatar/{user.userid}.png" for size in ("avatar_72", "avatar_240", "avatar_640", "avatar_origin")},
            "status": {
                "is_frozen": user.status == "disabled",
                "is_resigned": user.status == "left",
                "is_activated": user.status in ("active", "disabled"),
                "is_exited": False,
                "is_unjoin": user.status == "not_activated",
            },
            "department_ids": [open_department_id(d) for d in user.department],
            "job_title": user.title,
            "employee_no": "",
            "employee_type": 1,
            "is_tenant_manager": False,
        }  # fmt: skip

    @route("GET", "/open-apis/contact/v3/departments/{department_id}", guard=_tenant_error)
    def department_get(self, call: RecordedCall, department_id: str) -> Reply:
        # DOCS + "server-docs/contact-v3/department/get" (GET /open-apis/contact/v3/departments/:department_id
        # ?department_id_type=open_department_id); an unknown one: 40015
        dept = next((d for d in self.departments if open_department_id(d) == department_id), None)
        if dept is None:
            return self.payload("department_not_exist")
        name, parent = self.departments[dept]
        department = {
            **self.payload("department").body["data"]["department"],  # the documented fields, the test's values:
            "name": name, "i18n_name": {"zh_cn": name, "ja_jp": "", "en_us": ""},
            "parent_department_id": open_department_id(parent) if parent else "",
            "department_id": str(dept), "open_department_id": open_department_id(dept),
            "member_count": len(self.members(dept)),
        }  # fmt: skip
        return self.payload("department", data={"department": department})

    @route("GET", "/open-apis/contact/v3/users/{user_id}", guard=_tenant_error)
    def contact_user(self, call: RecordedCall, user_id: str) -> Reply:
        # DOCS + "server-docs/contact-v3/user/get" (GET /open-apis/contact/v3/users/:user_id?user_id_type=…);
        # a resigned person is still found, with status.is_resigned true
        id_type = call.query.get("user_id_type", "open_id")
        field = {"open_id": "open_id", "union_id": "unionid", "user_id": "userid"}.get(id_type)
        user = next((u for u in self.users.values() if field and getattr(u, field) == user_id), None)
        if user is None:
            return self.payload("contact_user_id_invalid")
        return self.payload("contact_user", data={"user": self._user_json(user)})

    @route("GET", "/open-apis/contact/v3/users/find_by_department", guard=_tenant_error)
    def find_by_department(self, call: RecordedCall) -> Reply:
        # DOCS + "server-docs/contact-v3/user/find_by_department" (people directly in a department, paged;
        # resigned people are not listed). An unknown department lists nobody.
        wanted = call.query.get("department_id", "0")
        dept = next((d for d in self.departments if open_department_id(d) == wanted), None)
        members = self.members(dept) if dept is not None else []
        size = max(1, min(int(call.query.get("page_size", 10) or 10), 50))
        start = int(call.query.get("page_token") or 0)
        page = members[start : start + size]
        has_more = start + size < len(members)
        return self.payload(
            "find_by_department",
            data={
                "has_more": has_more,
                "page_token": str(start + size) if has_more else "",
                "items": [self._user_json(u) for u in page],
            },
        )


def _pkce_ok(challenge: str, method: str | None, verifier: str | None) -> bool:
    if not verifier:
        return False
    if method == "S256":
        digest = hashlib.sha256(verifier.encode("ascii")).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii") == challenge
    return verifier == challenge
