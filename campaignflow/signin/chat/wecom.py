"""WeCom (企业微信) sign-in for a company's self-built app (自建应用).

- Web (QR) login: login.work.weixin.qq.com/wwlogin/sso/login?login_type=CorpApp&appid=CORP_ID&agentid=… → our
  callback with `code` and `state`.
- In-app 免登: WeCom's built-in browser opens the OAuth page (open.weixin.qq.com/connect/oauth2/authorize, scope
  snsapi_base: silent, no consent screen) → the same callback. No JSAPI script is needed.
- Both: GET qyapi.weixin.qq.com/cgi-bin/auth/getuserinfo (the app's access token + the code) → the member's
  `userid`; someone who is not a member of the company gets an `openid` instead and is refused. Then
  GET /cgi-bin/user/get (name, e-mail where the app may read it, departments, status) and the departments' names
  (GET /cgi-bin/department/get; the main department is the person's department). Subject: the userid (domain/chat_people.py says why).
- Leavers: status 5 (left) or deleted (60111) → gone; 2 (disabled) or 4 (not activated) → inactive.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ..domain import chat_people as people
from .base import ChatProvider, PlatformError


class WeCom(ChatProvider):
    id = "wecom"
    name = _("WeCom")
    in_app_redirect = True

    def configured(self) -> bool:
        return bool(settings.WECOM_CORP_ID and settings.WECOM_AGENT_ID and settings.WECOM_SECRET)

    def credentials_key(self) -> str:
        return f"{settings.WECOM_API_BASE}|{settings.WECOM_CORP_ID}|{settings.WECOM_SECRET}"

    def authorize_url(self, *, redirect_uri: str, state: str, code_challenge: str | None = None) -> str:
        params = {
            "login_type": "CorpApp",
            "appid": settings.WECOM_CORP_ID,
            "agentid": settings.WECOM_AGENT_ID,
            "redirect_uri": redirect_uri,
            "state": state,
        }
        return f"{settings.WECOM_LOGIN_BASE}/wwlogin/sso/login?{urlencode(params)}"

    def in_app_url(self, *, redirect_uri: str, state: str) -> str:
        params = {
            "appid": settings.WECOM_CORP_ID,
            "redirect_uri": redirect_uri,
            "response_type": "code",
            "scope": "snsapi_base",
            "state": state,
            "agentid": settings.WECOM_AGENT_ID,
        }
        return f"{settings.WECOM_OAUTH_BASE}/connect/oauth2/authorize?{urlencode(params)}#wechat_redirect"

    def fetch_app_token(self) -> tuple[str, int]:
        body = self.call(
            "GET",
            f"{settings.WECOM_API_BASE}/cgi-bin/gettoken",
            params={"corpid": settings.WECOM_CORP_ID, "corpsecret": settings.WECOM_SECRET},
        )
        return body["access_token"], int(body.get("expires_in") or 7200)

    def _get(self, path: str, params: dict) -> dict:
        return self.with_app_token(
            lambda token: self.call("GET", f"{settings.WECOM_API_BASE}{path}", params={"access_token": token, **params})
        )

    def login_person(self, code: str, *, redirect_uri: str = "", code_verifier: str | None = None, in_app: bool):
        info = self._get("/cgi-bin/auth/getuserinfo", {"code": code})
        if not info.get("userid"):
            return people.Person(people.GONE)  # openid / external_userid: not a member of this company
        return self.lookup(info["userid"])

    def lookup(self, subject: str) -> people.Person:
        try:
            user = self._get("/cgi-bin/user/get", {"userid": subject})
        except PlatformError as exc:
            if exc.kind == people.NOT_FOUND:
                return people.Person(people.GONE)
            raise
        user = {**user, "userid": user.get("userid") or subject}
        names = self.department_names(list(user.get("department") or []), self._department_name)
        return people.wecom_person(user, names)

    def _department_name(self, dept_id) -> str:
        department = self._get("/cgi-bin/department/get", {"id": dept_id}).get("department") or {}
        return (department.get("name") or "").strip()
