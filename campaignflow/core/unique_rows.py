"""A new row that must be unique (a partner company's name, a campaign's member, channel or partner): refused when
one exists already, and refused the same way when a concurrent request creates it first (the model's unique
constraint decides the race)."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from .errors import DomainError


def create_unique(model, unique: tuple[str, ...], refusal: DomainError, *, raced: DomainError | None = None, **fields):
    """`model.objects.create(**fields)` unless a row with the same values of the `unique` fields exists: then
    `refusal` (or `raced`, when given, if the other row was created meanwhile)."""
    if model.objects.filter(**{name: fields[name] for name in unique}).exists():
        raise refusal
    try:
        with transaction.atomic():
            return model.objects.create(**fields)
    except IntegrityError:
        raise (raced or refusal) from None
