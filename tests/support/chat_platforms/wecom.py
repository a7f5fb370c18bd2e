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

from .base import PlatformServer, RecordedCall, Reply, body_dict

DOCS = "https://developer.work.weixin.qq.com/document/path/"
STATUS = {"active": 1, "disabled": 2, "not_activated": 4, "left": 5}


class WeComServer(PlatformServer):
    platform = "wecom"

    def __init__(
        self, corp_id: str = "ww0123456789abcdef", corp_secret: str | None = None, agent_id: str = "1000002", **kw
    ):
        self.corp_id = corp_id
        self.corp_secret = corp_secret or secrets.token_urlsafe(24)
        self.agent_id = agent_id
        self.deleted: set[str] = set()
        super().__init__(**kw)

    def settings(self) -> dict:
        return {
            "WECOM_CORP_ID": self.corp_id,
            "WECOM_AGENT_ID": self.agent_id,
            "WECOM_SECRET": self.corp_secret,
            "WECOM_API_BASE": self.url,  # https://qyapi.weixin.qq.com
            "WECOM_LOGIN_BASE": self.url,  # https://login.work.weixin.qq.com
            "WECOM_OAUTH_BASE": self.url,  # https://open.weixin.qq.com
        }

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

    def routes(self):
        return [
            ("GET", "/wwlogin/sso/login", self.sso_login),
            ("GET", "/connect/oauth2/authorize", self.oauth_authorize),
            ("GET", "/cgi-bin/gettoken", self.gettoken),
            ("GET", "/cgi-bin/auth/getuserinfo", self.getuserinfo),
            ("POST", "/cgi-bin/auth/getuserdetail", self.getuserdetail),
            ("GET", "/cgi-bin/user/get", self.user_get),
            ("POST", "/cgi-bin/user/list_id", self.user_list_id),
            ("GET", "/cgi-bin/user/simplelist", self.user_simplelist),
            ("GET", "/cgi-bin/department/get", self.department_get),
        ]

    # --- login ------------------------------------------------------------------------------------------------
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
    def gettoken(self, call: RecordedCall) -> Reply:
        # DOCS + "91039" (GET /cgi-bin/gettoken?corpid=ID&corpsecret=SECRET)
        if call.query.get("corpid") != self.corp_id:
            return self.payload("invalid_corpid")
        if call.query.get("corpsecret") != self.corp_secret:
            return self.payload("invalid_secret")
        token, ttl = self.new_token("app")
        return self.payload("gettoken", access_token=token, expires_in=ttl)

    def _token_error(self, call: RecordedCall) -> Reply | None:
        token = call.query.get("access_token")
        if not token:
            return self.payload("missing_access_token")
        status, _data = self.token(token, "app")
        if status == "expired":
            return self.payload("access_token_expired")
        if status != "ok":
            return self.payload("invalid_access_token")
        return None

    def getuserinfo(self, call: RecordedCall) -> Reply:
        # DOCS + "91023" (网页授权) and "98176" (企业微信Web登录): GET /cgi-bin/auth/getuserinfo?access_token&code
        refused = self._token_error(call)
        if refused is not None:
            return refused
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

    def getuserdetail(self, call: RecordedCall) -> Reply:
        # DOCS + "95833" (POST /cgi-bin/auth/getuserdetail {user_ticket})
        refused = self._token_error(call)
        if refused is not None:
            return refused
        status, data = self.token(body_dict(call).get("user_ticket"), "ticket")
        if status != "ok":
            return self.payload("user_ticket_expired")
        user = self.users[data["userid"]]
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

    def user_get(self, call: RecordedCall) -> Reply:
        # DOCS + "90196" (GET /cgi-bin/user/get?access_token&userid); status 1/2/4/5
        refused = self._token_error(call)
        if refused is not None:
            return refused
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

    def user_list_id(self, call: RecordedCall) -> Reply:
        # DOCS + "96067" (POST /cgi-bin/user/list_id {cursor, limit}), paged by cursor
        refused = self._token_error(call)
        if refused is not None:
            return refused
        body = body_dict(call)
        rows = [{"userid": u.userid, "department": d} for u in self._listed() for d in u.department]
        start = int(body.get("cursor") or 0)
        limit = max(1, min(int(body.get("limit") or 10000), 10000))
        page = rows[start : start + limit]
        next_cursor = str(start + limit) if start + limit < len(rows) else ""
        return self.payload("user_list_id", next_cursor=next_cursor, dept_user=page)

    def user_simplelist(self, call: RecordedCall) -> Reply:
        # DOCS + "90200" (GET /cgi-bin/user/simplelist?access_token&department_id)
        refused = self._token_error(call)
        if refused is not None:
            return refused
        try:
            dept = int(call.query.get("department_id", ""))
        except ValueError:
            dept = -1
        if dept not in self.departments:
            return self.payload("invalid_department")
        members = [u for u in self._listed() if dept in u.department]
        return self.payload(
            "user_simplelist",
            userlist=[
                {"userid": u.userid, "name": u.name, "department": list(u.department), "open_userid": u.open_id}
                for u in members
            ],
        )

    def department_get(self, call: RecordedCall) -> Reply:
        # DOCS + "95351" (GET /cgi-bin/department/get?access_token&id)
        refused = self._token_error(call)
        if refused is not None:
            return refused
        try:
            dept = int(call.query.get("id", ""))
        except ValueError:
            dept = -1
        if dept not in self.departments:
            return self.payload("invalid_department")
        name, parent = self.departments[dept]
        return self.payload(
            "department_get",
            department={"id": dept, "name": name, "name_en": "", "department_leader": [], "parentid": parent or 0},
        )
