"""The public lane: the anonymous pages and API (settings.PUBLIC_PATHS, the event registration) answered by a
middleware stack of their own, settings.PUBLIC_MIDDLEWARE, without what only signed-in people need (sessions,
sign-in and its role refresh, the person's time zone, messages, htmx, axes, static files). A burst of
registrations from a KOL's post then spends its CPU on registering (docs/performance.md, "Event registration").

A request in the lane is anonymous whatever it sends (`request.user` is AnonymousUser): the lane can only give
less than the full stack, never more. Its routes come from settings.PUBLIC_URLCONF: the same routes as
ROOT_URLCONF, the public ones first."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.handlers.wsgi import WSGIHandler


class PublicRequestMiddleware:
    """In the lane: the request is anonymous and resolved against the public URL configuration."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.user = AnonymousUser()
        request.urlconf = settings.PUBLIC_URLCONF
        return self.get_response(request)


class _LaneHandler(WSGIHandler):
    """A WSGI handler whose middleware is `middleware` instead of settings.MIDDLEWARE."""

    def __init__(self, middleware: list[str]):
        self.lane_middleware = middleware
        super().__init__()

    def load_middleware(self, is_async=False):
        # Django builds the stack from settings.MIDDLEWARE; the handlers are made once, before any request.
        full = settings.MIDDLEWARE
        settings.MIDDLEWARE = self.lane_middleware
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = full


class LanedWSGIApplication:
    """The WSGI application: requests to settings.PUBLIC_PATHS through the public lane, all others through
    Django's handler with the full stack."""

    def __init__(self):
        self.full = WSGIHandler()
        self.public = _LaneHandler(settings.PUBLIC_MIDDLEWARE)
        self.public_paths = tuple(settings.PUBLIC_PATHS)

    def __call__(self, environ, start_response):
        public = environ.get("PATH_INFO", "").startswith(self.public_paths)
        return (self.public if public else self.full)(environ, start_response)

    def get_response(self, request):
        """A request object through its lane (as Django's handler offers, for tests and tools)."""
        public = request.path_info.startswith(self.public_paths)
        return (self.public if public else self.full).get_response(request)
