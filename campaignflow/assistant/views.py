"""The assistant's admin page: its configuration (never the key) and a connection test."""

import time

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _

from campaignflow.campaigns.access import is_admin
from campaignflow.core.pages import Pages

from .client import ChatClient, UpstreamError, config

page = Pages()


@page("admin-tools/assistant/", "settings")
def settings_page(request):
    if not is_admin(request.user):
        raise PermissionDenied
    cfg = config()
    result = None
    if request.method == "POST" and cfg.enabled:
        started = time.monotonic()
        try:
            models = ChatClient(cfg).models()
            result = {
                "ok": True,
                "message": _("Connected: the endpoint lists %(n)d models.") % {"n": len(models)},
                "model_listed": cfg.model in models,
                "ms": round((time.monotonic() - started) * 1000),
            }
        except UpstreamError as exc:
            result = {"ok": False, "message": exc.detail, "ms": round((time.monotonic() - started) * 1000)}
    from django.conf import settings

    rows = [
        ("AI_BASE_URL", cfg.base_url or "—"),
        ("AI_MODEL", cfg.model or "—"),
        ("AI_API_KEY", _("set") if cfg.api_key else _("not set")),
        ("AI_TIMEOUT", f"{cfg.timeout:g} s"),
        ("AI_MAX_RETRIES", cfg.max_retries),
        ("AI_JSON_MODE", cfg.json_mode),
        ("AI_DAILY_TOKENS_PER_USER", getattr(settings, "AI_DAILY_TOKENS_PER_USER", 0)),
        ("AI_DAILY_TOKENS_PER_CAMPAIGN", getattr(settings, "AI_DAILY_TOKENS_PER_CAMPAIGN", 0)),
    ]
    return render(request, "assistant/settings.html", {"cfg": cfg, "rows": rows, "result": result})
