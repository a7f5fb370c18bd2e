"""Alerts page: open alerts to acknowledge and resolve with an evaluation; the campaign's thresholds."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from campaignflow.campaigns.access import EDIT, MANAGE, VIEW, campaign_for_user
from campaignflow.campaigns.views import campaign_page_context
from campaignflow.core.errors import InvalidInput
from campaignflow.core.form_views import act, posted_version
from campaignflow.core.pages import Pages

from . import engine, services
from .access import campaign_for_alerts
from .domain.conditions import RULES
from .models import Alert, AlertStatus, Decision
from .rule_labels import PARAM_LABELS, PERCENT_PARAMS, RULE_LABELS, SENSITIVITY

page = Pages()


def _choices(value) -> list[tuple[float, str]]:
    """The sensitivity levels, and the stored threshold when it is none of them (set through the API)."""
    levels = [(z, str(label)) for z, label in SENSITIVITY]
    if all(z != value for z, _label in levels):
        levels.append((value, _("Custom (%(value)s)") % {"value": f"{value:g}"}))
    return levels


def _percent(value: float) -> str:
    return f"{value * 100:.4f}".rstrip("0").rstrip(".")


def _param_field(rule_key: str, param, value) -> dict:
    """One threshold input of the rules form; shares (0.1) read and are typed as percentages (10 %)."""
    percent = param.name in PERCENT_PARAMS
    return {
        "name": param.name,
        "label": PARAM_LABELS.get(param.name, param.name),
        "value": _percent(value) if percent else value,
        "low": _percent(param.low) if percent else param.low,
        "high": _percent(param.high) if percent else param.high,
        "percent": percent,
        "choices": _choices(value) if (rule_key, param.name) == ("anomaly", "z") else None,
    }


def _opened(value) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 12 else None


@page("campaigns/<int:pk>/alerts/", "list")
def alert_list(request, pk: int):
    campaign = campaign_for_alerts(request.user, pk, VIEW)
    status = request.GET.get("status", "active")
    qs = Alert.objects.filter(campaign=campaign).select_related("acknowledged_by", "resolved_by", "follow_up_task")
    if status == "active":  # what needs attention: good news (info) is listed on its own
        qs = qs.exclude(status=AlertStatus.RESOLVED).exclude(severity="info")
    elif status == "good":
        qs = qs.filter(severity="info").exclude(status=AlertStatus.RESOLVED)
    elif status in AlertStatus.values:
        qs = qs.filter(status=status)
    settings = engine.rule_settings(campaign)
    rules = [
        {
            "key": key,
            "label": RULE_LABELS.get(key, key),
            "enabled": settings[key]["enabled"],
            "severity": RULES[key].severity,
            "params": [_param_field(key, p, settings[key]["params"][p.name]) for p in RULES[key].params],
        }
        for key in RULES
    ]
    return render(
        request,
        "alerts/list.html",
        campaign_page_context(
            request,
            campaign,
            "alerts",
            alerts=qs[:300],
            status=status,
            decisions=Decision.choices,
            rules=rules,
            errors={int(k): v for k, v in request.session.pop("alert_errors", {}).items()},
            opened=_opened(request.GET.get("alert")),  # Today's link: that alert's resolve form open
            rule_labels=RULE_LABELS,
        ),
    )


@page("campaigns/<int:pk>/alerts/<int:alert_id>/", "action", post=True)
def alert_action(request, pk: int, alert_id: int):
    campaign = campaign_for_user(request.user, pk, EDIT)
    alert = Alert.objects.filter(campaign=campaign, pk=alert_id).first()
    if alert is None:
        messages.error(request, _("No such alert."))
        return redirect("alerts:list", pk)
    if request.POST.get("action") == "acknowledge":
        act(request, lambda: services.alert_acknowledge(actor=request.user, alert=alert), _("Acknowledged."))
    else:
        fields = {name: request.POST.get(name, "") for name in ("evaluation", "decision", "follow_up")}
        version = posted_version(request) if "version" in request.POST else None  # the page's form sends it

        def resolve():
            try:
                return services.alert_resolve(actor=request.user, alert=alert, version=version, **fields)
            except InvalidInput as exc:  # also shown at the alert's own form once the page reloads
                request.session["alert_errors"] = {str(alert.pk): exc.as_field_dict()}
                raise

        act(request, resolve, _("Resolved with the evaluation recorded."))
    return redirect(f"/campaigns/{pk}/alerts/#alert-{alert.pk}")


@page("campaigns/<int:pk>/alerts/evaluate/", "evaluate", post=True)
def evaluate_now(request, pk: int):
    campaign = campaign_for_user(request.user, pk, EDIT)
    act(
        request,
        lambda: engine.evaluate_campaign(campaign, actor=request.user),
        lambda new: _("Checked: %(n)d new alerts.") % {"n": len(new)},
    )
    return redirect("alerts:list", pk)


@page("campaigns/<int:pk>/alerts/rules/", "rules", post=True)
def save_rules(request, pk: int):
    campaign = campaign_for_user(request.user, pk, MANAGE)
    rules = {}
    for key, rule in RULES.items():
        params = {}
        for p in rule.params:
            raw = request.POST.get(f"{key}.{p.name}")
            if raw is None:
                continue  # not on the form: keep the current value
            try:
                params[p.name] = float(raw) / 100 if p.name in PERCENT_PARAMS else float(raw)
            except ValueError:
                params[p.name] = raw
        rules[key] = {"enabled": f"{key}.enabled" in request.POST, "params": params}
    labels = {
        f"{key}.{p.name}": f"{RULE_LABELS[key]} · {PARAM_LABELS[p.name]}"
        for key, rule in RULES.items()
        for p in rule.params
    }
    act(
        request,
        lambda: services.rule_settings_save(actor=request.user, campaign=campaign, rules=rules),
        _("Thresholds saved."),
        labels,
    )
    return redirect(f"/campaigns/{pk}/alerts/#rules")
