"""Background work of materials (run by the worker: `manage.py db_worker`, or rqworker with Redis)."""

from __future__ import annotations

from django_tasks import task

from . import previews
from .models import MaterialFile


@task()
def make_preview(file_id: int) -> str:
    file = MaterialFile.objects.filter(pk=file_id).first()
    return previews.make(file) if file is not None else "gone"
