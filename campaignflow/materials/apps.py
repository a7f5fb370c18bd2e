from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MaterialsConfig(AppConfig):
    name = "campaignflow.materials"
    label = "materials"
    verbose_name = _("Materials")

    def ready(self) -> None:
        from . import gates  # noqa: F401
