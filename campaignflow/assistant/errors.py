"""The assistant's refusals, mapped to HTTP by config/api.py like every DomainError."""

from campaignflow.core.errors import DomainError


class AssistantOff(DomainError):
    """AI_BASE_URL / AI_MODEL are not set."""

    status = 503


class UpstreamFailed(DomainError):
    """The endpoint failed, or answered something that is not a usable draft."""

    status = 502


class UpstreamTimeout(DomainError):
    status = 504


class BudgetSpent(DomainError):
    """Today's token budget of the person or the campaign is spent."""

    status = 429
