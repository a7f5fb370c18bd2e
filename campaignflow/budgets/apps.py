from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetsConfig(AppConfig):
    name = "campaignflow.budgets"
    label = "budgets"
    verbose_name = _("Budget")

    def ready(self) -> None:
        from campaignflow.campaigns.tabs import register_tab

        from . import gates  # noqa: F401

        register_tab("budget", _("Budget"), "budgets:budget", order=60)
        register_tab("partners", _("Partners"), "budgets:partners", order=62)
        register_tab("settlement", _("Settlement"), "budgets:settlement", order=64)
