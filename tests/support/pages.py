"""Helpers of the page tests: the message a request left, and a text as the Chinese page shows it."""

from __future__ import annotations

from django.contrib.messages import get_messages
from django.utils.translation import gettext as _
from django.utils.translation import override


def last_message(response) -> str:
    """The message the request added (the test client does not show the earlier ones, so they stay queued)."""
    return [str(m) for m in get_messages(response.wsgi_request)][-1]


def zh(text: str, **params) -> str:
    with override("zh-hans"):
        return _(text) % params if params else _(text)
