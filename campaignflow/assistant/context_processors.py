from .client import config


def assistant(request):
    """`assistant_on` for the templates: without AI_BASE_URL / AI_MODEL nothing of the assistant shows."""
    cfg = config()
    return {"assistant_on": cfg.enabled, "assistant_model": cfg.model if cfg.enabled else ""}
