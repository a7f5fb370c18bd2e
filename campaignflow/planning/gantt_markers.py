"""Dated markers other apps draw on a campaign's Gantt, beside the plan's own tasks (the materials list's
due dates, issue #20). Planning knows nothing of those apps: each registers a source from its
AppConfig.ready(), as apps register tabs (campaigns.tabs) or jobs (core.scheduler):

    register_marker_source(MarkerSource("materials", _("Materials"), material_markers, order=10))

A source's `rows(user, campaign, today)` returns what the user may see, in a constant number of queries
(the Gantt's query count must not grow with the number of markers), as `Marker`s. The Gantt data lists
each source with markers as a group (`marker_groups`); the chart draws a group as a read-only phase row
with a milestone per marker.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Marker:
    id: int
    code: str
    name: str
    date: dt.date
    status: str  # the source's status value, for styling
    status_label: str  # the status in the user's language
    late: bool = False  # past its date and not done: drawn as at risk
    url: str = ""  # where the marker's own page is


@dataclass(frozen=True)
class MarkerSource:
    key: str
    label: object  # the group row's name (lazy text)
    rows: Callable[..., list[Marker]]  # rows(user, campaign, today) -> the markers the user sees
    order: int = 50


_SOURCES: dict[str, MarkerSource] = {}


def register_marker_source(source: MarkerSource) -> None:
    _SOURCES[source.key] = source


def marker_groups(user, campaign, today: dt.date) -> list[dict]:
    """The Gantt's `marker_groups`: each source that has markers for this user, with its markers as JSON."""
    groups = []
    for source in sorted(_SOURCES.values(), key=lambda s: (s.order, s.key)):
        markers = source.rows(user, campaign, today)
        if not markers:
            continue
        groups.append(
            {
                "key": source.key,
                "label": str(source.label),
                "markers": [
                    {
                        "id": f"{source.key}-{m.id}",
                        "code": m.code,
                        "name": m.name,
                        "date": m.date.isoformat(),
                        "status": m.status,
                        "status_label": m.status_label,
                        "late": m.late,
                        "url": m.url,
                    }
                    for m in markers
                ],
            }
        )
    return groups
