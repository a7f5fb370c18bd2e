from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "campaignflow.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.db import connections

        if any(connections[alias].vendor == "sqlite" for alias in connections):
            from .sqlite_dates import install

            install()
