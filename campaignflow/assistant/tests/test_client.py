"""The client against the fake endpoint: retries, deadlines, streaming, JSON mode."""

import time

import pytest

from campaignflow.assistant.client import ChatClient, UpstreamError
from tests.support.openai_server import Reply

MESSAGES = [{"role": "user", "content": "hi"}]


def test_settings_module_default_is_30():
    import importlib
    import os

    import config.settings as module

    saved = os.environ.pop("AI_TIMEOUT", None)
    try:
        assert importlib.reload(module).AI_TIMEOUT == 30.0
    finally:
        if saved is not None:
            os.environ["AI_TIMEOUT"] = saved


def test_answer_usage_and_key_sent(fake_ai):
    fake_ai.answer(Reply(content='{"a": 1}'))
    completion = ChatClient().chat(MESSAGES)
    assert completion.content == '{"a": 1}'
    assert completion.usage["total_tokens"] == 200
    request = fake_ai.chat_requests()[0]
    assert request["headers"]["Authorization"] == "Bearer sk-test-secret"
    assert request["json"]["response_format"] == {"type": "json_object"}
    assert "tools" not in request["json"]  # the assistant can call nothing


def test_429_then_success_is_retried(fake_ai):
    fake_ai.answer(Reply(status=429, error="rate limited", headers={"Retry-After": "0.1"}), Reply(content="{}"))
    completion = ChatClient().chat(MESSAGES)
    assert completion.attempts == 2
    assert len(fake_ai.chat_requests()) == 2


def test_500_every_time_ends_in_502_after_bounded_retries(fake_ai):
    fake_ai.answer(*[Reply(status=500, error="boom")] * 5)
    with pytest.raises(UpstreamError) as exc:
        ChatClient().chat(MESSAGES)
    assert exc.value.status == 502
    assert "500" in exc.value.detail
    assert len(fake_ai.chat_requests()) == 2  # 0.5 s then 1 s backoff: the third try would not fit in 2 s


def test_401_is_not_retried_and_never_shows_the_key(fake_ai):
    fake_ai.answer(Reply(status=401, error="bad key sk-test-secret"))
    with pytest.raises(UpstreamError) as exc:
        ChatClient().chat(MESSAGES)
    assert exc.value.status == 502 and "sk-test-secret" not in exc.value.detail
    assert len(fake_ai.chat_requests()) == 1


@pytest.mark.parametrize("stream", [False, True])
def test_stall_ends_in_504_within_the_deadline(fake_ai, settings, stream):
    settings.AI_TIMEOUT = 1.0
    fake_ai.answer(Reply(content="{}", stall=40))
    started = time.monotonic()
    with pytest.raises(UpstreamError) as exc:
        ChatClient().chat(MESSAGES, on_delta=(lambda _t: None) if stream else None)
    assert exc.value.status == 504
    assert time.monotonic() - started < 1.8


def test_stall_between_chunks_ends_at_the_deadline(fake_ai, settings):
    settings.AI_TIMEOUT = 1.0
    fake_ai.answer(Reply(content='{"key_results": "' + "x" * 200 + '"}', chunk_delay=0.3))
    started = time.monotonic()
    with pytest.raises(UpstreamError) as exc:
        ChatClient().chat(MESSAGES, on_delta=lambda _t: None)
    assert exc.value.status == 504 and time.monotonic() - started < 1.8


def test_stream_pieces_arrive_in_order(fake_ai):
    text = '{"key_results": "销售额 35万，达成率 117%"}'
    fake_ai.answer(Reply(content=text))
    pieces = []
    completion = ChatClient().chat(MESSAGES, on_delta=pieces.append)
    assert "".join(pieces) == text == completion.content and len(pieces) > 1
    assert completion.usage["total_tokens"] == 200
    assert fake_ai.chat_requests()[0]["json"]["stream"] is True


def test_stream_cut_before_done_is_502(fake_ai):
    fake_ai.answer(Reply(content='{"key_results": "' + "x" * 100 + '"}', cut_stream=True))
    with pytest.raises(UpstreamError) as exc:
        ChatClient().chat(MESSAGES, on_delta=lambda _t: None)
    assert exc.value.status == 502


def test_json_mode_dropped_when_refused(fake_ai):
    fake_ai.answer(Reply(status=400, error="response_format is not supported"), Reply(content="```json\n{}\n```"))
    ChatClient().chat(MESSAGES)
    first, second = fake_ai.chat_requests()
    assert "response_format" in first["json"] and "response_format" not in second["json"]


def test_models_lists_the_endpoints_models(fake_ai):
    assert ChatClient().models() == ["fake-gpt"]


def test_unreachable_endpoint_is_502(settings):
    settings.AI_BASE_URL = "http://127.0.0.1:9/v1"
    settings.AI_MODEL = "m"
    settings.AI_TIMEOUT = 2.0
    with pytest.raises(UpstreamError) as exc:
        ChatClient().chat(MESSAGES)
    assert exc.value.status == 502
