"""Who sees alerts. An alert's message names internal things that are not shared with partners (tasks,
budget lines and their amounts, issues, stand-ups, KPI deviations): alerts are internal to the campaign
team, and partners get 403, as for the execution records and the review."""

from django.utils.translation import gettext as _

from campaignflow.campaigns.access import VIEW, campaign_for_team

__all__ = ["campaign_for_alerts"]


def campaign_for_alerts(user, campaign_id, need: str = VIEW):
    return campaign_for_team(user, campaign_id, need, message=_("Alerts are internal to the campaign team."))
