"""Stage gates of the goals app."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaignflow.campaigns.domain import lifecycle as lc
from campaignflow.campaigns.gates import gate

from .models import Priority


@gate(lc.PREPARING, lc.PLANNING, key="goals.core_kpi", label=gettext_lazy("A core KPI has a target"))
def has_core_kpi(campaign):
    if campaign.kpis.filter(priority=Priority.CORE, target__gt=0).exists():
        return None
    return _("No core KPI has a target.")
