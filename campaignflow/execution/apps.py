from django.utils.translation import gettext_lazy as _

from campaignflow.campaigns.tabs import CampaignAppConfig, Tab


class ExecutionConfig(CampaignAppConfig):
    verbose_name = _("Execution control")
    tabs = (Tab("execution", _("Execution"), "execution:overview", order=60, team_only=True),)

    def ready(self) -> None:
        super().ready()
        from campaignflow.core.audit_display import hide_fields

        hide_fields("execution.weeklyreport", "figures_snapshot")  # the page shows the kept figures themselves
