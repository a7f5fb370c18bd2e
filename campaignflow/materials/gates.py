"""Stage-gate condition of materials: what the campaign needs on its first day is approved before it runs."""

from django.db.models import Q
from django.utils.translation import gettext_lazy, ngettext

from campaignflow.campaigns.domain import lifecycle as lc
from campaignflow.campaigns.gates import gate, some_of

from .selectors import not_approved


@gate(
    lc.PLANNING,
    lc.EXECUTING,
    key="materials.approved",
    label=gettext_lazy("The materials needed from the start are approved"),
)
def materials_needed_at_start_are_approved(campaign):
    """Materials due on or before the campaign's first day (or with no due date) must be approved or
    accepted (seed 000: 完成宣传物料终稿审核); later ones (a follow-up poster) may still be in the works."""
    pending = not_approved(campaign).filter(Q(due_date__isnull=True) | Q(due_date__lte=campaign.start_date))
    count = pending.count()
    if not count:
        return None
    names = some_of(pending, count, lambda m: f"{m.code} {m.name}")
    return ngettext(
        "%(n)d material is not approved yet: %(names)s.", "%(n)d materials are not approved yet: %(names)s.", count
    ) % {"n": count, "names": names}
