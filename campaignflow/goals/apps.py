from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GoalsConfig(AppConfig):
    name = "campaignflow.goals"
    label = "goals"
    verbose_name = _("Goals and channels")

    def ready(self) -> None:
        from campaignflow.campaigns.tabs import register_tab

        from . import gates  # noqa: F401

        register_tab("goals", _("Goals & channels"), "goals:kpis", order=20)
