"""Execution reads. Execution records are internal: partners do not see them."""

from django.utils.translation import gettext as _

from campaignflow.campaigns.access import campaign_for_team

from .models import ExecutionLogEntry, ExecutionSettings, Issue, Risk, RunOfShowItem, Standup, WeeklyReport


def campaign_for_execution(user, campaign_id, need: str = "view"):
    return campaign_for_team(user, campaign_id, need, message=_("Execution records are internal to the campaign team."))


def risks(campaign):
    return Risk.objects.filter(campaign=campaign).select_related("owner").order_by("code")


def sla_rules(campaign) -> ExecutionSettings:
    """The campaign's issue deadlines (`response_sla_hours`, `resolution_sla_hours`) that a new issue gets: its
    execution settings, or unsaved ones with the defaults (seed 002: 24 and 48; version 1, which the first save
    creates) where none were saved."""
    return ExecutionSettings.objects.filter(campaign=campaign).first() or ExecutionSettings(campaign=campaign)


def issues(campaign, status: str | None = None):
    qs = Issue.objects.filter(campaign=campaign).select_related("owner")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-found_at", "-id")


def logs(campaign):
    return ExecutionLogEntry.objects.filter(campaign=campaign).select_related("author").order_by("-at", "-id")


def run_of_show(campaign):
    return RunOfShowItem.objects.filter(campaign=campaign).select_related("owner").order_by("starts_at", "id")


def standups(campaign, date=None, user=None):
    qs = Standup.objects.filter(campaign=campaign).select_related("user")
    if date:
        qs = qs.filter(date=date)
    if user:
        qs = qs.filter(user=user)
    return qs.order_by("-date", "user__username")


def weekly_reports(campaign):
    return WeeklyReport.objects.filter(campaign=campaign).select_related("published_by").order_by("-week_start")
