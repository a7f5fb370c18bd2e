"""The card buttons' endpoints (ADR 0018):

    /chat/feishu/card/       Feishu's card callback (card.action.trigger; url_verification), signed and encrypted
    /chat/wecom/callback/    the WeCom app's callback URL: GET echostr check, POST encrypted template_card_event
    /chat/act/<token>/       the signed action page: DingTalk's buttons, robots' buttons, a reason to type — signs
                             the person in (inside the chat app through its 免登), one confirm button (POST)

The two callbacks are public (the platforms call them) and CSRF-exempt; they act only on a correctly signed request
(401 otherwise, nothing done) and answer in the card. The action page is an ordinary signed-in page."""

from __future__ import annotations

import logging

from django import forms
from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import override
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from campaignflow.campaigns.access import EDIT, VIEW, can
from campaignflow.campaigns.views import campaign_page_context
from campaignflow.core.form_views import posted_version, submit_posted
from campaignflow.core.pages import Pages
from campaignflow.execution.selectors import campaign_for_execution
from campaignflow.notifications import texts
from campaignflow.signin.chat import PlatformError

from . import callbacks, platforms, reminder_settings, services
from .cards import absolute
from .domain import cards as card_json

log = logging.getLogger(__name__)
page = Pages()


def _refused(exc: callbacks.Refused, platform: str) -> HttpResponse:
    log.info("%s card callback refused: %s", platform, exc)
    return HttpResponse("invalid signature", status=401, content_type="text/plain")


# --- Feishu -------------------------------------------------------------------------------------------------------
@page("chat/feishu/card/", "feishu-card", post=True, public=True)
@csrf_exempt
@never_cache
def feishu_card(request):
    if not callbacks.feishu_configured():
        raise Http404
    try:
        payload = callbacks.feishu_payload(request.body, request.headers)
    except callbacks.Refused as exc:
        return _refused(exc, "feishu")
    if payload.get("type") == "url_verification":
        return JsonResponse({"challenge": str(payload.get("challenge", ""))})
    click = callbacks.feishu_click(payload)
    if click is None:
        return JsonResponse({})  # another event: nothing to answer
    with override(settings.LANGUAGE_CODE):
        user = callbacks.account("feishu", click.union_id)
        token = services.find(click.token)
        card = card_json.Card(title=token.title if token else "CampaignFlow")
        if user is None:
            message = _("Your Feishu account is not linked to a CampaignFlow account. Sign in to CampaignFlow once.")
            return JsonResponse(card_json.feishu_answer(card, services.REFUSED, message))
    with override(texts.person_language(user)):  # the outcome in the clicker's language
        outcome = services.use(click.token, actor=user)
        link = absolute(outcome.link) if outcome.status in (services.STALE, services.REFUSED) and outcome.link else ""
        return JsonResponse(card_json.feishu_answer(card, outcome.status, outcome.message, link))


# --- WeCom --------------------------------------------------------------------------------------------------------
@page("chat/wecom/callback/", "wecom-callback", public=True)
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def wecom_callback(request):
    if not callbacks.wecom_configured():
        raise Http404
    try:
        if request.method == "GET":  # the URL check when the callback is saved in WeCom's console
            echo = callbacks.wecom_open(request.GET, request.GET.get("echostr", ""))
            return HttpResponse(echo, content_type="text/plain; charset=utf-8")
        message = callbacks.wecom_open(request.GET, callbacks.wecom_encrypted(request.body))
        click = callbacks.wecom_click(message)
    except callbacks.Refused as exc:
        return _refused(exc, "wecom")
    if click is not None:
        with override(settings.LANGUAGE_CODE):
            _answer_wecom_click(click)
    return HttpResponse("", content_type="text/plain")  # WeCom takes an empty answer: no passive reply


def _answer_wecom_click(click: callbacks.WeComClick) -> None:
    """Do what the button says, then show the outcome in the clicked card (update_template_card)."""
    user = callbacks.account("wecom", click.userid)
    token = services.find(click.token)
    title = token.title if token else "CampaignFlow"
    if user is None:
        outcome = services.Outcome(
            services.REFUSED,
            _("Your WeCom account is not linked to a CampaignFlow account. Sign in to CampaignFlow once."),
        )
    else:
        with override(texts.person_language(user)):  # the outcome in the clicker's language
            outcome = services.use(click.token, actor=user)
    if outcome.status == services.DONE:
        update = card_json.wecom_update_button(
            click.response_code, settings.WECOM_AGENT_ID, click.userid, outcome.message
        )
    else:
        link = absolute(outcome.link or "/")
        update = card_json.wecom_update_card(
            click.response_code, settings.WECOM_AGENT_ID, click.userid, title, outcome.message, link
        )
    try:
        platforms.wecom_update(update)
    except PlatformError as exc:  # the action stands; only the card keeps its old buttons
        log.warning("wecom update_template_card failed: %s", exc)


# --- the action page ----------------------------------------------------------------------------------------------
@page("chat/act/<str:token>/", "act")
@never_cache
@require_http_methods(["GET", "POST"])
def act(request, token):
    """A card button's page: what it will do and one confirm button; the outcome after it. Opening it does
    nothing (chat apps open links to preview them)."""
    found = services.find(token)
    if found is None:
        raise Http404
    action = services.ACTIONS[found.action]
    if found.recipient_id != request.user.pk:  # a robot's card, or someone else's: only for those who may see it
        action.find(request.user, found.target_id)  # Http404 for them otherwise
    if request.method == "POST":
        outcome = services.use(token, actor=request.user, comment=request.POST.get("comment", ""))
    else:  # a button only for whom it would work
        outcome = services.preview(token, actor=request.user)
    return render(
        request,
        "chatcards/act.html",
        {"token": found, "action": action, "outcome": outcome, "comment": request.POST.get("comment", "")},
        status=403 if outcome is not None and outcome.status == services.REFUSED else 200,
    )


# --- the campaign's daily numbers reminder ------------------------------------------------------------------------
class ReminderForm(forms.Form):
    """What was typed; the service checks the time and names the field."""

    enabled = forms.BooleanField(required=False)
    remind_at = forms.CharField(required=False)


@page("campaigns/<int:pk>/execution/numbers-reminder/", "reminder")
@require_http_methods(["GET", "POST"])
def reminder(request, pk: int):
    """When the team is told each working day which channels have no numbers yet (members set it; viewers see it).
    A page of the execution section, internal to the campaign team as the rest of it: partners get 403."""
    campaign = campaign_for_execution(request.user, pk, EDIT if request.method == "POST" else VIEW)
    current = reminder_settings.reminder_for(campaign)
    form = ReminderForm(request.POST or None)

    def save():
        return reminder_settings.reminder_save(
            actor=request.user, campaign=campaign, version=posted_version(request), data=form.cleaned_data
        )

    result = submit_posted(request, form, save, _("Reminder saved."))
    if result.saved:
        return redirect("chatcards:reminder", campaign.pk)
    from campaignflow.execution.views import SECTIONS

    return render(
        request,
        "chatcards/reminder.html",
        campaign_page_context(
            request,
            campaign,
            "execution",
            section="reminder",
            sections=SECTIONS,
            reminder=current,
            form=form,
            conflict=result.conflict,
            can_edit=can(request.user, campaign, EDIT),
        ),
        status=result.status,
    )
