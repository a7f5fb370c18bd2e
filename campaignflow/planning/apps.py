from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "campaignflow.planning"
    label = "planning"
    verbose_name = _("Plan")

    def ready(self) -> None:
        from campaignflow.campaigns.tabs import register_tab

        from . import gates  # noqa: F401

        register_tab("plan", _("Plan"), "planning:plan", order=24)
        register_tab("gantt", _("Gantt"), "planning:gantt", order=25)
        register_tab("raci", _("RACI"), "planning:raci", order=26)
