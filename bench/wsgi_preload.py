"""The app gunicorn loads with --preload in QUICK runs (bench/http_load.py's Server): config.wsgi's, with the
URLconf (so every view module) imported too. The zygote (bench/server_zygote.py) imports them once, each
server's master is a fork of it and each worker a fork of that, warm, instead of importing Django and the views on its own (~1.5 s of CPU a worker, a 2-core machine's
seconds of wall time for a server of 4). No database connection is opened here: each worker opens its own."""

from django.urls import get_resolver

from config.wsgi import application

get_resolver().url_patterns  # noqa: B018  (imports every view module)

__all__ = ["application"]
