"""Audit entries in the reader's words: the one place that turns what `core.audit` stored (field names,
codes, ids, UTC ISO text) into what a history page shows.

`describe(entries)` gives each entry its action and object type in words, and each changed field as its
translated label with the values before and after as the pages write them: 是/否, "—" for nothing, a
choice's label, a date-time in the reader's time zone, money through `format_money`, a person by name.
Names of related rows are read once per related model for all the entries (a constant number of queries
however many entries). Nothing here imports a capability app: models are found through Django's registry.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import PurePosixPath
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import dateformat, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext, npgettext, pgettext_lazy

from .models import AuditEntry
from .shown_numbers import money_shown, number_shown

EMPTY = "—"
DATETIME_FORMAT = "Y-m-d H:i"  # as the pages write a moment (`|date:"Y-m-d H:i"`)
# bookkeeping and machine values, not a change anyone made (a comment's pin box x/y/w/h, a token's hash)
HIDDEN = frozenset({"id", "version", "created_at", "updated_at", "token_hash", "sha256", "digest", "x", "y", "w", "h"})
_ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")
NAME_FIELDS = ("name", "title", "item", "code")  # what names a related row, the first its model has

# What each recorded action means (services write these codes; the API keeps them as they are). Own context:
# "Created" as a change, not the column "created" (创建时间).
ACTIONS = {
    "create": pgettext_lazy("history action", "Created"),
    "update": pgettext_lazy("history action", "Changed"),
    "delete": pgettext_lazy("history action", "Deleted"),
    "transition": pgettext_lazy("history action", "Stage changed"),
    "restore": pgettext_lazy("history action", "Restored"),
    "submit": pgettext_lazy("history action", "Submitted"),
    "approve": pgettext_lazy("history action", "Approved"),
    "reject": pgettext_lazy("history action", "Rejected"),
    "request_changes": pgettext_lazy("history action", "Changes requested"),
    "accept": pgettext_lazy("history action", "Accepted"),
    "approve_correction": pgettext_lazy("history action", "Correction approved"),
    "reject_correction": pgettext_lazy("history action", "Correction rejected"),
    "approve_overrun": pgettext_lazy("history action", "Overrun approved"),
    "reject_overrun": pgettext_lazy("history action", "Overrun rejected"),
    "correct": pgettext_lazy("history action", "Corrected"),
    "receipt": pgettext_lazy("history action", "Receipt attached"),
    "upload": pgettext_lazy("history action", "File uploaded"),
    "comment": pgettext_lazy("history action", "Commented"),
    "member_add": pgettext_lazy("history action", "Member added"),
    "member_remove": pgettext_lazy("history action", "Member removed"),
    "member_role": pgettext_lazy("history action", "Role changed"),
    "role_change": pgettext_lazy("history action", "Role changed"),
    "raci": pgettext_lazy("history action", "RACI changed"),
    "reorder": pgettext_lazy("history action", "Reordered"),
    "reschedule": pgettext_lazy("history action", "Dependency changed"),
    "link": pgettext_lazy("history action", "Dependency added"),
    "unlink": pgettext_lazy("history action", "Dependency removed"),
    "baseline": pgettext_lazy("history action", "Plan saved for comparison"),
    "periods": pgettext_lazy("history action", "Periods changed"),
    "kpi.create": pgettext_lazy("history action", "KPI added"),
    "kpi.update": pgettext_lazy("history action", "KPI changed"),
    "kpi.plan": pgettext_lazy("history action", "KPI plan changed"),
    "kpi.delete": pgettext_lazy("history action", "KPI deleted"),
    "channel.create": pgettext_lazy("history action", "Channel added"),
    "channel.update": pgettext_lazy("history action", "Channel changed"),
    "channel.delete": pgettext_lazy("history action", "Channel deleted"),
    "metrics.import": pgettext_lazy("history action", "Data imported"),
    "metrics.undo": pgettext_lazy("history action", "Import undone"),
    "metrics.generate": pgettext_lazy("history action", "Sample data generated"),
    "retrospective": pgettext_lazy("history action", "Retrospective saved"),
    "evaluation_note": pgettext_lazy("history action", "Evaluation note saved"),
    "share": pgettext_lazy("history action", "Shared"),
    "acknowledge": pgettext_lazy("history action", "Acknowledged"),
    "resolve": pgettext_lazy("history action", "Resolved"),
    "alert_raised": pgettext_lazy("history action", "Alert raised"),
    "cost_shares": pgettext_lazy("history action", "Cost shares changed"),
    "settlement_sign": pgettext_lazy("history action", "Settlement signed"),
    "link_contact": pgettext_lazy("history action", "Contact linked"),
    "new_version": pgettext_lazy("history action", "New version saved"),
    "playbook_promote": pgettext_lazy("history action", "Saved as a template"),
    "create_from_case": pgettext_lazy("history action", "Created from a case"),
    "revoke": pgettext_lazy("history action", "Revoked"),
    "test": pgettext_lazy("history action", "Test message sent"),
    "events.checkin": pgettext_lazy("history action", "Checked in"),
    "events.erase": pgettext_lazy("history action", "Personal data erased"),
    "events.remind": pgettext_lazy("history action", "Reminder sent"),
    "events.retention": pgettext_lazy("history action", "Old registrations anonymised"),
    "assistant.draft": pgettext_lazy("history action", "Assistant suggestion made"),
    "assistant.apply": pgettext_lazy("history action", "Assistant suggestion applied"),
    "assistant.use": pgettext_lazy("history action", "Assistant suggestion used"),
    "token_create": pgettext_lazy("history action", "Access key created"),
    "token_revoke": pgettext_lazy("history action", "Access key revoked"),
    "sign_in": pgettext_lazy("history action", "Signed in"),
    "sign_in_failed": pgettext_lazy("history action", "Sign-in failed"),
    "identity_link": pgettext_lazy("history action", "Sign-in account linked"),
    "identity_unlink": pgettext_lazy("history action", "Sign-in account unlinked"),
    "deactivate": pgettext_lazy("history action", "Account deactivated"),
    "admin_create": pgettext_lazy("history action", "Created by an administrator"),
    "admin_change": pgettext_lazy("history action", "Changed by an administrator"),
    "admin_delete": pgettext_lazy("history action", "Deleted by an administrator"),
}

# Keys a service records beside the model's fields, and fields whose model gives them no words of their own.
KEY_LABELS = {
    "line": pgettext_lazy("history field", "Budget line"),
    "paid_by": pgettext_lazy("history field", "Paid by"),
    "periods": pgettext_lazy("history field", "Periods"),
    "values": pgettext_lazy("history field", "Values"),
    "granularity": pgettext_lazy("history field", "Granularity"),
    "rows": pgettext_lazy("history field", "Rows"),
    "created": pgettext_lazy("history field", "Rows added"),
    "updated": pgettext_lazy("history field", "Rows updated"),
    "generated_tasks": pgettext_lazy("history field", "Tasks generated"),
    "past_steps": pgettext_lazy("history field", "Steps already past"),
    "tasks": pgettext_lazy("history field", "Tasks"),
    "kpis": pgettext_lazy("history field", "KPIs"),
    "channels": pgettext_lazy("history field", "Channels"),
    "budget_lines": pgettext_lazy("history field", "Budget lines"),
    "source": pgettext_lazy("history field", "Source"),
    "filename": pgettext_lazy("history field", "File"),
    "ticket": pgettext_lazy("history field", "Ticket"),
    "checked_in_at": pgettext_lazy("history field", "Checked in at"),
    "erased_at": pgettext_lazy("history field", "Erased at"),
    "revoked_at": pgettext_lazy("history field", "Revoked at"),
    "anonymised": pgettext_lazy("history field", "Anonymised"),
    "retention_days": pgettext_lazy("history field", "Kept for (days)"),
    "include_waitlist": pgettext_lazy("history field", "Waiting list included"),
    "message": pgettext_lazy("history field", "Message"),
    "user": pgettext_lazy("history field", "User"),
    "at": pgettext_lazy("history field", "Time"),
    "actor": pgettext_lazy("history field", "By"),
    "accepted_by": pgettext_lazy("history field", "Accepted by"),
    "acknowledged_at": pgettext_lazy("history field", "Acknowledged at"),
    "acknowledged_by": pgettext_lazy("history field", "Acknowledged by"),
    "approved_lines": pgettext_lazy("history field", "Approved lines"),
    "author": pgettext_lazy("history field", "Author"),
    "checked_in_by": pgettext_lazy("history field", "Checked in by"),
    "completed_by": pgettext_lazy("history field", "Completed by"),
    "corrected_at": pgettext_lazy("history field", "Corrected at"),
    "corrected_by": pgettext_lazy("history field", "Corrected by"),
    "created_by": pgettext_lazy("history field", "Created by"),
    "decided_at": pgettext_lazy("history field", "Decided at"),
    "decided_by": pgettext_lazy("history field", "Decided by"),
    "decision_comment": pgettext_lazy("history field", "Decision comment"),
    "deleted_by": pgettext_lazy("history field", "Deleted by"),
    "kpi": pgettext_lazy("history field", "KPI"),
    "over_reason": pgettext_lazy("history field", "Overrun reason"),
    "page": pgettext_lazy("history field", "Page"),
    "parent": pgettext_lazy("history field", "Reply to"),
    "predecessor": pgettext_lazy("history field", "Predecessor"),
    "successor": pgettext_lazy("history field", "Successor"),
    "receipt_name": pgettext_lazy("history field", "Receipt file"),
    "resolved_at": pgettext_lazy("history field", "Resolved at"),
    "resolved_by": pgettext_lazy("history field", "Resolved by"),
    "resolution_sla_hours": pgettext_lazy("history field", "Resolution time limit (hours)"),
    "response_sla_hours": pgettext_lazy("history field", "Response time limit (hours)"),
    "sort_order": pgettext_lazy("history field", "Order"),
    "submitted_at": pgettext_lazy("history field", "Submitted at"),
    "submitted_by": pgettext_lazy("history field", "Submitted by"),
    "published_by": pgettext_lazy("history field", "Published by"),
    "updated_by": pgettext_lazy("history field", "Updated by"),
    "uploaded_at": pgettext_lazy("history field", "Uploaded at"),
    "uploaded_by": pgettext_lazy("history field", "Uploaded by"),
    "side": pgettext_lazy("history field", "Side"),
    "content_type": pgettext_lazy("history field", "File type"),
    "width": pgettext_lazy("history field", "Width"),
    "height": pgettext_lazy("history field", "Height"),
    "title": pgettext_lazy("history field", "Title"),
    "url": pgettext_lazy("history field", "Address"),
    "from_status": pgettext_lazy("history field", "From"),
    "to_status": pgettext_lazy("history field", "To"),
    "batch": pgettext_lazy("history field", "Import"),
    "data": pgettext_lazy("history field", "Data"),
    "diff": pgettext_lazy("history field", "Changes"),
}


# An app's words for codes its model keeps without `choices` (a budget line's category, an overrun's reason):
# (object type, key) → {code: words}; registered from the app's AppConfig.ready() (core imports no app).
VALUE_WORDS: dict[tuple[str, str], Mapping[Any, Any]] = {}


def register_values(object_type: str, key: str, words: Mapping[Any, Any]) -> None:
    """History pages show `words[code]` for the `key` of `object_type` ("budgets.budgetline", "category")."""
    VALUE_WORDS[object_type, key] = words


# An app's machine-only fields of one model (an alert's subject key "kpi:9", a report's kept figures): recorded
# in the audit log for the API, not shown on history pages. object type → keys; registered like VALUE_WORDS.
HIDDEN_FOR: dict[str, frozenset[str]] = {}


def hide_fields(object_type: str, *keys: str) -> None:
    """History pages leave out these keys of `object_type` ("alerts.alert", "subject")."""
    HIDDEN_FOR[object_type] = HIDDEN_FOR.get(object_type, frozenset()) | frozenset(keys)


@dataclass(frozen=True)
class Change:
    """One field of an entry: its label and the values before and after, as text."""

    label: str
    before: str
    after: str


@dataclass(frozen=True)
class ShownEntry:
    """An audit entry as a history page shows it."""

    entry: AuditEntry
    action: str
    object_type: str
    changes: list[Change]
    object_repr: str

    @property
    def at(self) -> dt.datetime:
        return self.entry.at

    @property
    def actor(self):
        return self.entry.actor


def action_label(action: str) -> str:
    """An action code in words: "update" → 修改."""
    if action in ACTIONS:
        return str(ACTIONS[action])
    return gettext(capfirst(action.replace("_", " ").replace(".", " ")))


def _model(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def object_type_label(object_type: str) -> str:
    """The object type in words: planning.task → 任务 (the model's verbose name)."""
    model = _model(object_type)
    return capfirst(str(model._meta.verbose_name)) if model else gettext("Other")


def _fields(model: type[models.Model] | None) -> dict[str, models.Field]:
    """A model's concrete fields by name and by column attribute (the audit keeps a relation as `owner_id`)."""
    if model is None:
        return {}
    fields = {}
    for f in model._meta.concrete_fields:
        fields[f.name] = f
        fields[f.attname] = f
    return fields


def field_label(key: str, field: models.Field | None, labels: Mapping[str, Any] | None = None) -> str:
    if labels and key in labels:
        return str(labels[key])
    name = field.name if field is not None else key
    if field is not None and str(field.verbose_name) != field.name.replace("_", " "):
        return capfirst(str(field.verbose_name))  # the model's own (translated) words
    if name in KEY_LABELS:
        return str(KEY_LABELS[name])
    return gettext(capfirst(name.replace("_", " ")))


def _name_path(model: type[models.Model]) -> str | None:
    """The value that names a row of `model`: its name (or title, item, code), else the name of the row
    it belongs to (a campaign's partner → the partner company's name)."""
    names = {f.name for f in model._meta.concrete_fields}
    for candidate in NAME_FIELDS:
        if candidate in names:
            return candidate
    for f in model._meta.concrete_fields:
        if f.many_to_one and f.name != "campaign":
            target = {g.name for g in f.related_model._meta.concrete_fields}
            for candidate in NAME_FIELDS:
                if candidate in target:
                    return f"{f.name}__{candidate}"
    return None


def _related_names(wanted: dict[type[models.Model], set]) -> dict[tuple[type[models.Model], Any], str]:
    """Names of the related rows the entries point at: one query per related model."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    names = {}
    for model, ids in wanted.items():
        if model is user_model:
            for pk, username, display in model.objects.filter(pk__in=ids).values_list("pk", "username", "display_name"):
                names[model, pk] = display or username
            continue
        path = _name_path(model)
        if path is None:
            continue
        for pk, name in model._default_manager.filter(pk__in=ids).values_list("pk", path):
            if name:
                names[model, pk] = str(name)
    return names


def _decimal(value) -> Decimal | None:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _moment(value: str) -> str | None:
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, dt.UTC)
    return dateformat.format(timezone.localtime(moment), DATETIME_FORMAT)


def _is_money(field: models.Field | None) -> bool:
    return isinstance(field, models.DecimalField) and field.decimal_places == 2 and field.max_digits >= 12


class _Words:
    """Values in words for the entries of one page (the related names read once)."""

    def __init__(self, names: dict):
        self.names = names

    def value(self, field: models.Field | None, value: Any, empty: str = EMPTY) -> str:
        if value is None or value == "" or value == [] or value == {}:
            return empty
        if isinstance(value, bool):
            return gettext("Yes") if value else gettext("No")
        if field is not None and field.choices and not field.is_relation:
            return str(dict(field.flatchoices).get(value, value))
        if field is not None and field.is_relation and field.related_model is not None:
            name = self.names.get((field.related_model, value))
            if name is not None:
                return name
            return f"#{value}" if isinstance(value, int) else str(value)
        if isinstance(field, models.FileField):
            return PurePosixPath(str(value)).name
        if _is_money(field):
            number = _decimal(value)
            return money_shown(number) if number is not None else str(value)
        if isinstance(field, (models.DecimalField, models.FloatField)) or (
            isinstance(value, (int, float)) and not isinstance(field, models.CharField)
        ):
            number = _decimal(value)
            return number_shown(number) if number is not None else str(value)
        if isinstance(value, (list, dict)):
            return npgettext("history value", "%(count)s item", "%(count)s items", len(value)) % {"count": len(value)}
        if isinstance(value, str) and _ISO_MOMENT.match(value):
            return _moment(value) or value
        return str(value)

    def pair(self, field: models.Field | None, before: Any, after: Any, empty: str) -> tuple[str, str]:
        shown = self.value(field, before, empty), self.value(field, after, empty)
        if _is_money(field) and shown[0] == shown[1] and before != after:
            # ¥3,000 → ¥3,000 says nothing: a change in the cents shows them
            exact = [_decimal(v) for v in (before, after)]
            return tuple(f"¥{v:,.2f}" if v is not None else empty for v in exact)
        return shown


def _object_name(entry: AuditEntry) -> str:
    """The object as the entry's own record names it (its code and name, title, item or file), else the text
    stored when it was written (a dated amount, "2025-06-05 ¥3,000"; an older entry's `object_repr`)."""
    snap = entry.after if isinstance(entry.after, dict) else entry.before if isinstance(entry.before, dict) else {}
    name = next((snap[k] for k in ("name", "title", "item", "filename") if isinstance(snap.get(k), str)), "")
    code = snap.get("code") if isinstance(snap.get("code"), str) else ""
    if name or code:
        return f"{code} {name}".strip()
    if isinstance(snap.get("date"), str) and _decimal(snap.get("amount")) is not None:
        return f"{snap['date']} {money_shown(_decimal(snap['amount']))}"
    return entry.object_repr


def describe(
    entries: Iterable[AuditEntry],
    *,
    fields: Iterable[str] | None = None,
    labels: Mapping[str, Any] | None = None,
    empty: Mapping[str, Any] | None = None,
    actions: Mapping[str, Any] | None = None,
) -> list[ShownEntry]:
    """The entries in the reader's words, in their order.

    `fields`: only these keys, in this order (default: every changed key but bookkeeping, sorted);
    `labels`: a page's own words for some keys; `empty`: what "nothing" means for a key (an expense paid
    by no partner was paid by the host); `actions`: a page's own words for some actions.
    """
    entries = list(entries)
    keep = list(fields) if fields is not None else None
    changed: list[tuple[AuditEntry, dict[str, models.Field], list[tuple[str, Any, Any]]]] = []
    wanted: dict[type[models.Model], set] = defaultdict(set)
    for entry in entries:
        model_fields = _fields(_model(entry.object_type))
        hidden = HIDDEN | HIDDEN_FOR.get(entry.object_type, frozenset())
        diff = {key: (b, a) for key, b, a in entry.changed_fields() if key not in hidden}
        keys = [k for k in keep if k in diff] if keep is not None else list(diff)
        rows = [(key, *diff[key]) for key in keys]
        for key, before, after in rows:
            field = model_fields.get(key)
            if field is not None and field.is_relation and field.related_model is not None:
                wanted[field.related_model].update(v for v in (before, after) if isinstance(v, int))
        changed.append((entry, model_fields, rows))
    words = _Words(_related_names(wanted))
    shown = []
    for entry, model_fields, rows in changed:
        changes = []
        for key, before, after in rows:
            field = model_fields.get(key)
            nothing = str(empty[key]) if empty and key in empty else EMPTY
            own = VALUE_WORDS.get((entry.object_type, field.name if field is not None else key))
            if own is not None:  # the app's words, shown as they are
                before, after = (str(own[v]) if isinstance(v, str) and v in own else v for v in (before, after))
            old, new = words.pair(None if own is not None else field, before, after, nothing)
            if old == new:  # None → "" is no change a reader sees
                continue
            changes.append(Change(field_label(key, field, labels), old, new))
        action = str(actions[entry.action]) if actions and entry.action in actions else action_label(entry.action)
        shown.append(ShownEntry(entry, action, object_type_label(entry.object_type), changes, _object_name(entry)))
    return shown
