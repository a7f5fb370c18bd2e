from django.utils.translation import gettext_lazy as _

from campaignflow.campaigns.tabs import CampaignAppConfig, Tab


class GoalsConfig(CampaignAppConfig):
    verbose_name = _("Goals and channels")
    tabs = (Tab("goals", _("Goals & channels"), "goals:kpis", order=20),)
