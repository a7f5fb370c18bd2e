"""Demo alerts: the rules evaluated once on the running demo campaign, as the hourly job would, so the
alert list, the inbox and the board show what the demo data really deviates on (nothing is invented)."""

from __future__ import annotations

from .engine import evaluate_campaign


def after_demo(*, campaigns, users, specs) -> None:
    for campaign in campaigns.values():
        if campaign.status == "executing":
            evaluate_campaign(campaign, actor=None)
