"""A fake OpenAI-compatible endpoint for the tests: plain HTTP on 127.0.0.1 in a thread.

It implements POST /v1/chat/completions (a JSON answer, or `data: {...}` chunks ending with `data: [DONE]`
when the request says "stream": true) and GET /v1/models, records every request (path, headers, JSON
body), and answers from a script the test sets: each queued `Reply` is used once, in order; with none left
it answers `default` (a JSON draft given by the test). Failure modes a real endpoint shows: an HTTP error
with a body, a stall before the answer or between chunks, a stream cut before [DONE], a malformed body.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    content: str = ""  # the assistant message's text
    status: int = 200
    error: str = ""  # for status != 200: the error message in OpenAI's {"error": {...}} form
    headers: dict = field(default_factory=dict)
    stall: float = 0.0  # seconds of silence before the answer's body (after the status line when streaming)
    finish_reason: str = "stop"
    raw: bytes | None = None  # a body sent as is (a malformed answer)
    cut_stream: bool = False  # stream: stop after half the chunks, without [DONE]
    usage: dict | None = field(
        default_factory=lambda: {"prompt_tokens": 120, "completion_tokens": 80, "total_tokens": 200}
    )
    chunk_delay: float = 0.0


class FakeOpenAI:
    MODEL = "fake-gpt"

    def __init__(self):
        self.requests: list[dict] = []
        self.script: list[Reply] = []
        self.default: Reply | None = None
        self.responder = None  # callable(request JSON) -> Reply: a fixture model that reads its prompt
        self._lock = threading.Lock()
        self._stop = threading.Event()
        handler = self._handler()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    # --- the test's side -------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def start(self) -> FakeOpenAI:
        self.thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def answer(self, *replies: Reply) -> None:
        with self._lock:
            self.script.extend(replies)

    def answer_json(self, obj: dict, **kwargs) -> None:
        self.answer(Reply(content=json.dumps(obj, ensure_ascii=False), **kwargs))

    def chat_requests(self) -> list[dict]:
        return [r for r in self.requests if r["path"].endswith("/chat/completions")]

    def prompt_text(self, index: int = -1) -> str:
        """The messages of a recorded chat request, joined (what the model was told)."""
        return "\n".join(m["content"] for m in self.chat_requests()[index]["json"]["messages"])

    # --- the server's side -----------------------------------------------------------------------

    def _next(self, body: dict | None) -> Reply:
        with self._lock:
            if self.script:
                return self.script.pop(0)
        if self.responder is not None:
            return self.responder(body or {})
        return self.default or Reply(content="{}")

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet tests
                pass

            def _record(self, body: dict | None):
                fake.requests.append(
                    {"method": self.command, "path": self.path, "headers": dict(self.headers), "json": body}
                )

            def _send(self, status: int, payload: bytes, content_type="application/json", headers=None):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(payload)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(payload)

            def _wait(self, seconds: float) -> None:
                fake._stop.wait(seconds)

            def do_GET(self):
                self._record(None)
                if self.path.rstrip("/").endswith("/models"):
                    body = {"object": "list", "data": [{"id": fake.MODEL, "object": "model"}]}
                    return self._send(200, json.dumps(body).encode())
                self._send(404, b'{"error": {"message": "not found"}}')

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                try:
                    body = json.loads(self.rfile.read(length) or b"{}")
                except ValueError:
                    body = None
                self._record(body)
                if not self.path.endswith("/chat/completions"):
                    return self._send(404, b'{"error": {"message": "not found"}}')
                reply = fake._next(body)
                try:
                    if reply.status != 200:
                        if reply.stall:
                            self._wait(reply.stall)
                        error = json.dumps({"error": {"message": reply.error or "error", "type": "fake"}}).encode()
                        return self._send(reply.status, error, headers=reply.headers)
                    if body and body.get("stream"):
                        return self._stream(reply)
                    if reply.stall:
                        self._wait(reply.stall)
                    if reply.raw is not None:
                        return self._send(200, reply.raw)
                    answer = {
                        "id": "chatcmpl-fake",
                        "object": "chat.completion",
                        "created": int(time.time()),
                        "model": fake.MODEL,
                        "choices": [
                            {
                                "index": 0,
                                "message": {"role": "assistant", "content": reply.content},
                                "finish_reason": reply.finish_reason,
                            }
                        ],
                    }
                    if reply.usage:
                        answer["usage"] = reply.usage
                    self._send(200, json.dumps(answer, ensure_ascii=False).encode())
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (its deadline): nothing to answer

            def _chunk(self, data: bytes):
                self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
                self.wfile.flush()

            def _stream(self, reply: Reply):
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                self.wfile.flush()
                if reply.stall:
                    self._wait(reply.stall)
                text = reply.content
                pieces = [text[i : i + 12] for i in range(0, len(text), 12)] or [""]
                if reply.cut_stream:
                    pieces = pieces[: max(len(pieces) // 2, 1)]
                for piece in pieces:
                    chunk = {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "model": fake.MODEL,
                             "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}]}  # fmt: skip
                    self._chunk(f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode())
                    if reply.chunk_delay:
                        self._wait(reply.chunk_delay)
                if reply.cut_stream:
                    self.wfile.write(b"0\r\n\r\n")
                    return
                final = {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "model": fake.MODEL,
                         "choices": [{"index": 0, "delta": {}, "finish_reason": reply.finish_reason}]}  # fmt: skip
                self._chunk(f"data: {json.dumps(final)}\n\n".encode())
                if reply.usage:
                    usage = {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "model": fake.MODEL,
                             "choices": [], "usage": reply.usage}  # fmt: skip
                    self._chunk(f"data: {json.dumps(usage)}\n\n".encode())
                self._chunk(b"data: [DONE]\n\n")
                self.wfile.write(b"0\r\n\r\n")

        return Handler
