from django.utils.translation import gettext_lazy as _

from .tabs import CampaignAppConfig


class CampaignsConfig(CampaignAppConfig):
    verbose_name = _("Campaigns")
