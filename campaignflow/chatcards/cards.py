"""A queued delivery (or a click's answer) as a `domain.cards.Card`: its text, its link, and its buttons — one
single-use token per action the object offers now (`actions.offered`), plus the links of the daily loop."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from campaignflow.notifications import texts

from . import services
from .actions import offered
from .domain.cards import CALLBACK, LINK, Button, Card
from .links import standup_link


def absolute(path: str) -> str:
    base = settings.SITE_URL.rstrip("/")
    return f"{base}{path}" if path.startswith("/") else path


def act_link(token: str) -> str:
    """The signed action page of a token (DingTalk's buttons, robots' buttons and every platform's fallback)."""
    return absolute(reverse("chatcards:act", args=[token]))


def card_for(delivery, *, recipient, platform: str) -> Card:
    """The card of a delivery: its buttons in its recipient's language, as its text (notifications.texts)."""
    with override(texts.recipient_language(delivery)):
        buttons: list[Button] = []
        target = delivery.target if delivery.target_id else None
        if target is not None:
            card_id = services.new_card_id()
            for action in offered(target):
                token = services.issue(
                    card=card_id,
                    action=action,
                    target=target,
                    recipient=recipient,
                    platform=platform,
                    title=delivery.title,
                )
                if action.needs_comment:  # a reason is typed on the action page
                    buttons.append(Button(str(action.label), LINK, url=act_link(token)))
                else:
                    buttons.append(Button(str(action.label), CALLBACK, token=token, primary=action.primary))
        if delivery.kind == "numbers_missing" and delivery.url:
            buttons.append(Button(_("Enter today's numbers"), LINK, url=absolute(delivery.url), primary=True))
            if delivery.campaign_id:
                buttons.append(
                    Button(_("Open today's stand-up"), LINK, url=absolute(standup_link(delivery.campaign_id)))
                )
        return Card(
            title=delivery.title,
            body=delivery.body,
            campaign=delivery.campaign.name if delivery.campaign_id else "",
            url=absolute(delivery.url) if delivery.url else "",
            buttons=tuple(buttons),
        )


def robot_card_buttons(delivery) -> list[Button]:
    """Link buttons to the action page for a group robot's message (a token without a recipient per action)."""
    target = delivery.target if delivery.target_id else None
    if target is None:
        return []
    card_id = services.new_card_id()
    with override(settings.LANGUAGE_CODE):
        return [
            Button(
                str(action.label),
                LINK,
                url=act_link(
                    services.issue(
                        card=card_id,
                        action=action,
                        target=target,
                        recipient=None,
                        platform="robot",
                        title=delivery.title,
                    )
                ),
            )
            for action in offered(target)
        ]
