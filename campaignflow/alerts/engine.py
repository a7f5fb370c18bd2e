"""Evaluate the alert rules of a campaign and keep one open alert per rule × subject.

Rules run when data arrives (the tracking and budget services call `evaluate_campaign` after an
import or an expense) and every few minutes from `manage.py run_scheduler` (`evaluate_all`).
A condition that stops firing leaves its alert open until a person resolves it: nothing is
silently dropped.
"""

from __future__ import annotations

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from campaignflow.campaigns.models import Campaign, Status
from campaignflow.core.audit import audit_record

from . import sources, sources_data  # noqa: F401 - sources_data registers the data-driven checks
from .domain.conditions import RULES, effective_params
from .messages import render_message, rendered_message
from .models import Alert, AlertStatus, RuleSetting
from .rule_labels import RULE_LABELS

log = logging.getLogger(__name__)
ACTIVE_STATUSES = (Status.PLANNING, Status.EXECUTING, Status.REVIEWING)


def rule_settings(campaign: Campaign) -> dict[str, dict]:
    """{rule: {"enabled": bool, "params": {...}}} with the defaults filled in."""
    stored = {s.rule: s for s in RuleSetting.objects.filter(campaign=campaign)}
    out = {}
    for key in RULES:
        setting = stored.get(key)
        out[key] = {
            "enabled": setting.enabled if setting else True,
            "params": effective_params(key, setting.params if setting else None),
        }
    return out


def evaluate_campaign(campaign: Campaign, *, notify: bool = True, actor=None) -> list[Alert]:
    """Run every enabled rule; returns the alerts that are new in this run. `actor`: who asked (None: the system)."""
    settings = rule_settings(campaign)
    today = timezone.localdate()
    shared: dict = {}  # data the rules of this run share (see sources.CHECKS)
    new: list[Alert] = []
    for key, setting in settings.items():
        if not setting["enabled"]:
            continue
        check = sources.CHECKS.get(key)
        if check is None:
            continue
        try:
            findings = check(campaign, setting["params"], today, shared)
        except Exception:  # one broken rule must not stop the others
            log.exception("alert rule %s failed for campaign %s", key, campaign.pk)
            continue
        for finding in findings:
            alert = _raise(campaign, key, finding, actor)
            if alert is not None:
                new.append(alert)
    if new and notify:
        transaction.on_commit(lambda: _notify(campaign, new))
    return new


def _raise(campaign: Campaign, key: str, finding, actor=None) -> Alert | None:
    """Create the alert, or refresh the open one for the same subject (returns None then)."""
    now = timezone.now()
    message = render_message(key, finding.params)
    existing = (
        Alert.objects.filter(campaign=campaign, rule=key, subject=finding.subject)
        .exclude(status=AlertStatus.RESOLVED)
        .first()
    )
    if existing:
        Alert.objects.filter(pk=existing.pk).update(last_seen_at=now, data=finding.params, message=message[:500])
        return None
    try:
        with transaction.atomic():
            alert = Alert.objects.create(
                campaign=campaign,
                rule=key,
                subject=finding.subject[:200],
                severity=RULES[key].severity,
                message=message[:500],
                data=finding.params,
                last_seen_at=now,
            )
    except IntegrityError:
        return None  # a concurrent evaluation raised it first
    audit_record(
        actor=actor,
        action="alert_raised",
        obj=alert,
        campaign=campaign,
        after={"rule": key, "subject": alert.subject, "message": alert.message},
    )
    return alert


def _notify(campaign: Campaign, alerts: list[Alert]) -> None:
    from campaignflow.notifications.services import notify

    recipients = [m.user for m in campaign.memberships.select_related("user").filter(role__in=["owner", "manager"])]
    for alert in alerts:
        notify(
            kind="alert",
            # see notification_text; `title` is stored for when its figures cannot say it
            text=("alert", {"rule": alert.rule, "data": alert.data, "status": alert.status}),
            title=alert.message,
            campaign=campaign,
            url=f"/campaigns/{campaign.pk}/alerts/#alert-{alert.pk}",
            recipients=recipients,
            # Raised again (resolved while the condition holds, re-evaluated every 5 min): one entry, counted.
            group_key=f"alert:{campaign.pk}:{alert.rule}:{alert.subject}",
            target=alert,
        )


def notification_text(params: dict) -> tuple[str, str]:
    """An alert's notification (registered with notifications.texts), in the reader's language: its message, and
    under it what kind of alert it is. KeyError when the figures cannot say it: the stored text is shown then."""
    message = rendered_message(params["rule"], params["data"])
    if message is None:
        raise KeyError(params["rule"])
    return message, str(RULE_LABELS.get(params["rule"]) or AlertStatus(params["status"]).label)


def evaluate_all() -> dict[str, int]:
    """The scheduler's job: every active campaign."""
    raised = 0
    campaigns = Campaign.objects.alive().filter(status__in=ACTIVE_STATUSES)
    for campaign in campaigns:
        with transaction.atomic():
            raised += len(evaluate_campaign(campaign))
    return {"campaigns": campaigns.count(), "raised": raised}
