from django.utils.translation import gettext_lazy as _

from campaignflow.campaigns.tabs import CampaignAppConfig, Tab


class MaterialsConfig(CampaignAppConfig):
    verbose_name = _("Materials")
    tabs = (Tab("materials", _("Materials"), "materials:list", order=28),)

    def ready(self) -> None:
        super().ready()
        from campaignflow.campaigns.signals import plan_generated
        from campaignflow.planning.gantt_markers import register_marker_source

        from .gantt import SOURCE
        from .playbook_materials import create_from_plan

        plan_generated.connect(create_from_plan, dispatch_uid="materials.create_from_plan")
        register_marker_source(SOURCE)  # the materials' due dates as milestones on the Gantt
