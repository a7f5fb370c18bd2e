"""The `state` of a redirect sign-in (the chat apps' QR and in-app OAuth pages): a random value kept in the
session with what the callback needs (the redirect URI sent, the PKCE verifier), used once, valid ten minutes.
A callback whose state is not one this browser was given — forged, replayed, from another browser, too old — is
refused. (OIDC's state, nonce and PKCE verifier are kept the same way by authlib: signin/oidc.py.)"""

from __future__ import annotations

import secrets
import time

SESSION_KEY = "signin_states"
MAX_AGE = 600  # seconds
MAX_OPEN = 5  # a person who starts several sign-ins in tabs: the latest few stay usable


def issue(request, method_id: str, **data) -> str:
    now = time.time()
    kept = {
        state: entry
        for state, entry in (request.session.get(SESSION_KEY) or {}).items()
        if isinstance(entry, dict) and entry.get("at", 0) > now - MAX_AGE
    }
    state = secrets.token_urlsafe(24)
    kept[state] = {"method": method_id, "at": now, **data}
    request.session[SESSION_KEY] = dict(sorted(kept.items(), key=lambda item: item[1]["at"])[-MAX_OPEN:])
    return state


def take(request, method_id: str, state: str | None) -> dict | None:
    """The data issued with `state` for `method_id`, forgotten at once (a second use finds nothing); None when there
    is none, it is for another method, or it is older than MAX_AGE."""
    kept = dict(request.session.get(SESSION_KEY) or {})
    entry = kept.pop(state, None) if state else None
    if entry is not None:
        request.session[SESSION_KEY] = kept
    if not isinstance(entry, dict) or entry.get("method") != method_id or entry.get("at", 0) <= time.time() - MAX_AGE:
        return None
    return entry
