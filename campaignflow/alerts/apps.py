from django.utils.translation import gettext_lazy as _

from campaignflow.campaigns.tabs import CampaignAppConfig, Tab


class AlertsConfig(CampaignAppConfig):
    verbose_name = _("Alerts")
    tabs = (Tab("alerts", _("Alerts"), "alerts:list", order=55, team_only=True),)

    def ready(self) -> None:
        super().ready()
        from campaignflow.core.scheduler import register_job

        from .engine import evaluate_all

        register_job("alerts.evaluate", evaluate_all, every=300)
