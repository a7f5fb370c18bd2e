"""The daily token budget: a person's and a campaign's tokens spent today against their limits."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Spent:
    scope: str  # "user" or "campaign"
    used: int
    limit: int


def exhausted(*, user_used: int, user_limit: int, campaign_used: int, campaign_limit: int) -> Spent | None:
    """The first budget spent (used ≥ limit), or None while both have tokens left. A limit of 0 means
    no limit."""
    if user_limit and user_used >= user_limit:
        return Spent("user", user_used, user_limit)
    if campaign_limit and campaign_used >= campaign_limit:
        return Spent("campaign", campaign_used, campaign_limit)
    return None
