"""A small client for any OpenAI-compatible chat-completions endpoint (DeepSeek, Qwen, GLM, vLLM, Ollama…),
over the standard library's http.client.

One deadline per call (settings.AI_TIMEOUT, 30 s): every socket operation waits at most the time left, so a
stalled endpoint ends the call on time, whether it stalls before its answer or between two streamed chunks.
429, 5xx and dropped connections are retried with exponential backoff while a retry still fits in the
deadline; a stream that has started is never retried (its text has already been shown). JSON mode is asked
for when configured, and dropped for the rest of the call when the endpoint refuses it (400).
"""

from __future__ import annotations

import http.client
import json
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from .domain.retry import parse_retry_after, retry_delay, should_retry

MAX_ANSWER_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class AiConfig:
    base_url: str
    api_key: str
    model: str
    timeout: float
    max_retries: int
    json_mode: bool

    @property
    def enabled(self) -> bool:
        return bool(self.base_url and self.model)


def config() -> AiConfig:
    """The assistant's settings, read at call time (tests and the admin page see changes at once)."""
    return AiConfig(
        base_url=(getattr(settings, "AI_BASE_URL", "") or "").strip().rstrip("/"),
        api_key=(getattr(settings, "AI_API_KEY", "") or "").strip(),
        model=(getattr(settings, "AI_MODEL", "") or "").strip(),
        timeout=float(getattr(settings, "AI_TIMEOUT", 30)),
        max_retries=int(getattr(settings, "AI_MAX_RETRIES", 2)),
        json_mode=bool(getattr(settings, "AI_JSON_MODE", True)),
    )


class UpstreamError(Exception):
    """The endpoint failed (502) or did not answer in time (504); `detail` is safe to show."""

    def __init__(self, status: int, detail: str):
        super().__init__(detail)
        self.status = status
        self.detail = detail


class _Retryable(Exception):
    def __init__(self, status: int | None, detail: str, retry_after: float | None = None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.retry_after = retry_after


class _Timeout(Exception):
    pass


@dataclass
class Completion:
    content: str
    model: str
    finish_reason: str | None
    usage: dict = field(default_factory=dict)  # prompt_tokens, completion_tokens, total_tokens (as answered)
    attempts: int = 1


class ChatClient:
    def __init__(self, cfg: AiConfig | None = None, *, clock: Callable[[], float] = time.monotonic, sleep=time.sleep):
        self.cfg = cfg or config()
        self.clock = clock
        self.sleep = sleep
        parts = urlsplit(self.cfg.base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise UpstreamError(502, _("AI_BASE_URL is not an http(s) address."))
        self._parts = parts

    # --- public ---------------------------------------------------------------------------------

    def chat(self, messages: list[dict], *, json_mode: bool | None = None, on_delta=None) -> Completion:
        """One chat completion; with `on_delta`, streamed (`on_delta(text)` for each piece as it arrives)."""
        json_mode = self.cfg.json_mode if json_mode is None else json_mode
        deadline = self.clock() + self.cfg.timeout
        attempt = 0
        while True:
            body = {"model": self.cfg.model, "messages": messages, "temperature": 0.2}
            if json_mode:
                body["response_format"] = {"type": "json_object"}
            if on_delta is not None:
                body["stream"] = True
                body["stream_options"] = {"include_usage": True}
            try:
                completion = self._call(body, deadline, on_delta)
                completion.attempts = attempt + 1
                return completion
            except _JsonModeRefused:
                json_mode = False  # the endpoint has no JSON mode: the tolerant parser reads its answer
                continue
            except _Timeout:
                raise UpstreamError(504, self._timeout_detail()) from None
            except _Retryable as exc:
                attempt += 1
                delay = retry_delay(
                    attempt,
                    max_retries=self.cfg.max_retries,
                    remaining=deadline - self.clock(),
                    retry_after=exc.retry_after,
                )
                if delay is None:
                    raise UpstreamError(502, exc.detail) from None
                self.sleep(delay)

    def models(self) -> list[str]:
        """The endpoint's model ids (GET /models): the admin page's connection test."""
        deadline = self.clock() + min(self.cfg.timeout, 10)
        try:
            status, _headers, raw = self._request("GET", "/models", None, deadline)
        except _Timeout:
            raise UpstreamError(504, self._timeout_detail()) from None
        except _Retryable as exc:
            raise UpstreamError(502, exc.detail) from None
        if status != 200:
            raise UpstreamError(502, self._status_detail(status, raw))
        try:
            data = json.loads(raw)
            return [str(m.get("id")) for m in data.get("data", []) if isinstance(m, dict)]
        except (ValueError, AttributeError):
            raise UpstreamError(502, _("The endpoint's model list is not JSON.")) from None

    # --- HTTP -----------------------------------------------------------------------------------

    def _timeout_detail(self) -> str:
        return _("The AI endpoint did not answer within %(seconds)s seconds.") % {"seconds": f"{self.cfg.timeout:g}"}

    def _status_detail(self, status: int, raw: bytes) -> str:
        message = ""
        try:
            error = json.loads(raw).get("error")
            message = error.get("message", "") if isinstance(error, dict) else str(error or "")
        except (ValueError, AttributeError):
            message = ""
        if status in (401, 403):
            return _("The AI endpoint refused the API key (HTTP %(status)s).") % {"status": status}
        detail = _("The AI endpoint answered HTTP %(status)s.") % {"status": status}
        return f"{detail} {message[:300]}".strip()

    def _connection(self, deadline: float) -> http.client.HTTPConnection:
        remaining = deadline - self.clock()
        if remaining <= 0:
            raise _Timeout()
        host, port = self._parts.hostname, self._parts.port
        if self._parts.scheme == "https":
            return http.client.HTTPSConnection(host, port, timeout=remaining, context=ssl.create_default_context())
        return http.client.HTTPConnection(host, port, timeout=remaining)

    def _headers(self) -> dict:
        headers = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}
        if self.cfg.api_key:
            headers["Authorization"] = f"Bearer {self.cfg.api_key}"
        return headers

    def _path(self, suffix: str) -> str:
        return (self._parts.path or "").rstrip("/") + suffix

    @staticmethod
    def _tighten(conn, deadline: float, clock) -> None:
        remaining = deadline - clock()
        if remaining <= 0:
            raise _Timeout()
        if conn.sock is not None:
            conn.sock.settimeout(remaining)

    def _open(self, method: str, suffix: str, body: dict | None, deadline: float):
        conn = self._connection(deadline)
        payload = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
        try:
            conn.request(method, self._path(suffix), body=payload, headers=self._headers())
            self._tighten(conn, deadline, self.clock)
            response = conn.getresponse()
        except TimeoutError:
            conn.close()
            raise _Timeout() from None
        except (OSError, http.client.HTTPException) as exc:
            conn.close()
            raise _Retryable(
                None, _("Could not reach the AI endpoint (%(error)s).") % {"error": type(exc).__name__}
            ) from None
        return conn, response

    def _read_all(self, conn, response, deadline: float) -> bytes:
        chunks, size = [], 0
        try:
            while True:
                self._tighten(conn, deadline, self.clock)
                piece = response.read1(65536) if hasattr(response, "read1") else response.read(65536)
                if not piece:
                    break
                size += len(piece)
                if size > MAX_ANSWER_BYTES:
                    raise UpstreamError(502, _("The AI endpoint's answer is too large."))
                chunks.append(piece)
        except TimeoutError:
            raise _Timeout() from None
        except (OSError, http.client.HTTPException):
            raise _Retryable(None, _("The AI endpoint closed the connection mid-answer.")) from None
        finally:
            conn.close()
        return b"".join(chunks)

    def _request(self, method: str, suffix: str, body: dict | None, deadline: float):
        conn, response = self._open(method, suffix, body, deadline)
        raw = self._read_all(conn, response, deadline)
        return response.status, response.headers, raw

    def _call(self, body: dict, deadline: float, on_delta) -> Completion:
        conn, response = self._open("POST", "/chat/completions", body, deadline)
        if response.status != 200:
            raw = self._read_all(conn, response, deadline)
            if response.status == 400 and "response_format" in body and b"response_format" in raw:
                raise _JsonModeRefused()
            if should_retry(response.status):
                raise _Retryable(
                    response.status,
                    self._status_detail(response.status, raw),
                    parse_retry_after(response.headers.get("Retry-After")),
                )
            raise UpstreamError(502, self._status_detail(response.status, raw))
        if body.get("stream"):
            return self._read_stream(conn, response, deadline, on_delta)
        raw = self._read_all(conn, response, deadline)
        try:
            data = json.loads(raw)
            choice = data["choices"][0]
            content = choice["message"].get("content") or ""
            return Completion(
                content=content,
                model=str(data.get("model") or self.cfg.model),
                finish_reason=choice.get("finish_reason"),
                usage=_usage(data.get("usage")),
            )
        except (ValueError, KeyError, IndexError, TypeError, AttributeError):
            raise UpstreamError(502, _("The AI endpoint's answer is not a chat completion.")) from None

    def _read_stream(self, conn, response, deadline: float, on_delta) -> Completion:
        parts: list[str] = []
        model, finish, usage, done, size = self.cfg.model, None, {}, False, 0
        try:
            while True:
                self._tighten(conn, deadline, self.clock)
                line = response.readline(MAX_ANSWER_BYTES)
                if not line:
                    break
                size += len(line)
                if size > MAX_ANSWER_BYTES:
                    raise UpstreamError(502, _("The AI endpoint's answer is too large."))
                text = line.decode("utf-8", "replace").strip()
                if not text.startswith("data:"):
                    continue  # blank separators, ": keep-alive" comments, event names
                payload = text[5:].strip()
                if payload == "[DONE]":
                    done = True
                    break
                try:
                    chunk = json.loads(payload)
                except ValueError:
                    raise UpstreamError(502, _("The AI endpoint sent a malformed stream chunk.")) from None
                if not isinstance(chunk, dict):
                    continue
                model = str(chunk.get("model") or model)
                if chunk.get("usage"):
                    usage = _usage(chunk["usage"])
                for choice in chunk.get("choices") or []:
                    delta = (choice.get("delta") or {}).get("content") or ""
                    if delta:
                        parts.append(delta)
                        on_delta(delta)
                    if choice.get("finish_reason"):
                        finish = choice["finish_reason"]
        except TimeoutError:
            raise _Timeout() from None
        except (OSError, http.client.HTTPException):
            raise UpstreamError(502, _("The AI endpoint closed the connection mid-answer.")) from None
        finally:
            conn.close()
        if not done and finish is None:
            raise UpstreamError(502, _("The AI endpoint's stream ended before the answer was complete."))
        return Completion(content="".join(parts), model=model, finish_reason=finish, usage=usage)


class _JsonModeRefused(Exception):
    pass


def _usage(raw) -> dict:
    if not isinstance(raw, dict):
        return {}
    out = {}
    for key in ("prompt_tokens", "completion_tokens", "total_tokens"):
        try:
            out[key] = max(int(raw.get(key) or 0), 0)
        except (TypeError, ValueError):
            out[key] = 0
    if not out["total_tokens"]:
        out["total_tokens"] = out["prompt_tokens"] + out["completion_tokens"]
    return out
