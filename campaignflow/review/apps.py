from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "campaignflow.review"
    label = "review"
    verbose_name = _("Review and case library")

    def ready(self) -> None:
        from campaignflow.campaigns.tabs import register_tab

        from . import gates  # noqa: F401
        from .access import not_partner

        register_tab("review", _("Review"), "review:overview", order=80, visible=not_partner)
