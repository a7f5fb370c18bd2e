"""The playbook's materials list (seed 001 输出物料清单, seed 003 《物料清单》) made when a campaign is
created from it: each material a step names is due on that step's date (relative to the event, in
working days where the step says so) and linked to the step's task."""

from __future__ import annotations

from .models import Material, MaterialKind


def create_from_plan(sender, *, campaign, specs, actor, **kwargs) -> None:
    wanted = [(spec, m) for spec in specs for m in spec.materials]
    if not wanted:
        return
    tasks = dict(campaign.tasks.values_list("code", "id"))
    Material.objects.bulk_create(
        Material(
            campaign=campaign,
            code=f"M{n:03d}",
            name=m.name,
            kind=m.kind if m.kind in MaterialKind.values else MaterialKind.OTHER,
            quantity=m.quantity,
            unit=m.unit,
            partner_approval=m.partner_approval,
            shared_with_partners=m.partner_approval,
            due_date=spec.end_date,
            task_id=tasks.get(spec.code),
            sort_order=n,
        )
        for n, (spec, m) in enumerate(wanted, start=1)
    )
