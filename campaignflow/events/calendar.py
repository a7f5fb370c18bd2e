"""An e-ticket as an iCalendar entry (RFC 5545), for "add to calendar" on a phone."""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar
from icalendar import Event as CalendarEvent


def ticket_calendar(registration, ticket_url: str) -> bytes:
    event = registration.event
    cal = Calendar()
    cal.add("prodid", "-//CampaignFlow//events//ZH")
    cal.add("version", "2.0")
    entry = CalendarEvent()
    entry.add("uid", f"{registration.ticket_code}@campaignflow")
    entry.add("summary", event.name)
    entry.add("dtstart", event.starts_at)
    entry.add("dtend", event.ends_at or event.starts_at + dt.timedelta(hours=2))
    entry.add("dtstamp", registration.created_at)
    if event.place:
        entry.add("location", event.place)
    entry.add("description", "\n".join(filter(None, [event.stream_url, ticket_url])))
    entry.add("url", ticket_url)
    cal.add_component(entry)
    return cal.to_ical()
