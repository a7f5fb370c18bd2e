"""Campaign page sections and the AppConfig through which each app declares its part of the campaign.

An app states its tabs (only those it really provides, no placeholder tabs); `CampaignAppConfig.ready()`
registers them and imports the app's `gates.py` if it has one (its @gate(...) conditions register on import):

    class PlanningConfig(CampaignAppConfig):
        verbose_name = _("Plan")
        tabs = (Tab("plan", _("Plan"), "planning:plan", order=24), Tab("gantt", _("Gantt"), "planning:gantt", order=25))

The URL name is reversed with the campaign id (`pk`). Tabs of equal order keep the order of the apps in
INSTALLED_APPS.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module

from django.apps import AppConfig
from django.urls import reverse
from django.utils.module_loading import module_has_submodule


@dataclass(frozen=True)
class Tab:
    key: str
    label: object
    url_name: str
    order: int = 50
    team_only: bool = False  # a section internal to the campaign team: hidden from partners


_TABS: dict[str, Tab] = {}


def register_tab(tab: Tab) -> None:
    _TABS[tab.key] = tab


class CampaignAppConfig(AppConfig):
    """An app's part of the campaign page, declared as data: its tabs. Its name is its package's (the module's
    without `.apps`), its label the last part of that, and its `gates.py`, when it has one, is loaded with it."""

    tabs: tuple[Tab, ...] = ()
    # Django uses the one AppConfig class an apps.py holds; one that imports this base holds two, so the
    # base is no candidate (default = False) and each subclass is the default of its module.
    default = False

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        cls.default = True
        cls.name = cls.__module__.removesuffix(".apps")

    def ready(self) -> None:
        if module_has_submodule(self.module, "gates"):
            import_module(f"{self.name}.gates")
        for tab in self.tabs:
            register_tab(tab)


def tabs_for(user, campaign, role: str | None, current: str) -> list[dict]:
    # Imported here: the AppConfigs import this module while the apps load, before models can be imported.
    from .access import not_partner

    out = [
        {
            "key": "overview",
            "label": None,
            "url": reverse("campaigns:detail", args=[campaign.pk]),
            "active": current == "overview",
        }
    ]
    for tab in sorted(_TABS.values(), key=lambda t: t.order):
        if not tab.team_only or not_partner(user, campaign, role):
            out.append(
                {
                    "key": tab.key,
                    "label": tab.label,
                    "url": reverse(tab.url_name, args=[campaign.pk]),
                    "active": current == tab.key,
                }
            )
    return out
