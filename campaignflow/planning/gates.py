"""Stage-gate conditions the plan can check."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from campaignflow.campaigns.domain import lifecycle as lc
from campaignflow.campaigns.gates import gate


@gate(lc.PLANNING, lc.EXECUTING, key="plan.has_tasks", label=gettext_lazy("The plan has tasks"))
def plan_has_tasks(campaign):
    return None if campaign.tasks.exists() else _("The plan has no tasks yet.")


@gate(lc.PLANNING, lc.EXECUTING, key="plan.task_owners", label=gettext_lazy("Every task has an owner"))
def every_task_has_owner(campaign):
    missing = campaign.tasks.filter(owner__isnull=True).count()
    if missing:
        return ngettext("%(n)d task has no owner.", "%(n)d tasks have no owner.", missing) % {"n": missing}
    return None
