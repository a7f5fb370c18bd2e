"""A campaign's daily numbers reminder setting: on or off, and its time (versioned and audited like every write)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from campaignflow.core.audit import audit_record, snapshot
from campaignflow.core.errors import InvalidInput
from campaignflow.core.locking import refuse_if_stale, update_versioned

from .domain.reminder import parse_time
from .models import NumbersReminder
from .reminder import default_time


def reminder_for(campaign) -> NumbersReminder:
    """The campaign's setting (the default time, on, version 1, when the team never changed it)."""
    found = NumbersReminder.objects.filter(campaign=campaign).first()
    return found or NumbersReminder(campaign=campaign, enabled=True, remind_at=default_time(), version=1)


@transaction.atomic
def reminder_save(*, actor, campaign, version: int, data: dict) -> NumbersReminder:
    enabled = bool(data.get("enabled"))
    try:
        at = parse_time(str(data.get("remind_at") or ""))
    except ValueError:
        raise InvalidInput({"remind_at": _("Enter a time of day as HH:MM, e.g. 10:00.")}) from None
    type(campaign).objects.select_for_update().filter(pk=campaign.pk).first()  # one first setting at a time
    reminder = NumbersReminder.objects.select_for_update().filter(campaign=campaign).first()
    if reminder is None:
        refuse_if_stale(reminder_for(campaign), version)
        reminder = NumbersReminder.objects.create(campaign=campaign, enabled=enabled, remind_at=at)
        audit_record(actor=actor, action="create", obj=reminder, campaign=campaign, after=snapshot(reminder))
        return reminder
    before = snapshot(reminder)
    update_versioned(reminder, expected_version=version, changes={"enabled": enabled, "remind_at": at})
    audit_record(actor=actor, action="update", obj=reminder, campaign=campaign, before=before, after=snapshot(reminder))
    return reminder
