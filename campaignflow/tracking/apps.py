from django.utils.translation import gettext_lazy as _

from campaignflow.campaigns.tabs import CampaignAppConfig, Tab


class TrackingConfig(CampaignAppConfig):
    verbose_name = _("Daily tracking")
    tabs = (
        Tab("board", _("Data board"), "tracking:board", order=30),
        Tab("data", _("Data entry"), "tracking:data", order=31),
    )
