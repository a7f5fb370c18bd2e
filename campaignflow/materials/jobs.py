"""Queueing a preview for the worker; apart from the services so that the task and the services import
in one direction (the task needs previews, the services need the queue)."""

from __future__ import annotations

import logging

from .models import MaterialFile, PreviewStatus
from .tasks import make_preview

log = logging.getLogger(__name__)


def queue_preview(file_id: int) -> None:
    """A queue that is down leaves the preview failed (shown as such), never the upload."""
    try:
        make_preview.enqueue(file_id)
    except Exception:
        log.warning("could not queue the preview of material file %s", file_id, exc_info=True)
        MaterialFile.objects.filter(pk=file_id).update(preview_status=PreviewStatus.FAILED)
