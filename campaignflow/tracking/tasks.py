"""Background work of the tracking app: large metric imports (run by `manage.py db_worker`)."""

from django_tasks import task

from .services import import_job_run


@task()
def run_import_job(job_id: int) -> str:
    job = import_job_run(job_id)
    return job.status if job is not None else "missing"
