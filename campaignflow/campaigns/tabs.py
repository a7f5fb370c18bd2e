"""Campaign page sections. Each app registers the tabs it really provides (no placeholder tabs).

    register_tab("board", _("Data board"), "tracking:board", order=30)

The URL name is reversed with the campaign id (`pk`). `visible(user, campaign, role)` may hide a
tab, e.g. from partners.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class Tab:
    key: str
    label: object
    url_name: str
    order: int = 50
    visible: Callable | None = None


_TABS: dict[str, Tab] = {}


def register_tab(key: str, label, url_name: str, *, order: int = 50, visible: Callable | None = None) -> None:
    _TABS[key] = Tab(key=key, label=label, url_name=url_name, order=order, visible=visible)


def tabs_for(user, campaign, role: str | None, current: str) -> list[dict]:
    out = [
        {
            "key": "overview",
            "label": None,
            "url": reverse("campaigns:detail", args=[campaign.pk]),
            "active": current == "overview",
        }
    ]
    for tab in sorted(_TABS.values(), key=lambda t: t.order):
        if tab.visible is None or tab.visible(user, campaign, role):
            out.append(
                {
                    "key": tab.key,
                    "label": tab.label,
                    "url": reverse(tab.url_name, args=[campaign.pk]),
                    "active": current == tab.key,
                }
            )
    return out
