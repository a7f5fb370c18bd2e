"""A local DingTalk: the new API (api.dingtalk.com), the old one (oapi.dingtalk.com) and the QR login page
(login.dingtalk.com) on one 127.0.0.1 port. Payloads: payloads/dingtalk/*.json, each with its doc URL.

Flows it serves:
- web QR login: GET /oauth2/auth → (the person "scans") → redirect_uri?authCode=…&code=…&state=…;
  POST /v1.0/oauth2/userAccessToken (authCode → user accessToken); GET /v1.0/contact/users/me;
- in-app login-free (免登): the JSAPI code (`issue_code(userid, kind="in_app")`); GET /gettoken (app token);
  POST /topapi/v2/user/getuserinfo (code → userid, unionid); POST /topapi/v2/user/get (details);
- leaver sync: POST /topapi/v2/department/listsub, /topapi/user/listid, /topapi/v2/user/list, /topapi/v2/user/get;
- work notifications: POST /topapi/message/corpconversation/asyncsend_v2 (kept in `messages`);
- a QR sign-in's unionId → the userid in this organisation: POST /topapi/user/getbyunionid (60121 for an outsider
  or a leaver); a department's name: POST /topapi/v2/department/get.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from .base import PlatformServer, RecordedCall, Reply, body_dict, route

DOCS = "https://open.dingtalk.com/document/orgapp/"


@dataclass
class WorkNotification:
    userid: str
    msg: dict

    def button_url(self, title: str) -> str:
        return next(b["action_url"] for b in self.msg["action_card"]["btn_json_list"] if b["title"] == title)


class DingTalkServer(PlatformServer):
    platform = "dingtalk"
    # agent_id: the app's AgentId, for work notifications (DINGTALK_AGENT_ID)
    credentials = {"app_key": "dingtestappkey", "app_secret": None, "corp_id": "dingcorp0001", "agent_id": "2838192001"}
    hosts = {"API": "api.dingtalk.com", "OAPI": "oapi.dingtalk.com", "LOGIN": "login.dingtalk.com"}

    def __init__(self, **kw):
        self.messages: list[WorkNotification] = []
        super().__init__(**kw)

    def reset(self) -> None:
        super().reset()
        self.messages.clear()

    # --- new API ----------------------------------------------------------------------------------------------
    @route("GET", "/oauth2/auth")
    def qr_login(self, call: RecordedCall) -> Reply:
        # DOCS + "tutorial-obtaining-user-personal-information": login.dingtalk.com/oauth2/auth?redirect_uri=…
        # &response_type=code&client_id=…&scope=openid&state=…&prompt=consent → redirect_uri?authCode=…&state=…
        query = call.query
        if query.get("client_id") != self.app_key:
            return self.error_page("应用不存在 (client_id)")
        redirect_uri = query.get("redirect_uri", "")
        if not self.redirect_allowed(redirect_uri) or query.get("response_type") != "code":
            return self.error_page("redirect_uri 或 response_type 不合法")
        state = query.get("state", "")
        return self.login_page(
            call, redirect_uri, lambda code: {"authCode": code, "code": code, "state": state}, "钉钉扫码登录"
        )

    @route("POST", "/v1.0/oauth2/userAccessToken")
    def user_access_token(self, call: RecordedCall) -> Reply:
        # DOCS + "obtain-identity-credentials" (POST /v1.0/oauth2/userAccessToken)
        body = body_dict(call)
        if body.get("clientId") != self.app_key or body.get("clientSecret") != self.app_secret:
            return self.payload("user_access_token_invalid_client")
        if body.get("grantType") == "refresh_token":
            userid = self.refreshed_userid(body.get("refreshToken"))
        else:
            status, data = self.take_code(body.get("code"))
            valid = status == "ok" and data["kind"] == "login" and body.get("grantType") == "authorization_code"
            userid = data["userid"] if valid else None
        if userid is None:
            return self.payload("user_access_token_invalid_code")
        token, ttl, refresh, _ = self.user_tokens(userid, refresh_ttl=30 * 86400)
        return self.payload(
            "user_access_token", accessToken=token, refreshToken=refresh, expireIn=ttl, corpId=self.corp_id
        )

    @route("POST", "/v1.0/oauth2/accessToken")
    def app_access_token(self, call: RecordedCall) -> Reply:
        # DOCS + "obtain-the-access_token-of-an-internal-app" (POST /v1.0/oauth2/accessToken)
        refusal = "access_token_invalid_client"
        credentials = {"appKey": ("app_key", refusal), "appSecret": ("app_secret", refusal)}
        return self.app_token(body_dict(call), credentials, "access_token", "expireIn", accessToken="app")

    @route("GET", "/v1.0/contact/users/{union_id}")
    def contact_user(self, call: RecordedCall, union_id: str) -> Reply:
        # DOCS + "dingtalk-retrieve-user-information" (GET /v1.0/contact/users/me, header x-acs-dingtalk-access-token)
        header = call.header("x-acs-dingtalk-access-token") or None
        user, refused = self.token_user(
            header, "user", missing="contact_missing_token", invalid="contact_invalid_token"
        )
        if refused is not None or union_id != "me":
            return refused or self.payload("contact_invalid_token")
        return self.payload(
            "contact_user_me",
            nick=user.name,
            avatarUrl=f"https://static.example.com/avatar/{user.userid}.png",
            mobile=user.mobile,
            openId=user.open_id,
            unionId=user.unionid,
            email=user.email,
        )

    # --- old API ----------------------------------------------------------------------------------------------
    @route("GET", "/gettoken")
    def gettoken(self, call: RecordedCall) -> Reply:
        # DOCS + "obtain-orgapp-token" (GET /gettoken?appkey=…&appsecret=…)
        refusal = "gettoken_invalid_credentials"
        credentials = {"appkey": ("app_key", refusal), "appsecret": ("app_secret", refusal)}
        return self.app_token(call.query, credentials, "gettoken", "expires_in", access_token="app")

    def _app_token_error(self, call: RecordedCall) -> Reply | None:
        """The guard of the old API's calls: its `access_token` (in the query, or in the body) a live app token."""
        token = call.query.get("access_token") or body_dict(call).get("access_token")
        return self.live_token(token, "app", invalid="oapi_invalid_token")[1]

    @route("POST", "/topapi/v2/user/getuserinfo", guard=_app_token_error)
    def getuserinfo(self, call: RecordedCall) -> Reply:
        # DOCS + "obtain-the-userid-of-a-user-by-using-the-log-free" (免登码 → userid)
        status, data = self.take_code(body_dict(call).get("code"))
        if status != "ok" or data["kind"] != "in_app":
            return self.payload("getuserinfo_invalid_code")
        user = self.users[data["userid"]]
        result = {
            "associated_unionid": "",
            "unionid": user.unionid,
            "device_id": f"device-{user.userid}",
            "sys_level": 0,
            "name": user.name,
            "sys": False,
            "userid": user.userid,
        }
        return self.payload("getuserinfo", result=result, request_id=secrets.token_hex(6))

    def _detail(self, user) -> dict:
        return {
            "userid": user.userid,
            "unionid": user.unionid,
            "name": user.name,
            "avatar": f"https://static.example.com/avatar/{user.userid}.png",
            "state_code": "86",
            "mobile": user.mobile,
            "hide_mobile": False,
            "telephone": "",
            "job_number": "",
            "title": user.title,
            "email": user.email,
            "org_email": user.email,
            "work_place": "",
            "remark": "",
            "dept_id_list": list(user.department),
            "extension": "",
            "hired_date": 1597573616828,
            "active": user.active,
            "admin": False,
            "boss": False,
            "exclusive_account": False,
        }

    @route("POST", "/topapi/message/corpconversation/asyncsend_v2", guard=_app_token_error)
    def asyncsend_v2(self, call: RecordedCall) -> Reply:
        # DOCS + "asynchronous-sending-of-enterprise-session-messages" {agent_id, userid_list, msg}
        body = body_dict(call)
        if str(body.get("agent_id")) != self.agent_id:
            return self.payload("asyncsend_v2_invalid_agent")
        userids = [u for u in str(body.get("userid_list", "")).split(",") if u in self.users]
        with self._lock:
            self.messages.extend(WorkNotification(u, body.get("msg") or {}) for u in userids)
        return self.payload("asyncsend_v2", task_id=secrets.randbelow(10**12), request_id=secrets.token_hex(6))

    @route("POST", "/topapi/v2/user/get", guard=_app_token_error)
    def user_get(self, call: RecordedCall) -> Reply:
        # DOCS + "query-user-details" (POST /topapi/v2/user/get {userid})
        user = self.users.get(body_dict(call).get("userid", ""))
        if user is None or user.status == "left":  # a leaver is removed from the organisation
            return self.payload("user_get_not_found")
        detail = self._detail(user)
        detail.update(
            dept_order_list=[{"dept_id": d, "order": 1} for d in user.department],
            leader_in_dept=[{"dept_id": d, "leader": False} for d in user.department],
            role_list=[],
            real_authed=True,
            senior=False,
        )
        return self.payload("user_get", result=detail)

    @staticmethod
    def _dept_id(call: RecordedCall) -> int | None:
        try:
            return int(body_dict(call).get("dept_id", 1))
        except (TypeError, ValueError):
            return None

    def _department_error(self, call: RecordedCall) -> Reply | None:
        """The guard of the directory calls: a live app token, and a department `dept_id` that exists."""
        refused = self._app_token_error(call)
        if refused is None and self._dept_id(call) not in self.departments:
            return self.payload("department_not_found")
        return refused

    @route("POST", "/topapi/v2/department/get", guard=_department_error)
    def department_get(self, call: RecordedCall) -> Reply:
        # DOCS + "query-department-details0-v2" (POST /topapi/v2/department/get {dept_id})
        dept_id = self._dept_id(call)
        name, parent = self.departments[dept_id]
        return self.payload("department_get", result={"dept_id": dept_id, "name": name, "parent_id": parent or 0})

    @route("POST", "/topapi/user/getbyunionid", guard=_app_token_error)
    def getbyunionid(self, call: RecordedCall) -> Reply:
        # DOCS + "query-a-user-by-the-union-id" (POST /topapi/user/getbyunionid {unionid}); someone who is not (or
        # no longer) in this organisation: 60121
        unionid = body_dict(call).get("unionid", "")
        user = next((u for u in self.users.values() if u.unionid == unionid), None)
        if user is None or user.status == "left":
            return self.payload("user_get_not_found")
        return self.payload("getbyunionid", result={"contact_type": 0, "userid": user.userid})

    @route("POST", "/topapi/user/listid", guard=_department_error)
    def user_listid(self, call: RecordedCall) -> Reply:
        # DOCS + "query-the-list-of-department-userids" (POST /topapi/user/listid {dept_id})
        dept_id = self._dept_id(call)
        return self.payload("user_listid", result={"userid_list": [u.userid for u in self.members(dept_id)]})

    @route("POST", "/topapi/v2/user/list", guard=_department_error)
    def user_list(self, call: RecordedCall) -> Reply:
        # DOCS + "queries-the-complete-information-of-a-department-user" (POST /topapi/v2/user/list
        # {dept_id, cursor, size}), paged by cursor
        dept_id = self._dept_id(call)
        body = body_dict(call)
        cursor, size = int(body.get("cursor", 0) or 0), max(1, min(int(body.get("size", 100) or 100), 100))
        members = self.members(dept_id)
        page = [{**self._detail(u), "dept_order": 1, "leader": False} for u in members[cursor : cursor + size]]
        has_more = cursor + size < len(members)
        return self.payload(
            "user_list", result={"has_more": has_more, "next_cursor": cursor + size if has_more else 0, "list": page}
        )

    @route("POST", "/topapi/v2/department/listsub", guard=_department_error)
    def department_listsub(self, call: RecordedCall) -> Reply:
        # DOCS + "obtain-the-department-list-v2" (POST /topapi/v2/department/listsub {dept_id})
        dept_id = self._dept_id(call)
        result = [
            {"auto_add_user": True, "create_dept_group": True, "dept_id": child, "name": name, "parent_id": parent}
            for child, (name, parent) in self.departments.items()
            if parent == dept_id
        ]
        return self.payload("department_listsub", result=result)
