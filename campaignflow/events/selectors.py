"""Reads of events: lists, one event's registrations (phones masked for who may not see them), the funnel."""

from __future__ import annotations

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404

from campaignflow.campaigns.access import role_in
from campaignflow.campaigns.models import MemberRole

from .domain import registration as rules
from .models import Event, Registration, RegistrationStatus, Visit

SEES_PHONES = {MemberRole.OWNER, MemberRole.MANAGER, MemberRole.MEMBER}  # viewers and partners see masks


def with_counts(qs):
    registered = Q(registrations__status=RegistrationStatus.REGISTERED)
    return qs.annotate(
        registered_count=Count("registrations", filter=registered),
        waitlisted_count=Count("registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED)),
        checked_in_count=Count("registrations", filter=Q(registrations__checked_in_at__isnull=False)),
    )


def events(campaign):
    return with_counts(Event.objects.filter(campaign=campaign)).order_by("starts_at", "id")


PUBLIC_EVENT_SECONDS = 10  # how long a public page may show an event as it was (a change forgets it at once)


def _public_key(slug: str) -> str:
    return f"events:public:{slug}"


def public_event(slug: str) -> Event:
    """The event behind a public link, from the cache during a burst: every visitor and registration needs
    it, and reading it (event and campaign) was a third of a registration's CPU. A change of the event
    forgets it (`forget_public_event`); with a per-process cache other workers see the change within
    PUBLIC_EVENT_SECONDS."""
    slug = str(slug)[:32]
    event = cache.get(_public_key(slug))
    if event is None:
        event = Event.objects.select_related("campaign").filter(slug=slug).order_by().first()
        if event is None:
            raise Http404
        cache.set(_public_key(slug), event, PUBLIC_EVENT_SECONDS)
    if event.campaign.deleted_at is not None:
        raise Http404
    return event


def forget_public_event(slug: str) -> None:
    cache.delete(_public_key(slug))


def sees_phones(user, campaign) -> bool:
    return role_in(user, campaign) in SEES_PHONES


def _registrations(event: Event, status: str | None, channel: str | None):
    qs = Registration.objects.filter(event=event).order_by("-created_at", "-id")
    if status:
        qs = qs.filter(status=status)
    if channel:
        qs = qs.filter(channel=channel)
    return qs.values(
        "id", "name", "phone", "email", "status", "channel", "ticket_code", "created_at", "checked_in_at",
        "erased_at", "answers", "consent_version",
    )  # fmt: skip


def _as_seen_by(rows: list[dict], user, campaign) -> list[dict]:
    """A masked phone for viewers and partners, and no e-mail or ticket (an entry pass: for the door only)."""
    if not sees_phones(user, campaign):
        for row in rows:
            row["phone"] = rules.mask_phone(row["phone"])
            row["email"] = ""
            row["ticket_code"] = ""
    return rows


def registration_rows(event: Event, user, *, status: str | None = None, channel: str | None = None) -> list[dict]:
    """Plain rows for the API list and the export, newest first, as `user` may see them."""
    return _as_seen_by(list(_registrations(event, status, channel)), user, event.campaign)


def registrations_page(event: Event, user, number, *, status: str | None = None, channel: str | None = None):
    """One page (50 rows) of the registrations for the event's page, as `user` may see them."""
    page = Paginator(_registrations(event, status, channel), 50).get_page(number)
    page.object_list = _as_seen_by(list(page.object_list), user, event.campaign)
    return page


def funnel(event: Event) -> dict:
    """visits → registrations → check-ins, per channel and in all, with the attendance rate."""
    per_channel: dict[str, dict] = {}

    def slot(name):
        return per_channel.setdefault(name, {"channel": name, "visits": 0, "registrations": 0, "check_ins": 0})

    for row in Visit.objects.filter(event=event).values("channel").annotate(n=Count("id")).order_by():
        slot(row["channel"])["visits"] = row["n"]
    regs = Registration.objects.filter(event=event).exclude(status=RegistrationStatus.CANCELLED)
    for row in (
        regs.values("channel")
        .annotate(n=Count("id"), checked=Count("id", filter=Q(checked_in_at__isnull=False)))
        .order_by()
    ):
        slot(row["channel"])["registrations"] = row["n"]
        slot(row["channel"])["check_ins"] = row["checked"]
    channels = sorted(per_channel.values(), key=lambda c: (-c["registrations"], c["channel"]))
    totals = {k: sum(c[k] for c in channels) for k in ("visits", "registrations", "check_ins")}
    for item in [*channels, totals]:
        item["conversion_rate"] = item["registrations"] / item["visits"] if item["visits"] else None
        item["attendance_rate"] = rules.attendance_rate(item["registrations"], item["check_ins"])
    return {"totals": totals, "channels": channels}
