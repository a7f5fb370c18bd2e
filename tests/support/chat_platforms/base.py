"""What the three platform servers share: a threaded stdlib HTTP server on a free port of 127.0.0.1, the
directory of people, one-time login codes, tokens that expire after their `expires_in` on a clock a test can
move, the calls received (to assert on), an error forced for the next call, and the payload files."""

from __future__ import annotations

import copy
import json
import re
import secrets
import threading
import time
import traceback
from dataclasses import dataclass, field
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

PAYLOADS = Path(__file__).resolve().parent / "payloads"
CODE_TTL = 300  # login codes: five minutes, used once (all three platforms)


@dataclass
class ChatUser:
    """A person in the platform's directory. `status`: "active", "disabled" (WeCom 2, Feishu frozen, DingTalk
    not active), "not_activated" (WeCom 4, Feishu is_activated false), "left" (WeCom 5, Feishu resigned; gone
    from DingTalk's directory)."""

    userid: str
    name: str
    email: str = ""
    mobile: str = ""
    department: list[int] = field(default_factory=lambda: [1])
    unionid: str = ""
    open_id: str = ""
    title: str = ""
    status: str = "active"

    @property
    def active(self) -> bool:
        return self.status == "active"


@dataclass
class RecordedCall:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: object  # parsed JSON, a dict for a form, else the raw text

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


@dataclass
class Reply:
    status: int
    body: object = None  # JSON-able, or str for HTML
    headers: dict[str, str] = field(default_factory=dict)


class Route:
    def __init__(self, method: str, pattern: str, handler, guard=None):
        self.method = method
        self.regex = re.compile("^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", pattern) + "$")
        self.pattern = pattern
        self.handler = handler
        self.guard = guard

    def answer(self, call: RecordedCall, **params: str) -> Reply:
        refused = self.guard(call) if self.guard is not None else None
        return refused if refused is not None else self.handler(call, **params)


def route(method: str, pattern: str, guard=None):
    """Mark a handler of a PlatformServer subclass as answering `method pattern` (`{name}`: one path segment).
    `guard`: a method of the server `(call) -> Reply | None` run first (the token check the endpoint shares
    with others); a Reply from it is the answer, and the handler is not called."""

    def mark(handler):
        handler.routes = [(method, pattern, guard), *getattr(handler, "routes", [])]
        return handler

    return mark


class PlatformServer:
    """Base of DingTalkServer, FeishuServer and WeComServer; a subclass marks its handlers with `@route`."""

    platform = ""
    # The app's credentials, each a keyword argument and an attribute: name → default (None: a fresh random
    # secret). The product's setting for one is <PLATFORM>_<NAME> unless `setting_names` names it otherwise.
    credentials: dict[str, str | None] = {}
    setting_names: dict[str, str] = {}
    # The platform's hosts this one server stands in for: <PLATFORM>_<key>_BASE in the product's settings.
    hosts: dict[str, str] = {}

    def __init__(self, token_ttl: int = 7200, redirect_uris: tuple[str, ...] = (), **credentials: str | None):
        unknown = sorted(set(credentials) - set(self.credentials))
        if unknown:
            raise TypeError(f"{type(self).__name__} has no credential {', '.join(unknown)}")
        for name, default in self.credentials.items():
            value = credentials.get(name, default)
            setattr(self, name, value if default is not None else value or secrets.token_urlsafe(24))
        self.token_ttl = token_ttl
        self.users: dict[str, ChatUser] = {}
        self.calls: list[RecordedCall] = []
        self.redirect_uris = list(redirect_uris)
        self.departments: dict[int, tuple[str, int | None]] = {1: ("测试公司", None)}  # id: (name, parent id)
        self._codes: dict[str, dict] = {}
        self._tokens: dict[str, dict] = {}
        self._forced: dict[str, list[str | Reply]] = {}
        self._offset = 0.0
        self._lock = threading.RLock()
        self._routes = self._marked_routes()
        self._httpd: ThreadingHTTPServer | None = None
        self.url = ""

    # --- life cycle -------------------------------------------------------------------------------------------
    def start(self) -> PlatformServer:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                server._handle(self, "GET")

            def do_POST(self):
                server._handle(self, "POST")

            def log_message(self, format, *args):  # quiet: the calls are recorded instead
                pass

        self._httpd = httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._httpd.server_port}"
        threading.Thread(
            target=lambda: httpd.serve_forever(poll_interval=0.05), name=f"{self.platform}-server", daemon=True
        ).start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # --- test controls ----------------------------------------------------------------------------------------
    def now(self) -> float:
        return time.time() + self._offset

    def advance(self, seconds: float) -> None:
        """Move this server's clock: tokens and codes older than their lifetime expire."""
        with self._lock:
            self._offset += seconds

    def add_user(self, userid: str, name: str, **fields) -> ChatUser:
        dept = fields.pop("department", [1])
        user = ChatUser(userid=userid, name=name, department=[dept] if isinstance(dept, int) else list(dept), **fields)
        user.unionid = user.unionid or f"union-{userid}"
        user.open_id = user.open_id or f"open-{userid}"
        with self._lock:
            self.users[userid] = user
        return user

    def add_department(self, dept_id: int, name: str, parent_id: int = 1) -> None:
        with self._lock:
            self.departments[dept_id] = (name, parent_id)

    def members(self, dept_id: int) -> list[ChatUser]:
        """The people directly in department `dept_id` (not those who left)."""
        return [u for u in self.users.values() if dept_id in u.department and u.status != "left"]

    def set_status(self, userid: str, status: str) -> None:
        if status not in ("active", "disabled", "not_activated", "left"):
            raise ValueError(status)
        with self._lock:
            self.users[userid].status = status

    def disable_user(self, userid: str) -> None:
        self.set_status(userid, "disabled")

    def remove_user(self, userid: str) -> None:
        """The person left the company (see ChatUser.status "left")."""
        self.set_status(userid, "left")

    def issue_code(self, userid: str, kind: str = "login", **extra) -> str:
        """A one-time code for `userid`, as the platform's QR login page (kind "login") or in-app JSAPI
        (kind "in_app", 免登) hands it to the product; valid five minutes."""
        if userid not in self.users:
            raise KeyError(userid)
        code = secrets.token_hex(16)
        with self._lock:
            self._codes[code] = {"userid": userid, "kind": kind, "expires": self.now() + CODE_TTL, **extra}
        return code

    def fail_next(self, path: str, payload: str | Reply) -> None:
        """The next call to `path` answers with the named error payload (a file in payloads/<platform>/) or
        with `Reply(status, body)` (e.g. Reply(502, "bad gateway")), whatever it asked."""
        with self._lock:
            self._forced.setdefault(path, []).append(payload)

    def calls_to(self, path: str) -> list[RecordedCall]:
        return [call for call in self.calls if call.path == path]

    def reset(self) -> None:
        with self._lock:
            self.users.clear()
            self.calls.clear()
            self._codes.clear()
            self._tokens.clear()
            self._forced.clear()
            self._offset = 0.0
            self.departments = {1: ("测试公司", None)}

    def settings(self) -> dict:
        """The product's settings: this app's credentials, and this server instead of the platform's hosts."""
        prefix = self.platform.upper()
        values = {
            f"{prefix}_{self.setting_names.get(name, name.upper())}": getattr(self, name) for name in self.credentials
        }
        return values | {f"{prefix}_{host}_BASE": self.url for host in self.hosts}

    # --- for the subclasses ------------------------------------------------------------------------------------
    def _marked_routes(self) -> list[Route]:
        """The `@route` handlers, fixed paths before patterned ones (users/find_by_department ≠ users/{id})."""
        routes = [
            Route(method, pattern, getattr(self, name), guard and guard.__get__(self))
            for name, handler in vars(type(self)).items()
            for method, pattern, guard in getattr(handler, "routes", ())
        ]
        return sorted(routes, key=lambda r: "{" in r.pattern)

    def payload(self, name: str, /, **overrides) -> Reply:
        """The documented payload `name` (payloads/<platform>/<name>.json) with `overrides` set in its body
        (top-level keys; a dict value merges into a dict)."""
        data = json.loads((PAYLOADS / self.platform / f"{name}.json").read_text(encoding="utf-8"))
        body = copy.deepcopy(data["body"])
        for key, value in overrides.items():
            if isinstance(value, dict) and isinstance(body.get(key), dict):
                body[key] = {**body[key], **value}
            else:
                body[key] = value
        return Reply(data.get("status", 200), body)

    def new_token(self, kind: str, ttl: int | None = None, **data) -> tuple[str, int]:
        token = f"{self.platform}-{kind}-{secrets.token_hex(12)}"
        ttl = self.token_ttl if ttl is None else ttl
        with self._lock:
            self._tokens[token] = {"kind": kind, "expires": self.now() + ttl, **data}
        return token, ttl

    def app_token(self, sent: dict, credentials: dict[str, tuple[str, str]], answer: str, ttl_field: str, **tokens):
        """An app token endpoint. Each credential sent is checked in order (`credentials`: the field sent → (this
        server's attribute it must equal, the error payload when it does not)); then the payload `answer` with
        each of `tokens` (field → kind) a fresh token and `ttl_field` their lifetime."""
        for field_sent, (attribute, refusal) in credentials.items():
            if sent.get(field_sent) != getattr(self, attribute):
                return self.payload(refusal)
        minted = {name: self.new_token(kind)[0] for name, kind in tokens.items()}
        return self.payload(answer, **minted, **{ttl_field: self.token_ttl})

    def token(self, token: str | None, kind: str) -> tuple[str, dict | None]:
        """("ok", data) for a live token of `kind`, ("expired", data), or ("invalid", None)."""
        with self._lock:
            data = self._tokens.get(token or "")
        if data is None or data["kind"] != kind:
            return "invalid", None
        if data["expires"] <= self.now():
            return "expired", data
        return "ok", data

    def live_token(self, token: str | None, kind: str, **refusals: str) -> tuple[dict | None, Reply | None]:
        """A token sent with a call: (its data, None) for a live token of `kind`, else (None, the payload
        `refusals` names: `missing` when none was sent, `expired`, or `invalid`, which also stands for either of
        the others when it is not named)."""
        status, data = ("missing", None) if token is None else self.token(token, kind)
        if status == "ok":
            return data, None
        return None, self.payload(refusals.get(status, refusals["invalid"]))

    def token_user(self, token: str | None, kind: str, **refusals: str) -> tuple[ChatUser | None, Reply | None]:
        """The person a token sent was issued to, checked as `live_token` does: (the person, None), or (None, the
        refusal)."""
        data, refused = self.live_token(token, kind, **refusals)
        return (None, refused) if refused is not None else (self.users[data["userid"]], None)

    def refreshed_userid(self, refresh_token: str | None) -> str | None:
        """The person a live refresh token was issued to (None: no such token, or it expired)."""
        status, data = self.token(refresh_token, "refresh")
        return data["userid"] if status == "ok" else None

    def user_tokens(self, userid: str, refresh_ttl: int) -> tuple[str, int, str, int]:
        """A person's new access token and refresh token, with their lifetimes: (token, ttl, refresh, refresh_ttl)."""
        token, ttl = self.new_token("user", userid=userid)
        refresh, refresh_ttl = self.new_token("refresh", ttl=refresh_ttl, userid=userid)
        return token, ttl, refresh, refresh_ttl

    def take_code(self, code: str | None) -> tuple[str, dict | None]:
        """Use a login code once: ("ok", data), ("expired", data), ("used", data) or ("invalid", None)."""
        with self._lock:
            data = self._codes.get(code or "")
            if data is None:
                return "invalid", None
            if data.get("used"):
                return "used", data
            data["used"] = True
        if data["expires"] <= self.now():
            return "expired", data
        return "ok", data

    def redirect_allowed(self, uri: str) -> bool:
        """A registered redirect URI, or any on this machine's loopback (the product's live server)."""
        parts = urlsplit(uri)
        return uri in self.redirect_uris or (parts.scheme == "http" and parts.hostname in ("127.0.0.1", "localhost"))

    def login_page(self, request: RecordedCall, redirect_uri: str, redirect_params, title: str) -> Reply:
        """The stand-in for the platform's QR code page: one link per person in the directory; choosing one is
        "scanning the code and confirming" on that person's phone, and redirects to `redirect_uri` with
        `redirect_params(code)`. `?as=<userid>` on the page URL picks directly (for tests without a browser)."""
        chosen = request.query.get("as")
        if chosen:
            if chosen not in self.users or self.users[chosen].status == "left":
                return Reply(404, f"<p>没有这个人: {escape(chosen)}</p>", {"Content-Type": "text/html; charset=utf-8"})
            code = self.issue_code(chosen, kind="login")
            return Reply(302, "", {"Location": add_query(redirect_uri, redirect_params(code))})
        links = "".join(
            f'<li><a class="scan-as" data-userid="{escape(u.userid)}" '
            f'href="{escape(add_query(request.path_with_query, {"as": u.userid}))}">{escape(u.name)} ({escape(u.userid)})</a></li>'
            for u in self.users.values()
            if u.status != "left"
        )
        html = (
            f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{escape(title)}</title></head>'
            f"<body><h1>{escape(title)}</h1><p>扫码登录（测试服务器：选择扫码的人）</p><ul>{links}</ul></body></html>"
        )
        return Reply(200, html, {"Content-Type": "text/html; charset=utf-8"})

    def error_page(self, message: str, status: int = 400) -> Reply:
        return Reply(status, f"<!doctype html><p>{escape(message)}</p>", {"Content-Type": "text/html; charset=utf-8"})

    # --- the HTTP side -----------------------------------------------------------------------------------------
    def _handle(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        parts = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length).decode("utf-8", "replace") if length else ""
        content_type = handler.headers.get("Content-Type", "")
        if "json" in content_type and raw:
            try:
                body: object = json.loads(raw)
            except ValueError:
                body = raw
        elif "x-www-form-urlencoded" in content_type:
            body = {key: values[-1] for key, values in parse_qs(raw).items()}
        else:
            body = raw
        call = RecordedCall(
            method=method,
            path=parts.path,
            query={key: values[-1] for key, values in parse_qs(parts.query).items()},
            headers={key.lower(): value for key, value in handler.headers.items()},
            body=body,
        )
        call.path_with_query = handler.path  # type: ignore[attr-defined]
        with self._lock:
            self.calls.append(call)
            forced = self._forced.get(parts.path)
            forced_reply = forced.pop(0) if forced else None
        if forced_reply is not None:
            reply = forced_reply if isinstance(forced_reply, Reply) else self.payload(forced_reply)
        else:
            try:
                reply = self._dispatch(method, parts.path, call)
            except Exception:  # a bug of this test server: a 500 with the traceback, never a dropped connection
                reply = Reply(500, traceback.format_exc())
        self._send(handler, reply)

    def _dispatch(self, method: str, path: str, call: RecordedCall) -> Reply:
        for route in self._routes:
            match = route.regex.match(path)
            if match and route.method == method:
                return route.answer(call, **match.groupdict())
        return self.not_found(call)

    def not_found(self, call: RecordedCall) -> Reply:
        return Reply(404, {"error": f"no such endpoint on the test {self.platform} server: {call.method} {call.path}"})

    @staticmethod
    def _send(handler: BaseHTTPRequestHandler, reply: Reply) -> None:
        if isinstance(reply.body, str):
            data = reply.body.encode("utf-8")
            content_type = reply.headers.get("Content-Type", "text/plain; charset=utf-8")
        else:
            data = json.dumps(reply.body, ensure_ascii=False).encode("utf-8")
            content_type = reply.headers.get("Content-Type", "application/json; charset=utf-8")
        handler.send_response(reply.status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(data)))
        for name, value in reply.headers.items():
            if name != "Content-Type":
                handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(data)


def add_query(url: str, params: dict) -> str:
    parts = urlsplit(url)
    query = parts.query + ("&" if parts.query else "") + urlencode(params)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


def bearer(call: RecordedCall) -> str | None:
    value = call.header("Authorization") or ""
    return value[7:].strip() if value.lower().startswith("bearer ") else None


def body_dict(call: RecordedCall) -> dict:
    return call.body if isinstance(call.body, dict) else {}
