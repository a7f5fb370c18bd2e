"""The campaign workbook (and the other sheet exports): the seeds' tables as styled sheets, written by
the streaming writer in xlsx_stream, so the download starts at once and 100,000 metric rows take a few
MB of memory."""

from __future__ import annotations

from django.http import StreamingHttpResponse

from campaignflow.core.downloads import XLSX, download

from .collect import Sheet
from .xlsx_stream import stream_workbook

BIG = "数据明细"  # the metric rows' sheet: read from the database while the workbook streams


def build_workbook(sheets: list[Sheet], target) -> dict[str, int]:
    """Write every sheet into `target` (a path or a binary file); returns rows per sheet."""
    counted: dict[str, int] = {}
    if isinstance(target, str):
        with open(target, "wb") as fh:
            for chunk in stream_workbook(sheets, counted):
                fh.write(chunk)
    else:
        for chunk in stream_workbook(sheets, counted):
            target.write(chunk)
    return counted


def workbook_response(sheets: list[Sheet], filename: str) -> StreamingHttpResponse:
    """The workbook as a download, streamed while it is written."""
    return download(stream_workbook(sheets), filename=filename, content_type=XLSX)
