"""Files as clients upload them (tests and bench/): a one-sheet workbook, and the metric import's POST."""

from __future__ import annotations

import io
from collections.abc import Iterable


def xlsx_bytes(rows: Iterable[list]) -> bytes:
    """A real one-sheet workbook (openpyxl) holding `rows`, the first one its header."""
    import openpyxl

    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload_metrics(api, campaign, name: str, content: bytes, **extra):
    """POST `content` as the file `name` to the campaign's metric import, with `api`'s (conftest.ApiClient) token
    (`extra`: more headers, e.g. HTTP_ACCEPT_LANGUAGE)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return api.client.post(
        f"/api/v1/campaigns/{campaign.id}/metrics/import",
        {"file": SimpleUploadedFile(name, content)},
        **api.headers,
        **extra,
    )
