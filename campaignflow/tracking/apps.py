from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrackingConfig(AppConfig):
    name = "campaignflow.tracking"
    label = "tracking"
    verbose_name = _("Daily tracking")

    def ready(self) -> None:
        from campaignflow.campaigns.tabs import register_tab

        register_tab("board", _("Data board"), "tracking:board", order=30)
        register_tab("data", _("Data entry"), "tracking:data", order=31)
