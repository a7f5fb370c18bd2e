"""Inbox page (with the user's own preferences and muted campaigns), muting a campaign for oneself
(any member), and a campaign's notification settings (group-chat robots, delivery log: managers)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaignflow.campaigns.access import MANAGE, VIEW, campaign_for_user, visible_campaigns
from campaignflow.campaigns.views import campaign_page_context
from campaignflow.core.api_types import MAX_ID
from campaignflow.core.form_views import act, submit
from campaignflow.core.pages import Pages
from campaignflow.planning.selectors import overdue_count

from . import chat_channel, services
from .forms import RobotForm
from .models import CampaignMute, Delivery, EventKind, Notification, Preference, WebhookEndpoint, WebhookKind

page = Pages()


@page("inbox/", "inbox")
def inbox(request):
    qs = Notification.objects.filter(recipient=request.user).select_related("campaign")
    if request.GET.get("unread") == "1":
        qs = qs.filter(read_at__isnull=True)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    prefs = {p.kind: p for p in Preference.objects.filter(user=request.user)}
    rows = [
        {
            "kind": value,
            "label": label,
            "inapp": prefs[value].inapp if value in prefs else True,
            "email": prefs[value].email if value in prefs else True,
            "chatapp": prefs[value].chatapp if value in prefs else True,
        }
        for value, label in EventKind.choices
    ]
    visible = visible_campaigns(request.user)
    muted = list(
        CampaignMute.objects.filter(user=request.user, campaign__in=visible)
        .select_related("campaign")
        .order_by("campaign__name", "campaign_id")
    )
    muted_ids = {m.campaign_id for m in muted}
    on_page = {n.campaign_id for n in page if n.campaign_id} - muted_ids
    # Only campaigns the user still belongs to get a "mute" button (muting one needs its view right).
    mutable = set(visible.filter(pk__in=on_page).values_list("pk", flat=True)) if on_page else set()
    # The overdue tasks the user answers for: the same selector (and number) as "my tasks"
    overdue = overdue_count(request.user, timezone.localdate())
    return render(
        request,
        "notifications/inbox.html",
        {
            "page": page,
            "prefs": rows,
            "chat_app": chat_channel.available(),
            "muted": muted,
            "mutable": mutable,
            "overdue_count": overdue,
            "nav": "inbox",
        },
    )


@page("inbox/read/", "read", post=True)
def inbox_read(request):
    ids = [int(i) for i in request.POST.getlist("id") if i.isdigit()] or None
    services.mark_read(user=request.user, ids=ids)
    target = request.POST.get("next", "")
    return redirect(target if target.startswith("/") and not target.startswith("//") else "notifications:inbox")


@page("inbox/preferences/", "preferences", post=True)
def preferences(request):
    # The chat app switch is on the page only while a chat app is configured: otherwise the choice is kept.
    kept = {p.kind: p.chatapp for p in Preference.objects.filter(user=request.user)}
    chat_app = chat_channel.available()
    choices = {
        kind: {
            "inapp": f"inapp_{kind}" in request.POST,
            "email": f"email_{kind}" in request.POST,
            "chatapp": f"chatapp_{kind}" in request.POST if chat_app else kept.get(kind, True),
        }
        for kind in EventKind.values
    }
    services.preferences_save(user=request.user, choices=choices)
    messages.success(request, _("Notification preferences saved."))
    return redirect("notifications:inbox")


@page("campaigns/<int:pk>/notifications/mute/", "mute", post=True)
def campaign_mute(request, pk: int):
    """Mute (muted=1) or unmute a campaign for oneself: no inbox entries or e-mails for its events.
    A personal choice, so any member may make it (the campaign's view right), partners included."""
    campaign = campaign_for_user(request.user, pk, VIEW)
    muted = request.POST.get("muted") == "1"
    services.mute(user=request.user, campaign=campaign, muted=muted)
    if muted:
        messages.success(request, _("You no longer get notifications of %(name)s.") % {"name": campaign.name})
    else:
        messages.success(request, _("You get notifications of %(name)s again.") % {"name": campaign.name})
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect("campaigns:detail", campaign.pk)


@page("campaigns/<int:pk>/execution/notifications/", "campaign")
def campaign_settings(request, pk: int):
    """The campaign's robots and delivery log: managers only (the log shows every message sent)."""
    campaign = campaign_for_user(request.user, pk, MANAGE)
    action = request.POST.get("action")
    form = RobotForm(request.POST if action == "create" else None)
    status = 200
    if action == "create":
        result = submit(
            form, lambda: services.endpoint_create(actor=request.user, campaign=campaign, data=form.cleaned_data)
        )
        if result.saved:
            messages.success(request, _("Robot added. Use “Send test” to check it."))
            return redirect("notifications:campaign", campaign.pk)
        status = result.status
    elif action in ("delete", "test", "toggle"):
        endpoint = _campaign_robot(campaign, request.POST.get("id", ""))
        act(request, lambda: _ROBOT_BUTTONS[action](actor=request.user, endpoint=endpoint), _BUTTON_DONE.get(action))
        return redirect("notifications:campaign", campaign.pk)
    return render(
        request,
        "notifications/campaign.html",
        campaign_page_context(
            request,
            campaign,
            "execution",
            section="notifications",
            sections=_sections(),
            endpoints=WebhookEndpoint.objects.filter(campaign=campaign),
            deliveries=Delivery.objects.filter(campaign=campaign).select_related("endpoint", "recipient")[:100],
            kinds=WebhookKind.choices,
            events=EventKind.choices,
            form=form,
            muted=CampaignMute.objects.filter(user=request.user, campaign=campaign).exists(),
        ),
        status=status,
    )


def _campaign_robot(campaign, robot_id: str) -> WebhookEndpoint:
    """One of the campaign's robots, by the id its button posted (another campaign's or none: 404)."""
    known = robot_id.isdigit() and int(robot_id) <= MAX_ID
    endpoint = campaign.webhooks.filter(pk=int(robot_id)).first() if known else None
    if endpoint is None:
        raise Http404
    return endpoint


def _toggle(*, actor, endpoint):
    data = {"active": not endpoint.active}
    return services.endpoint_update(actor=actor, endpoint=endpoint, version=endpoint.version, data=data)


_ROBOT_BUTTONS = {"delete": services.endpoint_delete, "test": services.endpoint_test, "toggle": _toggle}
_BUTTON_DONE = {"test": gettext_lazy("Test message queued; its result appears in the delivery log.")}


def _sections():
    from campaignflow.execution.views import SECTIONS

    return SECTIONS
