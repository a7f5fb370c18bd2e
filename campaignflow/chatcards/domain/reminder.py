"""The daily numbers reminder as plain values: when it is due, and who is told about which channels."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


def parse_time(text: str) -> dt.time:
    """ "HH:MM" (24 h) → a time; ValueError otherwise."""
    hours, _, minutes = (text or "").strip().partition(":")
    if not (hours.isdigit() and minutes.isdigit() and len(minutes) == 2):
        raise ValueError(text)
    return dt.time(int(hours), int(minutes))


def due(now: dt.datetime, at: dt.time, *, workday: bool, sent_today: bool) -> bool:
    """On a working day, from `at` on, once."""
    return workday and not sent_today and now.time() >= at


@dataclass(frozen=True)
class ChannelToday:
    name: str
    owner_id: int | None
    active: bool  # today is within the channel's start and end dates (when it has them)
    has_numbers: bool  # a value was entered for today


def missing_by_person(channels: Iterable[ChannelToday], data_people: Iterable[int]) -> dict[int, list[str]]:
    """{person: the missing channels they answer for}: a channel's owner; a channel without one, the campaign's data
    people (its owner and managers). Channels keep their order."""
    people = list(dict.fromkeys(data_people))
    found: dict[int, list[str]] = {}
    for channel in channels:
        if not channel.active or channel.has_numbers:
            continue
        for person in [channel.owner_id] if channel.owner_id else people:
            found.setdefault(person, []).append(channel.name)
    return found


def active_on(day: dt.date, start: dt.date | None, end: dt.date | None) -> bool:
    return (start is None or start <= day) and (end is None or day <= end)


def reminder_setting(rows: Mapping[int, tuple[bool, dt.time]], campaign_id: int, default: dt.time) -> dt.time | None:
    """The campaign's reminder time, None when its team switched it off."""
    enabled, at = rows.get(campaign_id, (True, default))
    return at if enabled else None
