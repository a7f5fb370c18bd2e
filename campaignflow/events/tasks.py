"""Background work of events (run by the worker: `manage.py db_worker`, or rqworker with Redis)."""

from __future__ import annotations

from django_tasks import task

from campaignflow.campaigns.models import Campaign

from . import metrics
from .reminders import reminder_send


@task()
def sync_metrics(campaign_id: int) -> int:
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    return metrics.sync(campaign) if campaign is not None else 0


@task()
def send_reminder(reminder_id: int) -> int:
    reminder = reminder_send(reminder_id)
    return reminder.recipients if reminder is not None else 0
