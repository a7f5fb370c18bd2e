"""REST endpoints of the tracking app."""

from ninja import Router

router = Router(tags=["tracking"])
