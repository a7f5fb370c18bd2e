"""API authentication by Bearer token (config/api.py composes the API's: this, or the web UI's session)."""

from django.http import HttpRequest
from ninja.security import HttpBearer

from .services import TokenRider, user_for_token
from .signals import token_user


class BearerToken(HttpBearer):
    def rider(self, request: HttpRequest) -> TokenRider | None:
        """What to read with the token for this request, in the same statement (an app above says: the
        composed API's auth is campaigns.token_reads.CampaignBearerToken)."""
        return None

    def authenticate(self, request: HttpRequest, token: str):
        user = user_for_token(token, self.rider(request))
        if user is None:
            return None
        token_user.send(sender=BearerToken, user=user)
        if not user.is_active:  # a receiver found the person gone at their directory
            return None
        request.user = user
        return user
