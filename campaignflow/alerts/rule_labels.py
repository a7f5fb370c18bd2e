from django.utils.translation import gettext_lazy as _

RULE_LABELS = {
    "kpi_deviation": _("KPI deviates from plan by more than the threshold → evaluation required"),
    "conversion_drop": _("A channel's conversion rate drops day over day"),
    "below_benchmark": _("A channel stays below its benchmark for several days → suggest pausing"),
    "anomaly": _("Statistical anomaly against the channel's own history"),
    "task_overdue": _("Task overdue"),
    "milestone_at_risk": _("Milestone at risk"),
    "budget_over": _("Budget line over plan"),
    "contingency_low": _("Contingency reserve below the rule"),
    "issue_sla": _("Issue SLA breached (24 h response / 48 h solution)"),
    "standup_missing": _("Stand-up missing"),
    "retro_overdue": _("Retrospective late (due 3 working days after the end)"),
}
PARAM_LABELS = {
    "threshold": _("threshold"),
    "days": _("days"),
    "z": _("robust z"),
    "history_days": _("history (days)"),
    "minimum": _("minimum share"),
}
