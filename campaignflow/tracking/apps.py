from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrackingConfig(AppConfig):
    name = "campaignflow.tracking"
    label = "tracking"
    verbose_name = _("Daily tracking")
