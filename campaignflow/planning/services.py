"""Task writes. Atomic, versioned, audited; the API and the UI both call these."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from campaignflow.accounts.models import User
from campaignflow.campaigns.models import Campaign, Membership
from campaignflow.core.audit import audit_record, snapshot
from campaignflow.core.errors import Conflict, InvalidInput, StaleVersion
from campaignflow.core.locking import update_versioned

from .models import Task, TaskStatus

TEXT_FIELDS = {
    "name": 200,
    "phase": 200,
    "module": 200,
    "owner_role": 200,
    "deliverable": 500,
    "acceptance": 500,
    "delay_reason": 500,
    "remark": 500,
}
EDITABLE = (*TEXT_FIELDS, "owner", "start_date", "end_date", "status", "progress", "milestone")


def _clean(campaign: Campaign, data: dict, *, current: Task | None) -> dict:
    errors: dict[str, str] = {}
    out: dict = {}
    for field, limit in TEXT_FIELDS.items():
        if field in data:
            value = (data[field] or "").strip()
            if len(value) > limit:
                errors[field] = _("At most %(n)d characters.") % {"n": limit}
            out[field] = value
    if (current is None and not out.get("name")) or ("name" in out and not out["name"]):
        errors["name"] = _("Name is required.")
    for field in ("start_date", "end_date"):
        if field in data:
            value = data[field]
            if isinstance(value, str) and value:
                try:
                    value = dt.date.fromisoformat(value)
                except ValueError:
                    errors[field] = _("Not a valid date (use YYYY-MM-DD).")
                    continue
            out[field] = value or None
    start = out.get("start_date", current.start_date if current else None)
    end = out.get("end_date", current.end_date if current else None)
    if start and end and end < start and not ({"start_date", "end_date"} & errors.keys()):
        errors["end_date"] = _("The end date is before the start date.")
    if "status" in data:
        if data["status"] not in TaskStatus.values:
            errors["status"] = _("Unknown status %(s)s; use one of %(choices)s.") % {
                "s": data["status"],
                "choices": ", ".join(TaskStatus.values),
            }
        else:
            out["status"] = data["status"]
    if "progress" in data:
        progress = data["progress"]
        if isinstance(progress, bool) or not isinstance(progress, int) or not 0 <= progress <= 100:
            errors["progress"] = _("Progress is a whole number from 0 to 100.")
        else:
            out["progress"] = progress
    if "milestone" in data:
        out["milestone"] = bool(data["milestone"])
    if "owner" in data:
        owner = data["owner"]
        if owner in (None, ""):
            out["owner"] = None
        else:
            user = (
                owner if isinstance(owner, User) else User.objects.filter(username=str(owner), is_active=True).first()
            )
            if user is None:
                errors["owner"] = _("Unknown user %(name)s.") % {"name": owner}
            elif not Membership.objects.filter(campaign=campaign, user=user).exists():
                errors["owner"] = _("%(name)s is not a member of this campaign.") % {"name": user.username}
            else:
                out["owner"] = user
    status = out.get("status", current.status if current else TaskStatus.NOT_STARTED)
    reason = out.get("delay_reason", current.delay_reason if current else "")
    if status == TaskStatus.DELAYED and not reason:
        errors["delay_reason"] = _("A delayed task needs a delay reason.")
    if status == TaskStatus.DONE and "progress" not in out:
        out["progress"] = 100
    if errors:
        raise InvalidInput(errors)
    return out


def next_code(campaign: Campaign) -> str:
    codes = Task.objects.filter(campaign=campaign, code__regex=r"^T[0-9]+$").values_list("code", flat=True)
    highest = max((int(c[1:]) for c in codes), default=0)
    return f"T{highest + 1:03d}"


@transaction.atomic
def task_create(*, actor: User, campaign: Campaign, data: dict) -> Task:
    fields = _clean(campaign, data, current=None)
    order = (Task.objects.filter(campaign=campaign).aggregate(m=Max("sort_order"))["m"] or 0) + 1
    code = (data.get("code") or "").strip() or next_code(campaign)
    if len(code) > 20:
        raise InvalidInput({"code": _("At most %(n)d characters.") % {"n": 20}})
    try:
        with transaction.atomic():
            task = Task.objects.create(campaign=campaign, code=code, sort_order=order, **fields)
    except IntegrityError:
        raise Conflict(_("Task code %(code)s is already used in this campaign.") % {"code": code}) from None
    audit_record(actor=actor, action="create", obj=task, campaign=campaign, after=snapshot(task))
    return task


@transaction.atomic
def task_update(*, actor: User, task: Task, version: int, data: dict) -> Task:
    changes = _clean(task.campaign, {k: v for k, v in data.items() if k in EDITABLE}, current=task)
    changes = {k: v for k, v in changes.items() if getattr(task, k) != v}
    if not changes:
        if version != task.version:
            raise StaleVersion(current_version=task.version)
        return task  # nothing changed: no new version, no audit entry
    before = snapshot(task)
    update_versioned(task, expected_version=version, changes=changes)
    audit_record(actor=actor, action="update", obj=task, campaign=task.campaign, before=before, after=snapshot(task))
    return task


@transaction.atomic
def task_delete(*, actor: User, task: Task) -> None:
    audit_record(actor=actor, action="delete", obj=task, campaign=task.campaign, before=snapshot(task))
    task.delete()
