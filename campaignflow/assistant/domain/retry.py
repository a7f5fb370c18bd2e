"""When to try the endpoint again: after a 429, a 5xx or a dropped connection, with exponential backoff,
never past the call's deadline."""

from __future__ import annotations

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


def should_retry(status: int | None) -> bool:
    """`status` None: the connection failed before an answer (refused, reset)."""
    return status is None or status in RETRY_STATUSES


def backoff(attempt: int, *, base: float = 0.5, cap: float = 8.0, retry_after: float | None = None) -> float:
    """Seconds to wait before retry number `attempt` (1, 2, …): base·2^(attempt−1) up to `cap`, or the
    server's Retry-After when it names one (also capped)."""
    if retry_after is not None and retry_after >= 0:
        return min(retry_after, cap)
    return min(base * (2 ** (attempt - 1)), cap)


def retry_delay(attempt: int, *, max_retries: int, remaining: float, retry_after: float | None = None) -> float | None:
    """The wait before retry `attempt`, or None when no retry is left or the wait plus a minimal call
    (one second) would not fit in the `remaining` seconds of the deadline."""
    if attempt > max_retries:
        return None
    delay = backoff(attempt, retry_after=retry_after)
    if delay + 1.0 > remaining:
        return None
    return delay


def parse_retry_after(value: str | None) -> float | None:
    """A Retry-After header in seconds (the HTTP-date form is not used by these endpoints)."""
    if not value:
        return None
    try:
        return max(float(value.strip()), 0.0)
    except ValueError:
        return None
