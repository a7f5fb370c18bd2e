"""Files stored by their content: saved once under their SHA-256 through Django's storage API (the file
system by default, an S3-compatible store by setting), checked from their bytes, served only through
an access-checked view with headers that stop a browser from running them.

`store(upload, prefix=…)` reads the type from the bytes (`core.domain.filetypes`), refuses what is not
accepted (415), empty or truncated (422) or an image with more pixels than `MATERIAL_IMAGE_MAX_PIXELS`
(422, read from the header: nothing is decoded), and saves it at `<prefix>/<sha[:2]>/<sha>`; the same
bytes uploaded twice are stored once. The caller records the returned `Stored` in its own row and, if
that fails, calls `discard` so that no orphan file stays behind.
"""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from .domain import filetypes as ft
from .errors import InvalidInput, UnsupportedType
from .uploads import Digest

CHUNK = 1024 * 1024
# A response the browser cannot run: no scripts, no plugins, no frames, the type as sent
SAFE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
    "Cross-Origin-Resource-Policy": "same-origin",
}


@dataclass(frozen=True)
class Stored:
    name: str  # the storage name
    sha256: str
    size: int
    filetype: ft.FileType
    created: bool  # this call wrote it (False: the same bytes were already stored)


def _digest(upload) -> Digest:
    sha, size = hashlib.sha256(), 0
    upload.seek(0)
    for chunk in iter(lambda: upload.read(CHUNK), b""):
        sha.update(chunk)
        size += len(chunk)
    upload.seek(0)
    return Digest(sha.hexdigest(), size)


def _zip_names(upload) -> list[str] | None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None  # truncated: its central directory (at the end) is missing
    finally:
        upload.seek(0)


def _tail(upload, size: int, length: int = 2048) -> bytes:
    upload.seek(max(0, size - length))
    tail = upload.read(length)
    upload.seek(0)
    return tail


def _check_image(upload, field: str) -> None:
    from PIL import Image, UnidentifiedImageError

    too_large = _("The image has more pixels than this product takes (a decompression bomb?).")
    upload.seek(0)
    try:
        with Image.open(upload) as image:  # reads the header only
            width, height = image.size
    except Image.DecompressionBombError:
        raise InvalidInput({field: too_large}) from None
    except (UnidentifiedImageError, OSError, ValueError):
        raise InvalidInput({field: _("The image is damaged or incomplete.")}) from None
    finally:
        upload.seek(0)
    if width * height > settings.MATERIAL_IMAGE_MAX_PIXELS:
        raise InvalidInput({field: too_large})


def check(upload, field: str = "file", digest: Digest | None = None) -> tuple[ft.FileType, Digest]:
    """The file's type and digest, or the refusal naming `field` (422 damaged/empty, 415 not accepted)."""
    digest = digest or _digest(upload)
    if digest.size == 0:
        raise InvalidInput({field: _("The file is empty.")})
    upload.seek(0)
    head = upload.read(ft.HEAD_BYTES)
    upload.seek(0)
    names = _zip_names(upload) if ft.is_zip(head) else None
    if ft.is_zip(head) and names is None:
        raise InvalidInput({field: _("The archive is damaged or incomplete.")})
    kind = ft.classify(head, names)
    if kind == ft.ACTIVE_MARKUP:
        raise UnsupportedType(_("SVG, HTML and other markup files are not accepted: export the design as PNG or PDF."))
    if kind is None:
        raise UnsupportedType(
            _("This kind of file is not accepted: images, PDF, video, audio, office documents and archives are.")
        )
    if not ft.looks_complete(kind, head, _tail(upload, digest.size), digest.size):
        raise InvalidInput({field: _("The file is damaged or incomplete (its end is missing).")})
    if kind.kind == ft.IMAGE and kind.inline:
        _check_image(upload, field)
    return kind, digest


def blob_name(prefix: str, sha256: str) -> str:
    return f"{prefix}/{sha256[:2]}/{sha256}"


def store(upload, *, prefix: str, field: str = "file", digest: Digest | None = None) -> Stored:
    filetype, digest = check(upload, field, digest)
    name = blob_name(prefix, digest.sha256)
    if default_storage.exists(name):
        return Stored(name, digest.sha256, digest.size, filetype, created=False)
    upload.seek(0)
    saved = default_storage.save(name, upload)
    if saved != name:  # someone stored the same bytes in between: keep theirs
        default_storage.delete(saved)
    return Stored(name, digest.sha256, digest.size, filetype, created=saved == name)


def discard(name: str) -> None:
    """Delete a stored file nobody refers to any more (the caller checked)."""
    if name and default_storage.exists(name):
        default_storage.delete(name)


def download(name: str, *, filename: str, content_type: str, inline: bool) -> FileResponse:
    """The stored bytes, streamed, as an attachment unless `inline` (a raster image or a PDF); 404 when
    the store has lost them (a restored database without its files), never a 500."""
    try:
        handle, size = _open_stream(name)
    except FileNotFoundError:
        raise Http404(_("The file is missing from the file store.")) from None
    response = FileResponse(handle, as_attachment=not inline, filename=filename, content_type=content_type)
    if size is not None:
        response["Content-Length"] = size
    for header, value in SAFE_HEADERS.items():
        response[header] = value
    return response


def _open_stream(name: str):
    """(a file to read the stored bytes from, front to back; their size when the file cannot tell).

    From an S3-compatible store that is the object's body as it arrives: django-storages' S3File would
    first download the whole object into a temporary file before the first byte goes out."""
    if not name:
        raise FileNotFoundError(name)
    handle = default_storage.open(name, "rb")
    s3_object = getattr(handle, "obj", None)  # django-storages' S3File: the object, already looked up
    if s3_object is None:
        return handle, None
    return s3_object.get()["Body"], s3_object.content_length
