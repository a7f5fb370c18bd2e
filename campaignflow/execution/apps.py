from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExecutionConfig(AppConfig):
    name = "campaignflow.execution"
    label = "execution"
    verbose_name = _("Execution control")

    def ready(self) -> None:
        from campaignflow.campaigns.tabs import register_tab

        register_tab("execution", _("Execution"), "execution:overview", order=60)
