"""The routes of the public lane (core.lanes): every route of config.urls, the public ones first, so that a
burst of registrations finds its route at once instead of after ~160 API routes (URL resolving was a tenth
of a registration's CPU). Reversing names works as with config.urls."""

from django.urls import URLPattern, include, path

from . import urls
from .api import api

_public_api = [
    URLPattern(p.pattern, p.callback, p.default_args)  # unnamed: the names stay config.urls' own
    for p in api.urls[0]
    if str(p.pattern).startswith("public/")
]

urlpatterns = [
    path("api/v1/", include(_public_api)),
    path("", include("campaignflow.events.urls")),
    *urls.urlpatterns,
]
