"""Web UI of the goals app: KPIs (SMART), their decomposition, the channel reach matrix. Thin."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaignflow.campaigns.access import EDIT, VIEW, campaign_for_user
from campaignflow.campaigns.views import campaign_page_context
from campaignflow.core.errors import InvalidInput, StaleVersion

from . import selectors, services
from .domain.decompose import plan_gap
from .models import Direction, Granularity, Priority

KPI_FIELDS = (
    "name",
    "metric",
    "numerator",
    "denominator",
    "unit",
    "target",
    "priority",
    "direction",
    "owner",
    "specific",
    "measurable",
    "achievable",
    "relevant",
    "deadline",
    "shared_with_partners",
)
CHANNEL_FIELDS = ("name", "content_form", "start_date", "end_date", "owner", "note", "shared_with_partners")


def parse_metric_map(text: str) -> dict:
    """ "曝光=50万; 点击率=2.5%" → {"曝光": "50万", "点击率": "2.5%"} (also ：, ，, newlines)."""
    out = {}
    for part in text.replace("；", ";").replace("，", ";").replace("\n", ";").split(";"):
        if not part.strip():
            continue
        name, sep, value = part.replace("：", "=").replace(":", "=").partition("=")
        out[name.strip()] = value.strip() if sep else ""
    return out


def metric_map_text(mapping: dict) -> str:
    """A channel's targets or benchmarks as the page shows numbers: 曝光=40万 (Chinese) / 400,000, and a
    rate (a metric named …率 or …rate) as a percentage (点击率=3%)."""
    from django.utils.translation import get_language

    from campaignflow.core.domain.numbers import format_cn, format_en, is_rate_metric

    zh = (get_language() or "zh-hans").startswith("zh")

    def show(name: str, value) -> str:
        try:
            number = Decimal(str(value))
        except ArithmeticError:
            return str(value)
        if is_rate_metric(name):
            return f"{float(number) * 100:.4g}%"
        return format_cn(number) if zh else format_en(number)

    return "; ".join(f"{k}={show(k, v)}" for k, v in (mapping or {}).items())


def _form_data(post, fields) -> dict:
    return {f: post.get(f, "").strip() for f in fields if f in post}


def _members(campaign):
    return [m.user for m in campaign.memberships.select_related("user")]


def _page(request, campaign, **extra):
    return campaign_page_context(
        request,
        campaign,
        "goals",
        kpis=selectors.kpis_with_actuals(campaign, request.user),
        channels=[
            (c, metric_map_text(c.targets), metric_map_text(c.benchmarks))
            for c in selectors.channels(campaign, request.user)
        ],
        members=_members(campaign),
        priorities=Priority.choices,
        directions=Direction.choices,
        **extra,
    )


@login_required
def kpi_list(request, pk: int):
    campaign = campaign_for_user(request.user, pk, VIEW)
    return render(request, "goals/kpis.html", _page(request, campaign, kpi_form={}, channel_form={}))


@login_required
@require_POST
def kpi_create(request, pk: int):
    campaign = campaign_for_user(request.user, pk, EDIT)
    data = _form_data(request.POST, KPI_FIELDS)
    try:
        kpi = services.kpi_create(actor=request.user, campaign=campaign, data=data)
    except InvalidInput as exc:
        context = _page(request, campaign, kpi_form=data, kpi_errors=exc.as_field_dict(), channel_form={})
        return render(request, "goals/kpis.html", context, status=422)
    messages.success(request, _("KPI “%(name)s” added.") % {"name": kpi.name})
    return redirect("goals:kpis", campaign.pk)


@login_required
def kpi_edit(request, pk: int, kpi_id: int):
    campaign = campaign_for_user(request.user, pk, EDIT if request.method == "POST" else VIEW)
    kpi = selectors.kpi_for_campaign(campaign, kpi_id, request.user)
    errors: dict = {}
    if request.method == "POST":
        data = _form_data(request.POST, KPI_FIELDS)
        try:
            services.kpi_update(actor=request.user, kpi=kpi, version=int(request.POST.get("version") or 0), data=data)
        except InvalidInput as exc:
            errors = exc.as_field_dict()
        except StaleVersion as exc:
            errors = {"form": exc.detail}
        else:
            messages.success(request, _("KPI saved."))
            return redirect("goals:kpis", campaign.pk)
        form = data
    else:
        form = {f: getattr(kpi, f) for f in KPI_FIELDS if f != "owner"}
        form["owner"] = kpi.owner.username if kpi.owner else ""
        form["target"] = kpi.target.normalize()
        form["deadline"] = kpi.deadline.isoformat() if kpi.deadline else ""
    context = campaign_page_context(
        request,
        campaign,
        "goals",
        kpi=kpi,
        kpi_form=form,
        kpi_errors=errors,
        members=_members(campaign),
        priorities=Priority.choices,
        directions=Direction.choices,
    )
    return render(request, "goals/kpi_edit.html", context, status=422 if errors else 200)


@login_required
@require_POST
def kpi_delete(request, pk: int, kpi_id: int):
    campaign = campaign_for_user(request.user, pk, EDIT)
    kpi = selectors.kpi_for_campaign(campaign, kpi_id, request.user)
    try:
        services.kpi_delete(actor=request.user, kpi=kpi, version=int(request.POST.get("version") or 0))
    except StaleVersion as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("KPI deleted."))
    return redirect("goals:kpis", campaign.pk)


@login_required
def kpi_plan(request, pk: int, kpi_id: int):
    campaign = campaign_for_user(request.user, pk, EDIT if request.method == "POST" else VIEW)
    kpi = selectors.kpi_for_campaign(campaign, kpi_id, request.user)
    granularity = request.GET.get("g") or request.POST.get("granularity") or Granularity.WEEK
    if granularity not in Granularity.values:
        granularity = Granularity.WEEK
    errors: dict = {}
    if request.method == "POST":
        action = request.POST.get("action", "save")
        try:
            if action in ("even", "weighted"):
                weights = None
                if action == "weighted" and granularity != Granularity.CHANNEL:
                    weights = [
                        request.POST.get(f"w_{b.key}", "") or "0" for b in services.plan_buckets(kpi, granularity)
                    ]
                services.kpi_plan_generate(
                    actor=request.user, kpi=kpi, granularity=granularity, method=action, weights=weights
                )
            else:
                values = {b.key: request.POST.get(f"v_{b.key}", "") for b in services.plan_buckets(kpi, granularity)}
                services.kpi_plan_save(actor=request.user, kpi=kpi, granularity=granularity, values=values)
        except InvalidInput as exc:
            errors = exc.as_field_dict()
        else:
            messages.success(request, _("Plan saved."))
            return redirect(f"{request.path}?g={granularity}")
    buckets = services.plan_buckets(kpi, granularity)
    stored = {p.key: p.value for p in kpi.plans.filter(granularity=granularity)}
    rows = [{"bucket": b, "value": stored.get(b.key)} for b in buckets]
    gap = plan_gap(kpi.target, stored.values()) if stored else None
    context = campaign_page_context(
        request,
        campaign,
        "goals",
        kpi=kpi,
        rows=rows,
        granularity=granularity,
        granularities=Granularity.choices,
        gap=gap,
        total=sum(stored.values(), Decimal(0)),
        plan_errors=errors,
    )
    return render(request, "goals/plan.html", context, status=422 if errors else 200)


@login_required
@require_POST
def channel_create(request, pk: int):
    campaign = campaign_for_user(request.user, pk, EDIT)
    data = _form_data(request.POST, CHANNEL_FIELDS)
    raw_targets, raw_bench = request.POST.get("targets", ""), request.POST.get("benchmarks", "")
    data["targets"] = parse_metric_map(raw_targets)
    data["benchmarks"] = parse_metric_map(raw_bench)
    try:
        channel = services.channel_create(actor=request.user, campaign=campaign, data=data)
    except InvalidInput as exc:
        form = {**data, "targets": raw_targets, "benchmarks": raw_bench}
        context = _page(request, campaign, kpi_form={}, channel_form=form, channel_errors=exc.as_field_dict())
        return render(request, "goals/kpis.html", context, status=422)
    messages.success(request, _("Channel “%(name)s” added.") % {"name": channel.name})
    return redirect("goals:kpis", campaign.pk)


@login_required
@require_POST
def channel_delete(request, pk: int, channel_id: int):
    campaign = campaign_for_user(request.user, pk, EDIT)
    channel = selectors.channel_for_campaign(campaign, channel_id, request.user)
    try:
        services.channel_delete(actor=request.user, channel=channel, version=int(request.POST.get("version") or 0))
    except StaleVersion as exc:
        messages.error(request, exc.detail)
    return redirect("goals:kpis", campaign.pk)


@login_required
@require_POST
def channel_share(request, pk: int, channel_id: int):
    """Share a channel's data with the campaign's partners, or stop sharing it."""
    campaign = campaign_for_user(request.user, pk, EDIT)
    channel = selectors.channel_for_campaign(campaign, channel_id, request.user)
    shared = request.POST.get("shared_with_partners") == "1"
    try:
        services.channel_update(
            actor=request.user,
            channel=channel,
            version=int(request.POST.get("version") or 0),
            data={"shared_with_partners": shared},
        )
    except StaleVersion as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(
            request,
            (_("“%(name)s” is now shared with partners.") if shared else _("“%(name)s” is no longer shared."))
            % {"name": channel.name},
        )
    return redirect("goals:kpis", campaign.pk)
