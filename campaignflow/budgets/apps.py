from django.utils.translation import gettext_lazy as _

from campaignflow.campaigns.tabs import CampaignAppConfig, Tab


class BudgetsConfig(CampaignAppConfig):
    verbose_name = _("Budget")
    tabs = (
        Tab("budget", _("Budget"), "budgets:budget", order=60),
        Tab("partners", _("Partners"), "budgets:partners", order=62),
        Tab("settlement", _("Settlement"), "budgets:settlement", order=64),
    )

    def ready(self):
        super().ready()
        from campaignflow.core.audit_display import register_values

        from .models import OVERRUN_REASONS, Category

        # the history pages' words for codes these models keep without choices
        register_values("budgets.budgetline", "category", dict(Category.choices))
        register_values("budgets.expense", "over_reason", OVERRUN_REASONS)
