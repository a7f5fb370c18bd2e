from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "campaignflow.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from campaignflow.core.scheduler import register_job

        from .delivery import deliver_due

        register_job("notifications.deliver", deliver_due, every=30)
