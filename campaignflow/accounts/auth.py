"""API authentication: Bearer token, or the browser session (with CSRF) for the web UI."""

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from .services import user_for_token


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


API_AUTH = [BearerToken(), SessionAuth(csrf=True)]
