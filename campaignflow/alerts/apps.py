from django.utils.translation import gettext_lazy as _

from campaignflow.campaigns.tabs import CampaignAppConfig, Tab


class AlertsConfig(CampaignAppConfig):
    verbose_name = _("Alerts")
    tabs = (Tab("alerts", _("Alerts"), "alerts:list", order=55, team_only=True),)

    def ready(self) -> None:
        super().ready()
        from campaignflow.core.audit_display import hide_fields, register_values
        from campaignflow.core.scheduler import register_job
        from campaignflow.notifications import texts

        from .engine import evaluate_all, notification_text
        from .rule_labels import RULE_LABELS

        register_job("alerts.evaluate", evaluate_all, every=300)
        texts.register("alert", notification_text)  # an alert's notification, said in its reader's language
        register_values("alerts.alert", "rule", RULE_LABELS)  # the history pages' words for a rule's code
        hide_fields("alerts.alert", "subject", "data")  # "kpi:9" and the figures: the message says them in words
