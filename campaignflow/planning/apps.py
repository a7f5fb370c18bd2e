from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "campaignflow.planning"
    label = "planning"
    verbose_name = _("Plan")

    def ready(self) -> None:
        from . import gates  # noqa: F401
