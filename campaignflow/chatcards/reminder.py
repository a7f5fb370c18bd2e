"""The daily "today's numbers are missing" reminder (scheduler job `chatcards.numbers_reminder`, every 5 minutes): on
working days of China's calendar (a 调休 Saturday is one, a holiday weekday is not; core.workdays with the admin's
overrides), from each executing campaign's reminder time on, once a day, the people who answer for a channel without
today's numbers are told which ones — through notify(), so inbox, e-mail and chat card, with a link straight to the
numbers form showing those channels."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from campaignflow.campaigns.models import Campaign, MemberRole, Status
from campaignflow.core.workdays import china_calendar
from campaignflow.goals.models import Channel
from campaignflow.notifications import texts
from campaignflow.notifications.services import notify
from campaignflow.tracking.models import MetricRow

from .domain import reminder as rules
from .links import numbers_link
from .models import NumbersReminder, ReminderSent


def default_time() -> dt.time:
    return rules.parse_time(settings.NUMBERS_REMINDER_DEFAULT)


def remind_due(*, now: dt.datetime | None = None) -> dict[str, int]:
    now = timezone.localtime(now or timezone.now())
    today = now.date()
    if not china_calendar(around=(today, today)).is_workday(today):
        return {"campaigns": 0, "people": 0}
    campaigns = list(
        Campaign.objects.alive().filter(status=Status.EXECUTING, start_date__lte=today, end_date__gte=today)
    )
    settings_rows = {
        r.campaign_id: (r.enabled, r.remind_at) for r in NumbersReminder.objects.filter(campaign__in=campaigns)
    }
    sent = set(ReminderSent.objects.filter(date=today).values_list("campaign_id", flat=True))
    told = reminded = 0
    for campaign in campaigns:
        at = rules.reminder_setting(settings_rows, campaign.pk, default_time())
        if at is None or not rules.due(now, at, workday=True, sent_today=campaign.pk in sent):
            continue
        people = _remind(campaign, today)
        if people is not None:
            reminded += 1
            told += people
    return {"campaigns": reminded, "people": told}


@transaction.atomic
def _remind(campaign: Campaign, today: dt.date) -> int | None:
    """Tell this campaign's people; None when another run already did today (the day's row is taken first)."""
    marker, created = ReminderSent.objects.get_or_create(campaign=campaign, date=today)
    if not created:
        return None
    channels = list(Channel.objects.filter(campaign=campaign).order_by("id"))
    entered = set(MetricRow.objects.filter(campaign=campaign, date=today).values_list("channel", flat=True).distinct())
    data_people = campaign.memberships.filter(role__in=[MemberRole.OWNER, MemberRole.MANAGER]).values_list(
        "user_id", flat=True
    )
    missing = rules.missing_by_person(
        [
            rules.ChannelToday(c.name, c.owner_id, rules.active_on(today, c.start_date, c.end_date), c.name in entered)
            for c in channels
        ],
        data_people,
    )
    users = get_user_model().objects.in_bulk(list(missing))
    for person, names in missing.items():
        user = users.get(person)
        if user is None:
            continue
        notify(
            kind="numbers_missing",
            # said in each reader's language (notifications.texts); stored in the site's
            text=("numbers.missing", {"channels": texts.listed(names), "campaign": campaign.name}),
            url=numbers_link(campaign.pk, names),
            campaign=campaign,
            recipients=[user],
            group_key=f"numbers:{campaign.pk}:{today.isoformat()}",
        )
    marker.people = len(missing)
    marker.save(update_fields=["people"])
    return len(missing)
