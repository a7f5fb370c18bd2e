from django.utils.translation import gettext_lazy as _

from campaignflow.campaigns.tabs import CampaignAppConfig, Tab


class MaterialsConfig(CampaignAppConfig):
    name = "campaignflow.materials"
    label = "materials"
    verbose_name = _("Materials")
    tabs = (Tab("materials", _("Materials"), "materials:list", order=28),)
    gates = True
