"""The team's event pages: the events of a campaign, one event (links and QR posters per channel, the
funnel, the registrations), its form, and the door's check-in page. Thin: services decide."""

from __future__ import annotations

from urllib.parse import urlencode
from xml.sax.saxutils import escape

import segno
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from campaignflow import lookups
from campaignflow.campaigns.access import EDIT, MANAGE, VIEW, campaign_for_user, can, role_in
from campaignflow.campaigns.models import MemberRole
from campaignflow.campaigns.views import campaign_page_context
from campaignflow.core.downloads import download
from campaignflow.core.form_views import act, posted_version, submit, submit_posted
from campaignflow.core.pages import Pages

from . import jobs, reminders, selectors, services
from .domain import registration as rules
from .forms import EventForm, event_initial

page = Pages()

TAB = "events"


def _event(request, pk: int, event_id: int, need: str = VIEW):
    event = lookups.event_for_user(request.user, event_id, need)
    if event.campaign_id != pk:
        raise Http404
    return event


def public_link(request, event, channel: str = "") -> str:
    url = request.build_absolute_uri(reverse("events:public", args=[event.slug]))
    return f"{url}?{urlencode({'ch': channel})}" if channel else url


@page("campaigns/<int:pk>/events/", "list")
def event_list(request, pk: int):
    if request.method != "POST":
        campaign = campaign_for_user(request.user, pk, VIEW)
        form = EventForm(initial={"waitlist": True}) if can(request.user, campaign, MANAGE) else None
        return _list_page(request, campaign, form)
    campaign = campaign_for_user(request.user, pk, MANAGE)
    form = EventForm(request.POST)
    result = submit(
        form, lambda: services.event_create(actor=request.user, campaign=campaign, data=form.data_for_service())
    )
    if result.saved:
        messages.success(request, _("Event created: share its link."))
        return redirect("events:detail", pk, result.value.pk)
    return _list_page(request, campaign, form, status=422)


def _list_page(request, campaign, form, status=200):
    context = campaign_page_context(
        request, campaign, TAB, events=selectors.events(campaign), form=form,
        can_manage=can(request.user, campaign, MANAGE),
    )  # fmt: skip
    return render(request, "events/list.html", context, status=status)


@page("campaigns/<int:pk>/events/<int:event_id>/", "detail")
def event_detail(request, pk: int, event_id: int):
    event = _event(request, pk, event_id)
    campaign = event.campaign
    links = [{"channel": "", "url": public_link(request, event)}] + [
        {"channel": name, "url": public_link(request, event, name)} for name in event.channels
    ]
    context = campaign_page_context(
        request, campaign, TAB,
        event=event,
        links=links,
        funnel=selectors.funnel(event),
        registrations=selectors.registrations_page(event, request.user, request.GET.get("page")),
        can_manage=can(request.user, campaign, MANAGE),
        can_check_in=can(request.user, campaign, EDIT),
        state=rules.window_state(rules.Window(event.opens_at, event.closes_at), timezone.now()),
        reminders=event.reminders.all()[:10],
        partner_view=role_in(request.user, campaign) == MemberRole.PARTNER,
        default_reminder=reminders.default_message(event),
    )  # fmt: skip
    return render(request, "events/detail.html", context)


@page("campaigns/<int:pk>/events/<int:event_id>/edit/", "edit")
def event_edit(request, pk: int, event_id: int):
    event = _event(request, pk, event_id, MANAGE)
    form = EventForm(request.POST if request.method == "POST" else None, initial=event_initial(event))

    def save():
        version = posted_version(request)
        return services.event_update(actor=request.user, event=event, version=version, data=form.data_for_service())

    result = submit_posted(request, form, save, _("Event saved."))
    if result.saved:
        return redirect("events:detail", pk, event.pk)
    context = campaign_page_context(request, event.campaign, TAB, event=event, form=form, conflict=result.conflict)
    return render(request, "events/edit.html", context, status=result.status)


@page("campaigns/<int:pk>/events/<int:event_id>/checkin/", "checkin")
def checkin_page(request, pk: int, event_id: int):
    """The door: scan with the phone's camera or type the code; check-ins made offline wait in the browser
    and are sent when the connection is back (the API refuses a ticket twice, so none counts twice)."""
    event = _event(request, pk, event_id, EDIT)
    context = campaign_page_context(
        request, event.campaign, TAB, event=event, checkin_url=f"/api/v1/events/{event.pk}/checkin"
    )
    response = render(request, "events/checkin.html", context)
    response["Permissions-Policy"] = "camera=(self), microphone=(), geolocation=()"  # the one page that films
    return response


@page("campaigns/<int:pk>/events/<int:event_id>/poster.svg", "poster-qr")
def poster_qr(request, pk: int, event_id: int):
    """A QR poster for one channel's link (SVG: prints sharp at any size)."""
    event = _event(request, pk, event_id)
    channel = request.GET.get("ch", "")
    if channel and channel not in event.channels:
        raise Http404
    url = public_link(request, event, channel)
    qr = segno.make(url, error="m")
    size = qr.symbol_size(scale=10, border=2)[0]
    body = qr.svg_inline(scale=10, border=2, omitsize=True)
    title = escape(event.name)
    subtitle = escape(channel or _("Scan to register"))
    height = size + 140
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {height}" width="{size}" height="{height}">'
        f'<rect width="100%" height="100%" fill="#fff"/>'
        f'<text x="50%" y="48" text-anchor="middle" font-size="28" font-weight="700" font-family="sans-serif">{title}</text>'
        f'<text x="50%" y="88" text-anchor="middle" font-size="20" font-family="sans-serif" fill="#555">{subtitle}</text>'
        f'<g transform="translate(0,110)">{body}</g></svg>'
    )
    response = download(
        svg,
        filename=f"poster-{event.name}{'-' + channel if channel else ''}.svg",
        content_type="image/svg+xml; charset=utf-8",
        inline=not request.GET.get("download"),
    )
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


@page("campaigns/<int:pk>/events/<int:event_id>/registrations/<int:registration_id>/erase/", "erase", post=True)
def erase(request, pk: int, event_id: int, registration_id: int):
    registration = lookups.registration_for_user(request.user, registration_id, MANAGE)
    if registration.event_id != event_id or registration.event.campaign_id != pk:
        raise Http404
    act(
        request,
        lambda: services.registration_erase(actor=request.user, registration=registration),
        _("The person's data is erased; the counts stay."),
    )
    return redirect("events:detail", pk, event_id)


@page("campaigns/<int:pk>/events/<int:event_id>/remind/", "remind", post=True)
def remind(request, pk: int, event_id: int):
    """Send a reminder to the registrants (in the background; the list below shows how it went)."""
    event = _event(request, pk, event_id, MANAGE)
    data = {"message": request.POST.get("message", ""), "include_waitlist": bool(request.POST.get("include_waitlist"))}

    def send():
        reminder = reminders.reminder_create(actor=request.user, event=event, data=data)
        jobs.queue_reminder(reminder.pk)
        return reminder

    act(request, send, _("The reminder is being sent; its counts show below when it is done."))
    return redirect("events:detail", pk, event_id)
