"""Background work: evaluate a campaign's alert rules after new data arrived."""

from django_tasks import task


@task()
def evaluate_campaign_task(campaign_id: int) -> int:
    from django.db import transaction

    from campaignflow.campaigns.models import Campaign

    from .engine import evaluate_campaign

    campaign = Campaign.objects.alive().filter(pk=campaign_id).first()
    if campaign is None:
        return 0
    with transaction.atomic():
        return len(evaluate_campaign(campaign))


def after_data_changed(campaign) -> None:
    """Called by the services that write metrics or expenses: rules run once the write commits."""
    from django.db import transaction

    def enqueue():
        try:
            evaluate_campaign_task.enqueue(campaign.pk)
        except Exception:  # the scheduler evaluates every few minutes anyway
            import logging

            logging.getLogger(__name__).warning("could not enqueue alert evaluation", exc_info=True)

    transaction.on_commit(enqueue)
