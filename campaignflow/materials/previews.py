"""Previews of material files: a WebP image of a picture or of a PDF's first page, at most 1600 px wide,
stored beside the file (`previews/<sha256>.webp`). Made in the background by `tasks.make_preview`; a
file that cannot be previewed keeps its placeholder and never blocks the upload."""

from __future__ import annotations

import io
import logging

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from campaignflow.core.domain import filetypes as ft

from .models import MaterialFile, PreviewStatus

log = logging.getLogger(__name__)
MAX_SIDE = 1600
PREVIEW_MIME = "image/webp"


def _from_image(handle):
    from PIL import Image, ImageOps

    image = Image.open(handle)
    image.draft("RGB", (MAX_SIDE, MAX_SIDE))  # JPEG: decode at a reduced scale, much faster
    image = ImageOps.exif_transpose(image)  # a phone photo the right way up
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    return image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB"), 1


def _from_pdf(handle):
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(handle.read())
    try:
        page = document[0]
        width = page.get_width() or 1
        image = page.render(scale=min(MAX_SIDE / width, 3.0)).to_pil()
        return image.convert("RGB"), len(document)
    finally:
        document.close()


def make(file: MaterialFile) -> str:
    """Make the preview of `file`; returns its new preview status."""
    if file.kind not in (ft.IMAGE, ft.PDF) or file.content_type in ("image/heic", "image/heif", "image/avif"):
        status = PreviewStatus.NONE
        MaterialFile.objects.filter(pk=file.pk).update(preview_status=status)
        return status
    try:
        with default_storage.open(file.blob, "rb") as handle:
            image, pages = _from_pdf(handle) if file.kind == ft.PDF else _from_image(handle)
        out = io.BytesIO()
        image.save(out, "WEBP", quality=82)
        name = f"previews/{file.sha256[:2]}/{file.sha256}.webp"
        if not default_storage.exists(name):
            default_storage.save(name, ContentFile(out.getvalue()))
    except Exception:  # a broken file must not take the worker down; the page keeps its placeholder
        log.warning("preview failed for material file %s", file.pk, exc_info=True)
        MaterialFile.objects.filter(pk=file.pk).update(preview_status=PreviewStatus.FAILED)
        return PreviewStatus.FAILED
    MaterialFile.objects.filter(pk=file.pk).update(
        preview=name, preview_status=PreviewStatus.READY, width=image.width, height=image.height, pages=pages
    )
    return PreviewStatus.READY
