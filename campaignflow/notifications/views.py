"""Inbox page and a campaign's notification settings (group-chat robots, delivery log)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaignflow.campaigns.access import MANAGE, campaign_for_user
from campaignflow.campaigns.views import campaign_page_context
from campaignflow.core.errors import DomainError, InvalidInput

from . import services
from .models import CampaignMute, Delivery, EventKind, Notification, Preference, WebhookEndpoint, WebhookKind


@login_required
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
        }
        for value, label in EventKind.choices
    ]
    return render(request, "notifications/inbox.html", {"page": page, "prefs": rows, "nav": "inbox"})


@login_required
@require_POST
def inbox_read(request):
    ids = [int(i) for i in request.POST.getlist("id") if i.isdigit()] or None
    services.mark_read(user=request.user, ids=ids)
    target = request.POST.get("next", "")
    return redirect(target if target.startswith("/") and not target.startswith("//") else "notifications:inbox")


@login_required
@require_POST
def preferences(request):
    choices = {
        kind: {"inapp": f"inapp_{kind}" in request.POST, "email": f"email_{kind}" in request.POST}
        for kind in EventKind.values
    }
    services.preferences_save(user=request.user, choices=choices)
    messages.success(request, _("Notification preferences saved."))
    return redirect("notifications:inbox")


@login_required
def campaign_settings(request, pk: int):
    campaign = campaign_for_user(request.user, pk, MANAGE)
    errors = {}
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "create":
                services.endpoint_create(
                    actor=request.user,
                    campaign=campaign,
                    data={
                        "name": request.POST.get("name", ""),
                        "kind": request.POST.get("kind", ""),
                        "url": request.POST.get("url", ""),
                        "secret": request.POST.get("secret", ""),
                        "events": request.POST.getlist("events"),
                    },
                )
                messages.success(request, _("Robot added. Use “Send test” to check it."))
            elif action in ("delete", "test", "toggle"):
                endpoint = WebhookEndpoint.objects.get(campaign=campaign, pk=int(request.POST.get("id", 0)))
                if action == "delete":
                    services.endpoint_delete(actor=request.user, endpoint=endpoint)
                elif action == "toggle":
                    services.endpoint_update(
                        actor=request.user,
                        endpoint=endpoint,
                        version=endpoint.version,
                        data={"active": not endpoint.active},
                    )
                else:
                    services.endpoint_test(actor=request.user, endpoint=endpoint)
                    messages.success(request, _("Test message queued; its result appears in the delivery log."))
            elif action == "mute":
                services.mute(user=request.user, campaign=campaign, muted=request.POST.get("muted") == "1")
            return redirect("notifications:campaign", campaign.pk) if not errors else None
        except InvalidInput as exc:
            errors = exc.as_field_dict()
        except (DomainError, WebhookEndpoint.DoesNotExist, ValueError) as exc:
            messages.error(request, getattr(exc, "detail", str(exc)))
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
            errors=errors,
            posted=request.POST,
            muted=CampaignMute.objects.filter(user=request.user, campaign=campaign).exists(),
        ),
    )


def _sections():
    from campaignflow.execution.views import SECTIONS

    return SECTIONS
