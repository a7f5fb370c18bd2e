"""A button on a campaign page: the frame every such POST view shares (ADR 0006).

The view itself only reads what was posted and calls its service through `core.form_views.act`; its
route (`core.pages`, declared `post=True`) signs in and takes POST only; the frame loads the campaign with the right it needs (404 / 403 otherwise) and
goes back to the page the button was on.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import HttpResponse
from django.shortcuts import redirect

from .access import campaign_for_user

ButtonView = Callable[..., HttpResponse | None]


def campaign_button(need: str, back_to: str) -> Callable[[ButtonView], Callable[..., HttpResponse]]:
    """Decorate `view(request, campaign, **url_kwargs)`, called with the campaign loaded with `need`.

    The answer is a redirect to the URL named `back_to` (given the campaign's pk), unless the view
    returns its own response (another anchor on the page, the page shown again with errors).
    """

    def decorate(view: ButtonView) -> Callable[..., HttpResponse]:
        @wraps(view)
        def post(request, pk: int, **url_kwargs) -> HttpResponse:
            campaign = campaign_for_user(request.user, pk, need)
            return view(request, campaign, **url_kwargs) or redirect(back_to, campaign.pk)

        return post

    return decorate
