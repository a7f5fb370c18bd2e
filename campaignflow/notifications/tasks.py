"""Background work (django-tasks): sending queued deliveries off the request path."""

from django_tasks import task


@task()
def deliver_pending() -> dict:
    from .services import deliver_due

    return deliver_due()
