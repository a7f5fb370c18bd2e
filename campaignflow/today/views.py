"""The phone pages: Today (what is due), the stand-up, today's numbers, approvals. Thin: selectors read,
the desktop's services write (through `services`, which adds the version a phone form was read at)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from campaignflow import lookups
from campaignflow.campaigns.access import EDIT, VIEW, campaign_for_user, can
from campaignflow.core.errors import InvalidInput
from campaignflow.core.form_views import act, posted_version, submit, submit_posted
from campaignflow.core.pages import Pages
from campaignflow.core.parsing import date_or_today
from campaignflow.execution import services as execution_services
from campaignflow.execution.selectors import campaign_for_execution, standups
from campaignflow.goals.selectors import channels as visible_channels
from campaignflow.materials import services as material_services

from . import selectors, services
from .forms import NumbersForm, PhoneStandupForm

page = Pages()

MAX_CARDS, MAX_METRICS = 50, 50  # what a posted numbers form may name (the page shows far fewer)


# --- Today ----------------------------------------------------------------------------------------------


@page("today/", "home")
def home(request):
    day = timezone.localdate()
    return render(request, "today/home.html", {"today": selectors.today(request.user, day), "nav": "today"})


@page("today/tasks/<int:task_id>/done/", "task-done", post=True)
def task_done(request, task_id: int):
    """One tap on Today: the task is done (its owner may, as on the plan; a stale version is refused)."""
    task = lookups.task_for_user(request.user, task_id, EDIT)
    version = posted_version(request)
    act(
        request,
        lambda: services.task_done(actor=request.user, task=task, version=version),
        _("%(code)s is done.") % {"code": task.code},
    )
    return redirect("today:home")


# --- the stand-up ---------------------------------------------------------------------------------------


@page("campaigns/<int:pk>/today/standup/", "standup")
def standup(request, pk: int):
    """My stand-up for a day (today unless another is asked): done / not done and why / support needed."""
    posting = request.method == "POST"
    campaign = campaign_for_execution(request.user, pk, EDIT if posting else VIEW)
    day = date_or_today(request.POST.get("date") if posting else request.GET.get("date"))
    mine = standups(campaign, date=day, user=request.user).first()
    initial = {"date": day, "version": mine.version if mine else 0}
    if mine:
        initial.update({f: getattr(mine, f) for f in execution_services.STANDUP_FIELDS})
    form = PhoneStandupForm(request.POST or None, initial=initial)

    def save():
        data = {**form.cleaned_data, "version": form.cleaned_data.get("version") or 0}
        return execution_services.standup_save(actor=request.user, campaign=campaign, data=data)

    result = submit_posted(request, form, save, _("Your stand-up is saved."))
    if result.saved:
        return redirect("today:home")
    context = {"campaign": campaign, "form": form, "day": day, "written": mine is not None, "nav": "today"}
    context["can_edit"] = posting or can(request.user, campaign, EDIT)
    context["conflict"] = result.conflict
    return render(request, "today/standup.html", context, status=result.status)


# --- today's numbers ------------------------------------------------------------------------------------


def _count(value, limit: int) -> int:
    try:
        return max(0, min(int(value or 0), limit))
    except ValueError:
        return 0


def _posted_cards(post) -> list[dict]:
    """The cards a numbers form was drawn with, from its hidden fields: channel `c<i>`, metric `n<i>_<j>`."""
    cards = []
    for i in range(_count(post.get("cards"), MAX_CARDS)):
        metrics = [(post.get(f"n{i}_{j}") or "").strip()[:100] for j in range(_count(post.get(f"k{i}"), MAX_METRICS))]
        cards.append(
            {
                "channel": (post.get(f"c{i}") or "").strip()[:100],
                "metrics": [{"metric": m, "value": ""} for m in metrics],
            }
        )
    return cards


def _wanted(request) -> list[str]:
    """`?channel=抖音&channel=小红书` or `?channel=抖音,小红书` (the daily reminder's link)."""
    names = []
    for value in request.GET.getlist("channel"):
        names += [n.strip() for n in value.split(",") if n.strip()]
    return names


@page("campaigns/<int:pk>/today/numbers/", "numbers")
def numbers(request, pk: int):
    """Today's numbers of my channels: a card per channel, one input per daily metric; all or nothing."""
    posting = request.method == "POST"
    campaign = campaign_for_user(request.user, pk, EDIT if posting else VIEW)
    if posting:
        cards = _posted_cards(request.POST)
        form = NumbersForm(request.POST, cards=cards)
        day = date_or_today(request.POST.get("date"))
    else:
        day = date_or_today(request.GET.get("date"))
        wanted = _wanted(request)
        channels = selectors.entry_channels(request.user, campaign, day, wanted, every=request.GET.get("all") == "1")
        cards = selectors.entry_cards(campaign, day, channels)
        version = selectors.entry_version(campaign, day, [c.name for c in channels])
        form = NumbersForm(initial={"date": day, "version": version}, cards=cards)

    def save():
        known = set(visible_channels(campaign, request.user).values_list("name", flat=True))
        unknown = {f"c{i}": _("No such channel.") for i, card in enumerate(cards) if card["channel"] not in known}
        if unknown:
            raise InvalidInput(unknown)
        values = [
            (item["field"], card["channel"], item["metric"], form.cleaned_data.get(item["field"], ""))
            for card in cards
            for item in card["metrics"]
        ]
        return services.numbers_save(
            actor=request.user,
            campaign=campaign,
            day=form.cleaned_data["date"],
            version=form.cleaned_data.get("version") or 0,
            values=values,
        )

    result = submit(form, save) if posting else None
    if result and result.saved:
        if result.value:
            messages.success(request, _("Saved %(n)s values.") % {"n": result.value})
        else:
            messages.info(request, _("Nothing changed."))
        return redirect("today:home")
    for card in cards:
        for item in card["metrics"]:
            item["bound"] = form[item["field"]]
        card["has_error"] = any(item["bound"].errors for item in card["metrics"])
    context = {
        "campaign": campaign,
        "form": form,
        "cards": cards,
        "day": day,
        "yesterday": timezone.localdate() - dt.timedelta(days=1),
        "max_day": timezone.localdate(),
        "can_edit": posting or can(request.user, campaign, EDIT),
        "conflict": result.conflict if result else "",
        "nav": "today",
    }
    return render(request, "today/numbers.html", context, status=result.status if result else 200)


# --- approvals ------------------------------------------------------------------------------------------


@page("today/approvals/", "approvals")
def approvals(request):
    items = selectors.approval_items(request.user)
    return render(request, "today/approvals.html", {"items": items, "nav": "today"})


def _decision(request) -> tuple[bool, str]:
    return request.POST.get("action") == "approve", request.POST.get("comment", "")


@page("today/approvals/budgets/<int:pk>/", "budget-decide", post=True)
def budget_decide(request, pk: int):
    """Approve or reject a submitted budget (finance, director or admin; never the one who submitted it)."""
    campaign = campaign_for_user(request.user, pk, VIEW)
    return _decided(request, _("Budget approved."), _("Budget rejected."), services.budget_decide, campaign=campaign)


@page("today/approvals/expenses/<int:expense_id>/", "expense-decide", post=True)
def expense_decide(request, expense_id: int):
    """Decide a held overrun (a director) or a corrected expense (finance)."""
    expense = lookups.expense_for_user(request.user, expense_id, VIEW)
    return _decided(request, _("Approved."), _("Rejected."), services.expense_decide, expense=expense)


def _decided(request, approved: str, rejected: str, decide, **target):
    """One tap's decision through `decide` at the version the page showed; back to the list with its answer."""
    approve, comment = _decision(request)
    version = posted_version(request)
    act(
        request,
        lambda: decide(actor=request.user, version=version, approve=approve, comment=comment, **target),
        approved if approve else rejected,
    )
    return redirect("today:approvals")


@page("today/approvals/materials/<int:material_id>/", "material-decide", post=True)
def material_decide(request, material_id: int):
    """Approve a material in review, or send it back with what to change, for the side I review for."""
    material = lookups.material_for_user(request.user, material_id, VIEW)
    approve, comment = _decision(request)
    data = {"decision": "approve" if approve else "request_changes", "comment": comment}
    data["version"] = posted_version(request)
    act(
        request,
        lambda: material_services.material_review(actor=request.user, material=material, data=data),
        _("Approved.") if approve else _("Changes requested."),
    )
    return redirect("today:approvals")
