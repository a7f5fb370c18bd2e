"""Task reads with the visibility rules: partners see only the tasks they own."""

from django.http import Http404
from django.utils.translation import gettext as _

from campaignflow.campaigns.access import MAX_ID, campaign_for_user, can, role_in
from campaignflow.campaigns.models import MemberRole
from campaignflow.core.errors import Forbidden

from .models import Task


def tasks_for(user, campaign):
    qs = Task.objects.filter(campaign=campaign).select_related("owner")
    if role_in(user, campaign) == MemberRole.PARTNER:
        qs = qs.filter(owner=user)
    return qs.order_by("sort_order", "id")


def task_for_user(user, task_id: int, need: str = "view") -> Task:
    """The task if the user may `need` it: 404 when its campaign or the task is not visible."""
    if not 0 < int(task_id) <= MAX_ID:
        raise Http404
    campaign_id = Task.objects.filter(pk=task_id).values_list("campaign_id", flat=True).first()
    if campaign_id is None:
        raise Http404
    campaign = campaign_for_user(user, campaign_id, "view")
    task = tasks_for(user, campaign).filter(pk=task_id).first()
    if task is None:
        raise Http404
    task.campaign = campaign
    # A partner may update the tasks assigned to them; everyone else needs the edit right.
    if need == "edit" and not (can(user, campaign, "edit") or task.owner_id == user.pk):
        raise Forbidden(_("Your role in this campaign does not allow this."))
    return task
