"""Writes of events: the team's (create, change, check in, erase) and the public's (register).

Registrations are the product's only anonymous writes: they are not audited one by one (the
registration row is its own record, and an audit entry per person would copy their data into the
log); what staff do to them is."""

from __future__ import annotations

import datetime as dt
import secrets
from contextlib import nullcontext

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, connection, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from campaignflow.core.audit import audit_record, delete_versioned, snapshot
from campaignflow.core.errors import Conflict, InvalidInput
from campaignflow.core.inserts import insert_one
from campaignflow.core.locking import changed_only, refuse_if_stale, update_versioned
from campaignflow.core.parsing import datetime_input, text_input

from .domain import registration as rules
from .jobs import queue_metrics_sync
from .models import Event, Registration, RegistrationStatus
from .selectors import forget_public_event

CLOCK_SKEW = dt.timedelta(minutes=10)  # how far a door phone's clock may be off: a check-in's `at` within it is taken

SLUG_BYTES = 8  # 64 random bits: a public link nobody guesses
QUESTION_KINDS = ("text", "choice")
MAX_QUESTIONS = 20


def default_consent_text() -> str:
    return _(
        "I agree that the organiser uses my name and phone number (and the answers above) only to manage my "
        "registration and check-in for this event, and deletes them after the campaign ends."
    )


class WindowClosed(Conflict):
    """Registration is not open (yet, or any more): says the times."""

    def __init__(self, event: Event, state: str):
        self.event = event
        if state == "not_open":
            detail = _("Registration opens at %(at)s.") % {"at": _local(event.opens_at)}
        else:
            detail = _("Registration closed at %(at)s.") % {"at": _local(event.closes_at)}
        super().__init__(detail)

    def payload(self) -> dict:
        opens, closes = self.event.opens_at, self.event.closes_at
        return {
            "detail": self.detail,
            "opens_at": json_time(opens),
            "closes_at": json_time(closes),
        }


class AlreadyCheckedIn(Conflict):
    def __init__(self, registration: Registration):
        self.registration = registration
        at = timezone.localtime(registration.checked_in_at)
        super().__init__(_("Already checked in at %(time)s.") % {"time": at.strftime("%H:%M")})

    def payload(self) -> dict:
        return {"detail": self.detail, "checked_in_at": json_time(self.registration.checked_in_at)}


def json_time(moment) -> str | None:
    """As the API writes every other time (2025-06-20T06:00:00Z)."""
    return DjangoJSONEncoder().default(moment) if moment else None


def _local(moment) -> str:
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT") if moment else ""


# --- the team's writes -------------------------------------------------------------------------------------


def _clean_questions(raw, errors: dict) -> list[dict]:
    if raw in (None, ""):
        return []
    if not isinstance(raw, list) or len(raw) > MAX_QUESTIONS:
        errors["questions"] = _("A list of at most %(n)d questions.") % {"n": MAX_QUESTIONS}
        return []
    questions, keys = [], set()
    for i, q in enumerate(raw):
        field = f"questions[{i}]"
        if isinstance(q, str):
            q = {"label": q}
        if not isinstance(q, dict):
            errors[field] = _("A question is a label with optional 'required', 'kind' and 'options'.")
            continue
        label = text_input(q.get("label"), f"{field}.label", 200, errors, required=True)
        kind = q.get("kind") or "text"
        if kind not in QUESTION_KINDS:
            errors[f"{field}.kind"] = _("Use one of: %s.") % ", ".join(QUESTION_KINDS)
        options = [o for o in (text_input(o, f"{field}.options", 100, errors) for o in q.get("options") or []) if o]
        if kind == "choice" and len(options) < 2:
            errors[f"{field}.options"] = _("A choice needs at least two options.")
        key = q.get("key") or f"q{i + 1}"
        if not isinstance(key, str) or not key.isidentifier() or key in keys:
            errors[f"{field}.key"] = _("A short unique key of letters, digits and _.")
        keys.add(key)
        questions.append(
            {"key": key, "label": label, "required": bool(q.get("required")), "kind": kind, "options": options}
        )
    return questions


def _clean_channels(raw, errors: dict) -> list[str]:
    if raw in (None, ""):
        return []
    if not isinstance(raw, list):
        errors["channels"] = _("A list of channel names.")
        return []
    names = []
    for i, name in enumerate(raw):
        name = text_input(name, f"channels[{i}]", rules.CHANNEL_MAX, errors, required=True)
        if name and name not in names:
            names.append(name)
    return names


def _clean_event(data: dict, *, current: Event | None = None) -> dict:
    """The event's fields from `data` (all for a new event; those sent for a change), every error at once."""
    errors: dict[str, str] = {}
    out: dict = {}
    creating = current is None

    def sent(field):
        return creating or field in data

    if sent("name"):
        out["name"] = text_input(data.get("name"), "name", 200, errors, required=True)
    for field in ("starts_at", "ends_at", "opens_at", "closes_at"):
        if sent(field):
            out[field] = datetime_input(data.get(field), field, errors, required=field == "starts_at")
    if sent("place"):
        out["place"] = text_input(data.get("place"), "place", 300, errors)
    if sent("stream_url"):
        url = (data.get("stream_url") or "").strip()
        if url:
            try:
                URLValidator(schemes=["http", "https"])(url)
            except ValidationError:
                errors["stream_url"] = _("Enter a web address (http or https).")
        out["stream_url"] = url[:500]
    if sent("capacity"):
        capacity = data.get("capacity")
        if capacity in (None, ""):
            out["capacity"] = None
        elif isinstance(capacity, bool) or not isinstance(capacity, int) or not 1 <= capacity <= 10_000_000:
            errors["capacity"] = _("A whole number of seats from 1, or empty for no limit.")
        else:
            out["capacity"] = capacity
    for field in ("waitlist", "allow_international"):
        if field in data and data[field] is not None:
            out[field] = bool(data[field])
    if sent("questions"):
        out["questions"] = _clean_questions(data.get("questions"), errors)
    if sent("channels"):
        out["channels"] = _clean_channels(data.get("channels"), errors)
    if sent("consent_text"):
        out["consent_text"] = text_input(data.get("consent_text"), "consent_text", 2000, errors) or (
            current.consent_text if current else default_consent_text()
        )
    merged = {f: out.get(f, getattr(current, f, None)) for f in ("starts_at", "ends_at", "opens_at", "closes_at")}
    if merged["starts_at"] and merged["ends_at"] and merged["ends_at"] < merged["starts_at"]:
        errors.setdefault("ends_at", _("The end is before the start."))
    if merged["opens_at"] and merged["closes_at"] and merged["closes_at"] <= merged["opens_at"]:
        errors.setdefault("closes_at", _("Registration must close after it opens."))
    if errors:
        raise InvalidInput(errors)
    return out


def _new_slug() -> str:
    while True:
        slug = secrets.token_urlsafe(SLUG_BYTES).replace("-", "x").replace("_", "y")
        if not Event.objects.filter(slug=slug).exists():
            return slug


@transaction.atomic
def event_create(*, actor, campaign, data: dict) -> Event:
    fields = _clean_event(data)
    event = Event.objects.create(campaign=campaign, slug=_new_slug(), created_by=actor, **fields)
    audit_record(actor=actor, action="create", obj=event, after=snapshot(event), campaign=campaign)
    return event


@transaction.atomic
def event_update(*, actor, event: Event, version: int, data: dict) -> Event:
    changes = changed_only(event, _clean_event(data, current=event))
    if not changes:
        refuse_if_stale(event, version)
        return event
    if "consent_text" in changes:
        changes["consent_version"] = event.consent_version + 1  # people consented to the old text
    before = snapshot(event)
    update_versioned(event, expected_version=version, changes=changes)
    audit_record(actor=actor, action="update", obj=event, before=before, after=snapshot(event), campaign=event.campaign)
    transaction.on_commit(lambda: forget_public_event(event.slug))  # the public page shows the change at once
    return event


@transaction.atomic
def event_delete(*, actor, event: Event, version: int) -> None:
    refuse_if_stale(event, version)  # a stale page hears that first, before what it may not have seen
    if event.registrations.exists():
        raise Conflict(_("People have registered for this event: close registration instead of deleting it."))
    delete_versioned(actor=actor, obj=event, version=version)
    transaction.on_commit(lambda slug=event.slug: forget_public_event(slug))


# --- the public's registration -------------------------------------------------------------------------------


def _clean_registration(event: Event, data: dict) -> dict:
    errors: dict[str, str] = {}
    name = text_input(data.get("name"), "name", 100, errors, required=True)
    phone = ""
    try:
        phone = rules.normalize_phone(str(data.get("phone") or ""), allow_international=event.allow_international)
    except rules.PhoneError as exc:
        errors["phone"] = (
            _("Numbers from outside mainland China are not taken for this event.")
            if exc.code == "international_not_allowed"
            else _("Enter a mainland mobile number (11 digits starting with 1).")
            + ("" if not event.allow_international else " " + _("Or an international number starting with +."))
        )
    email = (data.get("email") or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("Enter a valid e-mail address.")
    if data.get("consent") is not True:
        errors["consent"] = _("Registration needs your consent to the use of your data.")
    answers = {}
    given = data.get("answers") or {}
    if not isinstance(given, dict):
        errors["answers"] = _("Answers are given by the question's key.")
        given = {}
    for q in event.questions:
        field = f"answers.{q['key']}"
        value = text_input(given.get(q["key"]), field, 500, errors, required=q.get("required", False))
        if value and q.get("kind") == "choice" and value not in q.get("options", []):
            errors[field] = _("Choose one of the options.")
        if value:
            answers[q["key"]] = value
    if errors:
        raise InvalidInput(errors)
    channel = rules.channel_from(data.get("channel"))
    return {"name": name, "phone": phone, "email": email[:254], "answers": answers, "channel": channel}


def _new_registration(event: Event, fields: dict, status: str, now: dt.datetime) -> Registration:
    registration = Registration(
        event=event,
        status=status,
        ticket_code=rules.new_ticket_code(),
        consent_version=event.consent_version,
        consented_at=now,
        **fields,
    )
    return insert_one(registration)  # one INSERT, its statement built once (not compiled per registration)


def _phone_registration(event: Event, phone: str) -> Registration | None:
    return Registration.objects.filter(event=event, phone=phone).order_by().first()


def register(*, event: Event, data: dict, now: dt.datetime | None = None) -> tuple[Registration, bool]:
    """A registration for `data` (validated), or the one the same phone already has: (registration, created).

    Seats are counted under a lock on the event only when it has a capacity (the last seat goes to one
    person); an unlimited event takes registrations in parallel, each one INSERT (outside a transaction
    its own: no BEGIN and COMMIT round trips), and a phone seen before is found by the unique constraint.
    The metrics 报名 per day and channel are counted afterwards in the background (events.jobs), never on a
    shared counter row."""
    now = now or timezone.now()
    fields = _clean_registration(event, data)
    state = rules.window_state(rules.Window(event.opens_at, event.closes_at), now)
    if state != "open":
        raise WindowClosed(event, state)
    try:
        if event.capacity is None:
            # Inside a caller's transaction a savepoint keeps it usable when the phone is taken.
            with transaction.atomic() if connection.in_atomic_block else nullcontext():
                registration = _new_registration(event, fields, RegistrationStatus.REGISTERED, now)
        else:
            registration, created = _register_counted(event, fields, now)
            if not created:
                return registration, False
    except IntegrityError:
        # The same phone registered at the same moment from another request: theirs is the registration.
        existing = _phone_registration(event, fields["phone"])
        if existing is None:
            raise
        return existing, False
    transaction.on_commit(lambda: queue_metrics_sync(event.campaign_id))
    return registration, True


def _register_counted(event: Event, fields: dict, now: dt.datetime) -> tuple[Registration, bool]:
    """A seat or the waiting list, counted under the event's row lock; a phone already in gets its
    registration back (not "full"); no seat and no waiting list → 409."""
    existing = _phone_registration(event, fields["phone"])
    if existing is not None:
        return existing, False
    with transaction.atomic():
        Event.objects.select_for_update().filter(pk=event.pk).first()
        taken = Registration.objects.filter(event=event, status=RegistrationStatus.REGISTERED).count()
        placed = rules.placement(capacity=event.capacity, taken=taken, waitlist=event.waitlist)
        if placed == "full":
            raise Conflict(_("This event is full."))
        return _new_registration(event, fields, placed, now), True


# --- the door -------------------------------------------------------------------------------------------------


@transaction.atomic
def check_in(*, actor, event: Event, code: str, at: dt.datetime | None = None) -> Registration:
    """Check a ticket in, once. `at`: when it was scanned, for a check-in queued offline: a naive one is read in
    the app's time zone; up to CLOCK_SKEW ahead of now it is now, up to CLOCK_SKEW before the registration it is
    the registration's time (a phone's clock); further off it is refused naming the field."""
    now = timezone.now()
    at = datetime_input(at, "at") or now  # (naive: the app's time zone)
    if at > now + CLOCK_SKEW:
        raise InvalidInput({"at": _("A check-in cannot be in the future.")})
    at = min(at, now)
    registration = (
        Registration.objects.select_for_update()
        .filter(event=event, ticket_code=rules.normalize_ticket_code(code), erased_at__isnull=True)
        .first()
    )
    if registration is None:
        raise Http404(_("Unknown ticket."))
    if registration.checked_in_at is not None:
        raise AlreadyCheckedIn(registration)
    if registration.status != RegistrationStatus.REGISTERED:
        raise Conflict(_("This ticket is on the waiting list: it has no seat yet."))
    if at < registration.created_at - CLOCK_SKEW:
        when = timezone.localtime(registration.created_at).strftime("%Y-%m-%d %H:%M")
        raise InvalidInput({"at": _("A check-in cannot be before the registration (%(when)s).") % {"when": when}})
    at = max(at, registration.created_at)
    registration.checked_in_at = at
    registration.checked_in_by = actor
    registration.save(update_fields=["checked_in_at", "checked_in_by"])
    audit_record(
        actor=actor,
        action="events.checkin",
        obj=registration,
        after={"ticket": registration.ticket_code, "checked_in_at": at.isoformat()},
        campaign=event.campaign,
    )
    transaction.on_commit(lambda: queue_metrics_sync(event.campaign_id))
    return registration


@transaction.atomic
def registration_erase(*, actor, registration: Registration) -> Registration:
    """PIPL: the person's data goes; the row stays (status, channel, times) so every count is unchanged."""
    if registration.erased_at is None:
        registration.name = registration.phone = registration.email = ""
        registration.answers = {}
        registration.erased_at = timezone.now()
        registration.save(update_fields=["name", "phone", "email", "answers", "erased_at"])
        audit_record(
            actor=actor,
            action="events.erase",
            obj=registration,
            after={"ticket": registration.ticket_code, "erased_at": registration.erased_at.isoformat()},
            campaign=registration.event.campaign,
        )
    return registration
