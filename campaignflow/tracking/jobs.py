"""Queueing a large upload for the worker (`manage.py db_worker` runs tasks.run_import_job, which calls
services.import_job_run). Apart from the services so the task and the services import in one direction."""

from __future__ import annotations

from .domain.parsers import estimate_rows
from .models import ImportJob, JobStatus
from .tasks import run_import_job


def import_job_create(*, actor, campaign, name: str, data: bytes) -> ImportJob:
    """Queue a large upload for the worker; the caller checked access and the size cap."""
    job = ImportJob.objects.create(
        campaign=campaign,
        actor=actor if getattr(actor, "pk", None) else None,
        filename=(name or "")[:255],
        size=len(data),
        data=data,
        rows_total=estimate_rows(name, data),
    )
    try:
        run_import_job.enqueue(job.pk)
    except Exception as exc:  # a broken queue must not leave the job "queued" forever
        ImportJob.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED, message=f"could not queue: {type(exc).__name__}", data=None
        )
        raise
    job.refresh_from_db()
    return job
