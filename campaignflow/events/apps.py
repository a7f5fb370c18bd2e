from django.utils.translation import gettext_lazy as _

from campaignflow.campaigns.tabs import CampaignAppConfig, Tab


class EventsConfig(CampaignAppConfig):
    verbose_name = _("Events and registration")
    tabs = (Tab("events", _("Registration"), "events:list", order=32),)

    def ready(self) -> None:
        super().ready()
        from campaignflow.core.scheduler import register_job

        from .retention import purge_expired_registrations

        register_job("events.retention", purge_expired_registrations, every=6 * 3600)
