"""A local DingTalk: the new API (api.dingtalk.com), the old one (oapi.dingtalk.com) and the QR login page
(login.dingtalk.com) on one 127.0.0.1 port. Payloads: payloads/dingtalk/*.json, each with its doc URL.

Flows it serves:
- web QR login: GET /oauth2/auth → (the person "scans") → redirect_uri?authCode=…&code=…&state=…;
  POST /v1.0/oauth2/userAccessToken (authCode → user accessToken); GET /v1.0/contact/users/me;
- in-app login-free (免登): the JSAPI code (`issue_code(userid, kind="in_app")`); GET /gettoken (app token);
  POST /topapi/v2/user/getuserinfo (code → userid, unionid); POST /topapi/v2/user/get (details);
- leaver sync: POST /topapi/v2/department/listsub, /topapi/user/listid, /topapi/v2/user/list, /topapi/v2/user/get;
- a QR sign-in's unionId → the userid in this organisation: POST /topapi/user/getbyunionid (60121 for an outsider
  or a leaver); a department's name: POST /topapi/v2/department/get.
"""

from __future__ import annotations

import secrets

from .base import PlatformServer, RecordedCall, Reply, body_dict

DOCS = "https://open.dingtalk.com/document/orgapp/"


class DingTalkServer(PlatformServer):
    platform = "dingtalk"

    def __init__(
        self, app_key: str = "dingtestappkey", app_secret: str | None = None, corp_id: str = "dingcorp0001", **kw
    ):
        self.app_key = app_key
        self.app_secret = app_secret or secrets.token_urlsafe(24)
        self.corp_id = corp_id
        super().__init__(**kw)

    def settings(self) -> dict:
        return {
            "DINGTALK_APP_KEY": self.app_key,
            "DINGTALK_APP_SECRET": self.app_secret,
            "DINGTALK_CORP_ID": self.corp_id,
            "DINGTALK_API_BASE": self.url,  # https://api.dingtalk.com
            "DINGTALK_OAPI_BASE": self.url,  # https://oapi.dingtalk.com
            "DINGTALK_LOGIN_BASE": self.url,  # https://login.dingtalk.com
        }

    def routes(self):
        return [
            ("GET", "/oauth2/auth", self.qr_login),
            ("POST", "/v1.0/oauth2/userAccessToken", self.user_access_token),
            ("POST", "/v1.0/oauth2/accessToken", self.app_access_token),
            ("GET", "/v1.0/contact/users/{union_id}", self.contact_user),
            ("GET", "/gettoken", self.gettoken),
            ("POST", "/topapi/v2/user/getuserinfo", self.getuserinfo),
            ("POST", "/topapi/v2/user/get", self.user_get),
            ("POST", "/topapi/user/listid", self.user_listid),
            ("POST", "/topapi/v2/user/list", self.user_list),
            ("POST", "/topapi/v2/department/listsub", self.department_listsub),
            ("POST", "/topapi/v2/department/get", self.department_get),
            ("POST", "/topapi/user/getbyunionid", self.getbyunionid),
        ]

    # --- new API ----------------------------------------------------------------------------------------------
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

    def user_access_token(self, call: RecordedCall) -> Reply:
        # DOCS + "obtain-identity-credentials" (POST /v1.0/oauth2/userAccessToken)
        body = body_dict(call)
        if body.get("clientId") != self.app_key or body.get("clientSecret") != self.app_secret:
            return self.payload("user_access_token_invalid_client")
        if body.get("grantType") == "refresh_token":
            status, data = self.token(body.get("refreshToken"), "refresh")
            if status != "ok":
                return self.payload("user_access_token_invalid_code")
            userid = data["userid"]
        else:
            status, data = self.take_code(body.get("code"))
            if status != "ok" or data["kind"] != "login" or body.get("grantType") != "authorization_code":
                return self.payload("user_access_token_invalid_code")
            userid = data["userid"]
        token, ttl = self.new_token("user", userid=userid)
        refresh, _ = self.new_token("refresh", ttl=30 * 86400, userid=userid)
        return self.payload(
            "user_access_token", accessToken=token, refreshToken=refresh, expireIn=ttl, corpId=self.corp_id
        )

    def app_access_token(self, call: RecordedCall) -> Reply:
        # DOCS + "obtain-the-access_token-of-an-internal-app" (POST /v1.0/oauth2/accessToken)
        body = body_dict(call)
        if body.get("appKey") != self.app_key or body.get("appSecret") != self.app_secret:
            return self.payload("access_token_invalid_client")
        token, ttl = self.new_token("app")
        return self.payload("access_token", accessToken=token, expireIn=ttl)

    def contact_user(self, call: RecordedCall, union_id: str) -> Reply:
        # DOCS + "dingtalk-retrieve-user-information" (GET /v1.0/contact/users/me, header x-acs-dingtalk-access-token)
        header = call.header("x-acs-dingtalk-access-token")
        if not header:
            return self.payload("contact_missing_token")
        status, data = self.token(header, "user")
        if status != "ok" or union_id != "me":
            return self.payload("contact_invalid_token")
        user = self.users[data["userid"]]
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
    def gettoken(self, call: RecordedCall) -> Reply:
        # DOCS + "obtain-orgapp-token" (GET /gettoken?appkey=…&appsecret=…)
        if call.query.get("appkey") != self.app_key or call.query.get("appsecret") != self.app_secret:
            return self.payload("gettoken_invalid_credentials")
        token, ttl = self.new_token("app")
        return self.payload("gettoken", access_token=token, expires_in=ttl)

    def _app_token_ok(self, call: RecordedCall) -> bool:
        token = call.query.get("access_token") or body_dict(call).get("access_token")
        return self.token(token, "app")[0] == "ok"

    def getuserinfo(self, call: RecordedCall) -> Reply:
        # DOCS + "obtain-the-userid-of-a-user-by-using-the-log-free" (免登码 → userid)
        if not self._app_token_ok(call):
            return self.payload("oapi_invalid_token")
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

    def user_get(self, call: RecordedCall) -> Reply:
        # DOCS + "query-user-details" (POST /topapi/v2/user/get {userid})
        if not self._app_token_ok(call):
            return self.payload("oapi_invalid_token")
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

    def _dept(self, call: RecordedCall) -> int | None:
        try:
            dept_id = int(body_dict(call).get("dept_id", 1))
        except (TypeError, ValueError):
            return None
        return dept_id if dept_id in self.departments else None

    def user_listid(self, call: RecordedCall) -> Reply:
        # DOCS + "query-the-list-of-department-userids" (POST /topapi/user/listid {dept_id})
        if not self._app_token_ok(call):
            return self.payload("oapi_invalid_token")
        dept_id = self._dept(call)
        if dept_id is None:
            return self.payload("department_not_found")
        return self.payload("user_listid", result={"userid_list": [u.userid for u in self.members(dept_id)]})

    def user_list(self, call: RecordedCall) -> Reply:
        # DOCS + "queries-the-complete-information-of-a-department-user" (POST /topapi/v2/user/list
        # {dept_id, cursor, size}), paged by cursor
        if not self._app_token_ok(call):
            return self.payload("oapi_invalid_token")
        dept_id = self._dept(call)
        if dept_id is None:
            return self.payload("department_not_found")
        body = body_dict(call)
        cursor, size = int(body.get("cursor", 0) or 0), max(1, min(int(body.get("size", 100) or 100), 100))
        members = self.members(dept_id)
        page = [{**self._detail(u), "dept_order": 1, "leader": False} for u in members[cursor : cursor + size]]
        has_more = cursor + size < len(members)
        return self.payload(
            "user_list", result={"has_more": has_more, "next_cursor": cursor + size if has_more else 0, "list": page}
        )

    def department_listsub(self, call: RecordedCall) -> Reply:
        # DOCS + "obtain-the-department-list-v2" (POST /topapi/v2/department/listsub {dept_id})
        if not self._app_token_ok(call):
            return self.payload("oapi_invalid_token")
        dept_id = self._dept(call)
        if dept_id is None:
            return self.payload("department_not_found")
        result = [
            {"auto_add_user": True, "create_dept_group": True, "dept_id": child, "name": name, "parent_id": parent}
            for child, (name, parent) in self.departments.items()
            if parent == dept_id
        ]
        return self.payload("department_listsub", result=result)

    def department_get(self, call: RecordedCall) -> Reply:
        # DOCS + "query-department-details0-v2" (POST /topapi/v2/department/get {dept_id})
        if not self._app_token_ok(call):
            return self.payload("oapi_invalid_token")
        dept_id = self._dept(call)
        if dept_id is None:
            return self.payload("department_not_found")
        name, parent = self.departments[dept_id]
        return self.payload("department_get", result={"dept_id": dept_id, "name": name, "parent_id": parent or 0})

    def getbyunionid(self, call: RecordedCall) -> Reply:
        # DOCS + "query-a-user-by-the-union-id" (POST /topapi/user/getbyunionid {unionid}); someone who is not (or
        # no longer) in this organisation: 60121
        if not self._app_token_ok(call):
            return self.payload("oapi_invalid_token")
        unionid = body_dict(call).get("unionid", "")
        user = next((u for u in self.users.values() if u.unionid == unionid), None)
        if user is None or user.status == "left":
            return self.payload("user_get_not_found")
        return self.payload("getbyunionid", result={"contact_type": 0, "userid": user.userid})
