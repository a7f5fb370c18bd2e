"""Human-readable alert messages, in words a marketer reads: said from the rule and its figures (`Alert.data`) in
the reader's language whenever an alert is shown (`rendered_message`); the text stored with the alert is what
is shown when its figures cannot say it (rows of older versions)."""

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from campaignflow.core.domain.numbers import format_en
from campaignflow.core.shown_numbers import money_shown, number_shown
from campaignflow.notifications.texts import CANNOT_SAY


def _pct(x) -> str:
    return f"{float(x) * 100:.0f}%"


def _num(x, percent: bool = False) -> str:
    """A figure as the pages show it: rates as percentages (0.023 → 2.3%), amounts 11.7万 / 117,000."""
    if percent:
        return format_en(Decimal(str(x)) * 100, 2) + "%"
    return number_shown(x)


def _money(x) -> str:
    """An amount as the `money` filter shows it (¥8万 / ¥80,000.00); older alerts stored it already written."""
    return x if isinstance(x, str) else money_shown(x)


def _kpi(p: dict, ahead: bool) -> str:
    values = {
        "kpi": p["kpi"],
        "dev": _pct(abs(p["deviation"])),
        # Said as it is: actual above or below plan (whether that is good depends on the KPI's direction).
        "dir": _("above") if p["deviation"] > 0 else _("below"),
        "plan": _num(p["plan"], p.get("percent")),
        "actual": _num(p["actual"], p.get("percent")),
        "rate": _pct(1 + p["deviation"]),
    }
    if not ahead:
        return (
            _("%(kpi)s is %(dev)s %(dir)s plan (plan %(plan)s, actual %(actual)s): an evaluation is required.") % values
        )
    if p.get("direction") == "down":
        return (
            _(
                "%(kpi)s is better than plan: %(dev)s %(dir)s plan (plan %(plan)s, actual %(actual)s); no evaluation needed."
            )
            % values
        )
    return (
        _(
            "%(kpi)s is ahead of plan: %(rate)s of the plan to date (plan %(plan)s, actual %(actual)s); "
            "no evaluation needed."
        )
        % values
    )


def _how_far(m: dict, days: int) -> str:
    """A robust z as words: how far from the usual level of the window, never the number itself."""
    up = m["z"] > 0
    text = {
        ("slight", True): _("somewhat above the usual level of the last %(days)d days"),
        ("clear", True): _("well above the usual level of the last %(days)d days"),
        ("far", True): _("far above the usual level of the last %(days)d days"),
        ("slight", False): _("somewhat below the usual level of the last %(days)d days"),
        ("clear", False): _("well below the usual level of the last %(days)d days"),
        ("far", False): _("far below the usual level of the last %(days)d days"),
    }[(m["band"], up)]
    return text % {"days": days}


def _times(m: dict) -> str:
    if not m.get("ratio"):
        return _("usual %(typical)s") % {"typical": _num(m["typical"], m.get("percent"))}
    values = {"typical": _num(m["typical"], m.get("percent")), "ratio": format_en(Decimal(str(m["ratio"])), 1)}
    if m["z"] > 0:
        return _("usual %(typical)s, about %(ratio)s×") % values
    return _("usual %(typical)s, about %(share)s of it") % {**values, "share": _pct(m["ratio"])}


def _detail(m: dict, days: int) -> str:
    return _("%(metric)s %(value)s, %(how)s, %(times)s") % {
        "metric": m["metric"],
        "value": _num(m["value"], m.get("percent")),
        "how": _how_far(m, days),
        "times": _times(m),
    }


def _anomaly(p: dict) -> str:
    days, metrics = p["window"], p["metrics"]
    if len(p["channels"]) > 1:  # several channels: per channel the metrics that moved, and the largest move
        parts = []
        for channel in p["channels"]:
            moved = [m for m in metrics if m["channel"] == channel]
            top = max(moved, key=lambda m: abs(m["z"]))
            if len(moved) == 1:
                parts.append(_("%(channel)s: %(detail)s") % {"channel": channel or "—", "detail": _detail(top, days)})
                continue
            parts.append(
                _("%(channel)s: %(metrics)s (largest: %(detail)s)")
                % {
                    "channel": channel or "—",
                    "metrics": pgettext("list separator", ", ").join(m["metric"] for m in moved),
                    "detail": _detail(top, days),
                }
            )
        if p.get("whole_day"):
            text = _("Every channel's figures are unusual on %(date)s: %(details)s.")
        else:
            text = _("Unusual figures on %(date)s: %(details)s.")
        return text % {"date": p["date"], "details": pgettext("list separator", "; ").join(parts)}
    details = pgettext("list separator", "; ").join(
        _("%(metric)s %(value)s, %(how)s (%(times)s)")
        % {
            "metric": m["metric"],
            "value": _num(m["value"], m.get("percent")),
            "how": _how_far(m, days),
            "times": _times(m),
        }
        for m in metrics
    )
    return _("%(channel)s's figures on %(date)s are unusual: %(details)s.") % {
        "channel": p["channels"][0] or "—",
        "date": p["date"],
        "details": details,
    }


# The rules whose message reads the alert's figures as they are stored (lazy: said in the reader's language).
PLAIN_MESSAGES = {
    "task_overdue": gettext_lazy("Task %(code)s %(name)s is %(days)d days overdue."),
    "milestone_at_risk": gettext_lazy("Milestone %(code)s %(name)s (due %(due)s) is at risk."),
    "issue_sla": gettext_lazy("Issue %(code)s has passed its %(which)s deadline (%(due)s)."),
    "retro_overdue": gettext_lazy("The retrospective was due on %(due)s and is %(days)d days late."),
    "material_late": gettext_lazy(
        "Material %(code)s %(name)s was due %(due)s and is not accepted yet (%(days)d days late)."
    ),
    "standup_missing": gettext_lazy("No stand-up from %(who)s for %(date)s."),
}


def render_message(rule: str, p: dict) -> str:
    """The alert's message in the active language (the rule's key when the rule is unknown)."""
    if rule == "kpi_deviation":
        return _kpi(p, ahead=False)
    if rule == "kpi_ahead":
        return _kpi(p, ahead=True)
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
        return _anomaly(p)
    if rule in PLAIN_MESSAGES:
        return PLAIN_MESSAGES[rule] % p
    if rule == "budget_over":
        return _("Budget line %(item)s is over plan by %(over)s (plan %(planned)s, actual %(actual)s).") % {
            "item": p["item"],
            "over": _money(p["over"]),
            "planned": _money(p["planned"]),
            "actual": _money(p["actual"]),
        }
    if rule == "contingency_low":
        return _("The contingency reserve is %(ratio)s of the budget, below the %(minimum)s rule.") % {
            "ratio": _pct(p["ratio"]),
            "minimum": _pct(p["minimum"]),
        }
    return rule


# The rules render_message says (any other rule's key is said as itself).
RULES_SAID = {"kpi_deviation", "kpi_ahead", "conversion_drop", "below_benchmark", "anomaly", "budget_over"}
RULES_SAID |= {"contingency_low", *PLAIN_MESSAGES}


def rendered_message(rule: str, data) -> str | None:
    """The message of an alert of `rule` with these figures, in the active language; None when they cannot say
    it (an unknown rule, figures stored by an older version): the caller shows the stored text then."""
    if rule not in RULES_SAID or not isinstance(data, dict):
        return None
    try:
        return render_message(rule, data)
    except CANNOT_SAY:
        return None
