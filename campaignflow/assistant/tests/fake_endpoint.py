"""The assistant configured for tests outside this folder (the API access matrix, the API fuzzing): one fake
OpenAI-compatible endpoint per test process on 127.0.0.1 (tests/support/openai_server.py), answering every
request with one draft that fits each task's schema. This folder's own tests use conftest's `fake_ai`."""

from __future__ import annotations

import json
import threading

from tests.support.openai_server import FakeOpenAI, Reply

# Each task's draft schema reads its own fields and ignores the others'.
ANSWER = {
    "key_results": "销售额实际 35万，目标 30万。",
    "causes": [{"cause": "抖音点击下降"}],
    "decision": "continue",
    "evaluation": "整体正常。",
    "kpis": [{"name": "新增会员", "target": 3000}],
    "worked": "抖音投放效果好。",
    "citations": [],
}

_server: FakeOpenAI | None = None
_lock = threading.Lock()


def endpoint() -> FakeOpenAI:
    """The process's fake endpoint (a daemon thread: it ends with the test process), its record emptied."""
    global _server
    with _lock:
        if _server is None:
            _server = FakeOpenAI().start()
            _server.responder = lambda body: Reply(content=json.dumps(ANSWER, ensure_ascii=False))
        _server.requests.clear()
        return _server


def ai_settings() -> dict:
    """The settings that point the assistant at the fake endpoint, without token budgets (0: no limit)."""
    return {
        "AI_BASE_URL": endpoint().base_url,
        "AI_API_KEY": "sk-test-secret",
        "AI_MODEL": FakeOpenAI.MODEL,
        "AI_TIMEOUT": 5.0,
        "AI_MAX_RETRIES": 0,
        "AI_DAILY_TOKENS_PER_USER": 0,
        "AI_DAILY_TOKENS_PER_CAMPAIGN": 0,
    }
