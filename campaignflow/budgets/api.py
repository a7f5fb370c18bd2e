"""REST endpoints of the budgets app."""

from ninja import Router

router = Router(tags=["budgets"])
