from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TodayConfig(AppConfig):
    """The daily loops on a phone: one screen of what is due today, the stand-up, today's numbers, approvals."""

    name = "campaignflow.today"
    verbose_name = _("Today")
