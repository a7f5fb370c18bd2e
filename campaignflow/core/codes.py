"""Per-campaign record codes (R001, Q001, M001 …) as the seeds' tables number their rows."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .errors import Conflict


def next_code(model, campaign, prefix: str) -> str:
    codes = model.objects.filter(campaign=campaign, code__startswith=prefix).values_list("code", flat=True)
    numbers = [int(c[len(prefix) :]) for c in codes if c[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


def create_with_code(model, campaign, prefix: str, fields: dict):
    """Insert with the next free code (the model's unique (campaign, code) constraint decides a race);
    retried when a concurrent insert took the code."""
    for _attempt in range(3):
        try:
            with transaction.atomic():
                return model.objects.create(campaign=campaign, code=next_code(model, campaign, prefix), **fields)
        except IntegrityError:
            continue
    raise Conflict(_("Could not allocate a code; try again."))
