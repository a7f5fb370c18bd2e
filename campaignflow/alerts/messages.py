"""Human-readable alert messages (translated at evaluation time)."""

from django.utils.translation import gettext as _


def _pct(x) -> str:
    return f"{float(x) * 100:.0f}%"


def render_message(rule: str, p: dict) -> str:
    if rule == "kpi_deviation":
        return _("%(kpi)s is %(dev)s %(dir)s plan (plan %(plan)s, actual %(actual)s): an evaluation is required.") % {
            "kpi": p["kpi"],
            "dev": _pct(abs(p["deviation"])),
            "dir": _("above") if p["deviation"] > 0 else _("below"),
            "plan": p["plan"],
            "actual": p["actual"],
        }
    if rule == "conversion_drop":
        return _("%(channel)s: conversion rate fell from %(before)s to %(after)s day over day.") % {
            "channel": p["channel"],
            "before": f"{p['before'] * 100:.2f}%",
            "after": f"{p['after'] * 100:.2f}%",
        }
    if rule == "below_benchmark":
        return _(
            "%(channel)s: %(metric)s has been at least %(threshold)s below the benchmark for %(days)d days; "
            "consider pausing the channel."
        ) % {"channel": p["channel"], "metric": p["metric"], "threshold": _pct(p["threshold"]), "days": p["days"]}
    if rule == "anomaly":
        return _("%(channel)s: %(metric)s on %(date)s is unusual (%(value)s, robust z = %(z).1f).") % p
    if rule == "task_overdue":
        return _("Task %(code)s %(name)s is %(days)d days overdue.") % p
    if rule == "milestone_at_risk":
        return _("Milestone %(code)s %(name)s (due %(due)s) is at risk.") % p
    if rule == "budget_over":
        return _("Budget line %(item)s is over plan by %(over)s (plan %(planned)s, actual %(actual)s).") % p
    if rule == "contingency_low":
        return _("The contingency reserve is %(ratio)s of the budget, below the %(minimum)s rule.") % {
            "ratio": _pct(p["ratio"]),
            "minimum": _pct(p["minimum"]),
        }
    if rule == "issue_sla":
        return _("Issue %(code)s has passed its %(which)s deadline (%(due)s).") % p
    if rule == "retro_overdue":
        return _("The retrospective was due on %(due)s and is %(days)d days late.") % p
    if rule == "standup_missing":
        return _("No stand-up from %(who)s for %(date)s.") % p
    return rule
