"""Web UI of the review tab (evaluation, attribution charts, retrospective, settlement, exports),
playbook promotion, and the case library. Thin: selectors read, services write."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from campaignflow.campaigns.access import EDIT, MANAGE, VIEW, can, may_create_campaigns
from campaignflow.campaigns.models import CampaignType, Status
from campaignflow.campaigns.views import campaign_page_context
from campaignflow.core.domain.dates import parse_date
from campaignflow.core.errors import DomainError
from campaignflow.core.form_views import act, posted_version, refusal_text
from campaignflow.core.pages import Pages
from campaignflow.tracking.selectors import step_labels

from . import selectors, services
from .access import campaign_for_review
from .domain.attribution import achievement_option

page = Pages()


@page("campaigns/<int:pk>/review/", "overview")
def overview(request, pk: int):
    campaign = campaign_for_review(request.user, pk, VIEW)
    evaluation = selectors.evaluation(campaign)
    attribution = selectors.attribution(campaign)
    charts = {k: v for k, v in attribution["charts"].items() if v}
    if evaluation["rows"]:
        charts["achievement"] = achievement_option(evaluation["rows"])
    context = campaign_page_context(
        request,
        campaign,
        "review",
        evaluation=evaluation,
        attribution=attribution,
        charts_json=charts,
        labels=step_labels(),
        retro=selectors.retrospective(campaign),
        settlement=selectors.settlement_status(campaign),
        similar=selectors.similar_cases(request.user, campaign),
        is_archived=campaign.status == Status.ARCHIVED,
        can_start=may_create_campaigns(request.user),
        can_promote=can(request.user, campaign, MANAGE) and campaign.status in (Status.REVIEWING, Status.ARCHIVED),
    )
    return render(request, "review/overview.html", context)


@page("campaigns/<int:pk>/review/evaluation/<int:kpi_id>/", "evaluation-row", post=True)
def evaluation_row(request, pk: int, kpi_id: int):
    campaign = campaign_for_review(request.user, pk, EDIT)
    data = {"version": posted_version(request)} | {
        field: request.POST.get(field, "") for field in ("analysis", "improvement", "dimension")
    }
    act(
        request,
        lambda: services.evaluation_note_save(actor=request.user, campaign=campaign, kpi_id=kpi_id, data=data),
        _("The evaluation row is saved."),
    )
    return redirect(reverse("review:overview", args=[campaign.pk]) + "#evaluation")


@page("campaigns/<int:pk>/review/retrospective/", "retrospective", post=True)
def retrospective(request, pk: int):
    campaign = campaign_for_review(request.user, pk, EDIT)
    data = {"version": posted_version(request)} | {
        field: request.POST.get(field, "") for field in ("worked", "improve", "lessons")
    }
    data["assets"] = services.parse_assets_text(request.POST.get("assets", ""))
    if request.POST.get("complete") == "1":
        data["complete"] = True
    elif request.POST.get("reopen") == "1":
        data["complete"] = False
    act(
        request,
        lambda: services.retrospective_save(actor=request.user, campaign=campaign, data=data),
        _("The retrospective is saved."),
    )
    return redirect(reverse("review:overview", args=[campaign.pk]) + "#retrospective")


@page("campaigns/<int:pk>/review/promote/", "promote")
def promote(request, pk: int):
    campaign = campaign_for_review(request.user, pk, VIEW)
    if request.method == "POST":  # promoting needs the manage right, whether or not there is a preview
        campaign = campaign_for_review(request.user, pk, MANAGE, archived_ok=True)
    # The page shows a refusal above its form, next to the preview it refers to (not as a message).
    error = None
    preview = None
    try:
        preview = services.promotion_preview(campaign)
    except DomainError as exc:
        error = refusal_text(exc)
    if request.method == "POST" and preview is not None:
        try:
            pv = services.playbook_promote(
                actor=request.user,
                campaign=campaign,
                version=posted_version(request) or None,  # none posted: a new playbook from a built-in one
                name=request.POST.get("name", ""),
                key=request.POST.get("key", ""),
                note=request.POST.get("note", ""),
            )
        except DomainError as exc:
            error = refusal_text(exc)
        else:
            messages.success(request, _("Saved as %(name)s v%(n)d.") % {"name": pv.playbook.name, "n": pv.number})
            return redirect("campaigns:playbooks")
    return render(
        request,
        "review/promote.html",
        campaign_page_context(
            request,
            campaign,
            "review",
            preview=preview,
            error=error,
            suggested_name=f"{campaign.name}（经验沉淀）",
            can_manage=can(request.user, campaign, MANAGE),
        ),
    )


@page("campaigns/<int:pk>/review/start-from-case/", "start-from-case", post=True)
def start_from_case(request, pk: int):
    source = campaign_for_review(request.user, pk, VIEW)
    data = {
        "name": request.POST.get("name", ""),
        "start_date": request.POST.get("start_date", ""),
        "end_date": request.POST.get("end_date") or None,
    }
    started = None

    def start():
        nonlocal started  # the redirect goes to the new campaign
        started = services.campaign_from_case(actor=request.user, source=source, data=data)

    if act(request, start, _("A new campaign was started from the case %(name)s.") % {"name": source.name}):
        return redirect("campaigns:detail", started.pk)
    back = request.POST.get("back", "")
    # only back to a page of this site (a posted absolute URL elsewhere would be an open redirect)
    safe = url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    return redirect(back if back and safe else "review:cases")


def _date(value):
    try:
        return parse_date(value)
    except ValueError:
        return None


@page("cases/", "cases")
def cases(request):
    g = request.GET
    achieved = {"1": True, "0": False}.get(g.get("achieved", ""))
    filters = {
        "q": g.get("q", "")[:200],
        "type": g.get("type", "") if g.get("type", "") in CampaignType.values else "",
        "industry": g.get("industry", "")[:100],
        "channel": g.get("channel", "")[:100],
        "date_from": _date(g.get("date_from")),
        "date_to": _date(g.get("date_to")),
        "achieved": achieved,
    }
    results = selectors.search_cases(request.user, **filters)
    return render(
        request,
        "review/cases.html",
        {
            "nav": "cases",
            "cards": results,
            "filters": filters,
            "raw": g,
            "types": CampaignType.choices,
            "searched": any(v not in ("", None) for v in filters.values()),
        },
    )
