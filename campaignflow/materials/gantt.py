"""The materials list on the Gantt (issue #20): each material with a due date is a milestone on its due
date, with its code, name and status; one not accepted by then is marked late. Registered with
planning.gantt_markers from MaterialsConfig.ready(); a partner sees only the materials shared with them."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from campaignflow.planning.gantt_markers import Marker, MarkerSource

from .domain import workflow
from .models import MaterialStatus
from .selectors import materials_for

FIELDS = ("pk", "code", "name", "due_date", "status")


def material_markers(user, campaign, today) -> list[Marker]:
    """One query, whatever the number of materials (light rows, no model instances)."""
    rows = (
        materials_for(user, campaign)
        .select_related(None)
        .filter(due_date__isnull=False)
        .order_by("due_date", "sort_order", "id")
        .values_list(*FIELDS, named=True)
    )
    labels = dict(MaterialStatus.choices)
    # the detail page's URL is the list's with the material's id (materials.urls)
    base = reverse("materials:list", args=[campaign.pk])
    return [
        Marker(
            id=m.pk,
            code=m.code,
            name=m.name,
            date=m.due_date,
            status=m.status,
            status_label=str(labels.get(m.status, m.status)),
            late=workflow.is_late(m.status, m.due_date, today),
            url=f"{base}{m.pk}/",
        )
        for m in rows
    ]


SOURCE = MarkerSource("materials", _("Materials"), material_markers, order=10)
