"""A document the server makes (XLSX, PDF, CSV, iCalendar) sent to the browser, with its headers in one place.

`download(body, filename=…, content_type=…)` names the file for the browser's "save as" (a Chinese name
too: Django writes RFC 5987's `filename*=utf-8''…` when the name is not ASCII), as an attachment unless
`inline` (a PDF opened in the browser's viewer), and asks the browser to take the type as sent (nosniff).
A body that is an iterator of chunks is streamed. Uploaded files are served by `core.blobs.download`.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"
CSV = "text/csv; charset=utf-8"
ICS = "text/calendar; charset=utf-8"


def download(
    body: bytes | str | Iterable, *, filename: str, content_type: str, inline: bool = False
) -> HttpResponse | StreamingHttpResponse:
    """`body` sent as the file `filename` of `content_type`: an attachment, or shown in the browser if `inline`."""
    if isinstance(body, bytes | str):
        response = HttpResponse(body, content_type=content_type)
    else:
        response = StreamingHttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response
