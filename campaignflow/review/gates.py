"""Stage gate reviewing → archived: evaluation and retrospective complete, settlement signed off."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaignflow.campaigns.domain import lifecycle as lc
from campaignflow.campaigns.gates import gate


@gate(
    lc.REVIEWING,
    lc.ARCHIVED,
    key="review.complete",
    label=gettext_lazy("Evaluation and retrospective complete (settlement signed off by every party)"),
)
def review_complete(campaign):
    from .selectors import evaluation, retrospective_of, settlement_status

    problems = []
    ev = evaluation(campaign)
    if not ev["rows"]:
        problems.append(_("the evaluation has no KPI rows"))
    elif ev["missing"]:
        problems.append(_("%(n)d evaluation rows lack a cause analysis or improvement") % {"n": ev["missing"]})
    retro = retrospective_of(campaign)
    if retro is None or retro.completed_at is None:
        problems.append(_("the retrospective is not completed"))
    settlement = settlement_status(campaign)
    if settlement["needed"] and not settlement["all_signed"]:
        problems.append(_("the settlement is not signed off by every party"))
    if problems:
        return _("Review incomplete: %(list)s.") % {"list": "; ".join(problems)}
    return None
