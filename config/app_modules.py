"""The CampaignFlow apps' own modules, found by name: each installed app with an `api` module adds its router
to the one API, each with a `urls` module its pages (an app added to INSTALLED_APPS needs nothing more)."""

from importlib import import_module
from types import ModuleType

from django.apps import apps
from django.utils.module_loading import module_has_submodule


def app_modules(name: str) -> list[ModuleType]:
    """`campaignflow.<app>.<name>` of each installed CampaignFlow app that has one, in INSTALLED_APPS order."""
    return [
        import_module(f"{config.name}.{name}")
        for config in apps.get_app_configs()
        if config.name.startswith("campaignflow.") and module_has_submodule(config.module, name)
    ]
