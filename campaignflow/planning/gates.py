"""Stage-gate conditions the plan can check."""

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from campaignflow.campaigns.domain import lifecycle as lc
from campaignflow.campaigns.gates import gate, some_of


@gate(lc.PLANNING, lc.EXECUTING, key="plan.has_tasks", label=gettext_lazy("The plan has tasks"))
def plan_has_tasks(campaign):
    return None if campaign.tasks.exists() else _("The plan has no tasks yet.")


@gate(
    lc.PLANNING,
    lc.EXECUTING,
    key="plan.raci",
    label=gettext_lazy("Every task has an owner and exactly one accountable person (A)"),
)
def every_task_has_owner_and_one_a(campaign):
    """Replaces the former "plan.task_owners": owners first (as before), then the RACI's one A per task."""
    missing = campaign.tasks.filter(owner__isnull=True).count()
    if missing:
        return ngettext("%(n)d task has no owner.", "%(n)d tasks have no owner.", missing) % {"n": missing}
    lacking = campaign.tasks.annotate(a=Count("raci", filter=Q(raci__role="A"))).exclude(a=1)
    count = lacking.count()
    if count:
        text = some_of(lacking.order_by("sort_order", "id").values_list("code", flat=True), count)
        return ngettext(
            "%(n)d task has no accountable person (A) in the RACI matrix: %(codes)s.",
            "%(n)d tasks have no accountable person (A) in the RACI matrix: %(codes)s.",
            count,
        ) % {"n": count, "codes": text}
    return None
