"""A local WeCom (企业微信): qyapi.weixin.qq.com's server API, the web login page (login.work.weixin.qq.com) and
the in-app OAuth page (open.weixin.qq.com) on one 127.0.0.1 port. Payloads: payloads/wecom/*.json, each with
its doc URL. WeCom answers HTTP 200 with `errcode` for every error.

Flows it serves:
- web login: GET /wwlogin/sso/login?login_type=CorpApp&appid=CORPID&agentid=…&redirect_uri=…&state=…
  → redirect_uri?code=…&state=…; GET /cgi-bin/gettoken; GET /cgi-bin/auth/getuserinfo (code → userid);
- in-app 免登 (网页授权): GET /connect/oauth2/authorize?appid=CORPID&redirect_uri=…&response_type=code
  &scope=snsapi_base|snsapi_privateinfo&state=…&agentid=… → redirect_uri?code=…&state=…; the same
  getuserinfo, which also returns a user_ticket for snsapi_privateinfo; POST /cgi-bin/auth/getuserdetail;
- app messages: POST /cgi-bin/message/send (template cards kept in `messages`, each with its response_code) and
  POST /cgi-bin/message/update_template_card; a button click as the encrypted template_card_event the platform would
  POST to the app's callback URL (`template_card_click`), and the URL check's echostr (`echostr_check`);
- leaver sync: GET /cgi-bin/user/get (status 1 active, 2 disabled, 4 not activated, 5 left; a deleted member
  is 60111), POST /cgi-bin/user/list_id, GET /cgi-bin/user/simplelist; a department's name: GET
  /cgi-bin/department/get.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field
from xml.sax.saxutils import escape as xml_escape

from .base import PlatformServer, RecordedCall, Reply, body_dict, route
from .callback_signing import new_encoding_aes_key, wecom_encrypt, wecom_sign

DOCS = "https://developer.work.weixin.qq.com/document/path/"
STATUS = {"active": 1, "disabled": 2, "not_activated": 4, "left": 5}


@dataclass
class SentTemplateCard:
    userid: str
    card: dict
    response_code: str
    updates: list[dict] = field(default_factory=list)
    codes: set[str] = field(default_factory=set)  # response codes not yet used: the send's, then one per click

    def button_key(self, text: str) -> str:
        return next(b["key"] for b in self.card["button_list"] if b["text"] == text and b.get("type", 0) == 0)


@dataclass
class Callback:
    """A request as WeCom sends it to the app's callback URL: its query and body."""

    query: dict[str, str]
    body: bytes = b""


class WeComServer(PlatformServer):
    platform = "wecom"
    # callback_token and encoding_aes_key: the app's 接收消息 settings (WECOM_CALLBACK_TOKEN, WECOM_ENCODING_AES_KEY)
    credentials = {"corp_id": "ww0123456789abcdef", "agent_id": "1000002", "corp_secret": None,
                   "callback_token": None, "encoding_aes_key": ""}  # fmt: skip
    setting_names = {"corp_secret": "SECRET"}
    hosts = {"API": "qyapi.weixin.qq.com", "LOGIN": "login.work.weixin.qq.com", "OAUTH": "open.weixin.qq.com"}

    def __init__(self, **kw):
        self.deleted: set[str] = set()
        self.messages: list[SentTemplateCard] = []
        super().__init__(**kw)
        self.encoding_aes_key = self.encoding_aes_key or new_encoding_aes_key()

    # --- app messages and their callbacks ------------------------------------------------------------------------
    def _signed_query(self, encrypt: str, timestamp: int | None, signature: str | None) -> dict[str, str]:
        stamp, nonce = str(int(time.time()) if timestamp is None else timestamp), secrets.token_hex(5)
        sign = signature if signature is not None else wecom_sign(self.callback_token, stamp, nonce, encrypt)
        return {"msg_signature": sign, "timestamp": stamp, "nonce": nonce}

    def echostr_check(self, echo: str = "1616140317555161061", **falsify) -> tuple[Callback, str]:
        """The GET WeCom sends when the callback URL is saved, and the plain echostr the product must answer."""
        encrypt = wecom_encrypt(echo, falsify.pop("encoding_aes_key", self.encoding_aes_key), self.corp_id)
        query = self._signed_query(encrypt, falsify.get("timestamp"), falsify.get("signature"))
        return Callback({**query, "echostr": encrypt}), echo

    def template_card_click(
        self,
        sent: SentTemplateCard,
        text: str,
        userid: str | None = None,
        *,
        key: str | None = None,
        timestamp: int | None = None,
        signature: str | None = None,
        encoding_aes_key: str | None = None,
        corp_id: str | None = None,
    ) -> Callback:
        """The encrypted template_card_event of a click on the button `text` of a card sent by the product."""
        template = self.payload("template_card_event").body["xml"]
        code = secrets.token_hex(16)  # each click's ResponseCode updates that person's card once (72 hours)
        with self._lock:
            sent.codes.add(code)
        values = {
            "toUser": self.corp_id,
            "FromUser": userid or sent.userid,
            "key111": key if key is not None else sent.button_key(text),
            "taskid111": sent.card["task_id"],
            "ResponseCode": code,
            "123456789": str(int(time.time())),
        }
        plain = template.replace("<AgentID>1</AgentID>", f"<AgentID>{self.agent_id}</AgentID>")
        for placeholder, value in values.items():
            plain = plain.replace(f"[{placeholder}]", f"[{value}]").replace(
                f">{placeholder}<", f">{xml_escape(value)}<"
            )
        encrypt = wecom_encrypt(plain, encoding_aes_key or self.encoding_aes_key, corp_id or self.corp_id)
        body = (
            f"<xml><ToUserName><![CDATA[{self.corp_id}]]></ToUserName><AgentID><![CDATA[{self.agent_id}]]></AgentID>"
            f"<Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>"
        )
        return Callback(self._signed_query(encrypt, timestamp, signature), body.encode())  # fmt: skip

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
        self.messages.clear()

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

    @route("POST", "/cgi-bin/message/send", guard=_token_error)
    def message_send(self, call: RecordedCall) -> Reply:
        # DOCS + "90236" (发送应用消息: template_card); 81013 when no recipient is valid
        body = body_dict(call)
        user = self.users.get(body.get("touser", ""))
        if str(body.get("agentid")) != self.agent_id:
            return self.payload("invalid_agentid")
        if user is None or user.status != "active" or body.get("touser") in self.deleted:
            return self.payload("message_send_invalid_user")
        sent = SentTemplateCard(user.userid, body.get("template_card") or {}, secrets.token_hex(16))
        sent.codes.add(sent.response_code)
        with self._lock:
            self.messages.append(sent)
        return self.payload("message_send", msgid=secrets.token_hex(8), response_code=sent.response_code)

    @route("POST", "/cgi-bin/message/update_template_card", guard=_token_error)
    def update_template_card(self, call: RecordedCall) -> Reply:
        # DOCS + "94888" (更新模版卡片消息): the response_code of a click, once
        body = body_dict(call)
        code = body.get("response_code")
        with self._lock:
            sent = next((m for m in self.messages if code in m.codes), None)
            if sent is None:
                return self.payload("update_template_card_invalid_code")
            sent.codes.discard(code)
            sent.updates.append(body)
        return self.payload("update_template_card")

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
