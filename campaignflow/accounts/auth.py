"""API authentication: Bearer token, or the browser session (with CSRF) for the web UI."""

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from .services import user_for_token
from .signals import token_user


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        user = user_for_token(token)
        if user is None:
            return None
        token_user.send(sender=BearerToken, user=user)
        if not user.is_active:  # a receiver found the person gone at their directory
            return None
        request.user = user
        return user


API_AUTH = [BearerToken(), SessionAuth(csrf=True)]
