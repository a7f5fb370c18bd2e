from django.utils.translation import gettext_lazy as _

from campaignflow.campaigns.tabs import CampaignAppConfig, Tab


class BudgetsConfig(CampaignAppConfig):
    verbose_name = _("Budget")
    tabs = (
        Tab("budget", _("Budget"), "budgets:budget", order=60),
        Tab("partners", _("Partners"), "budgets:partners", order=62),
        Tab("settlement", _("Settlement"), "budgets:settlement", order=64),
    )
