"""A card's buttons: issuing their single-use tokens when a card is sent, and using one when a person clicks
(a platform's signed callback or the action page). The action runs as the person who clicked, through the same
lookup (their rights) and service (its rules and audit entry) as the web page; a refusal writes nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from campaignflow.core.errors import DomainError, InvalidInput

from .actions import ACTIONS, Action, object_url
from .models import ActionToken

DONE, ALREADY, EXPIRED, STALE, REFUSED = "done", "already", "expired", "stale", "refused"


@dataclass(frozen=True)
class Outcome:
    status: str
    message: str
    link: str = ""  # where to look at the object (a stale or refused card)
    action: Action | None = None


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "replace")).hexdigest()


def new_card_id() -> str:
    return secrets.token_hex(16)


def issue(*, card: str, action: Action, target, recipient, platform: str, title: str = "") -> str:
    """A new token (192 random bits) for one button; only its hash is stored."""
    raw = secrets.token_urlsafe(24)
    ActionToken.objects.create(
        token_hash=hash_token(raw),
        card=card,
        action=action.key,
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        target_version=target.version,
        campaign_id=getattr(target, "campaign_id", None),
        recipient=recipient,
        platform=platform,
        title=title[:200],
        expires_at=timezone.now() + dt.timedelta(hours=settings.CHAT_CARD_TOKEN_HOURS),
    )
    return raw


def find(raw: str) -> ActionToken | None:
    if not raw or len(raw) > 100:
        return None
    return ActionToken.objects.select_related("target_type").filter(token_hash=hash_token(raw)).first()


def _current(token: ActionToken):
    model = token.target_type.model_class()
    return model.objects.filter(pk=token.target_id).first() if model is not None else None


def judge(token: ActionToken | None, actor, *, now: dt.datetime | None = None) -> Outcome | None:
    """Why this token may not be used by `actor` now (an Outcome), or None when it may. Nothing is written."""
    now = now or timezone.now()
    if token is None or token.action not in ACTIONS:
        return Outcome(REFUSED, _("This button is not valid. Open CampaignFlow to act."))
    action = ACTIONS[token.action]
    if token.used_at is not None:
        return Outcome(ALREADY, _("Already handled."), action=action)
    if token.expires_at <= now:
        return Outcome(EXPIRED, _("This card has expired. Open CampaignFlow to act."), action=action)
    if token.recipient_id is not None and token.recipient_id != actor.pk:
        return Outcome(REFUSED, _("This card was sent to someone else."), action=action)
    target = _current(token)
    if target is None or target.version != token.target_version:
        return Outcome(
            STALE,
            _("It has changed since this card was sent; open it to see."),
            link=object_url(target) if target is not None else "/",
            action=action,
        )
    return None


def preview(raw: str, *, actor) -> Outcome | None:
    """Would the button work for `actor` now? The action is tried and rolled back (the service's own rules decide,
    said nowhere else); None when it would, else the refusal the click would get. A reason asked for later is
    stood in for."""
    with transaction.atomic():
        token = find(raw)
        placeholder = (
            "…" if token is not None and ACTIONS.get(token.action, None) and ACTIONS[token.action].needs_comment else ""
        )
        outcome = use(raw, actor=actor, comment=placeholder)
        transaction.set_rollback(True)
    return None if outcome.status == DONE else outcome


def use(raw: str, *, actor, comment: str = "") -> Outcome:
    """Click the button: its action once, as `actor`, when the token is valid, unused, unexpired, meant for them,
    the object unchanged since the card was sent and their rights allow it. Every button of the card is used up
    with it (approve and reject of one request)."""
    with transaction.atomic():
        token = find(raw)
        if token is not None:
            token = ActionToken.objects.select_for_update().select_related("target_type").get(pk=token.pk)
        refused = judge(token, actor)
        if refused is not None:
            return refused
        action = ACTIONS[token.action]
        link = object_url(_current(token))
        try:
            with transaction.atomic():
                target = action.find(actor, token.target_id)
                if target.version != token.target_version:  # changed between the two reads
                    raise _Stale
                action.run(actor, target, comment)
        except _Stale:
            return judge(token, actor) or Outcome(
                STALE, _("It has changed since this card was sent; open it to see."), link, action
            )
        except Http404:
            return Outcome(REFUSED, _("You cannot see this in CampaignFlow."), action=action)
        except InvalidInput as exc:
            return Outcome(REFUSED, "; ".join(exc.as_field_dict().values()), link, action)
        except DomainError as exc:  # Forbidden (the role may not decide), Conflict (no longer waiting)
            return Outcome(REFUSED, exc.detail, link, action)
        ActionToken.objects.filter(card=token.card, used_at__isnull=True).update(used_at=timezone.now(), used_by=actor)
        return Outcome(DONE, str(action.done), link, action)


class _Stale(Exception):
    pass
