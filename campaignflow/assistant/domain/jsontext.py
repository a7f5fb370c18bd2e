"""Reading a model's JSON answer tolerantly.

Endpoints with JSON mode answer a bare object; others wrap it in prose or a ```json fence, leave a trailing
comma, or use smart quotes around keys. `parse_object` accepts those and refuses anything else with
`NotJson` (the caller turns that into a 502). `parse_partial` reads an answer that is still streaming: it
closes the open string, array and object so that the fields written so far can be shown as they come.
"""

from __future__ import annotations

import json
import re

_FENCE = re.compile(r"```(?:json|JSON)?\s*(.*?)```", re.DOTALL)
_TRAILING_COMMA = re.compile(r",\s*([}\]])")


class NotJson(ValueError):
    """The answer holds no JSON object that can be read."""


def _candidates(text: str) -> list[str]:
    text = text.strip().lstrip("\ufeff")
    found = [m.group(1).strip() for m in _FENCE.finditer(text)]
    start, end = text.find("{"), text.rfind("}")
    if start != -1 and end > start:
        found.append(text[start : end + 1])
    found.append(text)
    return found


def parse_object(text: str) -> dict:
    """The JSON object in `text` (bare, fenced or surrounded by prose; trailing commas forgiven)."""
    if not text or not text.strip():
        raise NotJson("empty answer")
    for candidate in _candidates(text):
        for attempt in (candidate, _TRAILING_COMMA.sub(r"\1", candidate)):
            try:
                value = json.loads(attempt)
            except ValueError:
                continue
            if isinstance(value, dict):
                return value
    raise NotJson("no JSON object in the answer")


def close_open(text: str) -> str:
    """`text` (the start of a JSON document) with its open string, arrays and objects closed."""
    stack: list[str] = []
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "{[":
            stack.append("}" if ch == "{" else "]")
        elif ch in "}]" and stack:
            stack.pop()
    out = text
    if in_string:
        if escaped:  # the answer stopped inside an escape: drop its backslash
            out = out[:-1]
        out += '"'
    out = out.rstrip()
    if out.endswith(","):
        out = out[:-1]
    if out.endswith(":"):
        out += " null"
    return out + "".join(reversed(stack))


def parse_partial(text: str) -> dict:
    """What can be read of a streaming answer so far ({} when nothing yet)."""
    start = text.find("{")
    if start == -1:
        return {}
    body = text[start:]
    for attempt in (body, close_open(body)):
        try:
            value = json.loads(attempt)
        except ValueError:
            continue
        return value if isinstance(value, dict) else {}
    # a key without its value yet ("{"a": "x", "b) : drop the unfinished pair
    cut = max(body.rfind(","), 0)
    try:
        value = json.loads(close_open(body[:cut])) if cut else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
