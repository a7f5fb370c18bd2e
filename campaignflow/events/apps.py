from django.utils.translation import gettext_lazy as _

from campaignflow.campaigns.tabs import CampaignAppConfig, Tab


class EventsConfig(CampaignAppConfig):
    name = "campaignflow.events"
    label = "events"
    verbose_name = _("Events and registration")
    tabs = (Tab("events", _("Registration"), "events:list", order=32),)
