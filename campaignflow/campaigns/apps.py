from django.utils.translation import gettext_lazy as _

from .tabs import CampaignAppConfig


class CampaignsConfig(CampaignAppConfig):
    name = "campaignflow.campaigns"
    label = "campaigns"
    verbose_name = _("Campaigns")
    gates = True
