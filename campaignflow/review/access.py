"""Who sees the review. The evaluation, attribution, retrospective and exports are internal:
partners get 403 (they see the settlement on the budget tab, which is shared with them)."""

from django.utils.translation import gettext as _

from campaignflow.campaigns.access import VIEW, campaign_for_user, role_in
from campaignflow.campaigns.models import MemberRole
from campaignflow.core.errors import Forbidden


def not_partner(user, campaign, role) -> bool:
    return role != MemberRole.PARTNER


def campaign_for_review(user, campaign_id, need: str = VIEW, *, archived_ok: bool = False):
    campaign = campaign_for_user(user, campaign_id, need, archived_ok=archived_ok)
    if role_in(user, campaign) == MemberRole.PARTNER:
        raise Forbidden(_("The review is internal to the campaign team."))
    return campaign
