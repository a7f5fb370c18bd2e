"""Web UI of the goals app: KPIs (SMART), their decomposition, the channel reach matrix. Thin."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from campaignflow.campaigns.access import EDIT, VIEW, campaign_for_user
from campaignflow.campaigns.buttons import campaign_button
from campaignflow.campaigns.views import campaign_page_context
from campaignflow.core.form_views import act, posted_version, submit, submit_posted
from campaignflow.core.pages import Pages

from . import selectors, services
from .forms import KPI_FIELDS, METRIC_MAPS, ChannelForm, KpiForm, PlanForm
from .models import Direction, Granularity, Priority

page = Pages()


def parse_metric_map(text: str) -> dict:
    """ "曝光=50万; 点击率=2.5%" → {"曝光": "50万", "点击率": "2.5%"} (also ：, ，, newlines)."""
    out = {}
    for part in text.replace("；", ";").replace("，", ";").replace("\n", ";").split(";"):
        if not part.strip():
            continue
        name, sep, value = part.replace("：", "=").replace(":", "=").partition("=")
        out[name.strip()] = value.strip() if sep else ""
    return out


def metric_map_text(mapping: dict, *, exact: bool = False) -> str:
    """A channel's targets or benchmarks as the page shows numbers: 曝光=40万 (Chinese) / 400,000, and a
    rate (a metric named …率 or …rate) as a percentage (点击率=3%). `exact`: as the edit form gives them back
    (曝光=412345; 点击率=2.5%), which `parse_metric_map` and the service read again to the same values, where
    the page's 41.23万 would not."""
    from django.utils.translation import get_language

    from campaignflow.core.domain.numbers import format_cn, format_en, is_rate_metric

    zh = (get_language() or "zh-hans").startswith("zh")

    def show(name: str, value) -> str:
        try:
            number = Decimal(str(value))
        except ArithmeticError:
            return str(value)
        if is_rate_metric(name):
            return f"{(number * 100).normalize():f}%" if exact else f"{float(number) * 100:.4g}%"
        if exact:
            return f"{number.normalize():f}"
        return format_cn(number) if zh else format_en(number)

    return "; ".join(f"{k}={show(k, v)}" for k, v in (mapping or {}).items())


def _members(campaign):
    return [m.user for m in campaign.memberships.select_related("user")]


def _kpi_form_context(request, campaign, *, kpi=None, channel_names=None, **extra) -> dict:
    """The goals tab with what the KPI form offers: the members (owners), the channels a KPI can count
    (after "whole campaign"), priorities and directions."""
    if channel_names is None:
        channel_names = list(selectors.channels(campaign, request.user).values_list("name", flat=True))
    if kpi is not None and kpi.channel_name and kpi.channel_name not in channel_names:
        channel_names.append(kpi.channel_name)  # a partner reading a KPI of a channel not shared with them
    return campaign_page_context(
        request,
        campaign,
        "goals",
        members=_members(campaign),
        kpi_channels=channel_names,
        priorities=Priority.choices,
        directions=Direction.choices,
        **({"kpi": kpi} if kpi is not None else {}),
        **extra,
    )


def _page(request, campaign, *, kpi_form=None, channel_form=None, status=200):
    channels = list(selectors.channels(campaign, request.user))
    context = _kpi_form_context(
        request,
        campaign,
        channel_names=[c.name for c in channels],
        kpis=selectors.kpis_with_actuals(campaign, request.user),
        channels=[(c, metric_map_text(c.targets), metric_map_text(c.benchmarks)) for c in channels],
        kpi_form=kpi_form or KpiForm(),
        channel_form=channel_form or ChannelForm(),
    )
    return render(request, "goals/kpis.html", context, status=status)


@page("campaigns/<int:pk>/goals/", "kpis")
def kpi_list(request, pk: int):
    return _page(request, campaign_for_user(request.user, pk, VIEW))


@page("campaigns/<int:pk>/goals/kpis/new/", "kpi-create", post=True)
@campaign_button(EDIT, "goals:kpis")
def kpi_create(request, campaign):
    form = KpiForm(request.POST)
    result = submit(form, lambda: services.kpi_create(actor=request.user, campaign=campaign, data=form.posted()))
    if not result.saved:
        return _page(request, campaign, kpi_form=form, status=422)
    messages.success(request, _("KPI “%(name)s” added.") % {"name": result.value.name})


def _kpi_initial(kpi) -> dict:
    initial = {f: getattr(kpi, f) for f in KPI_FIELDS if f not in ("owner", "channel")}
    initial["owner"] = kpi.owner.username if kpi.owner else ""
    initial["channel"] = kpi.channel_name or ""
    initial["target"] = kpi.target.normalize()
    initial["deadline"] = kpi.deadline.isoformat() if kpi.deadline else ""
    return initial


@page("campaigns/<int:pk>/goals/kpis/<int:kpi_id>/", "kpi-edit")
def kpi_edit(request, pk: int, kpi_id: int):
    campaign = campaign_for_user(request.user, pk, EDIT if request.method == "POST" else VIEW)
    kpi = selectors.kpi_for_campaign(campaign, kpi_id, request.user)
    form = KpiForm(request.POST or None, initial=_kpi_initial(kpi))
    version = posted_version(request)
    result = submit_posted(
        request,
        form,
        lambda: services.kpi_update(actor=request.user, kpi=kpi, version=version, data=form.posted()),
        _("KPI saved."),
    )
    if result.saved:
        return redirect("goals:kpis", campaign.pk)
    context = _kpi_form_context(request, campaign, kpi=kpi, kpi_form=form, conflict=result.conflict)
    return _edit_page(request, context, form, kpi, _("Edit KPI"), "goals/_kpi_form.html")


def _edit_page(request, context: dict, form, obj, heading: str, fields: str):
    """A KPI's or a channel's form page (goals/edit.html): 422 when the post was refused."""
    context |= {"object": obj, "heading": heading, "fields": fields}
    return render(request, "goals/edit.html", context, status=422 if form.errors or context["conflict"] else 200)


@page("campaigns/<int:pk>/goals/kpis/<int:kpi_id>/delete/", "kpi-delete", post=True)
@campaign_button(EDIT, "goals:kpis")
def kpi_delete(request, campaign, kpi_id: int):
    kpi = selectors.kpi_for_campaign(campaign, kpi_id, request.user)
    version = posted_version(request)
    act(request, lambda: services.kpi_delete(actor=request.user, kpi=kpi, version=version), _("KPI deleted."))


def _save_plan(request, kpi, granularity: str, action: str):
    """Generate the plan (even, or by the typed weights; channels weigh by their targets) or save the values."""
    buckets = services.plan_buckets(kpi, granularity)
    if action not in ("even", "weighted"):
        values = {b.key: request.POST.get(f"v_{b.key}", "") for b in buckets}
        return services.kpi_plan_save(actor=request.user, kpi=kpi, granularity=granularity, values=values)
    weights = None
    if action == "weighted" and granularity != Granularity.CHANNEL:
        weights = [request.POST.get(f"w_{b.key}", "") or "0" for b in buckets]
    return services.kpi_plan_generate(
        actor=request.user, kpi=kpi, granularity=granularity, method=action, weights=weights
    )


@page("campaigns/<int:pk>/goals/kpis/<int:kpi_id>/plan/", "kpi-plan")
def kpi_plan(request, pk: int, kpi_id: int):
    campaign = campaign_for_user(request.user, pk, EDIT if request.method == "POST" else VIEW)
    kpi = selectors.kpi_for_campaign(campaign, kpi_id, request.user)
    granularity = request.GET.get("g") or request.POST.get("granularity") or Granularity.WEEK
    if granularity not in Granularity.values:
        granularity = Granularity.WEEK
    form = PlanForm(request.POST or None)
    action = request.POST.get("action", "save")
    if submit_posted(request, form, lambda: _save_plan(request, kpi, granularity, action), _("Plan saved.")).saved:
        return redirect(f"{request.path}?g={granularity}")
    plan = selectors.kpi_plan(kpi, granularity)
    stored = {p.key: p.value for p in plan["values"]}
    context = campaign_page_context(
        request,
        campaign,
        "goals",
        kpi=kpi,
        rows=[{"bucket": b, "value": stored.get(b.key)} for b in services.plan_buckets(kpi, granularity)],
        granularity=granularity,
        granularities=Granularity.choices,
        gap=plan["gap"] if stored else None,
        total=plan["total"],
        plan_form=form,
    )
    return render(request, "goals/plan.html", context, status=422 if form.errors else 200)


@page("campaigns/<int:pk>/goals/channels/new/", "channel-create", post=True)
@campaign_button(EDIT, "goals:kpis")
def channel_create(request, campaign):
    form = ChannelForm(request.POST)

    def save():
        return services.channel_create(actor=request.user, campaign=campaign, data=_channel_data(form))

    result = submit(form, save)
    if not result.saved:
        return _page(request, campaign, channel_form=form, status=422)
    messages.success(request, _("Channel “%(name)s” added.") % {"name": result.value.name})


def _channel_data(form) -> dict:
    """What a channel form posted, as the service takes it: the typed targets and benchmarks ("曝光=50万") read
    into maps, and the share box unticked when it was not sent (a browser sends only a ticked box)."""
    data = form.posted() | {
        field: parse_metric_map(form.cleaned_data[field]) for field in METRIC_MAPS if field in form.data
    }
    data.setdefault("shared_with_partners", False)
    return data


def _channel_initial(channel) -> dict:
    initial = {f: getattr(channel, f) for f in ("name", "content_form", "note", "shared_with_partners")}
    initial["owner"] = channel.owner.username if channel.owner else ""
    for field in ("start_date", "end_date"):
        initial[field] = getattr(channel, field).isoformat() if getattr(channel, field) else ""
    return initial | {field: metric_map_text(getattr(channel, field), exact=True) for field in METRIC_MAPS}


@page("campaigns/<int:pk>/goals/channels/<int:channel_id>/", "channel-edit")
def channel_edit(request, pk: int, channel_id: int):
    """A row of the reach matrix: its name (while nothing names it yet: metric rows, budget lines and registration
    links find their channel by its text, so once they do the page shows the name fixed and says why), content form,
    time window, owner, targets and benchmarks."""
    campaign = campaign_for_user(request.user, pk, EDIT if request.method == "POST" else VIEW)
    channel = selectors.channel_for_campaign(campaign, channel_id, request.user)
    form = ChannelForm(request.POST or None, initial=_channel_initial(channel))
    version = posted_version(request)

    def save():
        return services.channel_update(actor=request.user, channel=channel, version=version, data=_channel_data(form))

    result = submit_posted(request, form, save)
    if result.saved:  # named as it is now (a rename too)
        messages.success(request, _("Channel “%(name)s” saved.") % {"name": result.value.name})
        return redirect("goals:kpis", campaign.pk)
    context = _kpi_form_context(request, campaign, channel=channel, channel_form=form, conflict=result.conflict)
    context["name_fixed_by"] = selectors.data_naming_channel(channel)
    return _edit_page(request, context, form, channel, _("Edit channel"), "goals/_channel_form.html")


@page("campaigns/<int:pk>/goals/channels/<int:channel_id>/delete/", "channel-delete", post=True)
@campaign_button(EDIT, "goals:kpis")
def channel_delete(request, campaign, channel_id: int):
    channel = selectors.channel_for_campaign(campaign, channel_id, request.user)
    version = posted_version(request)
    act(request, lambda: services.channel_delete(actor=request.user, channel=channel, version=version))


@page("campaigns/<int:pk>/goals/channels/<int:channel_id>/share/", "channel-share", post=True)
@campaign_button(EDIT, "goals:kpis")
def channel_share(request, campaign, channel_id: int):
    """Share a channel's data with the campaign's partners, or stop sharing it."""
    channel = selectors.channel_for_campaign(campaign, channel_id, request.user)
    shared = request.POST.get("shared_with_partners") == "1"
    version = posted_version(request)
    act(
        request,
        lambda: services.channel_update(
            actor=request.user, channel=channel, version=version, data={"shared_with_partners": shared}
        ),
        (_("“%(name)s” is now shared with partners.") if shared else _("“%(name)s” is no longer shared."))
        % {"name": channel.name},
    )
