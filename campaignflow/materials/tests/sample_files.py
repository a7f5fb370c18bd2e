"""Real files made in the test (no fixtures on disk): a poster PNG, a print PDF, a Word document, and
the bad ones — SVG with a script, an HTML page, a truncated PNG, a decompression-bomb PNG."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib


def png(width: int = 600, height: int = 400, color=(200, 30, 40)) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), color)
    ImageDraw.Draw(image).rectangle((width // 4, height // 4, width // 2, height // 2), fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def jpeg(width: int = 800, height: int = 600) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (30, 120, 200)).save(out, "JPEG", quality=80)
    return out.getvalue()


def pdf(pages: int = 2, text: str = "Poster final") -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    for n in range(pages):
        c.setFont("Helvetica", 28)
        c.drawString(72, 700, f"{text} - page {n + 1}")
        c.rect(72, 300, 300, 200, fill=1)
        c.showPage()
    c.save()
    return out.getvalue()


def docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        z.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def svg_with_script() -> bytes:
    return (
        b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'
    )


def html_page() -> bytes:
    return b"<!DOCTYPE html><html><body><script>fetch('/api/v1/me')</script></body></html>"


def truncated_png() -> bytes:
    data = png()
    return data[: len(data) // 2]


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def bomb_png(side: int = 100_000) -> bytes:
    """A small file that declares side × side pixels (10 gigapixels): decoding it would take ~30 GB."""
    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)  # 8-bit greyscale
    row = b"\x00" + b"\x00" * side
    data = zlib.compress(row * 16, 9)  # a few rows are enough to look real; the header is what matters
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", data) + _chunk(b"IEND", b"")


def mp4_header() -> bytes:
    return b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64
