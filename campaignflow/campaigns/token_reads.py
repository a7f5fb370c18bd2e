"""The campaign of an API request read with its Bearer token, in one statement (ADR 0023).

Behind every read of a campaign's data through the API stand two lookups: the token with its user, and the
campaign with the caller's role and its change stamp (campaigns.access.campaign_for_user). A cached read
(the board, KPIs, channels) does nothing else, and on PostgreSQL each lookup is a round trip to a server
process that shares the cores with the web workers. For a GET under /campaigns/{campaign_id}/ the campaign
rides along with the token's query (accounts.services.TokenRider, built by access.campaign_rider);
`campaign_for_user` then takes it instead of asking the database again, once, under the same rules."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from campaignflow.accounts.auth import BearerToken
from campaignflow.accounts.services import TokenRider

from .access import campaign_rider, valid_id

SAFE_METHODS = ("GET", "HEAD")


def path_campaign_id(request: HttpRequest) -> int | None:
    match = getattr(request, "resolver_match", None)
    try:
        return valid_id(match.kwargs.get("campaign_id") if match is not None else None)
    except Http404:
        return None


class CampaignBearerToken(BearerToken):
    """The API's Bearer auth: a read under /campaigns/{campaign_id}/ brings its campaign along."""

    def rider(self, request: HttpRequest) -> TokenRider | None:
        if request.method not in SAFE_METHODS:
            return None  # a write looks the campaign up itself, as it always did
        campaign_id = path_campaign_id(request)
        return campaign_rider(campaign_id) if campaign_id is not None else None
