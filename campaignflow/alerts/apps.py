from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "campaignflow.alerts"
    label = "alerts"
    verbose_name = _("Alerts")

    def ready(self) -> None:
        from campaignflow.campaigns.tabs import register_tab
        from campaignflow.core.scheduler import register_job

        from .access import not_partner
        from .engine import evaluate_all

        register_tab("alerts", _("Alerts"), "alerts:list", order=55, visible=not_partner)
        register_job("alerts.evaluate", evaluate_all, every=300)
