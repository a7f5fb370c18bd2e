"""DingTalk (钉钉) sign-in for an organisation's internal app (企业内部应用).

- QR login (new API, as django-allauth's DingTalk provider does it): login.dingtalk.com/oauth2/auth → our callback
  with `authCode` and `state` → POST api.dingtalk.com/v1.0/oauth2/userAccessToken → GET /v1.0/contact/users/me
  (the person's unionId). Then, with the app's token, POST oapi.dingtalk.com/topapi/user/getbyunionid: someone
  outside this organisation is refused there (60121) — DingTalk's QR page lets anyone with a DingTalk account scan.
- In-app 免登: the page's JSAPI (`dd.requestAuthCode` / `dd.runtime.permission.requestAuthCode` with the corp id)
  hands us a code → POST /topapi/v2/user/getuserinfo (userid and unionid).
- Both then read POST /topapi/v2/user/get (name, e-mail, departments, `active`) and the departments' names
  (POST /topapi/v2/department/get). Subject: the unionId (domain/chat_people.py says why).
- Leavers: the same reads by unionId: not found (60121) → gone, `active` false → disabled.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ..domain import chat_people as people
from .base import ChatProvider, PlatformError


class DingTalk(ChatProvider):
    id = "dingtalk"
    name = _("DingTalk")

    def configured(self) -> bool:
        return bool(settings.DINGTALK_APP_KEY and settings.DINGTALK_APP_SECRET and settings.DINGTALK_CORP_ID)

    def credentials_key(self) -> str:
        return f"{settings.DINGTALK_OAPI_BASE}|{settings.DINGTALK_APP_KEY}|{settings.DINGTALK_APP_SECRET}"

    def authorize_url(self, *, redirect_uri: str, state: str, code_challenge: str | None = None) -> str:
        params = {
            "redirect_uri": redirect_uri,
            "response_type": "code",
            "client_id": settings.DINGTALK_APP_KEY,
            "scope": "openid corpid",
            "state": state,
            "prompt": "consent",
        }
        return f"{settings.DINGTALK_LOGIN_BASE}/oauth2/auth?{urlencode(params)}"

    def jsapi(self) -> dict:
        return {
            "script": settings.DINGTALK_JSAPI_URL,
            "corp_id": settings.DINGTALK_CORP_ID,
            "client_id": settings.DINGTALK_APP_KEY,
        }

    def fetch_app_token(self) -> tuple[str, int]:
        body = self.call(
            "GET",
            f"{settings.DINGTALK_OAPI_BASE}/gettoken",
            params={"appkey": settings.DINGTALK_APP_KEY, "appsecret": settings.DINGTALK_APP_SECRET},
        )
        return body["access_token"], int(body.get("expires_in") or 7200)

    def _oapi(self, path: str, payload: dict) -> dict:
        return self.with_app_token(
            lambda token: self.call(
                "POST", f"{settings.DINGTALK_OAPI_BASE}{path}", params={"access_token": token}, json=payload
            )
        )

    def login_person(self, code: str, *, redirect_uri: str = "", code_verifier: str | None = None, in_app: bool):
        if in_app:
            result = self._oapi("/topapi/v2/user/getuserinfo", {"code": code}).get("result") or {}
            if not result.get("userid"):
                return people.Person(people.GONE)
            return self._person(result["userid"], result.get("unionid", ""))
        tokens = self.call(
            "POST",
            f"{settings.DINGTALK_API_BASE}/v1.0/oauth2/userAccessToken",
            json={
                "clientId": settings.DINGTALK_APP_KEY,
                "clientSecret": settings.DINGTALK_APP_SECRET,
                "code": code,
                "grantType": "authorization_code",
            },
        )
        me = self.call(
            "GET",
            f"{settings.DINGTALK_API_BASE}/v1.0/contact/users/me",
            headers={"x-acs-dingtalk-access-token": tokens.get("accessToken", "")},
        )
        if not me.get("unionId"):
            raise PlatformError(people.OTHER, "no unionId")
        return self.lookup(me["unionId"])

    def lookup(self, subject: str) -> people.Person:
        try:
            found = self._oapi("/topapi/user/getbyunionid", {"unionid": subject}).get("result") or {}
        except PlatformError as exc:
            if exc.kind == people.NOT_FOUND:
                return people.Person(people.GONE)
            raise
        if not found.get("userid"):
            return people.Person(people.GONE)
        return self._person(found["userid"], subject)

    def _person(self, userid: str, unionid: str) -> people.Person:
        try:
            detail = self._oapi("/topapi/v2/user/get", {"userid": userid, "language": "zh_CN"}).get("result") or {}
        except PlatformError as exc:
            if exc.kind == people.NOT_FOUND:
                return people.Person(people.GONE)
            raise
        names = self.department_names(detail.get("dept_id_list") or [], self._department_name)
        return people.dingtalk_person({**detail, "unionid": detail.get("unionid") or unionid}, names)

    def _department_name(self, dept_id) -> str:
        result = self._oapi("/topapi/v2/department/get", {"dept_id": dept_id, "language": "zh_CN"}).get("result")
        return ((result or {}).get("name") or "").strip()
