"""Alert writes: acknowledge, resolve with an evaluation, per-campaign rule thresholds."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaignflow.core.audit import audit_record, snapshot
from campaignflow.core.errors import Conflict, InvalidInput
from campaignflow.core.locking import update_versioned

from .domain.conditions import RULES, Param, validate_params
from .models import Alert, AlertStatus, Decision, RuleSetting
from .rule_labels import PERCENT_PARAMS


@transaction.atomic
def alert_acknowledge(*, actor, alert: Alert) -> Alert:
    if alert.status != AlertStatus.OPEN:
        raise Conflict(_("Only an open alert can be acknowledged."))
    before = snapshot(alert)
    update_versioned(
        alert,
        expected_version=alert.version,
        changes={"status": AlertStatus.ACKNOWLEDGED, "acknowledged_by": actor, "acknowledged_at": timezone.now()},
    )
    audit_record(
        actor=actor, action="acknowledge", obj=alert, campaign=alert.campaign, before=before, after=snapshot(alert)
    )
    return alert


@transaction.atomic
def alert_resolve(
    *, actor, alert: Alert, evaluation: str, decision: str = "", follow_up: str = "", version: int | None = None
) -> Alert:
    """Close an alert with its evaluation (analysis), a decision and optionally a follow-up task."""
    errors = {}
    evaluation = (evaluation or "").strip()
    if not evaluation:
        errors["evaluation"] = _("Write the evaluation: what caused it and what is done about it.")
    elif len(evaluation) > 10000:
        errors["evaluation"] = _("At most %(n)d characters.") % {"n": 10000}
    if decision and decision not in Decision.values:
        errors["decision"] = _("Unknown decision; use one of %(choices)s.") % {"choices": ", ".join(Decision.values)}
    if not decision and RULES.get(alert.rule) and RULES[alert.rule].requires_evaluation:
        errors["decision"] = _("Decide whether to continue, adjust or pause.")
    if len(follow_up or "") > 200:
        errors["follow_up"] = _("At most %(n)d characters.") % {"n": 200}
    if errors:
        raise InvalidInput(errors)
    if alert.status == AlertStatus.RESOLVED:
        raise Conflict(_("This alert is already resolved."))
    task = None
    if follow_up and follow_up.strip():
        from campaignflow.planning.services import task_create

        task = task_create(
            actor=actor,
            campaign=alert.campaign,
            data={
                "name": follow_up.strip(),
                "remark": (_("Follow-up of alert: %(msg)s") % {"msg": alert.shown_message})[:500],
            },
        )
    before = snapshot(alert)
    update_versioned(
        alert,
        expected_version=version if version is not None else alert.version,
        changes={
            "status": AlertStatus.RESOLVED,
            "resolved_by": actor,
            "resolved_at": timezone.now(),
            "evaluation": evaluation,
            "decision": decision,
            "follow_up_task": task,
        },
    )
    audit_record(
        actor=actor, action="resolve", obj=alert, campaign=alert.campaign, before=before, after=snapshot(alert)
    )
    return alert


def _param_refusal(spec: Param | None) -> str:
    """Why a threshold was refused, with its range as the rules form shows it (shares as percentages)."""
    if spec is None:
        return _("Unknown parameter.")
    if spec.name in PERCENT_PARAMS:
        low, high = f"{spec.low * 100:g}%", f"{spec.high * 100:g}%"
    else:
        low, high = f"{spec.low:g}", f"{spec.high:g}"
    return _("Enter a number from %(low)s to %(high)s.") % {"low": low, "high": high}


@transaction.atomic
def rule_settings_save(*, actor, campaign, rules: dict[str, dict]) -> None:
    """{rule: {"enabled": bool, "params": {...}}}; unknown rules or thresholds out of range → 422."""
    errors = {}
    for key, value in rules.items():
        if key not in RULES:
            errors[key] = _("Unknown rule.")
            continue
        if not isinstance(value, dict):
            errors[key] = _("Must be an object with enabled and params.")
            continue
        for name, spec in validate_params(key, value.get("params") or {}).items():
            errors[f"{key}.{name}"] = _param_refusal(spec)
    if errors:
        raise InvalidInput(errors)
    for key, value in rules.items():
        setting, _created = RuleSetting.objects.get_or_create(campaign=campaign, rule=key)
        before = snapshot(setting)
        changes = {
            "enabled": bool(value.get("enabled", True)),
            "params": {**setting.params, **(value.get("params") or {})},
        }
        if changes["enabled"] != setting.enabled or changes["params"] != setting.params:
            update_versioned(setting, expected_version=setting.version, changes=changes)
            audit_record(
                actor=actor, action="update", obj=setting, campaign=campaign, before=before, after=snapshot(setting)
            )
