"""A local WeCom (企业微信): qyapi.weixin.qq.com's server API, the web login page (login.work.weixin.qq.com) and
the in-app OAuth page (open.weixin.qq.com) on one 127.0.0.1 port. Payloads: payloads/wecom/*.json, each with
its doc URL. WeCom answers HTTP 200 with `errcode` for every error.

Flows it serves:
- web login: GET /wwlogin/sso/login?login_type=CorpApp&appid=CORPID&agentid=…&redirect_uri=…&state=…
  → redirect_uri?code=…&state=…; GET /cgi-bin/gettoken; GET /cgi-bin/auth/getuserinfo (code → userid);
- in-app 免登 (网页授权): GET /connect/oauth2/authorize?appid=CORPID&redirect_uri=…&response_type=code
  &scope=snsapi_base|snsapi_privateinfo&state=…&agentid=… → redirect_uri?code=…&state=…; the same
  getuserinfo, which also returns a user_ticket for snsapi_privateinfo; POST /cgi-bin/auth/getuserdetail;
- leaver sync: GET /cgi-bin/user/get (status 1 active, 2 disabled, 4 not activated, 5 left; a deleted member
  is 60111), POST /cgi-bin/user/list_id, GET /cgi-bin/user/simplelist; a department's name: GET
  /cgi-bin/department/get.
"""

from __future__ import annotations

import secrets

from .base import PlatformServer, RecordedCall, Reply, body_dict, route

DOCS = "https://developer.work.weixin.qq.com/document/path/"
STATUS = {"active": 1, "disabled": 2, "not_activated": 4, "left": 5}


class WeComServer(PlatformServer):
    platform = "wecom"
    credentials = {"corp_id": "ww0123456789abcdef", "agent_id": "1000002", "corp_secret": None}
    setting_names = {"corp_secret": "SECRET"}
    hosts = {"API": "qyapi.weixin.qq.com", "LOGIN": "login.work.weixin.qq.com", "OAUTH": "open.weixin.qq.com"}

    def __init__(self, **kw):
        self.deleted: set[str] = set()
        super().__init__(**kw)

    def delete_user(self, userid: str) -> None:
        """The member was deleted from the directory: user/get answers 60111."""
        with self._lock:
            self.deleted.add(userid)

    def issue_outsider_code(self, openid: str = "OPENID", external_userid: str = "") -> str:
        """A login code of someone who is not a member of the company (getuserinfo answers `openid`, never a
        `userid`): the product must not sign them in."""
        code = secrets.token_hex(16)
        with self._lock:
            self._codes[code] = {"userid": None, "kind": "outsider", "expires": self.now() + 300,
                                 "openid": openid, "external_userid": external_userid}  # fmt: skip
        return code

    def reset(self) -> None:
        super().reset()
        self.deleted.clear()

    # --- login ------------------------------------------------------------------------------------------------
    @route("GET", "/wwlogin/sso/login")
    def sso_login(self, call: RecordedCall) -> Reply:
        # DOCS + "98152" (企业微信登录组件 / 构造登录链接); errors as the page's codes -31027 etc.
        query = call.query
        if query.get("login_type") != "CorpApp":
            return self.error_page("-31040 login_type 参数错误")
        if query.get("appid") != self.corp_id:
            return self.error_page("-31027 appid 参数错误")
        if query.get("agentid") not in (None, self.agent_id):
            return self.error_page("-31028 agentid 参数错误")
        redirect_uri = query.get("redirect_uri", "")
        if not redirect_uri:
            return self.error_page("-31035 redirect_uri 不能为空")
        if not self.redirect_allowed(redirect_uri):
            return self.error_page("-31039 redirect_uri 与配置的可信域名不一致")
        state = query.get("state", "")
        return self.login_page(call, redirect_uri, lambda code: {"code": code, "state": state}, "企业微信登录")

    @route("GET", "/connect/oauth2/authorize")
    def oauth_authorize(self, call: RecordedCall) -> Reply:
        # DOCS + "91022" (构造网页授权链接): inside WeCom the page redirects at once; here a person is chosen
        query = call.query
        if query.get("appid") != self.corp_id or query.get("response_type") != "code":
            return self.error_page("参数错误 (appid / response_type)")
        redirect_uri = query.get("redirect_uri", "")
        if not self.redirect_allowed(redirect_uri):
            return self.error_page("redirect_uri 需使用应用可信域名")
        state = query.get("state", "")
        private = query.get("scope") == "snsapi_privateinfo" and query.get("agentid") == self.agent_id

        def params(code: str) -> dict:
            with self._lock:
                self._codes[code]["privateinfo"] = private
            return {"code": code, "state": state}

        return self.login_page(call, redirect_uri, params, "企业微信授权")

    # --- server API ---------------------------------------------------------------------------------------------
    @route("GET", "/cgi-bin/gettoken")
    def gettoken(self, call: RecordedCall) -> Reply:
        # DOCS + "91039" (GET /cgi-bin/gettoken?corpid=ID&corpsecret=SECRET)
        credentials = {"corpid": ("corp_id", "invalid_corpid"), "corpsecret": ("corp_secret", "invalid_secret")}
        return self.app_token(call.query, credentials, "gettoken", "expires_in", access_token="app")

    def _token_error(self, call: RecordedCall) -> Reply | None:
        """The guard of the server API's calls: a live access_token in the query."""
        _data, refused = self.live_token(
            call.query.get("access_token") or None,
            "app",
            missing="missing_access_token",
            expired="access_token_expired",
            invalid="invalid_access_token",
        )
        return refused

    @route("GET", "/cgi-bin/auth/getuserinfo", guard=_token_error)
    def getuserinfo(self, call: RecordedCall) -> Reply:
        # DOCS + "91023" (网页授权) and "98176" (企业微信Web登录): GET /cgi-bin/auth/getuserinfo?access_token&code
        status, data = self.take_code(call.query.get("code"))
        if status != "ok":
            return self.payload("invalid_code")
        if data["kind"] == "outsider":
            return self.payload(
                "auth_getuserinfo_non_member", openid=data["openid"], external_userid=data["external_userid"]
            )
        user = self.users[data["userid"]]
        if data.get("privateinfo"):
            ticket, _ttl = self.new_token("ticket", ttl=1800, userid=user.userid)
            return self.payload("auth_getuserinfo", userid=user.userid, user_ticket=ticket)
        answer = self.payload("auth_getuserinfo", userid=user.userid)
        answer.body.pop("user_ticket", None)
        return answer

    @route("POST", "/cgi-bin/auth/getuserdetail", guard=_token_error)
    def getuserdetail(self, call: RecordedCall) -> Reply:
        # DOCS + "95833" (POST /cgi-bin/auth/getuserdetail {user_ticket})
        user, refused = self.token_user(body_dict(call).get("user_ticket"), "ticket", invalid="user_ticket_expired")
        if refused is not None:
            return refused
        return self.payload(
            "auth_getuserdetail",
            userid=user.userid,
            gender="0",
            avatar=f"https://static.example.com/avatar/{user.userid}.png",
            mobile=user.mobile,
            email=user.email,
            biz_mail=user.email,
            address="",
        )

    @route("GET", "/cgi-bin/user/get", guard=_token_error)
    def user_get(self, call: RecordedCall) -> Reply:
        # DOCS + "90196" (GET /cgi-bin/user/get?access_token&userid); status 1/2/4/5
        userid = call.query.get("userid", "")
        user = self.users.get(userid)
        if user is None or userid in self.deleted:
            return self.payload("userid_not_found")
        return self.payload(
            "user_get",
            userid=user.userid,
            name=user.name,
            department=list(user.department),
            order=[0] * len(user.department),
            position=user.title,
            mobile=user.mobile,
            email=user.email,
            biz_mail=user.email,
            is_leader_in_dept=[0] * len(user.department),
            direct_leader=[],
            alias="",
            open_userid=user.open_id,
            main_department=user.department[0] if user.department else 1,
            status=STATUS[user.status],
        )

    def _listed(self) -> list:
        return [u for u in self.users.values() if u.userid not in self.deleted and u.status != "left"]

    @route("POST", "/cgi-bin/user/list_id", guard=_token_error)
    def user_list_id(self, call: RecordedCall) -> Reply:
        # DOCS + "96067" (POST /cgi-bin/user/list_id {cursor, limit}), paged by cursor
        body = body_dict(call)
        rows = [{"userid": u.userid, "department": d} for u in self._listed() for d in u.department]
        start = int(body.get("cursor") or 0)
        limit = max(1, min(int(body.get("limit") or 10000), 10000))
        page = rows[start : start + limit]
        next_cursor = str(start + limit) if start + limit < len(rows) else ""
        return self.payload("user_list_id", next_cursor=next_cursor, dept_user=page)

    @route("GET", "/cgi-bin/user/simplelist", guard=_token_error)
    def user_simplelist(self, call: RecordedCall) -> Reply:
        # DOCS + "90200" (GET /cgi-bin/user/simplelist?access_token&department_id)
        dept = self._department(call, "department_id")
        if dept is None:
            return self.payload("invalid_department")
        members = [u for u in self._listed() if dept in u.department]
        return self.payload(
            "user_simplelist",
            userlist=[
                {"userid": u.userid, "name": u.name, "department": list(u.department), "open_userid": u.open_id}
                for u in members
            ],
        )

    @route("GET", "/cgi-bin/department/get", guard=_token_error)
    def department_get(self, call: RecordedCall) -> Reply:
        # DOCS + "95351" (GET /cgi-bin/department/get?access_token&id)
        dept = self._department(call, "id")
        if dept is None:
            return self.payload("invalid_department")
        name, parent = self.departments[dept]
        return self.payload(
            "department_get",
            department={"id": dept, "name": name, "name_en": "", "department_leader": [], "parentid": parent or 0},
        )

    def _department(self, call: RecordedCall, param: str) -> int | None:
        """The department the query names in `param`, when it exists."""
        try:
            dept = int(call.query.get(param, ""))
        except ValueError:
            return None
        return dept if dept in self.departments else None
