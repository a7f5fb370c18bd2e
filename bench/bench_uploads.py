"""Benchmark: how fast hostile XLSX uploads are refused (issue #9: "XLSX zip bombs (compression ratio, total
uncompressed size) refused in < 100 ms").

Builds, in memory, XLSX files (a real workbook's parts around a hostile sheet) and times the parser's
refusal (`tracking.domain.parsers.parse_file`, median of 5):
  - ratio bomb: a sheet of hundreds of MB of whitespace inside <sheetData>, deflated to a few hundred KB;
  - declared-size bomb: a member whose declared size takes the archive over the 600 MB cap, at a plausible
    compression ratio (the declared sizes are what the check reads; nothing is inflated);
  - lying-size bomb: plausible declared sizes, but the deflate stream really inflates to hundreds of MB
    (the reader stops at the declared size);
  - billion laughs: nested XML entities in the sheet's DOCTYPE, and the same after 70 KB of padding in the
    prolog (past a scan of the first 64 KB only).
Then the same files through the whole upload path (Django test client, multipart POST to
/api/v1/campaigns/{id}/metrics/import with a Bearer token), when a migrated database is available.

Run: `.venv/bin/python -m bench.bench_uploads` (needs DJANGO_SETTINGS_MODULE's database migrated for the
upload path; the parser timings need none). `bench/__main__.py` runs it as its "uploads" step.
"""

from __future__ import annotations

import io
import logging
import os
import statistics
import struct
import sys
import time
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import verdict

GOAL_MS = 100
GOAL = f"< {GOAL_MS} ms"
MB = 1024 * 1024
SHEET = "xl/worksheets/sheet1.xml"
SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_TAIL = b"</sheetData></worksheet>"


# --- building the files ---------------------------------------------------------------------------


def _deflate(data: bytes) -> bytes:
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def _zip(members: list[tuple[str, bytes, int, int, int]]) -> bytes:
    """A zip archive written by hand, so each member's declared size and CRC are exactly as given:
    (name, payload as stored, method 0/8, declared uncompressed size, crc32)."""
    out, central = bytearray(), bytearray()
    for name, payload, method, size, crc in members:
        raw = name.encode()
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0x21, crc, len(payload), size, len(raw), 0)
        out += raw + payload
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0, 0x21, crc, len(payload), size, len(raw),
            0, 0, 0, 0, 0, offset,
        )  # fmt: skip
        central += raw
    directory = len(out)
    out += central
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), directory, 0)
    return bytes(out)


def _workbook_parts() -> dict[str, bytes]:
    """The parts of a real one-sheet workbook (openpyxl), for a hostile sheet to sit among."""
    import zipfile

    from tests.support.uploads import xlsx_bytes

    workbook = xlsx_bytes([["日期", "渠道", "指标", "数值"], ["2025-06-01", "抖音", "曝光", 1200]])
    with zipfile.ZipFile(io.BytesIO(workbook)) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def _xlsx(parts: dict[str, bytes], sheet_member: tuple[str, bytes, int, int, int] | None = None) -> bytes:
    members = [(n, _deflate(b), 8, len(b), zlib.crc32(b)) for n, b in parts.items() if n != SHEET]
    if sheet_member is None:
        sheet = parts[SHEET]
        sheet_member = (SHEET, _deflate(sheet), 8, len(sheet), zlib.crc32(sheet))
    return _zip([*members, sheet_member])


def _whitespace_stream(mb: int) -> tuple[bytes, int, int]:
    """A valid sheet with `mb` MB of whitespace in <sheetData>, deflated: (stream, size, crc)."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = b" " * MB
    parts, crc = [c.compress(SHEET_HEAD)], zlib.crc32(SHEET_HEAD)
    for _ in range(mb):
        parts.append(c.compress(chunk))
        crc = zlib.crc32(chunk, crc)
    parts += [c.compress(SHEET_TAIL), c.flush()]
    return b"".join(parts), len(SHEET_HEAD) + mb * MB + len(SHEET_TAIL), zlib.crc32(SHEET_TAIL, crc)


def _laughs(parts: dict[str, bytes], padding: int = 0) -> bytes:
    entities = b'<!ENTITY lol "lol">' + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10)
    )
    body = parts[SHEET].replace(b"<sheetData>", b'<sheetData><row r="9"><c r="A9" t="inlineStr"><is><t>&lol9;</t></is></c></row>', 1)  # fmt: skip
    sheet = b'<?xml version="1.0" encoding="UTF-8"?>' + b" " * padding + b"<!DOCTYPE worksheet [" + entities + b"]>"
    sheet += body
    return _xlsx(parts, (SHEET, _deflate(sheet), 8, len(sheet), zlib.crc32(sheet)))


def bombs(ratio_mb: int = 300) -> list[dict]:
    """The hostile files: [{key, label, data, size, expect (a fragment of the refusal)}]."""
    parts = _workbook_parts()
    stream, size, crc = _whitespace_stream(ratio_mb)
    incompressible = os.urandom(5 * MB)  # stored as is: 5 MB packed, declared 700 MB (ratio 140 < 150)
    out = [
        {
            "key": "ratio",
            "label": "compression-ratio bomb",
            "data": _xlsx(parts, (SHEET, stream, 8, size, crc)),
            "size": f"{ratio_mb} MB sheet XML deflated to {len(stream) // 1024} KB",
            "expect": "zip bomb",
        },
        {
            "key": "declared",
            "label": "declared total over the cap",
            "data": _xlsx(parts, (SHEET, incompressible, 0, 700 * MB, zlib.crc32(incompressible))),
            "size": "a 5 MB member declared as 700 MB (cap 600 MB, ratio 140)",
            "expect": "zip bomb",
        },
        {
            "key": "lying",
            "label": "lying-size bomb",
            "data": _xlsx(parts, (SHEET, stream, 8, MB, crc)),
            "size": f"{ratio_mb} MB deflate stream ({len(stream) // 1024} KB) declared as 1 MB",
            "expect": "",
        },
        {
            "key": "laughs",
            "label": "billion laughs (XML entities)",
            "data": _laughs(parts),
            "size": "10^9 'lol' when expanded",
            "expect": "DOCTYPE",
        },
        {
            "key": "laughs-padded",
            "label": "billion laughs after 70 KB of prolog padding",
            "data": _laughs(parts, padding=70 * 1024),
            "size": "DOCTYPE at byte 71,700 of the sheet",
            "expect": "DOCTYPE",
        },
    ]
    for b in out:
        b["size"] += f"; file {len(b['data']) / 1024:,.0f} KB"
    return out


# --- timing -----------------------------------------------------------------------------------------


def refusal(data: bytes) -> tuple[float, str]:
    """(median ms of 5, the refusal message) for the parser; the message is "" if the file was accepted."""
    from campaignflow.tracking.domain.parsers import FileRefused, parse_file

    times, message = [], ""
    for _ in range(5):
        t0 = time.perf_counter()
        try:
            parse_file("upload.xlsx", data)
            message = ""
        except FileRefused as exc:
            message = str(exc)
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), message


def _upload_client():
    """A Bearer-token client and a campaign it may import into (made once; None without a database)."""
    from django.db import DatabaseError
    from django.test import Client

    try:
        from campaignflow.accounts.models import User
        from campaignflow.accounts.services import token_create
        from campaignflow.campaigns.models import Campaign
        from campaignflow.campaigns.services import campaign_create

        user, _ = User.objects.get_or_create(
            username="bench-uploads", defaults={"display_name": "bench uploads", "is_superuser": True}
        )
        campaign = Campaign.objects.filter(owner=user, name="bench uploads").first()
        if campaign is None:
            campaign, _w = campaign_create(
                actor=user, data={"name": "bench uploads", "start_date": "2025-06-01", "end_date": "2025-06-30"}
            )
        _token, raw = token_create(user=user, name="bench uploads")
    except DatabaseError as exc:
        return None, f"{type(exc).__name__}: {exc}"
    return (Client(HTTP_AUTHORIZATION=f"Bearer {raw}"), campaign.pk), ""


def upload(client, campaign_id: int, data: bytes) -> tuple[float, int, str]:
    """(median ms of 5, last status, last detail) of the multipart POST to the metric import endpoint."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    times, status, detail = [], 0, ""
    for _ in range(5):
        body = {"file": SimpleUploadedFile("upload.xlsx", data, "application/vnd.ms-excel")}
        t0 = time.perf_counter()
        response = client.post(f"/api/v1/campaigns/{campaign_id}/metrics/import", body)
        times.append((time.perf_counter() - t0) * 1000)
        status = response.status_code
        detail = response.content[:200].decode("utf-8", "replace")
    return statistics.median(times), status, detail


def run(ratio_mb: int = 300) -> list[dict]:
    """Records shaped like bench/__main__.py's `record(...)` keyword arguments."""
    out = []
    files = bombs(ratio_mb)
    for b in files:
        ms, message = refusal(b["data"])
        refused = bool(message) and b["expect"] in message
        out.append(
            {
                "name": f"XLSX refused by the parser: {b['label']}",
                "value": round(ms, 2),
                "unit": "ms",
                "goal": GOAL,
                "ok": refused and ms < GOAL_MS,
                "size": b["size"],
                "note": f"median of 5; {message or 'NOT REFUSED'}"[:200],
            }
        )
    made, why = _upload_client()
    if made is None:
        out.append({"name": "XLSX refused through the upload API", "value": "skipped", "unit": "", "goal": GOAL,
                    "ok": None, "size": "", "note": f"no database: {why}"[:200]})  # fmt: skip
        return out
    client, campaign_id = made
    for b in files:
        request_log = logging.getLogger("django.request")  # the 422s are expected: keep them off the output
        level, request_log.level = request_log.level, logging.ERROR
        try:
            ms, status, detail = upload(client, campaign_id, b["data"])
        finally:
            request_log.setLevel(level)
        if status == 202:
            note = "202: queued for the background import worker (which refuses it); not refused in the request"
        else:
            note = f"HTTP {status}: {detail}"
        out.append(
            {
                "name": f"XLSX refused through the upload API: {b['label']}",
                "value": round(ms, 2),
                "unit": "ms",
                "goal": GOAL,
                "ok": status in (400, 413, 422) and ms < GOAL_MS,
                "size": b["size"],
                "note": f"median of 5; {note}"[:200],
            }
        )
    return out


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    for record in run():
        flag = verdict(record["ok"])
        print(f"[{flag:4}] {record['name']}: {record['value']} {record['unit']} ({record['goal']}) "
              f"[{record['size']}] {record['note']}")  # fmt: skip
