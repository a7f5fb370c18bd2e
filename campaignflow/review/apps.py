from django.utils.translation import gettext_lazy as _

from campaignflow.campaigns.tabs import CampaignAppConfig, Tab


class ReviewConfig(CampaignAppConfig):
    verbose_name = _("Review and case library")
    tabs = (Tab("review", _("Review"), "review:overview", order=80, team_only=True),)
