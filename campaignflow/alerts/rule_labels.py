from django.utils.translation import gettext_lazy as _

RULE_LABELS = {
    "kpi_deviation": _("KPI behind plan by more than the threshold → evaluation required"),
    "kpi_ahead": _("KPI ahead of plan by more than the threshold → good news, no evaluation"),
    "conversion_drop": _("A channel's conversion rate drops day over day"),
    "below_benchmark": _("A channel stays below its benchmark for several days → suggest pausing"),
    "anomaly": _("A day's figures far from the channel's usual level (one alert per day)"),
    "task_overdue": _("Task overdue"),
    "milestone_at_risk": _("Milestone at risk"),
    "budget_over": _("Budget line over plan"),
    "contingency_low": _("Contingency reserve below the rule"),
    "issue_sla": _("Issue SLA breached (24 h response / 48 h solution)"),
    "standup_missing": _("Stand-up missing"),
    "retro_overdue": _("Retrospective late (due 3 working days after the end)"),
    "material_late": _("Material not accepted by its due date"),
}
PARAM_LABELS = {
    "threshold": _("threshold"),
    "days": _("days"),
    "z": _("sensitivity"),
    "history_days": _("history (days)"),
    "minimum": _("minimum share"),
}
# Parameters that are shares (0.1) but read and typed as percentages (10 %) on the rules form.
PERCENT_PARAMS = frozenset({"threshold", "minimum"})
# The anomaly rule's robust-z threshold as a marketer picks it: more sensitive → smaller changes alert.
SENSITIVITY = (
    (2.5, _("High: smaller changes alert too")),
    (3.5, _("Medium")),
    (5.0, _("Low: only large changes")),
)
