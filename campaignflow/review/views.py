"""Web UI of the review tab (evaluation, attribution charts, retrospective, settlement, exports),
playbook promotion, and the case library. Thin: selectors read, services write."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaignflow.campaigns.access import EDIT, MANAGE, VIEW, can
from campaignflow.campaigns.models import CampaignType, Status
from campaignflow.campaigns.views import campaign_page_context
from campaignflow.core.domain.dates import parse_date
from campaignflow.core.errors import DomainError, InvalidInput
from campaignflow.tracking.selectors import step_labels

from . import selectors, services
from .access import campaign_for_review
from .domain.attribution import achievement_option


def _int(value, default=0) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _errors(exc: DomainError) -> str:
    if isinstance(exc, InvalidInput):
        return "; ".join(f"{e['field']}: {e['message']}" for e in exc.errors)
    return exc.detail


@login_required
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
        can_promote=can(request.user, campaign, MANAGE) and campaign.status in (Status.REVIEWING, Status.ARCHIVED),
        form_errors=request.session.pop("review_errors", None),
    )
    return render(request, "review/overview.html", context)


@login_required
@require_POST
def evaluation_row(request, pk: int, kpi_id: int):
    campaign = campaign_for_review(request.user, pk, EDIT)
    data = {
        "version": _int(request.POST.get("version"), -1),
        "analysis": request.POST.get("analysis", ""),
        "improvement": request.POST.get("improvement", ""),
        "dimension": request.POST.get("dimension", ""),
    }
    try:
        services.evaluation_note_save(actor=request.user, campaign=campaign, kpi_id=kpi_id, data=data)
        messages.success(request, _("The evaluation row is saved."))
    except DomainError as exc:
        messages.error(request, _errors(exc))
    return redirect(reverse("review:overview", args=[campaign.pk]) + "#evaluation")


@login_required
@require_POST
def retrospective(request, pk: int):
    campaign = campaign_for_review(request.user, pk, EDIT)
    data = {
        "version": _int(request.POST.get("version"), -1),
        "worked": request.POST.get("worked", ""),
        "improve": request.POST.get("improve", ""),
        "lessons": request.POST.get("lessons", ""),
        "assets": services.parse_assets_text(request.POST.get("assets", "")),
    }
    if request.POST.get("complete") == "1":
        data["complete"] = True
    elif request.POST.get("reopen") == "1":
        data["complete"] = False
    try:
        services.retrospective_save(actor=request.user, campaign=campaign, data=data)
        messages.success(request, _("The retrospective is saved."))
    except DomainError as exc:
        messages.error(request, _errors(exc))
    return redirect(reverse("review:overview", args=[campaign.pk]) + "#retrospective")


@login_required
def promote(request, pk: int):
    campaign = campaign_for_review(request.user, pk, VIEW)
    if request.method == "POST":  # promoting needs the manage right, whether or not there is a preview
        campaign = campaign_for_review(request.user, pk, MANAGE, archived_ok=True)
    error = None
    preview = None
    try:
        preview = services.promotion_preview(campaign)
    except DomainError as exc:
        error = exc.detail
    if request.method == "POST" and preview is not None:
        try:
            pv = services.playbook_promote(
                actor=request.user,
                campaign=campaign,
                version=_int(request.POST.get("version"), 0) or None,
                name=request.POST.get("name", ""),
                key=request.POST.get("key", ""),
                note=request.POST.get("note", ""),
            )
        except DomainError as exc:
            error = _errors(exc)
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


@login_required
@require_POST
def start_from_case(request, pk: int):
    source = campaign_for_review(request.user, pk, VIEW)
    try:
        campaign = services.campaign_from_case(
            actor=request.user,
            source=source,
            data={
                "name": request.POST.get("name", ""),
                "start_date": request.POST.get("start_date", ""),
                "end_date": request.POST.get("end_date") or None,
            },
        )
    except DomainError as exc:
        messages.error(request, _errors(exc))
        return redirect(request.POST.get("back") or "review:cases")
    messages.success(request, _("A new campaign was started from the case %(name)s.") % {"name": source.name})
    return redirect("campaigns:detail", campaign.pk)


def _date(value):
    try:
        return parse_date(value)
    except ValueError:
        return None


@login_required
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
