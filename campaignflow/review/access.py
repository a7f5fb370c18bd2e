"""Who sees the review. The evaluation, attribution, retrospective and exports are internal:
partners get 403 (they see the settlement on the budget tab, which is shared with them)."""

from django.utils.translation import gettext as _

from campaignflow.campaigns.access import VIEW, campaign_for_team

__all__ = ["campaign_for_review"]


def campaign_for_review(user, campaign_id, need: str = VIEW, *, archived_ok: bool = False):
    return campaign_for_team(
        user, campaign_id, need, archived_ok=archived_ok, message=_("The review is internal to the campaign team.")
    )
