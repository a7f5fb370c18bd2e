"""Materials reads, with the partner's narrower view: a partner member sees the materials shared with
them (co-branded material always is), and of those only what a reviewer needs."""

from __future__ import annotations

from django.db.models import Q

from campaignflow.campaigns.access import is_partner

from .domain import workflow
from .models import Material, MaterialComment, MaterialFile, MaterialReview, ReviewDecision


def materials_for(user, campaign):
    # the list, its API and its sheet show the owner and the acceptor; the budget line and the task by id only
    qs = Material.objects.filter(campaign=campaign).select_related("owner", "accepted_by")
    if is_partner(user, campaign):
        qs = qs.filter(Q(shared_with_partners=True) | Q(partner_approval=True))
    return qs.order_by("sort_order", "id")


def files(material):
    return MaterialFile.objects.filter(material=material).select_related("uploaded_by").order_by("-revision")


def current_file(material) -> MaterialFile | None:
    if not material.revision:
        return None
    return MaterialFile.objects.filter(material=material, revision=material.revision).first()


def comments(material, revision: int | None = None):
    qs = MaterialComment.objects.filter(material=material).select_related("author", "resolved_by", "file")
    if revision is not None:
        qs = qs.filter(file__revision=revision)
    return qs.order_by("created_at", "id")


def reviews(material):
    return MaterialReview.objects.filter(material=material).select_related("actor").order_by("at", "id")


def reviews_by_material(materials) -> dict[int, list[MaterialReview]]:
    """The review histories of several materials in one query (the list's waiting-for column)."""
    out: dict[int, list[MaterialReview]] = {m.pk: [] for m in materials}
    for review in MaterialReview.objects.filter(material_id__in=out).order_by("at", "id"):
        out[review.material_id].append(review)
    return out


def approved_sides(material, history=None) -> set[str]:
    """The sides that approved the current revision since it was last submitted or sent back."""
    sides: set[str] = set()
    for review in history if history is not None else reviews(material):
        if review.revision != material.revision:
            continue
        if review.decision in (ReviewDecision.SUBMIT, ReviewDecision.REQUEST_CHANGES):
            sides.clear()
        elif review.decision == ReviewDecision.APPROVE:
            sides.add(review.side)
    return sides


def waiting_for(material, history=None) -> list[str]:
    """The sides whose approval the material still needs (empty unless it is in review with a file to judge: a
    material without a revision can be neither approved nor sent back, `services.material_review`)."""
    if material.status != workflow.IN_REVIEW or not material.revision:
        return []
    done = approved_sides(material, history)
    return [side for side in workflow.required_sides(material.partner_approval) if side not in done]


def not_approved(campaign):
    """Materials the planning → executing gate lists: not yet approved (nor accepted)."""
    return (
        Material.objects.filter(campaign=campaign)
        .exclude(status__in=(workflow.APPROVED, workflow.ACCEPTED))
        .order_by("sort_order", "id")
    )


def late(campaign, today):
    """Not accepted by their due date (the `material_late` alert)."""
    return (
        Material.objects.filter(campaign=campaign, due_date__lt=today)
        .exclude(status=workflow.ACCEPTED)
        .order_by("due_date", "id")
    )
