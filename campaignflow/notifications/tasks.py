"""Background work (django-tasks): sending queued deliveries off the request path."""

from django_tasks import task

from .delivery import deliver_due


@task()
def deliver_pending() -> dict:
    return deliver_due()
