"""The public pages: registration (phone first, no login), the e-ticket with its QR code, the ticket as
a calendar entry. The only pages of the product anyone may open; they show nothing of other people."""

from __future__ import annotations

import time

import segno
from django.core import signing
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from campaignflow.core.downloads import ICS, download
from campaignflow.core.errors import Conflict, InvalidInput
from campaignflow.core.inserts import insert_one
from campaignflow.core.pages import Pages

from . import ratelimit, selectors, services
from .calendar import ticket_calendar
from .domain import registration as rules
from .jobs import queue_metrics_sync
from .models import Registration, Visit

page = Pages()  # public: no login (the event link and the QR posters point here)

FORM_SALT = "events.form-served"
HONEYPOT = "website"  # hidden from people by CSS; scripts fill it


def _record_visit(request, response, event, channel: str) -> None:
    """A browser's first view of the page today counts once in the funnel (a cookie marks the day)."""
    cookie = f"ev_{event.slug}"
    today = timezone.localdate().isoformat()
    if request.COOKIES.get(cookie) == today:
        return
    insert_one(Visit(event=event, channel=channel))  # a burst of new visitors: one prepared INSERT each
    queue_metrics_sync(event.campaign_id)  # 访问 on the board (one recount per window, however many visit)
    response.set_cookie(cookie, today, max_age=86400, samesite="Lax", httponly=True, secure=request.is_secure())


def _served_at(request) -> float | None:
    token = request.POST.get("t", "")
    if not token:
        return None
    try:
        return float(signing.loads(token, salt=FORM_SALT, max_age=86400))
    except (signing.BadSignature, ValueError, TypeError):
        return time.time()  # a forged or expired stamp: as if sent the moment it was served


def _form_context(event, state: str, **parts) -> dict:
    return {"event": event, "state": state, "honeypot": HONEYPOT, "values": {}, "errors": {}, "message": ""} | parts


def _form_page(request, event, channel: str, *, values=None, errors=None, message="", status=200):
    """The form again with what was sent, its errors or a refusal."""
    state = rules.window_state(rules.Window(event.opens_at, event.closes_at), timezone.now())
    context = _form_context(
        event, state, channel=channel, values=values or {}, errors=errors or {}, message=message,
        stamp=signing.dumps(time.time(), salt=FORM_SALT),
    )  # fmt: skip
    return render(request, "events/public_register.html", context, status=status)


BLANK_FORM_SECONDS = 5  # a rendered blank form is kept this long (per event version, language, time zone, state)
# Stand-ins for what differs per visitor, replaced in the cached HTML (none of them is changed by escaping).
_SLOTS = {"csrf_token": "cf-slot-csrf-7d1e", "channel": "cf-slot-channel-7d1e", "stamp": "cf-slot-stamp-7d1e"}


def _blank_form(request, event, channel: str) -> HttpResponse:
    """The form as every new visitor gets it: rendered once per event version, language, time zone and window
    state (opening and closing are checked on each request), then only the visitor's CSRF token, channel and
    time stamp are put in. During a burst, rendering the template was half of the page's CPU."""
    state = rules.window_state(rules.Window(event.opens_at, event.closes_at), timezone.now())
    language, zone = translation.get_language(), timezone.get_current_timezone_name()
    key = f"events:form:{event.pk}:{event.version}:{language}:{zone}:{state}"
    html = cache.get(key)
    if html is None:
        html = render_to_string("events/public_register.html", _form_context(event, state, **_SLOTS))
        cache.set(key, html, BLANK_FORM_SECONDS)
    for name, value in (
        ("csrf_token", get_token(request)),
        ("channel", escape(channel)),
        ("stamp", escape(signing.dumps(time.time(), salt=FORM_SALT))),
    ):
        html = html.replace(_SLOTS[name], value)
    return HttpResponse(html)


@page("e/<str:slug>/", "public", public=True)
@require_http_methods(["GET", "POST"])
def register_page(request, slug: str):
    event = selectors.public_event(slug)
    if request.method == "GET":
        channel = rules.channel_from(request.GET.get("ch"), request.GET.get("utm_source"))
        response = _blank_form(request, event, channel)
        _record_visit(request, response, event, channel)
        return response
    channel = rules.channel_from(request.POST.get("channel"))
    values = request.POST
    wait = ratelimit.retry_after(client=ratelimit.client_address(request), event_slug=event.slug)
    if wait is None and rules.looks_automated(
        honeypot=request.POST.get(HONEYPOT, ""), started_at=_served_at(request), now=time.time()
    ):
        wait = 5
    if wait:
        response = _form_page(
            request, event, channel, values=values, status=429,
            message=_("That was very fast. Please wait a moment and send the form again."),
        )  # fmt: skip
        response["Retry-After"] = str(wait)
        return response
    data = {
        "name": values.get("name"),
        "phone": values.get("phone"),
        "email": values.get("email"),
        "consent": values.get("consent") == "on",
        "channel": channel,
        "answers": {q["key"]: values.get(f"q_{q['key']}") for q in event.questions},
    }
    try:
        registration, _created = services.register(event=event, data=data)
    except InvalidInput as exc:
        return _form_page(request, event, channel, values=values, errors=exc.as_field_dict(), status=422)
    except Conflict as exc:
        return _form_page(request, event, channel, values=values, message=exc.detail, status=409)
    return redirect("events:ticket", event.slug, registration.ticket_code)


def _ticket(slug: str, code: str) -> Registration:
    event = selectors.public_event(slug)
    registration = (
        Registration.objects.filter(event=event, ticket_code=rules.normalize_ticket_code(code), erased_at__isnull=True)
        .select_related("event")
        .first()
    )
    if registration is None:
        raise Http404
    return registration


def _ticket_url(request, slug: str, registration: Registration) -> str:
    return request.build_absolute_uri(reverse("events:ticket", args=[slug, registration.ticket_code]))


@page("e/<str:slug>/t/<str:code>", "ticket", public=True)
def ticket_page(request, slug: str, code: str):
    registration = _ticket(slug, code)
    url = _ticket_url(request, slug, registration)
    qr = segno.make(url, error="m").svg_inline(scale=6, border=2, dark="#111", light="#fff", omitsize=True)
    context = {
        "registration": registration,
        "event": registration.event,
        "masked_phone": rules.mask_phone(registration.phone),
        "qr_svg": qr,
        "ticket_url": url,
    }
    response = render(request, "events/public_ticket.html", context)
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"  # the ticket's address is its secret
    return response


@page("e/<str:slug>/t/<str:code>/calendar.ics", "ticket-ics", public=True)
def ticket_ics(request, slug: str, code: str):
    registration = _ticket(slug, code)
    calendar = ticket_calendar(registration, _ticket_url(request, slug, registration))
    response = download(calendar, filename="ticket.ics", content_type=ICS)
    response["Cache-Control"] = "private, no-store"
    return response
