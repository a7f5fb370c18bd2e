"""Feishu / Lark (飞书) sign-in for a tenant's self-built app (企业自建应用); Lark by pointing FEISHU_API_BASE and
FEISHU_ACCOUNTS_BASE at open.larksuite.com / accounts.larksuite.com.

- Web (QR) login with PKCE S256: accounts.feishu.cn/open-apis/authen/v1/authorize → our callback with `code` and
  `state` → POST open.feishu.cn/open-apis/authen/v2/oauth/token (client id/secret, code, redirect_uri,
  code_verifier) → GET /open-apis/authen/v1/user_info (user_access_token). django-allauth's Feishu provider uses the
  historic v1 exchange (authen/v1/access_token with an app_access_token); v2 is the current OAuth 2.0 one.
- In-app 免登: the page's JSSDK (`tt.requestAccess`, or `tt.requestAuthCode` on older clients) hands us a code,
  exchanged the same way (no redirect_uri, no verifier).
- Both then read the person from the contact API with the tenant_access_token (GET /open-apis/contact/v3/users/
  :union_id: status and departments; GET /open-apis/contact/v3/departments/:id: names). An app without the contact
  permission still signs people in, from user_info, without department (and without touching their role).
  Subject: the union_id (domain/chat_people.py says why).
- Leavers: is_resigned → gone; is_frozen / not activated → inactive; unknown union_id (41012) → gone.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ..domain import chat_people as people
from .base import ChatProvider, PlatformError


class Feishu(ChatProvider):
    id = "feishu"
    name = _("Feishu")
    uses_pkce = True

    def configured(self) -> bool:
        return bool(settings.FEISHU_APP_ID and settings.FEISHU_APP_SECRET)

    def credentials_key(self) -> str:
        return f"{settings.FEISHU_API_BASE}|{settings.FEISHU_APP_ID}|{settings.FEISHU_APP_SECRET}"

    def authorize_url(self, *, redirect_uri: str, state: str, code_challenge: str | None = None) -> str:
        params = {"client_id": settings.FEISHU_APP_ID, "redirect_uri": redirect_uri, "state": state}
        if code_challenge:
            params.update(code_challenge=code_challenge, code_challenge_method="S256")
        return f"{settings.FEISHU_ACCOUNTS_BASE}/open-apis/authen/v1/authorize?{urlencode(params)}"

    def jsapi(self) -> dict:
        return {"script": settings.FEISHU_JSSDK_URL, "app_id": settings.FEISHU_APP_ID}

    def fetch_app_token(self) -> tuple[str, int]:
        body = self.call(
            "POST",
            f"{settings.FEISHU_API_BASE}/open-apis/auth/v3/tenant_access_token/internal",
            json={"app_id": settings.FEISHU_APP_ID, "app_secret": settings.FEISHU_APP_SECRET},
        )
        return body["tenant_access_token"], int(body.get("expire") or 7200)

    def _tenant_get(self, path: str, params: dict) -> dict:
        return self.with_app_token(
            lambda token: self.call(
                "GET", f"{settings.FEISHU_API_BASE}{path}", params=params, headers={"Authorization": f"Bearer {token}"}
            )
        )

    def login_person(self, code: str, *, redirect_uri: str = "", code_verifier: str | None = None, in_app: bool):
        exchange = {
            "grant_type": "authorization_code",
            "client_id": settings.FEISHU_APP_ID,
            "client_secret": settings.FEISHU_APP_SECRET,
            "code": code,
        }
        if redirect_uri and not in_app:
            exchange["redirect_uri"] = redirect_uri
        if code_verifier and not in_app:
            exchange["code_verifier"] = code_verifier
        tokens = self.call("POST", f"{settings.FEISHU_API_BASE}/open-apis/authen/v2/oauth/token", json=exchange)
        info = (
            self.call(
                "GET",
                f"{settings.FEISHU_API_BASE}/open-apis/authen/v1/user_info",
                headers={"Authorization": f"Bearer {tokens.get('access_token', '')}"},
            ).get("data")
            or {}
        )
        if not info.get("union_id"):
            raise PlatformError(people.OTHER, "no union_id")
        try:
            return self.lookup(info["union_id"])
        except PlatformError as exc:
            if exc.kind != people.NO_PERMISSION:
                raise
        # The app may not read the directory: the login's own answer, without departments.
        return people.Person(people.ACTIVE, people.feishu_identity(info, {}))

    def lookup(self, subject: str) -> people.Person:
        try:
            user = (
                self._tenant_get(
                    f"/open-apis/contact/v3/users/{quote(subject, safe='')}",
                    {"user_id_type": "union_id", "department_id_type": "open_department_id"},
                ).get("data")
                or {}
            ).get("user") or {}
        except PlatformError as exc:
            if exc.kind == people.NOT_FOUND:
                return people.Person(people.GONE)
            raise
        user = {**user, "union_id": user.get("union_id") or subject}
        names = self.department_names(user.get("department_ids") or [], self._department_name)
        return people.feishu_person(user, names)

    def _department_name(self, department_id) -> str:
        department = (
            self._tenant_get(
                f"/open-apis/contact/v3/departments/{quote(str(department_id), safe='')}",
                {"department_id_type": "open_department_id"},
            ).get("data")
            or {}
        ).get("department") or {}
        return (department.get("name") or "").strip()
