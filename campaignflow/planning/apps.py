from django.utils.translation import gettext_lazy as _

from campaignflow.campaigns.tabs import CampaignAppConfig, Tab


class PlanningConfig(CampaignAppConfig):
    verbose_name = _("Plan")
    tabs = (
        Tab("plan", _("Plan"), "planning:plan", order=24),
        Tab("gantt", _("Gantt"), "planning:gantt", order=25),
        Tab("raci", _("RACI"), "planning:raci", order=26),
    )
