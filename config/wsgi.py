"""WSGI entry point (gunicorn config.wsgi): Django's handler, with the public lane (core.lanes) for the
anonymous event registration pages and API."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup(set_prefix=False)

from campaignflow.core.lanes import LanedWSGIApplication  # noqa: E402  (after the apps are loaded)

application = LanedWSGIApplication()
